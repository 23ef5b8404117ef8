"""The step every callback shares: report a value, raise TrialPruned if the pruner says so."""

from __future__ import annotations

from typing import Any

from hpobench.exceptions import TrialPruned


def report_and_check(trial: Any, value: float, step: int, what: str) -> None:
    """Report value at step on trial; raise TrialPruned naming what was being trained."""
    trial.report(float(value), step)
    if trial.should_prune():
        raise TrialPruned(f"Trial {trial.number} pruned at {what} {step}.")
