"""MaxTrialsCallback: stop optimize() once the study holds enough trials of some states (Optuna's)."""

from __future__ import annotations

from collections.abc import Container
from typing import TYPE_CHECKING

from hpobench.trial import FrozenTrial, TrialState
from hpobench.validation import check_int

if TYPE_CHECKING:
    from hpobench.study import Study


class MaxTrialsCallback:
    """Call study.stop() once the study has n_trials trials in states (all states if None).

    Unlike optimize's n_trials, which counts the trials of one call, this counts
    the whole study, e.g. to stop at 100 COMPLETE trials whatever fails.
    """

    def __init__(self, n_trials: int, states: Container[TrialState] | None = (TrialState.COMPLETE,)) -> None:
        self._n_trials = check_int("n_trials", n_trials, minimum=0)
        self._states = states

    def __call__(self, study: Study, trial: FrozenTrial) -> None:
        if len(study.get_trials(deepcopy=False, states=self._states)) >= self._n_trials:
            study.stop()
