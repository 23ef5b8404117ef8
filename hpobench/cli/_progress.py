"""A tqdm bar fed by the runner's callbacks: trials finished, pruned, failed, best so far.

Runners call their callbacks in the driving process once per finished trial,
whichever processes ran the trials, so the bar needs no polling.
"""

from __future__ import annotations

import math
import threading
from typing import TYPE_CHECKING, Any

from hpobench.runners.base import counted_trials, counts_toward_n_trials
from hpobench.trial import FrozenTrial, TrialState

if TYPE_CHECKING:
    from hpobench.study import Study

FINISHED = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)


class TrialBar:
    """Callback ``bar(study, trial)`` that advances a progress bar; a no-op when disabled."""

    def __init__(self, study: Study, total: int, *, enabled: bool) -> None:
        self._sign = -1.0 if study.direction.name == "MAXIMIZE" else 1.0
        done = counted_trials(study)  # Ctrl-C'd trials are re-run, so they are not progress
        self._counts = {state: sum(t.state == state for t in done) for state in FINISHED}
        scores = [self._sign * v for v in map(_score, done) if v is not None]
        self._best = min(scores, default=math.inf)
        self._lock = threading.Lock()
        self._bar: Any = None  # a tqdm bar when enabled
        if enabled:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=total, initial=min(len(done), total), desc=study.study_name, unit="trial")
            self._show()

    def __call__(self, study: Study, trial: FrozenTrial) -> None:
        if self._bar is None or not counts_toward_n_trials(trial):
            return
        with self._lock:
            self._counts[trial.state] = self._counts.get(trial.state, 0) + 1
            value = _score(trial)
            if value is not None:
                self._best = min(self._best, self._sign * value)
            self._show()
            self._bar.update(1)

    def _show(self) -> None:
        best = "-" if math.isinf(self._best) else f"{self._sign * self._best:.4g}"
        self._bar.set_postfix(
            best=best, pruned=self._counts[TrialState.PRUNED], failed=self._counts[TrialState.FAIL], refresh=False
        )

    def close(self, study: Study | None = None) -> None:
        """End the bar; with study, first count its finished trials from the storage.

        On resume the runner fails the trials a dead process left RUNNING without
        calling the callbacks, so the bar would end one short of the summary.
        """
        if self._bar is None:
            return
        if study is not None:
            finished = len(counted_trials(study))
            self._bar.n = min(finished, int(self._bar.total))
            self._bar.refresh()
        self._bar.close()


def _score(trial: FrozenTrial) -> float | None:
    """The value of a COMPLETE trial with a finite value, else None."""
    value = trial.value
    return value if trial.state == TrialState.COMPLETE and value is not None and math.isfinite(value) else None
