"""Every conf/pruner/*.yaml instantiates through Hydra, alone and with a problem that sets max_step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from hydra.utils import instantiate

from hpobench import pruners

CONF = Path(__file__).resolve().parents[2] / "conf" / "pruner"
NAMES = sorted(p.stem for p in CONF.glob("*.yaml"))


def test_one_config_per_pruner():
    assert NAMES == [
        "asha",
        "hyperband",
        "median",
        "nop",
        "optuna_hyperband",
        "optuna_median",
        "optuna_sha",
        "patient",
        "percentile",
        "scheduler",
        "threshold",
        "wilcoxon",
    ]


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory) -> Path:
    # Only the pruner group: the root config of the harness needs groups owned by others.
    root = tmp_path_factory.mktemp("conf")
    shutil.copytree(CONF, root / "pruner")
    (root / "config.yaml").write_text("defaults:\n  - _self_\n  - pruner: nop\n")
    return root


@pytest.mark.parametrize("name", NAMES)
def test_config_instantiates(config_dir, name):
    with initialize_config_dir(config_dir=str(config_dir), version_base="1.3"):
        cfg = compose(config_name="config", overrides=[f"pruner={name}", "+problem.max_step=27"])
    pruner = instantiate(cfg.pruner)
    assert isinstance(pruner, pruners.BasePruner)
    assert type(pruner).__name__ in pruners.__all__
    if name in ("asha", "hyperband", "optuna_hyperband"):
        assert "max_resource=27" in repr(pruner)
