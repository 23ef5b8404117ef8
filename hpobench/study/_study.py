"""Study: a set of trials in a storage, optimized by a sampler and a pruner."""

from __future__ import annotations

import contextlib
import copy
import logging
import math
import numbers
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from hpobench.direction import StudyDirection
from hpobench.distributions import Distribution
from hpobench.exceptions import TrialFinishedError, TrialPruned
from hpobench.interfaces import PrunerInterface, SamplerInterface
from hpobench.storages import BaseStorage, get_storage
from hpobench.study._dataframe import DEFAULT_ATTRS, trials_dataframe
from hpobench.study._tell import check_objective_value
from hpobench.trial import FrozenTrial, Trial, TrialState, create_trial

if TYPE_CHECKING:
    import pandas as pd  # imported when a DataFrame is asked for: workers start faster

_logger = logging.getLogger("hpobench")
# System attr of a trial cut by Ctrl-C: stored as FAIL, not counted toward n_trials, re-run on resume.
INTERRUPTED_ATTR = "interrupted"

ObjectiveFunc = Callable[[Trial], Any]
CallbackFunc = Callable[["Study", FrozenTrial], None]

METRIC_NAMES_KEY = "study:metric_names"  # Optuna's system attr, so studies read alike in both


class _ThreadState(threading.local):
    """Per thread: whether it runs trials for an optimization loop (where stop() may be called)."""

    in_optimize_loop = False


