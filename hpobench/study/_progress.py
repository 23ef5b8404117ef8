"""Progress bar of optimize(), as Optuna's: trials done (or seconds, with only a timeout) and the best so far."""

from __future__ import annotations

import math
import threading
import time
import warnings
from typing import TYPE_CHECKING, Any

from hpobench.direction import StudyDirection
from hpobench.trial import FrozenTrial, TrialState

if TYPE_CHECKING:
    from hpobench.study import Study


class ProgressBar:
    """tqdm bar, or nothing when disabled (or without n_trials and timeout, with a warning, as Optuna).

    With n_trials it counts trials (and shows ``elapsed/timeout seconds`` when
    there is a timeout too); with only a timeout it fills with the seconds.
    Its description is Optuna's, ``Best trial: 3. Best value: 0.0123``
    (single-objective studies, once a trial completed; earlier optimize()
    calls count).
    """

    def __init__(self, study: Study, n_trials: int | None, timeout: float | None, *, enabled: bool) -> None:
        if enabled and n_trials is None and timeout is None:
            warnings.warn("Progress bar won't be displayed because n_trials and timeout are None.", stacklevel=2)
        self._bar = None
        self._n_trials, self._timeout = n_trials, timeout
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._shown_seconds = 0.0
        self._single = len(study.directions) == 1
        self._sign = -1.0 if study.directions[0] == StudyDirection.MAXIMIZE else 1.0
        self._best: tuple[float, int] = (math.inf, -1)  # (signed value, trial number)
        if enabled and (n_trials is not None or timeout is not None):
            self._bar = _make_bar(n_trials, timeout)
            if self._single:
                complete = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
                scored = [(self._sign * t.value, t.number) for t in complete if t.value is not None]
                self._best = min(scored, default=self._best)

    def update(self, trial: FrozenTrial) -> None:
        if self._bar is None:
            return
        with self._lock:
            if self._single and trial.state == TrialState.COMPLETE and trial.value is not None:
                self._best = min(self._best, (self._sign * trial.value, trial.number))
            if self._best[1] >= 0:
                value, number = self._best
                self._bar.set_description(f"Best trial: {number}. Best value: {self._sign * value:.6g}", refresh=False)
            elapsed = time.monotonic() - self._start
            if self._n_trials is not None:
                if self._timeout is not None:
                    self._bar.set_postfix_str(f"{elapsed:.02f}/{self._timeout} seconds", refresh=False)
                self._bar.update(1)
            elif self._timeout is not None:  # only a timeout: the bar fills with seconds, clipped at it
                shown = min(elapsed, self._timeout)
                self._bar.update(shown - self._shown_seconds)
                self._shown_seconds = shown

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _make_bar(n_trials: int | None, timeout: float | None) -> Any:
    from tqdm.auto import tqdm  # here: only a shown bar needs tqdm

    if n_trials is not None or timeout is None:
        return tqdm(total=n_trials)
    total = tqdm.format_interval(timeout)
    return tqdm(total=timeout, bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}/" + total)
