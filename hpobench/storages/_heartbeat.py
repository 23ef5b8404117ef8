"""Heartbeat of running trials, and the retry of trials whose worker died.

A RUNNING trial's worker stamps the trial every heartbeat_interval seconds from
a daemon thread. Any worker of the study, before it asks for a new trial,
fails the RUNNING trials whose stamp is older than the storage's grace period
(a worker killed with SIGKILL stops stamping), then runs the storage's
failed_trial_callback on each, e.g. RetryFailedTrialCallback to run the same
parameters again.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from hpobench.trial import FrozenTrial, TrialState
from hpobench.validation import check_int


class HeartbeatStamper:
    """One daemon thread per storage and process that stamps all of the process's running
    trials in one statement per interval (a thread per trial would cost a start and a join
    on every trial). The thread exits when no trial is left and restarts on the next one,
    and at once on stop() (the storage was closed or dropped).

    stamp is called with the ids to stamp; it should not hold the storage strongly (the
    storage passes a weak reference), so that a dropped storage is released at once
    instead of when the thread next wakes.
    """

    def __init__(self, stamp: Callable[[list[int]], None], interval: float) -> None:
        self._stamp = stamp
        self._interval = interval
        self._ids: set[int] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    def add(self, trial_id: int) -> None:
        with self._lock:
            self._ids.add(trial_id)
            if self._thread is None:
                self._stopped = threading.Event()  # one per thread: a stopped thread never resumes
                self._thread = threading.Thread(
                    target=self._run, args=(self._stopped,), name="hpobench-heartbeat", daemon=True
                )
                self._thread.start()

    def discard(self, trial_id: int) -> None:
        with self._lock:
            self._ids.discard(trial_id)

    def stop(self) -> None:
        """Forget every trial and end the thread now (without waiting for it)."""
        with self._lock:
            self._ids.clear()
            self._thread = None
            self._stopped.set()

    def _run(self, stopped: threading.Event) -> None:
        while not stopped.wait(self._interval):
            with self._lock:
                if stopped.is_set():
                    return
                if not self._ids:
                    self._thread = None
                    return
                ids = sorted(self._ids)
            with contextlib.suppress(Exception):  # a transient DB error must not kill the stamper; next beat retries
                self._stamp(ids)


class RetryFailedTrialCallback:
    """Re-enqueue the parameters of a trial failed by the heartbeat (Optuna's arguments and meaning).

    The new trial carries the failed one's user attrs, and system attrs
    ``retry_count`` (1 for the first retry) and ``retried_from`` (numbers of
    the failed trials, oldest first).

    Args:
        max_retry: at most this many retries of one original trial; None (Optuna's
            default) = no limit.
        inherit_intermediate_values: the new trial starts with the failed one's
            intermediate values.
    """

    def __init__(self, max_retry: int | None = None, inherit_intermediate_values: bool = False) -> None:
        self.max_retry = None if max_retry is None else check_int("max_retry", max_retry, minimum=0)
        self.inherit_intermediate_values = bool(inherit_intermediate_values)

    def __call__(self, study: Any, trial: FrozenTrial) -> None:
        retries = int(trial.system_attrs.get("retry_count", 0))
        if self.max_retry is not None and retries >= self.max_retry:
            return
        history = list(trial.system_attrs.get("retried_from", [])) + [trial.number]
        retry = FrozenTrial(
            number=-1,
            state=TrialState.WAITING,
            user_attrs=dict(trial.user_attrs),
            intermediate_values=dict(trial.intermediate_values) if self.inherit_intermediate_values else {},
            system_attrs={"fixed_params": trial.params, "retry_count": retries + 1, "retried_from": history},
        )
        study.storage.create_new_trial(study.study_id, template_trial=retry)

    @staticmethod
    def retry_history(trial: FrozenTrial) -> list[int]:
        """Numbers of the failed trials this trial retries, oldest first (empty if none)."""
        return list(trial.system_attrs.get("retried_from", []))

    @staticmethod
    def retried_trial_number(trial: FrozenTrial) -> int | None:
        """Number of the failed trial that this trial retries, or None."""
        history = trial.system_attrs.get("retried_from")
        return history[-1] if history else None


RetryHeartbeatStaleTrialCallback = RetryFailedTrialCallback  # Optuna 4.9's new name