class Study:
    """A study: create it with create_study() or load_study()."""

    def __init__(
        self,
        study_name: str,
        storage: str | BaseStorage | None,
        sampler: SamplerInterface | None = None,
        pruner: PrunerInterface | None = None,
    ) -> None:
        self._storage = get_storage(storage)
        self._study_id = self._storage.get_study_id_from_name(study_name)
        self.study_name = study_name
        self.sampler = sampler if sampler is not None else _default_sampler()
        self.pruner = (
            pair_pruner(self.sampler, pruner)
            if pruner is not None or isinstance(sampler, PrunerInterface)
            else _default_pruner()
        )
        _check_plugin("sampler", self.sampler, SamplerInterface)
        _check_plugin("pruner", self.pruner, PrunerInterface)
        self._directions = self._storage.get_study_directions(self._study_id)
        self._last_reap = 0.0
        self._stop_flag = False
        self._thread_state = _ThreadState()

    # --- lifetime ---------------------------------------------------------------------
    def close(self) -> None:
        """Release the storage's connections and file descriptors now (not only when dropped).

        The study stays usable: its storage reconnects on the next use. A storage
        object shared with other studies is closed for them too (and reconnects alike).
        """
        self._storage.close()

    def __enter__(self) -> Study:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()

    # --- pickling (runners send the study to worker processes) ----------------------
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state["_thread_state"]  # thread-local: each process starts outside any loop
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._last_reap = 0.0
        self._thread_state = _ThreadState()

    # --- reads --------------------------------------------------------------------
    @property
    def storage(self) -> BaseStorage:
        """The storage that holds this study's trials (shared by every process that runs them)."""
        return self._storage

    @property
    def study_id(self) -> int:
        """The study's id in its storage (for the storage's methods, e.g. ``storage.get_all_trials(study_id)``)."""
        return self._study_id

    @property
    def direction(self) -> StudyDirection:
        if len(self._directions) != 1:
            raise RuntimeError("This study has several objectives; use study.directions.")
        return self._directions[0]

    @property
    def directions(self) -> list[StudyDirection]:
        return list(self._directions)

    def _is_multi_objective(self) -> bool:
        """Whether the study has several objectives (Optuna's helper, which custom samplers call)."""
        return len(self._directions) > 1

    @property
    def trials(self) -> list[FrozenTrial]:
        """All trials, deep-copied (safe to mutate)."""
        return self.get_trials(deepcopy=True)

    def get_trials(self, deepcopy: bool = True, states: Container[TrialState] | None = None) -> list[FrozenTrial]:
        """Trials sorted by number. Samplers and pruners use deepcopy=False and must not mutate."""
        return self._storage.get_all_trials(self._study_id, deepcopy=deepcopy, states=states)

    @property
    def best_trial(self) -> FrozenTrial:
        complete = self.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        if not complete:
            raise ValueError(f"No trials are completed yet in study {self.study_name!r}.")
        pick = max if self.direction == StudyDirection.MAXIMIZE else min
        return copy.deepcopy(pick(complete, key=_complete_value))

    @property
    def best_trials(self) -> list[FrozenTrial]:
        """The Pareto front: COMPLETE trials no other COMPLETE trial dominates (any number of objectives)."""
        complete = self.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
        signs = [-1.0 if d == StudyDirection.MAXIMIZE else 1.0 for d in self._directions]
        keys = [[s * v for s, v in zip(signs, t.values or [], strict=False)] for t in complete]

        def dominated(i: int) -> bool:
            return any(all(a <= b for a, b in zip(other, keys[i], strict=False)) and other != keys[i] for other in keys)

        return [copy.deepcopy(t) for i, t in enumerate(complete) if not dominated(i)]

    @property
    def best_value(self) -> float:
        return self.best_trial.value  # type: ignore[return-value]

    @property
    def best_params(self) -> dict[str, Any]:
        return self.best_trial.params

    @property
    def user_attrs(self) -> dict[str, Any]:
        return self._storage.get_study_attrs(self._study_id, "user")

    @property
    def system_attrs(self) -> dict[str, Any]:
        return self._storage.get_study_attrs(self._study_id, "system")

    def set_user_attr(self, key: str, value: Any) -> None:
        self._storage.set_study_attr(self._study_id, "user", key, value)

    def set_system_attr(self, key: str, value: Any) -> None:
        self._storage.set_study_attr(self._study_id, "system", key, value)

    def set_trial_system_attr(self, trial_id: int, key: str, value: Any) -> None:
        """For plugins that share state through trials (e.g. ASHA's rung values)."""
        self._storage.set_trial_attr(trial_id, "system", key, value)

    @property
    def metric_names(self) -> list[str] | None:
        """The names given with set_metric_names, or None."""
        return self._storage.get_study_attrs(self._study_id, "system").get(METRIC_NAMES_KEY)

    def set_metric_names(self, metric_names: list[str]) -> None:
        """Name each objective (one name per direction); trials_dataframe uses them as column names."""
        if isinstance(metric_names, str) or not isinstance(metric_names, Sequence):
            raise TypeError(f"metric_names must be a list of str, got {metric_names!r}.")
        if len(metric_names) != len(self._directions):
            raise ValueError(
                f"The study has {len(self._directions)} objective(s), but {len(metric_names)} metric names "
                f"were given: {list(metric_names)!r}."
            )
        self._storage.set_study_attr(self._study_id, "system", METRIC_NAMES_KEY, list(metric_names))

    def trials_dataframe(self, attrs: Sequence[str] = DEFAULT_ATTRS, multi_index: bool = False) -> pd.DataFrame:
        """A pandas DataFrame with Optuna's columns.

        number, value, datetime_start, datetime_complete, duration, params_*,
        user_attrs_*, system_attrs_*, state (in that order); empty without trials.
        """
        return trials_dataframe(
            self.get_trials(deepcopy=False), attrs, multi_index, len(self._directions), self.metric_names
        )

    # --- ask / tell -------------------------------------------------------------------
    def ask(self, fixed_distributions: dict[str, Distribution] | None = None) -> Trial:
        """Start a trial: the oldest enqueued one if any, else a new one."""
        self._reap_stale_trials()
        frozen = self._storage.start_trial(self._study_id)
        self._storage.start_heartbeat(frozen.trial_id)
        trial = Trial(self, frozen)
        self.sampler.before_trial(self, trial._snapshot())
        for name, distribution in (fixed_distributions or {}).items():
            trial._suggest(name, distribution)
        return trial

    def tell(
        self,
        trial: Trial | int,
        values: float | Sequence[float] | None = None,
        state: TrialState | None = None,
        skip_if_finished: bool = False,
    ) -> FrozenTrial:
        """Finish a trial (Optuna's meaning).

        state=None: COMPLETE if values are finite numbers, else FAIL with the
        reason in system_attrs['fail_reason']. state=COMPLETE needs valid values
        (ValueError otherwise, the trial stays RUNNING); PRUNED takes the last
        reported value; FAIL takes no values.

        Raises:
            ValueError: the trial is not RUNNING (unless skip_if_finished and it
                finished), the number is unknown, or state/values do not fit.
            TrialFinishedError: the heartbeat reaper failed the trial meanwhile.
        """
        frozen = self._frozen_for_tell(trial)
        if frozen.state.is_finished() and skip_if_finished:
            return copy.deepcopy(frozen)
        if frozen.state != TrialState.RUNNING:
            raise ValueError(f"Cannot tell trial {frozen.number}: it is {frozen.state.name}, not RUNNING.")
        state, checked, reason = self._resolve_outcome(frozen, values, state)
        if reason is not None:
            warnings.warn(f"Trial {frozen.number} failed: {reason}", stacklevel=2)
        try:
            return self._finish(trial, frozen, state, checked, reason)
        except TrialFinishedError:
            if not skip_if_finished:  # finished elsewhere (another worker's tell, the heartbeat reaper)
                raise
            return self._storage.get_trial(frozen.trial_id)

    def _finish(
        self,
        trial: Trial | int,
        frozen: FrozenTrial,
        state: TrialState,
        values: list[float] | None,
        reason: str | None,
        interrupted: bool = False,
    ) -> FrozenTrial:
        """Store the outcome (and the fail reason) in one write; the sampler sees it first."""
        attrs: dict[str, Any] | None = None if reason is None else {"fail_reason": reason}
        if interrupted:  # Ctrl-C, not the objective: a resume runs it again (runners.base.counts_toward_n_trials)
            attrs = {**(attrs or {}), INTERRUPTED_ATTR: True}
        try:
            self.sampler.after_trial(self, frozen, state, values)
        finally:
            self._storage.stop_heartbeat(frozen.trial_id)
            finished = self._storage.update_trial(frozen.trial_id, system_attrs=attrs, state=state, values=values)
        if finished is None:  # update_trial returns the trial whenever a state is given
            raise RuntimeError(f"The storage did not return trial {frozen.number} after finishing it.")
        if isinstance(trial, Trial):
            trial._frozen = finished
        _log_finished(frozen.number, state, values, frozen.params, reason)
        return copy.deepcopy(finished)

    def _frozen_for_tell(self, trial: Trial | int) -> FrozenTrial:
        if isinstance(trial, Trial):
            if trial.study._storage is not self._storage or trial._frozen.state.is_finished():
                return self._storage.get_trial(trial._trial_id)
            return trial._snapshot()
        if isinstance(trial, int) and not isinstance(trial, bool):
            matches = [t for t in self.get_trials(deepcopy=False) if t.number == trial]
            if not matches:
                raise ValueError(f"No trial with number {trial} in study {self.study_name!r}.")
            return matches[0]
        raise TypeError(f"tell() needs a Trial or a trial number, got {trial!r}.")

    def _resolve_outcome(
        self, frozen: FrozenTrial, values: Any, state: TrialState | None
    ) -> tuple[TrialState, list[float] | None, str | None]:
        if state in (TrialState.PRUNED, TrialState.FAIL) and values is not None:
            raise ValueError(f"tell() with state {state.name} takes no values, got {values!r}.")
        if state == TrialState.PRUNED:
            last = frozen.last_step
            value = None if last is None else frozen.intermediate_values[last]
            return state, None if value is None or not math.isfinite(value) else [value], None
        if state == TrialState.FAIL:
            return state, None, None
        if state not in (None, TrialState.COMPLETE):
            raise ValueError(f"tell() accepts state COMPLETE, PRUNED or FAIL, got {state!r}.")
        checked, reason = check_objective_value(values, len(self._directions))
        if reason is None:
            return TrialState.COMPLETE, checked, None
        if state == TrialState.COMPLETE:  # an explicit COMPLETE must come with usable values (as Optuna)
            raise ValueError(f"Cannot tell trial {frozen.number} COMPLETE: {reason}")
        return TrialState.FAIL, None, reason

    def enqueue_trial(
        self, params: dict[str, Any], user_attrs: dict[str, Any] | None = None, skip_if_exists: bool = False
    ) -> None:
        """Queue a trial whose parameters are fixed to params (others are sampled).

        The next ask() (of any worker) runs it. user_attrs are set on it at once.
        With skip_if_exists, nothing is queued when a trial (waiting, running or
        finished) already has exactly these parameters.
        """
        if not isinstance(params, dict):
            raise TypeError(f"enqueue_trial() needs params as a dict, got {params!r}.")
        if user_attrs is not None and not isinstance(user_attrs, dict):
            raise TypeError(f"enqueue_trial() needs user_attrs as a dict or None, got {user_attrs!r}.")
        if skip_if_exists and any(_same_params(t, params) for t in self.get_trials(deepcopy=False)):
            _logger.info("Trial with params %s already exists; not enqueued.", params)
            return
        fixed = {"fixed_params": dict(params)}
        self.add_trial(create_trial(state=TrialState.WAITING, system_attrs=fixed, user_attrs=user_attrs))

    def add_trial(self, trial: FrozenTrial) -> None:
        """Add a trial built with hpobench.trial.create_trial (or any valid FrozenTrial), e.g. a known result.

        It is stored as given (state, values, params, reports, attrs, datetimes)
        under the study's next number, in one write.

        Raises:
            TypeError: trial is not a FrozenTrial.
            ValueError: its fields contradict each other (FrozenTrial._validate), or
                it has another number of values than the study has objectives.
        """
        if not isinstance(trial, FrozenTrial):
            raise TypeError(f"add_trial() needs a FrozenTrial (see create_trial), got {trial!r}.")
        trial._validate()
        if trial.values is not None and len(trial.values) != len(self._directions):
            raise ValueError(
                f"The trial has {len(trial.values)} values; the study has {len(self._directions)} objective(s)."
            )
        self._storage.create_new_trial(self._study_id, template_trial=trial)

    def add_trials(self, trials: Iterable[FrozenTrial]) -> None:
        """add_trial for each of trials, in order."""
        for trial in trials:
            self.add_trial(trial)

    def stop(self) -> None:
        """Ask the running optimize() (or runner) to stop after the running trials finish.

        Raises:
            RuntimeError: called outside an objective or callback of optimize() (or a
                runner's loop): there is no loop to stop (Optuna's rule).
        """
        if not self._thread_state.in_optimize_loop:
            raise RuntimeError("Study.stop is supposed to be invoked inside an objective function or a callback.")
        self._stop_flag = True

    # --- for runners: the public building blocks of an optimization loop ------------------
    @property
    def should_stop(self) -> bool:
        """True once stop() was called in the current loop (or a trial raised an error the loop does not catch).

        Runners check it before starting each trial; ``optimization_loop(reset_stop=True)``
        clears it when a new loop begins.
        """
        return self._stop_flag

    @contextlib.contextmanager
    def optimization_loop(self, *, reset_stop: bool = False) -> Iterator[None]:
        """Run the block as (part of) an optimization loop in this thread.

        Inside it, objectives, samplers and callbacks may call stop(); outside, stop()
        raises (Optuna's rule). reset_stop=True starts a new loop: an earlier stop()
        is forgotten. The mark is per thread, so a runner enters it in each thread
        or worker process that runs trials.
        """
        if reset_stop:
            self._stop_flag = False
        before = self._thread_state.in_optimize_loop
        self._thread_state.in_optimize_loop = True
        try:
            yield
        finally:
            self._thread_state.in_optimize_loop = before

    def run_trial(self, func: ObjectiveFunc, catch: tuple[type[Exception], ...] = (Exception,)) -> FrozenTrial:
        """Run one trial: ask, call func(trial), tell; return the finished trial.

        The unit of work of optimize() and of every runner. TrialPruned ends the
        trial PRUNED; an exception fails it (system attr ``fail_reason``) and is
        re-raised unless it is an instance of catch; a non-finite value fails it.
        A trial the heartbeat reaper failed meanwhile keeps its FAIL, and the
        result is dropped with a warning.
        """
        trial = self.ask()
        try:
            return self._evaluate(trial, func, catch)
        except TrialFinishedError as err:
            # The heartbeat reaper failed this trial while it ran (this worker looked dead):
            # the stored FAIL stands, the result is dropped, and this worker goes on.
            self._storage.stop_heartbeat(trial._trial_id)
            _logger.warning("Trial %d was failed meanwhile; its result is dropped: %s", trial.number, err)
            return self._storage.get_trial(trial._trial_id)

    # --- optimize ------------------------------------------------------------------------
    def optimize(
        self,
        func: ObjectiveFunc,
        n_trials: int | None = None,
        timeout: float | None = None,
        n_jobs: int = 1,
        catch: Iterable[type[Exception]] | type[Exception] = (),
        callbacks: Iterable[CallbackFunc] | None = None,
        gc_after_trial: bool = False,
        show_progress_bar: bool = False,
    ) -> None:
        """Run trials until n_trials are done, timeout seconds pass, or study.stop() is called.

        An exception in func fails the trial and is re-raised unless its type is in catch.
        n_jobs runs threads in this process; for processes see hpobench.runners.
        """
        from hpobench.study._optimize import run_optimize

        run_optimize(
            self, func, n_trials, timeout, n_jobs, catch, list(callbacks or []), show_progress_bar, gc_after_trial
        )

    def _evaluate(self, trial: Trial, func: ObjectiveFunc, catch: tuple[type[Exception], ...]) -> FrozenTrial:
        try:
            value = func(trial)
        except TrialPruned:
            return self.tell(trial, state=TrialState.PRUNED)
        except BaseException as err:
            if not isinstance(err, catch):
                self._stop_flag = True  # optimize()'s other threads start no new trial from now on
            reason = "".join(traceback.format_exception_only(type(err), err)).strip()
            interrupted = isinstance(err, KeyboardInterrupt)
            frozen = self._finish(trial, trial._snapshot(), TrialState.FAIL, None, reason, interrupted)
            if isinstance(err, catch):
                _logger.warning("Trial %d failed and was caught: %s", frozen.number, reason)
                return frozen
            raise
        return self.tell(trial, value)

    # --- heartbeat ---------------------------------------------------------------------------
    def _reap_stale_trials(self) -> None:
        interval = self._storage.heartbeat_interval
        if interval is None or time.time() - self._last_reap < interval:
            return
        self._last_reap = time.time()
        for trial_id in self._storage.fail_stale_trials(self._study_id):
            failed = self._storage.get_trial(trial_id)
            _logger.warning("Trial %d failed: %s", failed.number, failed.system_attrs.get("fail_reason"))
            callback = getattr(self._storage, "failed_trial_callback", None)
            if callback is not None:
                callback(self, failed)


