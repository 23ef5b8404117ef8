"""The one report/prune step every learning-curve objective and pruning callback uses."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING

from hpobench.exceptions import TrialPruned

if TYPE_CHECKING:
    from hpobench.trial._trial import Trial


def report_and_prune(trial: Trial, value: float, step: int, what: str = "step") -> None:
    """Report value at step; raise TrialPruned when the study's pruner says stop.

    what names the step in the message (``"epoch"``, ``"boosting round"``).
    """
    trial.report(float(value), step)
    if trial.should_prune():
        raise TrialPruned(f"Trial {trial.number} pruned at {what} {step}.")


def report_curve(trial: Trial, values: Iterable[float], *, start: int = 1, what: str = "step") -> float:
    """Report values at steps start, start + 1, ... (pruning when told) and return the last one.

    values may be a generator that trains one step per item, so a pruned trial
    trains no further. NaN when values is empty.
    """
    value = math.nan
    for step, value in enumerate(values, start=start):
        report_and_prune(trial, value, step, what)
    return float(value)
