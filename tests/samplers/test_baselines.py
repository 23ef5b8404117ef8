"""Baseline adaptors: lazy imports with an install hint, and the Optuna mirror."""

from __future__ import annotations

import importlib.util
import sys

import pytest

import hpobench
from hpobench.pruners import NopPruner
from hpobench.samplers import HyperoptTPESampler, OptunaRandomSampler, OptunaTPESampler
from hpobench.trial import TrialState


@pytest.mark.parametrize(
    "cls, module", [(OptunaTPESampler, "optuna"), (OptunaRandomSampler, "optuna"), (HyperoptTPESampler, "hyperopt")]
)
def test_missing_library_names_the_install_command(monkeypatch, cls, module):
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` raise ImportError
    with pytest.raises(ImportError, match=r"pip install 'hpobench\[baselines\]'"):
        cls(seed=0)


@pytest.mark.skipif(importlib.util.find_spec("optuna") is None, reason="optuna not installed")
def test_optuna_mirror_holds_finished_trials_with_their_curves():
    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        trial.report(x, 1)
        if trial.number % 3 == 2:
            raise hpobench.TrialPruned()
        return x

    study = hpobench.create_study(sampler=OptunaTPESampler(seed=0, n_startup_trials=3), pruner=NopPruner())
    study.optimize(objective, n_trials=9)
    mirror, _ = study.sampler._mirrors[study]
    import optuna

    mirrored = [t for t in mirror.trials if t.state != optuna.trial.TrialState.FAIL]
    ours = study.get_trials(states=(TrialState.COMPLETE, TrialState.PRUNED))
    assert len(mirrored) == len(ours) - 1  # the last finished trial is mirrored at the next trial's start
    by_x = {t.params["x"]: t for t in mirrored}
    for trial in ours[:-1]:
        twin = by_x[trial.params["x"]]
        assert twin.state.name == trial.state.name and twin.intermediate_values == {1: trial.params["x"]}


@pytest.mark.parametrize("kwargs", [{"gamma": 1.5}, {"n_startup_trials": -1}])
@pytest.mark.skipif(importlib.util.find_spec("hyperopt") is None, reason="hyperopt not installed")
def test_hyperopt_bad_arguments(kwargs):
    with pytest.raises(ValueError, match=str(next(iter(kwargs.values())))):
        HyperoptTPESampler(**kwargs)
