"""Progress bar of optimize(): trials done, the best trial and value (as Optuna's), pruned and failed counts."""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING

from hpobench.direction import StudyDirection
from hpobench.trial._frozen import FrozenTrial
from hpobench.trial._state import TrialState

if TYPE_CHECKING:
    from hpobench.study._study import Study


class ProgressBar:
    """tqdm bar counting finished trials, or nothing when disabled.

    Its description reads like Optuna's, ``Best trial: 3. Best value: 0.0123``
    (single-objective studies, once a trial completed); the postfix counts
    pruned and failed trials.
    """

    def __init__(self, study: "Study", n_trials: int | None, timeout: float | None, *, enabled: bool) -> None:
        self._bar = None
        self._lock = threading.Lock()
        self._counts = {state: 0 for state in TrialState}
        self._single = len(study.directions) == 1
        self._sign = -1.0 if study.directions[0] == StudyDirection.MAXIMIZE else 1.0
        self._best: tuple[float, int] = (math.inf, -1)  # (signed value, trial number)
        if enabled:
            from tqdm.auto import tqdm

            if self._single:  # the study's best so far, as Optuna shows it (earlier optimize() calls count)
                complete = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
                self._best = min(((self._sign * t.value, t.number) for t in complete), default=self._best)

            self._bar = tqdm(total=n_trials, unit="trial", dynamic_ncols=True)

    def update(self, trial: FrozenTrial) -> None:
        if self._bar is None:
            return
        with self._lock:
            self._counts[trial.state] += 1
            if self._single and trial.state == TrialState.COMPLETE and trial.value is not None:
                self._best = min(self._best, (self._sign * trial.value, trial.number))
            if self._best[1] >= 0:
                value, number = self._best
                self._bar.set_description(f"Best trial: {number}. Best value: {self._sign * value:.6g}", refresh=False)
            self._bar.set_postfix(
                pruned=self._counts[TrialState.PRUNED], failed=self._counts[TrialState.FAIL], refresh=False
            )
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
