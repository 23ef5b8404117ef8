"""Hydra finds hydra/sweeper=hpobench and its groups; current_trial() outside and inside a sweep's job."""

from __future__ import annotations

import json

import pytest
from hydra.core.config_store import ConfigStore
from hydra.core.plugins import Plugins
from hydra.plugins.sweeper import Sweeper

import hpobench
from hpobench.cli import PROJECT_ROOT
from hpobench.sweeper import current_trial
from hpobench.sweeper._job import TRIAL_ENV, register_live_study, unregister_live_study


def test_hydra_discovers_the_sweeper_and_hpobench_groups():
    names = [f"{c.__module__}.{c.__name__}" for c in Plugins.instance().discover(Sweeper)]
    assert "hydra_plugins.hpobench_sweeper.hpobench_sweeper.HpobenchSweeper" in names
    store = ConfigStore.instance()
    assert "hpobench.yaml" in store.list("hydra/sweeper")
    for group in ("sampler", "pruner"):
        assert store.list(f"hydra/sweeper/{group}") == sorted(
            p.name for p in (PROJECT_ROOT / "conf" / group).glob("*.yaml")
        )
    tpe = store.load("hydra/sweeper/sampler/tpe.yaml").node
    assert tpe._target_ == "hpobench.samplers.TPESampler" and tpe._get_node("seed")._value() == "${hydra.sweeper.seed}"
    asha = store.load("hydra/sweeper/pruner/asha.yaml").node
    assert asha._get_node("max_resource")._value() == "${oc.select:hydra.sweeper.problem.max_step,auto}"


def test_current_trial_is_none_outside_a_sweep(monkeypatch):
    monkeypatch.delenv(TRIAL_ENV, raising=False)
    assert current_trial() is None


def test_current_trial_is_the_live_trial_of_this_process(monkeypatch):
    study = hpobench.create_study(study_name="live")
    asked = study.ask()
    register_live_study(study)
    try:
        handle = {"storage": None, "study_name": "live", "number": asked.number}
        monkeypatch.setenv(TRIAL_ENV, json.dumps(handle))
        trial = current_trial()
        assert trial is current_trial() and trial.number == asked.number
        trial.report(0.5, 0)
        assert study.trials[0].intermediate_values == {0: 0.5}
    finally:
        unregister_live_study(study)


def test_an_in_memory_study_of_another_process_is_refused_with_the_fix(monkeypatch):
    monkeypatch.setenv(TRIAL_ENV, json.dumps({"storage": None, "study_name": "elsewhere", "number": 0}))
    with pytest.raises(RuntimeError, match="set hydra.sweeper.storage"):
        current_trial()


GOOD = dict(
    sampler=None,
    pruner=None,
    direction="minimize",
    storage=None,
    study_name=None,
    n_trials=5,
    n_jobs=2,
    max_failure_rate=0.0,
    seed=0,
    params=None,
    tracking=None,
)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("direction", "up", "hydra.sweeper.direction must be minimize or maximize, got 'up'"),
        ("direction", ["minimize", "maximize"], "one direction"),
        ("n_trials", 0, "hydra.sweeper.n_trials must be an integer >= 1, got 0"),
        ("n_jobs", 1.5, "hydra.sweeper.n_jobs must be an integer >= 1, got 1.5"),
        ("max_failure_rate", 2, "hydra.sweeper.max_failure_rate must be a number in [0, 1], got 2"),
        ("storage", "", "hydra.sweeper.storage must be a database URL"),
    ],
)
def test_bad_sweeper_settings_are_named(key, value, message):
    from hpobench.sweeper._sweeper import HpobenchSweeperImpl

    HpobenchSweeperImpl(**GOOD)  # the good settings build
    with pytest.raises(ValueError) as error:
        HpobenchSweeperImpl(**{**GOOD, key: value})
    assert message in str(error.value)
