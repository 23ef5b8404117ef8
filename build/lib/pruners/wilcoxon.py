"""WilcoxonPruner: a paired signed-rank test of the trial against the best trial, step by step.

Meant for objectives whose "steps" are independent evaluations (folds,
instances) rather than training epochs: at every step both trials have a
value, and the test asks whether the current trial is worse on the steps they
share. Unlike Optuna, a trial whose latest value is NaN is pruned (like every
other pruner here); NaN values at earlier steps are left out of the test.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.stats

from hpobench.trial import FrozenTrial
from pruners._util import check_float, check_int, is_maximize, latest_is_nan
from pruners.base import BasePruner


def paired_values(current: dict[int, float], best: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """Values of both curves at their common steps where both are finite."""
    steps = sorted(s for s in current.keys() & best.keys() if math.isfinite(current[s]) and math.isfinite(best[s]))
    return np.array([current[s] for s in steps], dtype=float), np.array([best[s] for s in steps], dtype=float)


def worse_p_value(current: np.ndarray, best: np.ndarray, maximize: bool) -> float:
    """One-sided Wilcoxon signed-rank p-value of 'current is worse than best' (zsplit for ties)."""
    alternative = "less" if maximize else "greater"
    return float(scipy.stats.wilcoxon(current - best, alternative=alternative, zero_method="zsplit").pvalue)


def average_is_not_worse(current: np.ndarray, best: np.ndarray, maximize: bool) -> bool:
    """Optuna's safety: never prune a trial whose mean beats the best trial's mean on the common steps."""
    return bool(current.mean() >= best.mean()) if maximize else bool(current.mean() <= best.mean())


class WilcoxonPruner(BasePruner):
    """Prune when the trial is significantly worse than the best trial on their common steps.

    Args:
        p_threshold: prune when the one-sided p-value falls below this. In [0, 1].
        n_startup_steps: no test before this many common steps (and never before 2).
    """

    def __init__(self, *, p_threshold: float = 0.1, n_startup_steps: int = 2) -> None:
        self._p_threshold = check_float("p_threshold", p_threshold, 0.0, 1.0)
        self._n_startup_steps = check_int("n_startup_steps", n_startup_steps, 0)

    def prune(self, study: Any, trial: FrozenTrial) -> bool:
        if trial.last_step is None:
            return False
        if latest_is_nan(trial):
            return True
        try:
            best = study.best_trial
        except ValueError:  # no completed trial yet
            return False
        current, reference = paired_values(trial.intermediate_values, best.intermediate_values)
        if current.size < max(2, self._n_startup_steps):
            return False
        maximize = is_maximize(study)
        if average_is_not_worse(current, reference, maximize):
            return False
        return worse_p_value(current, reference, maximize) < self._p_threshold

    def __repr__(self) -> str:
        return f"WilcoxonPruner(p_threshold={self._p_threshold}, n_startup_steps={self._n_startup_steps})"