def _complete_value(trial: FrozenTrial) -> float:
    """A COMPLETE trial's value (FrozenTrial's validation makes sure it has one)."""
    if trial.value is None:
        raise ValueError(f"Trial {trial.number} is COMPLETE but has no value.")
    return trial.value


def _same_params(trial: FrozenTrial, params: dict[str, Any]) -> bool:
    """Whether trial has (or, if waiting, will have) exactly params; reals compared with isclose (as Optuna)."""
    existing = trial.system_attrs.get("fixed_params", trial.params)
    if existing.keys() != params.keys():
        return False
    for key, value in params.items():
        old = existing[key]
        reals = all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in (old, value))
        if reals and math.isnan(old) and math.isnan(value):
            continue  # NaN repeats NaN (Optuna's equal_nan)
        if not (math.isclose(old, value) if reals else (type(old) is type(value) and old == value)):
            return False
    return True


def log_told_elsewhere(frozen: FrozenTrial) -> None:
    """The line tell() logs for a COMPLETE or PRUNED trial, for a trial told in another process.

    A worker process's log records go nowhere the user sees (not the Hydra run's
    hpobench.log), so the driver repeats them; failures it already logs itself.
    """
    if frozen.state in (TrialState.COMPLETE, TrialState.PRUNED):
        _log_finished(frozen.number, frozen.state, frozen.values, frozen.params, None)


