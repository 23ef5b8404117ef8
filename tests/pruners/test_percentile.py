"""Percentile/median rule: pure helpers, and pruning among RUNNING workers before anything completes."""

from __future__ import annotations

import math

import pytest

import hpobench
from hpobench.pruners import MedianPruner, PercentilePruner
from hpobench.pruners.percentile import best_so_far, is_check_step, percentile_cutoff
from hpobench.samplers import RandomSampler

NAN = float("nan")


@pytest.mark.parametrize(
    "step, reported, warmup, interval, expected",
    [
        (0, [0], 0, 1, True),
        (2, [0, 1, 2], 3, 1, False),  # warm-up
        (3, [0, 1, 2, 3], 3, 1, True),
        (5, [0, 3, 4, 5], 3, 2, True),  # interval [5, 7) starts here
        (6, [0, 3, 5, 6], 3, 2, False),  # 5 already checked this interval
        (8, [0, 3, 8], 3, 2, True),  # first report since 3: checked even if mid-interval
        (5, [5, 1, 3], 0, 1, True),  # out-of-order steps: the deepest step counts
    ],
)
def test_check_steps_table(step, reported, warmup, interval, expected):
    assert is_check_step(step, reported, warmup, interval) is expected


def test_cutoffs_and_best():
    values = [1.0, 2.0, 3.0, 4.0, NAN, 5.0]
    assert percentile_cutoff(values, 50, maximize=False) == 3.0
    assert percentile_cutoff(values, 25, maximize=False) == 2.0
    assert percentile_cutoff(values, 25, maximize=True) == 4.0  # the top quarter of a maximization
    assert math.isnan(percentile_cutoff([NAN], 50, maximize=False))
    assert best_so_far([3.0, NAN, 1.0], maximize=False) == 1.0
    assert best_so_far([3.0, NAN, 1.0], maximize=True) == 3.0


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
def test_prunes_among_running_workers_before_any_completion(direction):
    """Six workers' trials are open at once (as with parallel workers); none has completed.

    Optuna's MedianPruner counts COMPLETE trials for n_startup_trials and would prune
    nothing here; this one counts trials that reached the step.
    """
    sign = 1.0 if direction == "minimize" else -1.0
    study = hpobench.create_study(direction=direction, sampler=RandomSampler(seed=0), pruner=MedianPruner())
    running = [study.ask() for _ in range(6)]
    for step in (1, 2):
        for i, trial in enumerate(running[:5]):
            trial.report(sign * (1.0 + i / 10), step)
            assert not trial.should_prune() or i >= 3  # the worse half may go, the better half never
    latecomer = running[5]
    latecomer.report(sign * 0.5, 1)
    assert latecomer.should_prune() is False
    latecomer.report(sign * 9.0, 2)
    assert latecomer.should_prune() is False  # best so far (0.5) still beats the median
    loser = study.ask()
    loser.report(sign * 9.0, 1)
    assert loser.should_prune() is True
    assert not study.get_trials(states=(hpobench.TrialState.COMPLETE,))


def test_startup_counts_trials_at_this_step_and_ignores_nan():
    study = hpobench.create_study(
        sampler=RandomSampler(seed=0), pruner=PercentilePruner(percentile=50, n_startup_trials=3)
    )
    for value in (1.0, 2.0, NAN):
        study.ask().report(value, 1)
    trial = study.ask()
    trial.report(5.0, 1)
    assert trial.should_prune() is False  # only two finite values at step 1
    study.ask().report(3.0, 1)
    assert trial.should_prune() is True


@pytest.mark.parametrize(
    "kwargs, error, word",
    [
        ({"percentile": 101}, ValueError, "percentile"),
        ({"percentile": "50"}, TypeError, "'50'"),
        ({"percentile": 50, "n_startup_trials": -1}, ValueError, "n_startup_trials"),
        ({"percentile": 50, "n_warmup_steps": 1.5}, TypeError, "1.5"),
        ({"percentile": 50, "interval_steps": 0}, ValueError, "interval_steps"),
        ({"percentile": 50, "n_min_trials": 0}, ValueError, "n_min_trials"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, word):
    with pytest.raises(error, match=word):
        PercentilePruner(**kwargs)
