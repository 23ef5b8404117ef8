"""PercentilePruner: prune a trial whose best value so far is worse than a percentile of
the other trials' values at the same step.

Differences from Optuna, on purpose (they matter with many parallel workers):

- Competitors are every other trial that has reported a value at this step,
  RUNNING and PRUNED ones included, not only COMPLETE ones. Optuna waits for
  n_startup_trials trials to COMPLETE, so with 32 workers the first wave of
  32 trainings runs to the end unpruned. Trials that reached the step are
  also the unbiased sample of "values at this step": keeping only completed
  trials keeps only the survivors.
- n_startup_trials therefore counts trials that reached this step, not
  finished trials; pruning at a step starts once max(n_startup_trials,
  n_min_trials) other trials have a value there.
- NaN values of other trials are ignored; a trial whose own latest value is
  NaN is pruned at once (before the warm-up and interval checks).

As in Optuna, the trial's own value is its best over all its steps so far,
and checks happen only at the first report of each interval after warm-up.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState
from hpobench.validation import check_float, check_int

from ._util import is_maximize
from .base import StepPruner


def is_check_step(step: int, reported_steps: Iterable[int], n_warmup_steps: int, interval_steps: int) -> bool:
    """True if step is past warm-up and the first report in its interval (Optuna's rule)."""
    if step < n_warmup_steps:
        return False
    interval_start = (step - n_warmup_steps) // interval_steps * interval_steps + n_warmup_steps
    previous = max((s for s in reported_steps if s != step and s < step), default=-1)
    return previous < interval_start


def best_so_far(values: Sequence[float], maximize: bool) -> float:
    """The best non-NaN value (NaN if all are NaN)."""
    finite = np.asarray(values, dtype=float)
    finite = finite[~np.isnan(finite)]
    if finite.size == 0:
        return math.nan
    return float(finite.max() if maximize else finite.min())


def percentile_cutoff(values: Sequence[float] | np.ndarray, percentile: float, maximize: bool) -> float:
    """The value that the top `percentile` percent beat; NaNs ignored, NaN if nothing is left.

    For maximize the ranking is flipped, so percentile=25 keeps the top quarter either way.
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[~np.isnan(finite)]
    if finite.size == 0:
        return math.nan
    return float(np.percentile(finite, 100 - percentile if maximize else percentile))


def is_worse(value: float, cutoff: float, maximize: bool) -> bool:
    return value < cutoff if maximize else value > cutoff


class PercentilePruner(StepPruner):
    """Keep the trials whose best value so far is within the best `percentile` percent at this step.

    Args:
        percentile: in [0, 100]; 25 keeps the best quarter, 50 is the median rule.
        n_startup_trials: no pruning at a step until this many other trials have reported
            at that step (RUNNING ones included; see the module docstring).
        n_warmup_steps: no pruning before this step.
        interval_steps: check only at the first report of every interval_steps steps.
        n_min_trials: at least this many other values at the step are needed (Optuna's name).
    """

    def __init__(
        self,
        percentile: float,
        n_startup_trials: int = 5,
        n_warmup_steps: int = 0,
        interval_steps: int = 1,
        *,
        n_min_trials: int = 1,
    ) -> None:
        self._percentile = check_float("percentile", percentile, 0.0, 100.0)
        self._n_startup_trials = check_int("n_startup_trials", n_startup_trials, 0)
        self._n_warmup_steps = check_int("n_warmup_steps", n_warmup_steps, 0)
        self._interval_steps = check_int("interval_steps", interval_steps, 1)
        self._n_min_trials = check_int("n_min_trials", n_min_trials, 1)

    def prune_step(self, study: PluginStudy, trial: FrozenTrial, step: int, value: float) -> bool:
        if not is_check_step(step, trial.intermediate_values, self._n_warmup_steps, self._interval_steps):
            return False
        others = _values_at(step, trial, study.get_trials(deepcopy=False))
        if np.count_nonzero(~np.isnan(others)) < max(self._n_startup_trials, self._n_min_trials):
            return False
        maximize = is_maximize(study)
        cutoff = percentile_cutoff(others, self._percentile, maximize)
        mine = best_so_far(list(trial.intermediate_values.values()), maximize)
        return is_worse(mine, cutoff, maximize)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(percentile={self._percentile}, n_startup_trials={self._n_startup_trials}, "
            f"n_warmup_steps={self._n_warmup_steps}, interval_steps={self._interval_steps}, "
            f"n_min_trials={self._n_min_trials})"
        )


def _values_at(step: int, trial: FrozenTrial, trials: list[FrozenTrial]) -> np.ndarray:
    """Values of every other trial (any state but WAITING) at step."""
    return np.array(
        [
            t.intermediate_values[step]
            for t in trials
            if t.trial_id != trial.trial_id and t.state != TrialState.WAITING and step in t.intermediate_values
        ],
        dtype=float,
    )
