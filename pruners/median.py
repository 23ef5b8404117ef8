"""MedianPruner: the percentile rule at 50 (see pruners.percentile for what differs from Optuna)."""

from __future__ import annotations

from .percentile import PercentilePruner


class MedianPruner(PercentilePruner):
    """Prune a trial whose best value so far is worse than the median of the other trials at this step.

    Args:
        n_startup_trials: no pruning at a step until this many other trials have reported
            at that step (RUNNING ones included, unlike Optuna's count of COMPLETE trials).
        n_warmup_steps: no pruning before this step.
        interval_steps: check only at the first report of every interval_steps steps.
        n_min_trials: at least this many other values at the step are needed.
    """

    def __init__(
        self, n_startup_trials: int = 5, n_warmup_steps: int = 0, interval_steps: int = 1, *, n_min_trials: int = 1
    ) -> None:
        super().__init__(
            percentile=50.0,
            n_startup_trials=n_startup_trials,
            n_warmup_steps=n_warmup_steps,
            interval_steps=interval_steps,
            n_min_trials=n_min_trials,
        )
