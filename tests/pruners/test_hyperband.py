"""Hyperband: exact tables of brackets and budgets, deterministic assignment, competition within a bracket."""

from __future__ import annotations

import pytest

import hpobench
from hpobench.pruners import HyperbandPruner
from hpobench.pruners.hyperband import bracket_budgets, bracket_index, n_brackets
from hpobench.pruners.successive_halving import rung_steps
from hpobench.samplers import RandomSampler
from hpobench.trial import TrialState


@pytest.mark.parametrize(
    "min_resource, max_resource, eta, expected_n, expected_budgets",
    [
        (1, 81, 3, 5, [81, 34, 15, 8, 5]),
        (1, 100, 3, 5, [81, 34, 15, 8, 5]),
        (1, 27, 3, 4, [27, 12, 6, 4]),
        (1, 64, 4, 4, [64, 22, 8, 4]),
        (2, 100, 2, 6, [32, 20, 12, 8, 6, 6]),
        (1, 10, 3, 3, [9, 5, 3]),
        (5, 5, 3, 1, [1]),
    ],
)
def test_brackets_table(min_resource, max_resource, eta, expected_n, expected_budgets):
    assert n_brackets(min_resource, max_resource, eta) == expected_n
    assert bracket_budgets(expected_n, eta) == expected_budgets


def test_rungs_of_each_bracket_table():
    """Bracket b is ASHA with min_early_stopping_rate=b (r=1, R=81, eta=3)."""
    assert [rung_steps(1, 3, b, 81) for b in range(5)] == [
        [1, 3, 9, 27, 81],
        [3, 9, 27, 81],
        [9, 27, 81],
        [27, 81],
        [81],
    ]


def test_assignment_is_deterministic_and_matches_optuna():
    # Values computed with Optuna 5's HyperbandPruner._get_bracket_id for the same study name.
    budgets = bracket_budgets(5, 3)
    assert [bracket_index("demo", n, budgets) for n in range(12)] == [0, 3, 2, 1, 0, 0, 0, 2, 0, 0, 4, 1]


def test_bracket_shares_follow_budgets():
    budgets = bracket_budgets(4, 3)  # [27, 12, 6, 4]
    counts = [0] * 4
    for number in range(4900):
        counts[bracket_index("shares", number, budgets)] += 1
    shares = [c / 4900 for c in counts]
    assert all(abs(share - b / 49) < 0.02 for share, b in zip(shares, budgets, strict=False)), shares


def test_trials_compete_only_within_their_bracket():
    """Constant curves, later trials worse: the first trial of each bracket completes, the others stop
    at their bracket's first rung (3**b). Across brackets they would have been pruned."""
    study = hpobench.create_study(
        study_name="demo", sampler=RandomSampler(seed=0), pruner=HyperbandPruner(max_resource=9, reduction_factor=3)
    )

    def objective(trial):
        trial.suggest_float("x", 0, 1)
        for step in range(1, 10):
            trial.report(float(trial.number), step)
            if trial.should_prune():
                raise hpobench.TrialPruned()
        return float(trial.number)

    study.optimize(objective, n_trials=12)
    budgets = bracket_budgets(3, 3)
    brackets = [bracket_index("demo", n, budgets) for n in range(12)]
    assert len(set(brackets)) == 3
    seen: set[int] = set()
    for trial, bracket in zip(study.trials, brackets, strict=False):
        if bracket in seen:
            assert (trial.state, trial.last_step) == (TrialState.PRUNED, 3**bracket)
        else:
            assert (trial.state, trial.last_step) == (TrialState.COMPLETE, 9)
        seen.add(bracket)
    assert HyperbandPruner(max_resource=9).bracket_of(study, study.trials[5]) == brackets[5]


def test_auto_max_resource_waits_for_a_completed_trial():
    study = hpobench.create_study(sampler=RandomSampler(seed=0))
    pruner = HyperbandPruner()
    trial = study.ask()
    trial.report(1.0, 26)
    assert pruner.bracket_of(study, trial._snapshot()) is None
    study.tell(trial, 1.0)
    assert pruner.resolve_max_resource(study.get_trials(deepcopy=False)) == 27


@pytest.mark.parametrize(
    "kwargs, error, word",
    [
        ({"min_resource": 0}, ValueError, "min_resource"),
        ({"max_resource": "big"}, ValueError, "big"),
        ({"min_resource": 10, "max_resource": 5}, ValueError, "max_resource"),
        ({"reduction_factor": 1}, ValueError, "reduction_factor"),
        ({"bootstrap_count": 1}, ValueError, "bootstrap_count=1"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, word):
    with pytest.raises(error, match=word):
        HyperbandPruner(**kwargs)
