"""Threshold, patient and Wilcoxon pruners: their pure cores and argument checks."""

from __future__ import annotations

import numpy as np
import pytest

import hpobench
from hpobench.pruners import MedianPruner, PatientPruner, ThresholdPruner, WilcoxonPruner
from hpobench.pruners.patient import has_stalled
from hpobench.pruners.threshold import outside
from hpobench.pruners.wilcoxon import average_is_not_worse, paired_values, worse_p_value
from hpobench.samplers import RandomSampler

NAN = float("nan")


def test_outside_table():
    assert [outside(v, 0.0, 1.0) for v in (-0.1, 0.0, 0.5, 1.0, 1.1, NAN)] == [True, False, False, False, True, True]
    assert outside(1e9, None, 1e10) is False and outside(-1.0, 0.0, None) is True


def test_threshold_waits_for_warmup_and_intervals():
    study = hpobench.create_study(
        sampler=RandomSampler(seed=0), pruner=ThresholdPruner(upper=1.0, n_warmup_steps=2, interval_steps=2)
    )
    trial = study.ask()
    decisions = []
    for step in range(5):
        trial.report(5.0, step)
        decisions.append(trial.should_prune())
    assert decisions == [False, False, True, False, True]


@pytest.mark.parametrize(
    "curve, patience, delta, maximize, expected",
    [
        ([5, 4, 3, 2], 1, 0.0, False, False),  # still improving
        ([5, 4, 4, 4], 1, 0.0, False, False),  # ties are not worse
        ([5, 4, 4.5, 4.2], 1, 0.0, False, True),  # no improvement on 4 for 2 steps
        ([5, 4, 4.5, 4.2], 2, 0.0, False, False),  # too few values for patience 2
        ([5, 4, 4.05, 4.08], 1, 0.1, False, False),  # worse, but within min_delta (Optuna's meaning)
        ([5, 4, 4.2, 4.3], 1, 0.1, False, True),
        ([1, 2, 1.5, 1.8], 1, 0.0, True, True),  # maximize
        ([1, 2, NAN, 2.5], 1, 0.0, True, False),  # NaNs ignored
    ],
)
def test_stalled_table(curve, patience, delta, maximize, expected):
    assert has_stalled(np.array(curve, dtype=float), patience, delta, maximize) is expected


def test_patient_asks_the_wrapped_pruner_only_once_stalled():
    study = hpobench.create_study(
        sampler=RandomSampler(seed=0), pruner=PatientPruner(wrapped_pruner=MedianPruner(n_startup_trials=1), patience=1)
    )
    other = study.ask()
    for step in range(1, 5):
        other.report(0.0, step)  # another worker, better at every step
    trial = study.ask()
    for step, value in enumerate([3.0, 2.0, 2.5], start=1):
        trial.report(value, step)
        assert trial.should_prune() is False
    trial.report(2.4, 4)  # no better than 2.0 for 2 steps, and worse than the other worker
    assert trial.should_prune() is True


def test_wilcoxon_core():
    current, best = paired_values({1: 2.0, 2: 3.0, 4: 5.0, 5: 1.0}, {1: 1.0, 2: 2.0, 3: 0.0, 4: 4.0})
    assert current.tolist() == [2.0, 3.0, 5.0] and best.tolist() == [1.0, 2.0, 4.0]
    # Three steps all worse by 1: the exact one-sided signed-rank p-value is 1/2**3.
    assert worse_p_value(current, best, maximize=False) == pytest.approx(0.125)
    assert worse_p_value(current, best, maximize=True) == pytest.approx(1.0)
    assert average_is_not_worse(best, current, maximize=False) and not average_is_not_worse(
        current, best, maximize=False
    )


def test_wilcoxon_prunes_a_consistently_worse_trial():
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=WilcoxonPruner(p_threshold=0.05))
    best = study.ask()
    for step in range(10):
        best.report(float(step % 3), step)
    study.tell(best, 0.0)
    trial = study.ask()
    decisions = []
    for step in range(6):
        trial.report(step % 3 + 0.5, step)
        decisions.append(trial.should_prune())
    assert decisions == [False, False, False, False, True, True]  # p = 1/2**5 < 0.05 from 5 common steps on


@pytest.mark.parametrize(
    "factory, error, word",
    [
        (lambda: ThresholdPruner(), TypeError, "lower or upper"),
        (lambda: ThresholdPruner(lower=2.0, upper=1.0), ValueError, "lower=2.0"),
        (lambda: ThresholdPruner(upper="1"), TypeError, "'1'"),
        (lambda: PatientPruner(wrapped_pruner=None, patience=-1), ValueError, "patience"),
        (lambda: PatientPruner(wrapped_pruner="median", patience=1), TypeError, "'median'"),
        (lambda: PatientPruner(wrapped_pruner=None, patience=1, min_delta=-0.1), ValueError, "min_delta"),
        (lambda: WilcoxonPruner(p_threshold=1.5), ValueError, "p_threshold"),
        (lambda: WilcoxonPruner(n_startup_steps=-2), ValueError, "n_startup_steps"),
    ],
)
def test_bad_arguments_are_named(factory, error, word):
    with pytest.raises(error, match=word):
        factory()
