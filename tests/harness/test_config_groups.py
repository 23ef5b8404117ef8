"""Every constructor argument of a sampler/pruner/runner/problem is declared in its config group.

Hydra's struct mode rejects `sampler.n_startup_trials=5` for a key the yaml does not
declare (only `+sampler.n_startup_trials=5` works then), so each yaml under conf/sampler/,
conf/pruner/, conf/runner/ and conf/problem/ lists every parameter of its _target_ with the constructor's
default. A new constructor argument without its yaml line fails here.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
import yaml

from hpobench.cli._app import CONF_DIR
from tests.harness.conftest import run_cli

GROUPS = ("sampler", "pruner", "runner", "problem")
# Defaults that are functions cannot be written in yaml; the constructor keeps them.
NOT_IN_YAML = {"hpobench.samplers.TPESampler": {"gamma", "weights"}}
# Values a group sets on purpose instead of the constructor's default (its comment says why).
CHOSEN = {"pruner/threshold": {"upper", "n_warmup_steps"}}
# A problem file picks a task (scenario, task_id, max_step, ...): its values are choices, only
# the presence of every argument is checked there.
CHOICE_GROUPS = {"problem"}
# Packages of the peer baselines (pip install 'hpobench[baselines]'); a missing one skips its files.
OPTIONAL = ("optuna", "smac", "syne_tune", "hyperopt", "torch", "ConfigSpace", "dask", "distributed")

GROUP_FILES = sorted(p for group in GROUPS for p in (Path(CONF_DIR) / group).glob("*.yaml"))


def _target(node: dict):
    module, _, name = node["_target_"].rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as error:
        if error.name and error.name.split(".")[0] in OPTIONAL:
            pytest.skip(f"{node['_target_']} needs the optional package {error.name}")
        raise


def _declared_parameters(target) -> list[inspect.Parameter]:
    kinds = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [p for p in inspect.signature(target).parameters.values() if p.kind not in kinds]


@pytest.mark.parametrize("path", GROUP_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_group_yaml_declares_every_constructor_argument_with_its_default(path):
    node = yaml.safe_load(path.read_text())
    skipped = NOT_IN_YAML.get(node["_target_"], set())
    for param in _declared_parameters(_target(node)):
        if param.name in skipped:
            continue
        assert param.name in node, f"{path.name}: add `{param.name}: ...` (argument of {node['_target_']})"
        value, default = node[param.name], param.default
        interpolated = isinstance(value, str) and value.startswith("${")
        chosen = path.parent.name in CHOICE_GROUPS or param.name in CHOSEN.get(f"{path.parent.name}/{path.stem}", set())
        if default is inspect.Parameter.empty or interpolated or chosen or value == "???":
            continue
        assert value == default, f"{path.name}: {param.name}={value!r}, the constructor's default is {default!r}"


def test_the_exceptions_name_real_parameters():
    # A renamed argument must not leave a stale exception behind.
    for target, names in NOT_IN_YAML.items():
        module, _, name = target.rpartition(".")
        params = inspect.signature(getattr(importlib.import_module(module), name)).parameters
        assert names <= set(params), target


def test_group_values_are_overridden_without_plus(paths):
    result = run_cli(
        "problem=branin",
        "n_trials=3",
        "sampler=tpe",
        "sampler.n_startup_trials=2",
        "pruner=asha",
        "pruner.reduction_factor=3",
        "problem.noise_std=0.1",
        *paths.overrides,
    )
    assert result.returncode == 0, result.stderr
    assert "3/3 finished" in result.stdout
