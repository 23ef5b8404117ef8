"""PatientPruner: tolerate `patience` steps without improvement before asking a wrapped pruner.

Semantics follow Optuna (see has_stalled), so configs port unchanged.
"""

from __future__ import annotations

import numpy as np

from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial
from hpobench.validation import check_float, check_int

from ._util import is_maximize
from .base import BasePruner, StepPruner


def has_stalled(values_by_step: np.ndarray, patience: int, min_delta: float, maximize: bool) -> bool:
    """True if the best of the last patience+1 values is worse than the best before them by more than min_delta.

    This is Optuna's rule: min_delta is a tolerance, so a plateau (or a small
    relapse) is not a stall.

    values_by_step is the curve in step order; NaNs are ignored. Needs more than
    patience+1 values (Optuna's rule), else False.
    """
    if values_by_step.size <= patience + 1:
        return False
    before, after = values_by_step[: -patience - 1], values_by_step[-patience - 1 :]
    if np.all(np.isnan(before)) or np.all(np.isnan(after)):
        return False
    if maximize:
        return bool(np.nanmax(before) - min_delta > np.nanmax(after))
    return bool(np.nanmin(before) + min_delta < np.nanmin(after))


class PatientPruner(StepPruner):
    """Prune only once the curve has stalled for `patience` steps and the wrapped pruner agrees.

    Args:
        wrapped_pruner: asked once the curve stalls; None prunes on stalling alone.
        patience: number of steps without improvement to tolerate. At least 0.
        min_delta: tolerance: the curve stalls only once it is worse than its earlier best by
            more than this. At least 0.
    """

    def __init__(self, wrapped_pruner: BasePruner | None, patience: int, min_delta: float = 0.0) -> None:
        if wrapped_pruner is not None and not callable(getattr(wrapped_pruner, "prune", None)):
            raise TypeError(f"wrapped_pruner must be a pruner or None, got {wrapped_pruner!r}.")
        self._wrapped_pruner = wrapped_pruner
        self._patience = check_int("patience", patience, 0)
        self._min_delta = check_float("min_delta", min_delta, 0.0)

    def prune_step(self, study: PluginStudy, trial: FrozenTrial, step: int, value: float) -> bool:
        steps = sorted(trial.intermediate_values)
        curve = np.array([trial.intermediate_values[s] for s in steps], dtype=float)
        if not has_stalled(curve, self._patience, self._min_delta, is_maximize(study)):
            return False
        return True if self._wrapped_pruner is None else bool(self._wrapped_pruner.prune(study, trial))

    def __repr__(self) -> str:
        return (
            f"PatientPruner(wrapped_pruner={self._wrapped_pruner!r}, patience={self._patience}, "
            f"min_delta={self._min_delta})"
        )
