"""The runner interface and what every runner shares.

A runner turns (study, problem, n_trials) into finished trials. Semantics
shared by every runner (so a sweep can swap runners freely):

- ``n_trials`` is the TOTAL number of finished trials (COMPLETE, PRUNED or
  FAIL) the study holds when ``run()`` returns; a resumed study runs only the
  missing ones. ``timeout`` (seconds) stops starting new trials; running ones
  finish, so the total may then be smaller.
- A runner is the only driver of its study while ``run()`` runs. Trials still
  RUNNING when it starts are therefore orphans of a killed run: they are marked
  FAIL (system attr ``fail_reason``) and count as finished; the storage's
  ``failed_trial_callback`` (e.g. RetryFailedTrialCallback) runs on each, so
  their parameters can be retried. Explicit rather than by heartbeat, so a
  resume does not wait for a grace period and the count stays exact.
- An exception in the objective fails that trial (state FAIL, ``fail_reason``),
  is logged as a warning, and the run goes on; KeyboardInterrupt stops it.
- A trial cut by KeyboardInterrupt (Ctrl-C) is stored as FAIL with system attr
  ``interrupted=True``. It does not count toward ``n_trials``: a resume runs
  a new trial in its place (see ``counts_toward_n_trials``). Pool runners tag
  their trials with ``run_token`` so the driver marks the ones in its workers
  (``fail_interrupted``), not another process's.
- Callbacks ``cb(study, frozen_trial)`` run in the calling process, once per
  finished trial, in the order trials finish.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from hpobench.exceptions import TrialFinishedError
from hpobench.interfaces import ProblemInterface
from hpobench.storages import InMemoryStorage
from hpobench.study import INTERRUPTED_ATTR
from hpobench.trial import FrozenTrial, TrialState
from hpobench.validation import check_float, check_int

if TYPE_CHECKING:
    from hpobench.study import Study

_logger = logging.getLogger("hpobench")

Callback = Callable[["Study", FrozenTrial], None]
FINISHED = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)
RUN_TOKEN_ATTR = "run_token"  # system attr: which pool run (LocalRunner/DaskRunner) started the trial
ORPHAN_REASON = "Left RUNNING by an earlier run that stopped; failed when the study was resumed."


class Runner(abc.ABC):
    """Turns (study, problem, n_trials) into finished trials."""

    n_workers: int

    def run(
        self,
        study: Study,
        problem: ProblemInterface,
        *,
        n_trials: int,
        timeout: float | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> None:
        """Run trials until the study holds n_trials finished trials (or timeout seconds pass).

        Args:
            study: the study to fill (its storage decides where the workers may run).
            problem: gives ``objective(trial)``.
            n_trials: total number of finished trials wanted, counting earlier runs.
            timeout: stop starting new trials after this many seconds; None = no limit.
            callbacks: ``cb(study, frozen_trial)`` after each finished trial, in this process.
        """
        check_run_args(problem, n_trials, timeout, callbacks)
        self._check(study, problem)
        missing = n_missing(study, n_trials)
        if missing > 0:
            self._run_missing(study, problem, missing, timeout, callbacks)

    def _check(self, study: Study, problem: ProblemInterface) -> None:  # noqa: B027  (an optional hook: a no-op unless overridden)
        """Reject, before anything runs, a study or problem this runner cannot run."""

    @abc.abstractmethod
    def _run_missing(
        self,
        study: Study,
        problem: ProblemInterface,
        missing: int,
        timeout: float | None,
        callbacks: Sequence[Callback],
    ) -> None:
        """Run `missing` more trials (the orphans of an earlier run are already failed)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_workers={self.n_workers})"


def check_n_workers(n_workers: Any) -> int:
    """n_workers as an int >= 1 (TypeError / ValueError naming the bad value)."""
    return check_int("n_workers", n_workers, minimum=1)


def check_run_args(problem: Any, n_trials: Any, timeout: Any, callbacks: Any) -> None:
    """Reject bad run() arguments with a message that names the value."""
    if not callable(getattr(problem, "objective", None)):
        raise TypeError(f"problem must have an objective(trial) method, got {problem!r}.")
    check_int("n_trials", n_trials, minimum=0)
    if timeout is not None:
        check_float("timeout", timeout, minimum=0.0)
    for callback in callbacks:
        if not callable(callback):
            raise TypeError(f"callbacks must be callables cb(study, frozen_trial), got {callback!r}.")


def _fail_running(study: Study, trial: FrozenTrial, system_attrs: dict[str, Any]) -> bool:
    """Set a RUNNING trial's system attrs, then FAIL it; False if it finished meanwhile."""
    try:
        for key, value in system_attrs.items():
            study.storage.set_trial_attr(trial.trial_id, "system", key, value)
        study.storage.set_trial_state_values(trial.trial_id, TrialState.FAIL)
    except TrialFinishedError:
        return False
    return True


def fail_orphans(study: Study) -> list[int]:
    """Mark the study's RUNNING trials FAIL (see the module docstring); return their numbers."""
    storage = study.storage
    failed = []
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        if not _fail_running(study, trial, {"fail_reason": ORPHAN_REASON}):
            continue  # it finished meanwhile: not an orphan after all
        failed.append(trial.number)
        _logger.warning("Trial %d failed: %s", trial.number, ORPHAN_REASON)
        callback = getattr(storage, "failed_trial_callback", None)
        if callback is not None:
            callback(study, storage.get_trial(trial.trial_id))
    return failed


def fail_interrupted(study: Study, run_token: str) -> list[int]:
    """Mark FAIL + interrupted the RUNNING trials a pool run (run_token) started; return their numbers."""
    mine = [
        t
        for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,))
        if t.system_attrs.get(RUN_TOKEN_ATTR) == run_token
    ]  # others: another process's, or untagged orphans
    attrs = {"fail_reason": "KeyboardInterrupt", INTERRUPTED_ATTR: True}
    return [t.number for t in mine if _fail_running(study, t, attrs)]


def counts_toward_n_trials(trial: FrozenTrial) -> bool:
    """Finished, and not cut by Ctrl-C (those FAIL trials carry system attr ``interrupted``)."""
    return trial.state in FINISHED and not trial.system_attrs.get(INTERRUPTED_ATTR, False)


def counted_trials(study: Study) -> list[FrozenTrial]:
    """The study's trials that count toward n_trials (see counts_toward_n_trials)."""
    return [t for t in study.get_trials(deepcopy=False, states=FINISHED) if counts_toward_n_trials(t)]


def n_missing(study: Study, n_trials: int) -> int:
    """Fail the orphans, then count how many trials are still needed to reach n_trials finished."""
    fail_orphans(study)
    return max(0, n_trials - len(counted_trials(study)))


def is_in_memory(study: Study) -> bool:
    """True when only this process can see the study's trials."""
    return isinstance(study.storage, InMemoryStorage)


def report_finished(study: Study, frozen: FrozenTrial, callbacks: Sequence[Callback]) -> None:
    """What the driver does with each finished trial: log a failure, run the callbacks."""
    if frozen.state == TrialState.FAIL:
        _logger.warning("Trial %d failed: %s", frozen.number, frozen.system_attrs.get("fail_reason", "unknown reason"))
    for callback in callbacks:
        callback(study, frozen)
