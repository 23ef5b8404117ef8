"""One lifecycle test run over every pruner: report -> decide -> complete, NaN, out-of-order steps, maximize."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import pytest

import hpobench
from hpobench.pruners import (
    BasePruner,
    HyperbandPruner,
    MedianPruner,
    NopPruner,
    PatientPruner,
    PercentilePruner,
    SuccessiveHalvingPruner,
    ThresholdPruner,
    WilcoxonPruner,
)
from hpobench.samplers import RandomSampler
from hpobench.trial import TrialState

N_STEPS = 9

# Each factory gets the study's sign (+1 minimize, -1 maximize) so bounds can be mirrored.
PRUNERS: dict[str, Callable[[float], BasePruner]] = {
    "nop": lambda sign: NopPruner(),
    "median": lambda sign: MedianPruner(),
    "percentile": lambda sign: PercentilePruner(percentile=25.0, n_startup_trials=3),
    "asha": lambda sign: SuccessiveHalvingPruner(),
    "hyperband": lambda sign: HyperbandPruner(max_resource=N_STEPS),
    "threshold": lambda sign: ThresholdPruner(upper=10.0) if sign > 0 else ThresholdPruner(lower=-10.0),
    "patient": lambda sign: PatientPruner(wrapped_pruner=None, patience=2),
    "patient_median": lambda sign: PatientPruner(wrapped_pruner=MedianPruner(), patience=1),
    "wilcoxon": lambda sign: WilcoxonPruner(p_threshold=0.1),
}


def good(step: int) -> float:
    return 1.0 + 1.0 / step  # a learning curve that keeps improving


def bad(step: int) -> float:
    return 100.0 + step  # far worse, and getting worse


def run(study: hpobench.Study, curve: Callable[[int], float], sign: float, steps=range(1, N_STEPS + 1)) -> int | None:
    """Report the curve step by step; prune when told. Returns the step it was pruned at (None: completed)."""
    trial = study.ask()
    trial.suggest_float("x", 0.0, 1.0)
    for step in steps:
        trial.report(sign * curve(step), step)
        if trial.should_prune():
            study.tell(trial, state=TrialState.PRUNED)
            return step
    study.tell(trial, sign * curve(N_STEPS))
    return None


@pytest.mark.parametrize("direction", ["minimize", "maximize"])
@pytest.mark.parametrize("name", sorted(PRUNERS))
def test_pruner_lifecycle(name, direction):
    sign = 1.0 if direction == "minimize" else -1.0
    pruner = PRUNERS[name](sign)
    study = hpobench.create_study(
        direction=direction, sampler=RandomSampler(seed=0), pruner=pruner, study_name="lifecycle"
    )
    prunes = name != "nop"

    # Identical improving curves: nobody is worse than anybody, so nobody is pruned.
    for _ in range(8):
        assert run(study, good, sign) is None

    # A much worse curve is stopped before its end (by every pruner but NopPruner).
    stopped_at = run(study, bad, sign)
    assert (stopped_at is not None) == prunes, stopped_at
    if prunes:
        assert stopped_at <= N_STEPS

    # A NaN report at the last step (a rung of every ASHA bracket) is pruned, except by NopPruner and
    # WilcoxonPruner (which warns: it cannot rank NaN, as Optuna's); its NaN does not disturb later decisions.
    nan_trial = study.ask()
    nan_trial.report(float("nan"), N_STEPS)
    if name == "wilcoxon":
        with pytest.warns(UserWarning, match="NaN or infinite"):
            assert nan_trial.should_prune() is False
    else:
        assert nan_trial.should_prune() == prunes
    study.tell(nan_trial, state=TrialState.PRUNED)
    assert run(study, good, sign) is None

    # Steps reported out of order: decisions still work and a good curve still completes.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert run(study, good, sign, steps=[3, 1, 2, 5, 4, 9, 8, 7, 6]) is None

    states = [t.state for t in study.trials]
    assert states.count(TrialState.COMPLETE) == (10 if prunes else 11)
    assert states.count(TrialState.PRUNED) == (2 if prunes else 1)  # the NaN trial is told PRUNED either way
    assert math.isclose(study.best_value, sign * good(N_STEPS))
