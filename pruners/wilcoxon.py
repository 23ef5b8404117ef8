"""WilcoxonPruner: a paired signed-rank test of the trial against the best trial, step by step.

Meant for objectives whose "steps" are independent evaluations (folds,
instances) rather than training epochs: at every step both trials have a
value, and the test asks whether the current trial is worse on the steps they
share. The rules are Optuna's, warnings included:

- a trial with a NaN or infinite value, or a best trial with one (or with no
  reports at all), is never pruned, with a UserWarning: the test cannot rank
  such values (unlike the other pruners here, which prune a NaN latest value);
- steps the best trial lacks are left out of the test, with a UserWarning;
- "average is best": a trial whose mean over all its steps is at least as good
  as the best trial's mean over all of its steps is never pruned, whatever the
  test says (the best trial is best by its final value, not by its mean).
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np
import scipy.stats

from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial
from hpobench.validation import check_float, check_int

from ._util import is_maximize
from .base import BasePruner


def paired_values(current: dict[int, float], best: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """Values of both curves at their common steps, in step order."""
    steps = sorted(current.keys() & best.keys())
    return np.array([current[s] for s in steps], dtype=float), np.array([best[s] for s in steps], dtype=float)


def worse_p_value(current: np.ndarray, best: np.ndarray, maximize: bool) -> float:
    """One-sided Wilcoxon signed-rank p-value of 'current is worse than best' (zsplit for ties)."""
    alternative: Literal["less", "greater"] = "less" if maximize else "greater"
    return float(scipy.stats.wilcoxon(current - best, alternative=alternative, zero_method="zsplit").pvalue)


def average_is_not_worse(current: np.ndarray, best: np.ndarray, maximize: bool) -> bool:
    """Optuna's safety: the current mean is at least as good as the best trial's mean (each over its own steps)."""
    return bool(current.mean() >= best.mean()) if maximize else bool(current.mean() <= best.mean())


def _all_finite(values: dict[int, float]) -> bool:
    return bool(np.isfinite(np.fromiter(values.values(), dtype=float, count=len(values))).all())


class WilcoxonPruner(BasePruner):
    """Prune when the trial is significantly worse than the best trial on their common steps.

    Args:
        p_threshold: prune when the one-sided p-value falls below this. In [0, 1].
        n_startup_steps: no test before this many common steps (and never before 2).
    """

    def __init__(self, *, p_threshold: float = 0.1, n_startup_steps: int = 2) -> None:
        self._p_threshold = check_float("p_threshold", p_threshold, 0.0, 1.0)
        self._n_startup_steps = check_int("n_startup_steps", n_startup_steps, 0)

    def prune(self, study: PluginStudy, trial: FrozenTrial) -> bool:
        if not trial.intermediate_values:
            return False
        if not _all_finite(trial.intermediate_values):
            warnings.warn(
                f"Trial {trial.number} reported NaN or infinite values: WilcoxonPruner does not prune it.", stacklevel=2
            )
            return False
        try:
            best = study.best_trial
        except ValueError:  # no completed trial yet
            return False
        if not best.intermediate_values:
            warnings.warn(
                f"The best trial {best.number} has no intermediate values, so WilcoxonPruner cannot prune "
                "(a trial added with add_trial needs intermediate_values).",
                stacklevel=2,
            )
            return False
        if not _all_finite(best.intermediate_values):
            warnings.warn(
                f"The best trial {best.number} reported NaN or infinite values: WilcoxonPruner does not prune.",
                stacklevel=2,
            )
            return False
        if not trial.intermediate_values.keys() <= best.intermediate_values.keys():
            warnings.warn(
                f"Trial {trial.number} reported steps the best trial {best.number} lacks; they are ignored.",
                stacklevel=2,
            )
        current, reference = paired_values(trial.intermediate_values, best.intermediate_values)
        if current.size < max(2, self._n_startup_steps):
            return False
        maximize = is_maximize(study)
        mine = np.fromiter(trial.intermediate_values.values(), dtype=float)
        theirs = np.fromiter(best.intermediate_values.values(), dtype=float)
        if average_is_not_worse(mine, theirs, maximize):
            return False
        return worse_p_value(current, reference, maximize) < self._p_threshold

    def __repr__(self) -> str:
        return f"WilcoxonPruner(p_threshold={self._p_threshold}, n_startup_steps={self._n_startup_steps})"
