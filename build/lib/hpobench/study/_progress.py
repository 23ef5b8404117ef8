"""Progress bar of optimize(): trials done, pruned, failed, best so far."""

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
    """tqdm bar counting finished trials, or nothing when disabled."""

    def __init__(self, study: "Study", n_trials: int | None, timeout: float | None, *, enabled: bool) -> None:
        self._bar = None
        self._lock = threading.Lock()
        self._counts = {state: 0 for state in TrialState}
        maximize = study.directions[0] == StudyDirection.MAXIMIZE
        self._sign = -1.0 if maximize else 1.0
        self._best = math.inf
        if enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=n_trials, desc=study.study_name, unit="trial", dynamic_ncols=True)

    def update(self, trial: FrozenTrial) -> None:
        if self._bar is None:
            return
        with self._lock:
            self._counts[trial.state] += 1
            if trial.state == TrialState.COMPLETE and trial.value is not None:
                self._best = min(self._best, self._sign * trial.value)
            best = "-" if math.isinf(self._best) else f"{self._sign * self._best:.6g}"
            self._bar.set_postfix(
                best=best, pruned=self._counts[TrialState.PRUNED], failed=self._counts[TrialState.FAIL], refresh=False
            )
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
