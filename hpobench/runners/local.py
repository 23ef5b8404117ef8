"""LocalRunner: n_workers processes on this machine that share the study's storage.

Workers are joblib's loky processes, reused by the next run() if it comes
within WORKER_IDLE_SECONDS (starting one costs seconds of imports); idle
workers then exit, and they never outlive this process. Each task runs one trial: the worker
asks the study for a trial, runs the objective and tells the result, all
through the storage, so the study must live in an RDBStorage (SQLite file or
PostgreSQL). The study and the problem are pickled to each worker once per
run and kept there, so the sampler's caches and the database engine survive
from one trial to the next. See hpobench.runners._pool for how the driver
keeps the trial count exact.
"""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from typing import TYPE_CHECKING, Any

from joblib.executor import get_memmapping_executor

try:
    import cloudpickle  # a dependency of joblib >= 1.5
except ImportError:  # older joblib vendored it
    from joblib.externals import cloudpickle

from hpobench.interfaces import ProblemInterface
from hpobench.runners import _pool
from hpobench.runners.base import Callback, Runner, check_n_workers, is_in_memory
from hpobench.trial import FrozenTrial

if TYPE_CHECKING:
    from hpobench.study import Study

# Idle workers exit after this long; a run() soon after another reuses them (imports take seconds).
WORKER_IDLE_SECONDS = 30

# Worker side: token of the current run -> (study, problem), unpickled at the worker's first task of the run.
_WORKER_STATE: dict[str, tuple[Any, Any]] = {}


def _task(token: str, payload: bytes, deadline: float | None, run_token: str) -> FrozenTrial | None:
    if token not in _WORKER_STATE:
        _WORKER_STATE.clear()  # a worker serves one run at a time
        _WORKER_STATE[token] = pickle.loads(payload)
    study, problem = _WORKER_STATE[token]
    return _pool.run_trial(study, problem, deadline, run_token)


class LocalRunner(Runner):
    """Runs trials in n_workers local processes that share the study's storage.

    With one worker and an in-memory study it runs the trials in this process
    instead (no other process could see them).

    Args:
        n_workers: number of worker processes (= trials running at once).
    """

    def __init__(self, *, n_workers: int = 1) -> None:
        self.n_workers = check_n_workers(n_workers)

    def _check(self, study: Study, problem: ProblemInterface) -> None:
        if is_in_memory(study) and self.n_workers > 1:
            raise ValueError(
                f"LocalRunner(n_workers={self.n_workers}) needs a study in a database that every worker "
                "process can open (e.g. storage='sqlite:///results/hpobench.db'), not an in-memory storage."
            )

    def _run_missing(
        self,
        study: Study,
        problem: ProblemInterface,
        missing: int,
        timeout: float | None,
        callbacks: Sequence[Callback],
    ) -> None:
        if is_in_memory(study):  # one worker: nothing to share, run here
            from hpobench.runners.inprocess import InProcessRunner

            return InProcessRunner()._run_missing(study, problem, missing, timeout, callbacks)
        token = uuid.uuid4().hex
        # Pickled once per run (cloudpickle: problems defined in a script work too); workers unpickle once.
        payload = cloudpickle.dumps((study, problem))
        # joblib's own reusable executor (not loky's bare one): a later joblib.Parallel in this
        # process adopts the pool as its own, where loky's plain pool would make it fail.
        executor = get_memmapping_executor(self.n_workers, timeout=WORKER_IDLE_SECONDS)
        try:
            _pool.drive(
                study,
                lambda deadline, run_token: executor.submit(_task, token, payload, deadline, run_token),
                lambda pending: wait(pending, return_when=FIRST_COMPLETED),
                n_slots=self.n_workers,
                missing=missing,
                timeout=timeout,
                callbacks=callbacks,
            )
        except BaseException:
            # Interrupted (or a worker died): stop now; the trials left RUNNING are failed at the next run.
            executor.shutdown(wait=False, kill_workers=True)
            raise
