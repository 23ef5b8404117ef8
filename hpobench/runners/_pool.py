"""Driving a pool of worker processes one trial per task (LocalRunner, DaskRunner).

The driver (the calling process) decides how many trials start: it keeps at
most n_slots tasks in flight, each task runs exactly one trial in a worker
process (ask, objective, tell, all through the shared storage), and a new task
is submitted only while fewer than ``missing`` have started. So the total is
exact with no shared counter in the storage, the timeout and study.stop() are
checked in one place, and callbacks run in the driver.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from hpobench.interfaces import ProblemInterface
from hpobench.runners.base import RUN_TOKEN_ATTR, Callback, fail_interrupted, report_finished
from hpobench.study import log_told_elsewhere
from hpobench.trial import FrozenTrial

if TYPE_CHECKING:
    from hpobench.study import Study

Submit = Callable[[float | None, str], Any]  # (deadline, run token) -> a future of run_trial's result
WaitFirst = Callable[[set], tuple[Iterable[Any], Iterable[Any]]]  # pending -> (done, not done)


def run_trial(
    study: Study,
    problem: ProblemInterface,
    deadline: float | None,
    run_token: str | None = None,
) -> FrozenTrial | None:
    """Worker side: run one trial; None if the deadline (epoch seconds) passed before it started."""
    if deadline is not None and time.time() >= deadline:
        return None

    def objective(trial: Any) -> Any:
        if run_token is not None:  # lets the driver find its own trials if Ctrl-C stops it
            trial.set_system_attr(RUN_TOKEN_ATTR, run_token)
        return problem.objective(trial)

    with study.optimization_loop():  # the objective and the sampler may call study.stop(), as in optimize()
        return study.run_trial(objective, (Exception,))


def drive(
    study: Study,
    submit: Submit,
    wait_first: WaitFirst,
    *,
    n_slots: int,
    missing: int,
    timeout: float | None,
    callbacks: Sequence[Callback],
) -> None:
    """Keep n_slots trials in flight until `missing` have started, then wait for the rest."""
    # Epoch time, not monotonic: workers on other machines compare against it.
    deadline = None if timeout is None else time.time() + timeout
    run_token = uuid.uuid4().hex
    try:
        with study.optimization_loop(reset_stop=True):  # callbacks (run here) may call study.stop()
            _drive_loop(study, lambda d: submit(d, run_token), wait_first, n_slots, missing, deadline, callbacks)
    except KeyboardInterrupt:
        # Ctrl-C: this run's trials still in flight become interrupted (re-run on resume), not orphans.
        fail_interrupted(study, run_token)
        raise


def _drive_loop(
    study: Study,
    submit: Callable[[float | None], Any],
    wait_first: WaitFirst,
    n_slots: int,
    missing: int,
    deadline: float | None,
    callbacks: Sequence[Callback],
) -> None:
    pending: set = set()
    started = 0
    while True:
        while len(pending) < n_slots and started < missing and not _stopping(study, deadline):
            pending.add(submit(deadline))
            started += 1
        if not pending:
            return
        done, not_done = wait_first(pending)
        pending = set(not_done)
        finished = [f for f in (future.result() for future in done) if f is not None]
        for frozen in sorted(finished, key=lambda t: t.number):
            log_told_elsewhere(frozen)  # the worker told it: its log line stayed in that process
            report_finished(study, frozen, callbacks)


def _stopping(study: Study, deadline: float | None) -> bool:
    return study.should_stop or (deadline is not None and time.time() >= deadline)
