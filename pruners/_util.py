"""Small helpers shared by the pruners: argument checks and reads of a trial's curve."""

from __future__ import annotations

import math
from typing import Any

from hpobench.direction import StudyDirection
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial


def check_int(name: str, value: Any, minimum: int) -> int:
    """value as an int >= minimum, else TypeError/ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__}).")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}.")
    return value


def check_resource(name: str, value: Any, minimum: int = 1) -> int:
    """A min_resource / max_resource as an int >= minimum, else ValueError naming it (Optuna's error type)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum} (or 'auto' where allowed), got {value!r}.")
    return value


def check_float(name: str, value: Any, low: float, high: float = math.inf) -> float:
    """value as a float in [low, high], else TypeError/ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__}).")
    if not low <= value <= high:
        raise ValueError(f"{name} must lie in [{low}, {high}], got {value!r}.")
    return float(value)


def is_maximize(study: PluginStudy) -> bool:
    return study.direction == StudyDirection.MAXIMIZE


def latest_is_nan(trial: FrozenTrial) -> bool:
    """True if the value at the trial's deepest reported step is NaN (such trials are pruned)."""
    step = trial.last_step
    return step is not None and math.isnan(trial.intermediate_values[step])


def stored_version(trial: FrozenTrial, trials: list[FrozenTrial]) -> FrozenTrial:
    """The trial as the storage holds it now.

    The Trial object hands pruners its local snapshot, which does not see the
    system attrs a pruner wrote earlier through the study; the storage does.
    """
    # trials is usually the whole study in number order (numbers are dense): try the trial's own slot
    # first, so a decision costs O(1) here rather than a scan of every trial
    if trial.number < len(trials) and trials[trial.number].trial_id == trial.trial_id:
        return trials[trial.number]
    for other in trials:
        if other.trial_id == trial.trial_id:
            return other
    return trial
