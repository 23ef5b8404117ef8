"""MaxTrialsCallback: stop optimize() once the study holds enough trials of some states (Optuna's)."""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

from hpobench.trial import FrozenTrial, TrialState

if TYPE_CHECKING:
    from hpobench.study import Study


class MaxTrialsCallback:
    """Call study.stop() once the study has n_trials trials in states (all states if None).

    Unlike optimize's n_trials, which counts the trials of one call, this counts
    the whole study, e.g. to stop at 100 COMPLETE trials whatever fails.
    """

    def __init__(self, n_trials: int, states: Container[TrialState] | None = (TrialState.COMPLETE,)) -> None:
        if isinstance(n_trials, bool) or not isinstance(n_trials, int) or n_trials < 0:
            raise ValueError(f"n_trials must be a non-negative int, got {n_trials!r}.")
        self._n_trials = n_trials
        self._states = states

    def __call__(self, study: Study, trial: FrozenTrial) -> None:
        if len(study.get_trials(deepcopy=False, states=self._states)) >= self._n_trials:
            study.stop()