def _log_finished(number: int, state: TrialState, values: Any, params: dict, reason: str | None) -> None:
    if state == TrialState.COMPLETE:
        _logger.info("Trial %d finished with value %s and parameters %s.", number, values[0], params)
    elif state == TrialState.PRUNED:
        _logger.info("Trial %d pruned.", number)
    else:
        _logger.warning("Trial %d failed%s", number, f": {reason}" if reason else ".")


def pair_pruner(sampler: Any, pruner: Any) -> Any:
    """The pruner a study runs with, given its sampler: a sampler that prunes (a scheduler) prunes itself.

    pruner None, or the sampler itself, or one that defers to the sampler
    (attribute defers_to_sampler, e.g. pruners.SamplerPruner) are accepted
    with such a sampler; any other pruner would fight its decisions.

    Raises:
        ValueError: a scheduler sampler with another pruner, or a deferring pruner with a sampler that does not prune.
    """
    prunes = isinstance(sampler, PrunerInterface)
    defers = getattr(pruner, "defers_to_sampler", False)
    if prunes and pruner is not None and pruner is not sampler and not defers:
        raise ValueError(
            f"sampler {type(sampler).__name__} prunes its own trials; drop pruner {type(pruner).__name__} "
            "(pruner=None, or pruner=scheduler on the command line)."
        )
    if defers and not prunes:
        raise ValueError(
            f"pruner {type(pruner).__name__} defers to the sampler, but {type(sampler).__name__} does not prune; "
            "choose another pruner."
        )
    return sampler if pruner is None else pruner


