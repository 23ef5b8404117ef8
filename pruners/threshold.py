"""ThresholdPruner: prune a trial whose latest value leaves [lower, upper] (or is NaN)."""

from __future__ import annotations

import math

from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial
from hpobench.validation import check_int

from .base import StepPruner
from .percentile import is_check_step


def outside(value: float, lower: float | None, upper: float | None) -> bool:
    """True if value is NaN, below lower or above upper (None = no bound)."""
    if math.isnan(value):
        return True
    return (lower is not None and value < lower) or (upper is not None and value > upper)


class ThresholdPruner(StepPruner):
    """Prune when the value at the deepest reported step is outside [lower, upper].

    The direction of the study does not matter: bounds are absolute. NaN is
    pruned at any step; bounds are checked after warm-up, at the first report
    of every interval_steps steps.

    Args:
        lower: prune values below this (None: no lower bound).
        upper: prune values above this (None: no upper bound). One bound is needed.
        n_warmup_steps: no bound checks before this step.
        interval_steps: check only at the first report of every interval_steps steps.
    """

    def __init__(
        self,
        lower: float | None = None,
        upper: float | None = None,
        n_warmup_steps: int = 0,
        interval_steps: int = 1,
    ) -> None:
        for name, bound in (("lower", lower), ("upper", upper)):
            is_number = isinstance(bound, (int, float)) and not isinstance(bound, bool)
            if bound is not None and (not is_number or math.isnan(bound)):
                raise TypeError(f"{name} must be a number or None, got {bound!r}.")
        if lower is None and upper is None:
            raise TypeError("ThresholdPruner needs lower or upper, got both None.")  # Optuna's error type
        if lower is not None and upper is not None and lower > upper:
            raise ValueError(f"lower must not exceed upper, got lower={lower!r} > upper={upper!r}.")
        self._lower = None if lower is None else float(lower)
        self._upper = None if upper is None else float(upper)
        self._n_warmup_steps = check_int("n_warmup_steps", n_warmup_steps, 0)
        self._interval_steps = check_int("interval_steps", interval_steps, 1)

    def prune_step(self, study: PluginStudy, trial: FrozenTrial, step: int, value: float) -> bool:
        if not is_check_step(step, trial.intermediate_values, self._n_warmup_steps, self._interval_steps):
            return False
        return outside(value, self._lower, self._upper)

    def __repr__(self) -> str:
        return (
            f"ThresholdPruner(lower={self._lower}, upper={self._upper}, "
            f"n_warmup_steps={self._n_warmup_steps}, interval_steps={self._interval_steps})"
        )
