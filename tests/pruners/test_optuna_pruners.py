"""Optuna's pruners behind our interface decide exactly as in Optuna, and share their rungs through our storage."""

from __future__ import annotations

import importlib.util

import pytest

import hpobench
from hpobench.problems import get_problem
from hpobench.pruners import OptunaHyperbandPruner, OptunaMedianPruner, OptunaSuccessiveHalvingPruner
from hpobench.pruners.baselines import ATTR_PREFIX
from hpobench.runners import SimulatedRunner
from hpobench.samplers import RandomSampler
from hpobench.trial import TrialState

pytestmark = pytest.mark.skipif(importlib.util.find_spec("optuna") is None, reason="optuna not installed")
MAX_STEP = 27
CASES = [
    (OptunaSuccessiveHalvingPruner, {}),
    (OptunaSuccessiveHalvingPruner, {"min_resource": 2, "reduction_factor": 3}),
    (OptunaHyperbandPruner, {"max_resource": MAX_STEP}),
    (OptunaMedianPruner, {"n_startup_trials": 3}),
]


def _curve(number: int, step: int) -> float:
    """A deterministic learning curve per trial number (no sampler in the comparison)."""
    level = ((number * 7919) % 31) / 31.0
    return level + 1.0 / step


def _run(study, prune_error) -> list[tuple[int, str, int]]:
    def objective(trial):
        trial.suggest_float("x", 0, 1)
        for step in range(1, MAX_STEP + 1):
            trial.report(_curve(trial.number, step), step)
            if trial.should_prune():
                raise prune_error()
        return _curve(trial.number, MAX_STEP)

    study.optimize(objective, n_trials=40)
    return [(t.number, t.state.name, max(t.intermediate_values)) for t in study.get_trials()]


@pytest.mark.parametrize("cls, kwargs", CASES, ids=lambda c: getattr(c, "__name__", str(c)))
def test_decisions_are_optunas(cls, kwargs):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    theirs = optuna.create_study(study_name="same", pruner=getattr(optuna.pruners, cls._optuna_class)(**kwargs))
    ours = hpobench.create_study(study_name="same", sampler=RandomSampler(seed=0), pruner=cls(**kwargs))
    expected = _run(theirs, optuna.TrialPruned)
    assert _run(ours, hpobench.TrialPruned) == expected
    assert any(state == "PRUNED" for _, state, _ in expected)


def test_rungs_are_written_to_our_storage():
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=OptunaSuccessiveHalvingPruner())
    _run(study, hpobench.TrialPruned)
    keys = {k for t in study.get_trials() for k in t.system_attrs}
    assert f"{ATTR_PREFIX}completed_rung_0" in keys  # what another process's mirror reads


@pytest.mark.parametrize("cls, kwargs", CASES[:1] + CASES[2:], ids=lambda c: getattr(c, "__name__", str(c)))
def test_prunes_a_recorded_task_with_4_simulated_workers(cls, kwargs):
    problem = get_problem("recorded/mlp_digits")
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=cls(**kwargs), direction=problem.direction)
    SimulatedRunner(n_workers=4).run(study, problem, n_trials=30)
    pruned = study.get_trials(states=(TrialState.PRUNED,))
    assert pruned and all(max(t.intermediate_values) < problem.max_step for t in pruned)