def _check_plugin(kind: str, obj: Any, interface: type) -> None:
    abstract: frozenset[str] = getattr(interface, "__abstractmethods__", frozenset())
    needed = [name for name in abstract if not callable(getattr(obj, name, None))]
    if needed:
        raise TypeError(f"{kind} {obj!r} does not implement {', '.join(sorted(needed))} of {interface.__name__}.")


def _default_sampler() -> SamplerInterface:
    from hpobench.samplers import TPESampler  # the one allowed upward import: the default users expect

    return TPESampler()


def _default_pruner() -> PrunerInterface:
    from hpobench.pruners import MedianPruner

    return MedianPruner()


def create_study(
    *,
    storage: str | BaseStorage | None = None,
    sampler: SamplerInterface | None = None,
    pruner: PrunerInterface | None = None,
    study_name: str | None = None,
    direction: str | StudyDirection | None = None,
    load_if_exists: bool = False,
    directions: Sequence[str | StudyDirection] | None = None,
) -> Study:
    """Create a study (or load it with load_if_exists=True). storage=None keeps it in memory."""
    if direction is not None and directions is not None:
        raise ValueError("Give direction or directions, not both.")
    parsed = [StudyDirection.parse(d) for d in (directions or [direction or "minimize"])]
    backend = get_storage(storage)
    from hpobench.exceptions import DuplicatedStudyError

    try:
        name = backend.get_study_name_from_id(backend.create_new_study(parsed, study_name))
    except DuplicatedStudyError:
        if not load_if_exists or study_name is None:  # a derived name never collides
            raise
        name = study_name
        stored = backend.get_study_directions(backend.get_study_id_from_name(name))
        if stored != parsed:
            raise ValueError(
                f"Study {name!r} exists with directions {[d.name for d in stored]}, "
                f"not {[d.name for d in parsed]}; use another study_name."
            ) from None
    return Study(name, backend, sampler, pruner)


