"""The optimize loop: sequential or in threads, with timeout, callbacks and a progress bar."""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from hpobench.study._progress import ProgressBar
from hpobench.trial import FrozenTrial
from hpobench.validation import check_float, check_int

if TYPE_CHECKING:
    from hpobench.study._study import CallbackFunc, ObjectiveFunc, Study


class _Budget:
    """Shared by the threads of one optimize() call: how many trials may still start."""

    def __init__(self, n_trials: int | None, timeout: float | None) -> None:
        self.remaining = n_trials
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self._lock = threading.Lock()

    def take(self, study: Study) -> bool:
        with self._lock:
            if study._stop_flag or (self.deadline is not None and time.monotonic() >= self.deadline):
                return False
            if self.remaining is None:
                return True
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            return True


def _as_tuple(catch: Iterable[type[Exception]] | type[Exception]) -> tuple[type[Exception], ...]:
    if isinstance(catch, type):
        return (catch,)
    return tuple(catch)


def _validate(n_trials: Any, timeout: Any, n_jobs: Any) -> int:
    if n_trials is not None:
        check_int("n_trials", n_trials, minimum=0)
    if timeout is not None:
        check_float("timeout", timeout, minimum=0.0)
    if n_jobs == -1:  # Optuna's "every CPU"
        return os.cpu_count() or 1
    return check_int("n_jobs", n_jobs, minimum=1)


def run_optimize(
    study: Study,
    func: ObjectiveFunc,
    n_trials: int | None,
    timeout: float | None,
    n_jobs: int,
    catch: Iterable[type[Exception]] | type[Exception],
    callbacks: list[CallbackFunc],
    show_progress_bar: bool,
    gc_after_trial: bool = False,
) -> None:
    n_jobs = _validate(n_trials, timeout, n_jobs)
    if not callable(func):
        raise TypeError(f"The objective must be callable, got {func!r}.")
    if study._thread_state.in_optimize_loop:
        raise RuntimeError("Nested invocation of Study.optimize is not allowed (an objective or callback called it).")
    study._stop_flag = False
    budget = _Budget(n_trials, timeout)
    progress = ProgressBar(study, n_trials, timeout, enabled=show_progress_bar)
    caught = _as_tuple(catch)

    def worker() -> None:
        try:
            with study.optimization_loop():  # per thread: where stop() may be called
                run_trials()
        except BaseException:
            study._stop_flag = True  # the other threads stop after their current trial
            raise

    def run_trials() -> None:
        while budget.take(study):
            frozen: FrozenTrial = study.run_trial(func, caught)
            for callback in callbacks:
                callback(study, frozen)
            progress.update(frozen)
            if gc_after_trial:
                gc.collect()

    try:
        if n_jobs == 1:
            worker()
        else:
            with ThreadPoolExecutor(max_workers=n_jobs) as pool:
                for future in [pool.submit(worker) for _ in range(n_jobs)]:
                    future.result()
    finally:
        progress.close()
