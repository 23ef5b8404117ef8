"""ASHA: exact tables of rungs and promotions, and its decisions on a real study."""

from __future__ import annotations

import pytest

import hpobench
from hpobench.pruners import SuccessiveHalvingPruner
from hpobench.pruners.successive_halving import (
    estimate_min_resource,
    is_promotable,
    n_promotable,
    promotions,
    rung_key,
    rung_step,
    rung_steps,
)
from hpobench.samplers import RandomSampler
from hpobench.trial import TrialState


@pytest.mark.parametrize(
    "min_resource, eta, rate, max_resource, expected",
    [
        (1, 4, 0, 100, [1, 4, 16, 64]),
        (1, 3, 0, 81, [1, 3, 9, 27, 81]),
        (2, 3, 1, 100, [6, 18, 54]),
        (5, 2, 0, 50, [5, 10, 20, 40]),
        (1, 4, 2, 100, [16, 64]),
        (10, 4, 0, 9, []),
    ],
)
def test_rung_steps_table(min_resource, eta, rate, max_resource, expected):
    assert rung_steps(min_resource, eta, rate, max_resource) == expected
    assert [rung_step(k, min_resource, eta, rate) for k in range(len(expected))] == expected


@pytest.mark.parametrize(
    "eta, expected",
    [(2, [1, 1, 1, 2, 2, 3, 3, 4, 4]), (3, [1, 1, 1, 1, 1, 2, 2, 2, 3]), (4, [1, 1, 1, 1, 1, 1, 1, 2, 2])],
)
def test_number_promoted_per_rung_table(eta, expected):
    assert [n_promotable(n, eta) for n in range(1, 10)] == expected


def test_promotion_table_in_arrival_order():
    arrivals = [3, 1, 4, 1, 5, 9, 2, 6]
    assert promotions(arrivals, 2) == [True, True, False, True, False, False, True, False]
    assert promotions(arrivals, 2, maximize=True) == [True, False, True, False, True, True, False, True]
    assert promotions(arrivals, 4) == [True, True, False, True, False, False, False, False]


def test_nan_competitors_are_ignored():
    assert is_promotable(2.0, [float("nan"), float("nan"), 1.0], 2, maximize=False) is False
    assert is_promotable(1.0, [float("nan"), 2.0], 2, maximize=False) is True


def test_min_resource_estimate():
    assert estimate_min_resource(None) is None
    assert [estimate_min_resource(s) for s in (1, 99, 199, 200, 1000)] == [1, 1, 1, 2, 10]


def _constant_curves(values: list[float]):
    def objective(trial: hpobench.Trial) -> float:
        trial.suggest_float("x", 0, 1)
        value = values[trial.number]
        for step in range(1, 9):
            trial.report(value, step)
            if trial.should_prune():
                raise hpobench.TrialPruned()
        return value

    return objective


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
def test_sequential_study_table(direction):
    """Trials run one after another, each with a constant curve; the stops were worked out by hand."""
    sign = 1.0 if direction == "minimize" else -1.0
    values = [sign * v for v in [3, 1, 4, 1, 5, 9, 2, 6]]
    study = hpobench.create_study(
        direction=direction,
        sampler=RandomSampler(seed=0),
        pruner=SuccessiveHalvingPruner(min_resource=1, reduction_factor=2),
    )
    study.optimize(_constant_curves(values), n_trials=8)
    C, P = TrialState.COMPLETE, TrialState.PRUNED
    assert [(t.state, t.last_step) for t in study.trials] == [
        (C, 8),
        (C, 8),
        (P, 1),
        (C, 8),
        (P, 1),
        (P, 1),
        (P, 2),
        (P, 1),
    ]
    # Rung values are stored on the trials (shared through the storage).
    assert sorted(k for k in study.trials[6].system_attrs if k.startswith("completed_rung_")) == [
        rung_key(0),
        rung_key(1),
    ]


def test_auto_min_resource_before_any_completion():
    """Optuna waits for a COMPLETE trial; here the deepest reported step (or max_resource) decides."""
    study = hpobench.create_study(sampler=RandomSampler(seed=0))
    running = study.ask()
    running.report(1.0, 350)
    trials = study.get_trials(deepcopy=False)
    assert SuccessiveHalvingPruner().resolve_min_resource(trials) == 3
    assert SuccessiveHalvingPruner(max_resource=1000).resolve_min_resource(trials) == 10
    assert SuccessiveHalvingPruner(min_resource=7).resolve_min_resource(trials) == 7
    study.tell(running, 1.0)
    other = study.ask()
    other.report(1.0, 900)
    # Once a trial completed, Optuna's rule (its last step) applies.
    assert SuccessiveHalvingPruner().resolve_min_resource(study.get_trials(deepcopy=False)) == 3


@pytest.mark.parametrize(
    "kwargs, error, word",
    [
        ({"min_resource": 0}, ValueError, "min_resource"),
        ({"min_resource": "big"}, ValueError, "big"),
        ({"reduction_factor": 1}, ValueError, "reduction_factor"),
        ({"reduction_factor": 2.5}, TypeError, "2.5"),
        ({"min_early_stopping_rate": -1}, ValueError, "min_early_stopping_rate"),
        ({"bootstrap_count": 2}, ValueError, "bootstrap_count=2"),
        ({"max_resource": 0}, ValueError, "max_resource"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, word):
    with pytest.raises(error, match=word):
        SuccessiveHalvingPruner(**kwargs)


def test_bootstrap_count_prunes_until_the_rung_fills():
    pruner = SuccessiveHalvingPruner(min_resource=1, reduction_factor=2, bootstrap_count=2)
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=pruner)
    decisions = []
    for value in (1.0, 0.5, 0.1):
        trial = study.ask()
        trial.report(value, 1)
        decisions.append(trial.should_prune())
    assert decisions == [True, True, False]
