"""Small helpers shared by the pruners: argument checks and reads of a trial's curve."""

from __future__ import annotations

from typing import Any

from hpobench.direction import StudyDirection
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial


def check_resource(name: str, value: Any, minimum: int = 1) -> int:
    """A min_resource / max_resource as an int >= minimum, else ValueError naming it.

    The one exception to hpobench.validation's rule: Optuna's pruners raise ValueError
    for a min_resource of the wrong type too, and these mirror them.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum} (or 'auto' where allowed), got {value!r}.")
    return value


def is_maximize(study: PluginStudy) -> bool:
    return study.direction == StudyDirection.MAXIMIZE


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