def load_study(
    *,
    study_name: str | None,
    storage: str | BaseStorage,
    sampler: SamplerInterface | None = None,
    pruner: PrunerInterface | None = None,
) -> Study:
    """Load an existing study; raises StudyNotFoundError naming the known studies."""
    backend = get_storage(storage)
    if study_name is None:
        names = backend.get_all_study_names()
        if len(names) != 1:
            raise ValueError(f"study_name is needed: the storage holds {len(names)} studies {names}.")
        study_name = names[0]
    return Study(study_name, backend, sampler, pruner)


def delete_study(*, study_name: str, storage: str | BaseStorage) -> None:
    """Delete a study and all its trials; StudyNotFoundError if there is none of that name."""
    backend = get_storage(storage)
    backend.delete_study(backend.get_study_id_from_name(study_name))


def get_all_study_names(storage: str | BaseStorage) -> list[str]:
    """Names of the studies in storage, in creation order."""
    return get_storage(storage).get_all_study_names()


def copy_study(
    *,
    from_study_name: str,
    from_storage: str | BaseStorage,
    to_storage: str | BaseStorage,
    to_study_name: str | None = None,
) -> None:
    """Copy a study (directions, user and system attrs, every trial as stored) to another storage.

    Trials keep their order, states, values, parameters, reports, attrs and
    datetimes; unfinished trials are copied as they are (as Optuna).

    Raises:
        StudyNotFoundError: from_storage has no study from_study_name.
        DuplicatedStudyError: to_storage already has a study of the target name.
    """
    source = get_storage(from_storage)
    source_id = source.get_study_id_from_name(from_study_name)
    target = get_storage(to_storage)
    target_id = target.create_new_study(source.get_study_directions(source_id), to_study_name or from_study_name)
    for kind in ("system", "user"):
        for key, value in source.get_study_attrs(source_id, kind).items():
            target.set_study_attr(target_id, kind, key, value)
    for trial in source.get_all_trials(source_id, deepcopy=False):
        target.create_new_trial(target_id, template_trial=trial)
