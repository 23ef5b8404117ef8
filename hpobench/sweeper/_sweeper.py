"""The sweep loop: ask a batch of trials, launch them as Hydra jobs, tell their outcomes.

Per batch of ``n_jobs`` trials (as hydra-optuna-sweeper): ``study.ask()`` in
this process (the sampler sees every finished and running trial), each
parameter suggested from its distribution, one job per trial launched with
the values as overrides plus the trial's handle (see _job.py). The job's
return value completes the trial; ``TrialPruned`` raised by the job prunes
it (its last reported value becomes its value); any other exception, or a
value that is no number, fails it.

Semantics shared with ``python -m hpobench`` (docs/harness.md): ``n_trials``
is the total of finished trials, so the same sweep again resumes the same
study (derived name) and runs only the missing trials; trials left RUNNING
by a killed sweep are failed first; MLflow mirrors the study from the
storage in a background thread, never from the jobs.
"""

from __future__ import annotations

import contextlib
import logging
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from hydra.core.plugins import Plugins
from hydra.core.utils import JobReturn, JobStatus
from omegaconf import DictConfig, OmegaConf

import hpobench
from hpobench.cli import Summary, config_digest, summarize
from hpobench.exceptions import TrialFinishedError, TrialPruned
from hpobench.runners.base import n_missing
from hpobench.storages import masked
from hpobench.study import Study
from hpobench.sweeper._job import TrialHandle, register_live_study, unregister_live_study
from hpobench.sweeper._space import SearchSpace, parse_search_space
from hpobench.trial import Trial, TrialState

_logger = logging.getLogger("hpobench.sweeper")
_SQLITE = "sqlite:///"


class HpobenchSweeperImpl:
    """hydra/sweeper=hpobench; the arguments are the keys of hpobench/sweeper/hpobench.yaml."""

    def __init__(
        self,
        *,
        sampler: Any,
        pruner: Any,
        direction: Any,
        storage: str | None,
        study_name: str | None,
        n_trials: int,
        n_jobs: int,
        max_failure_rate: float,
        seed: int | None,
        params: DictConfig | None,
        tracking: DictConfig | None,
    ) -> None:
        self.sampler, self.pruner = sampler, pruner
        self.direction = _direction(direction)
        self.storage = _absolute(_storage(storage))
        self.study_name = study_name
        self.n_trials = _count("n_trials", n_trials)
        self.n_jobs = _count("n_jobs", n_jobs)
        self.max_failure_rate = _rate(max_failure_rate)
        self.seed = seed
        self.params = params
        self.tracking = tracking
        self.job_idx = 0

    def setup(self, *, hydra_context: Any, task_function: Any, config: DictConfig) -> None:
        self.config = config
        self.launcher = Plugins.instance().instantiate_launcher(
            config=config, hydra_context=hydra_context, task_function=task_function
        )

    # --- the sweep ---------------------------------------------------------------------
    def sweep(self, arguments: list[str]) -> Summary:
        space = parse_search_space(self.params, arguments)
        study = self._open_study(space)
        _logger.info(
            "Study %r in %s: %d of %d trials finished",
            study.study_name,
            masked(self.storage) or "memory",
            len(_finished(study)),
            self.n_trials,
        )
        register_live_study(study)
        start = time.perf_counter()
        tracker, reader = self._start_tracking(study)
        status = "FAILED"
        try:
            with self._background_sync(tracker, reader):
                self._run(study, space)
            status = "FINISHED"
        except KeyboardInterrupt:
            status = "KILLED"
            raise
        finally:
            unregister_live_study(study)
            wall = time.perf_counter() - start
            _finish_tracking(tracker, reader, wall, status)
        return self._report(reader, wall, tracker)

    def _run(self, study: Study, space: SearchSpace) -> None:
        missing = n_missing(study, self.n_trials)  # fails the trials a killed sweep left RUNNING
        while missing > 0:
            fixed = {param.name: param.distribution for param in space.params}  # sampled at ask(), in order
            trials = [study.ask(fixed) for _ in range(min(self.n_jobs, missing))]
            overrides = [self._job_overrides(study, trial, space) for trial in trials]
            returns = self.launcher.launch(overrides, initial_job_idx=self.job_idx)
            self.job_idx += len(returns)
            failed = [ret for trial, ret in zip(trials, returns, strict=False) if not self._tell(study, trial, ret)]
            if failed and len(failed) / len(returns) > self.max_failure_rate:
                _logger.error(
                    "%d of %d jobs failed (max_failure_rate=%s): the sweep stops.",
                    len(failed),
                    len(returns),
                    self.max_failure_rate,
                )
                _reraise(failed[0])
            missing -= len(trials)

    def _job_overrides(self, study: Study, trial: Trial, space: SearchSpace) -> list[str]:
        values = [param.override(trial.params[param.name]) for param in space.params]
        handle = TrialHandle(storage=self.storage, study_name=study.study_name, number=trial.number)
        return values + list(space.fixed) + [handle.job_override()]

    def _tell(self, study: Study, trial: Trial, ret: JobReturn) -> bool:
        """Store the job's outcome in its trial; False if the job failed."""
        # Told by number: the job may have reported through another Trial object (or process).
        outcome = _exception_of(ret)
        if isinstance(outcome, TrialPruned):
            study.tell(trial.number, state=TrialState.PRUNED, skip_if_finished=True)
            return True
        value = _number(ret.return_value) if outcome is None else None
        if value is None:
            reason = _error_of(ret)
            _logger.warning("Trial %d failed: %s", trial.number, reason)
            with contextlib.suppress(TrialFinishedError):  # already finished elsewhere: its state stands
                trial.set_system_attr("fail_reason", reason)
            study.tell(trial.number, state=TrialState.FAIL, skip_if_finished=True)
            return False
        study.tell(trial.number, value, skip_if_finished=True)
        return True

    # --- the study ------------------------------------------------------------------------
    def _open_study(self, space: SearchSpace) -> Study:
        name = self.study_name or self._derive_name(space)
        try:
            return hpobench.create_study(
                storage=self.storage,
                sampler=self.sampler,
                pruner=self.pruner,
                study_name=name,
                direction=self.direction,
                load_if_exists=True,
            )
        except ValueError as error:  # StorageError too: a bad URL, not a database, another direction
            raise ValueError(f"hydra.sweeper.storage={masked(self.storage)!r}: {error}") from None

    def _derive_name(self, space: SearchSpace) -> str:
        """<app>-<sampler>-<pruner>-seed<seed>-<digest of their settings, the direction and the space>."""
        sweeper = self.config.hydra.sweeper
        settings = OmegaConf.create(
            {
                "sweep": {
                    "sampler": OmegaConf.to_container(sweeper.sampler, resolve=True),
                    "pruner": OmegaConf.to_container(sweeper.pruner, resolve=True),
                    "direction": self.direction,
                    "space": space.describe(),
                }
            }
        )
        choices = self.config.hydra.runtime.choices
        parts = [
            self.config.hydra.job.name,
            choices.get("hydra/sweeper/sampler", "custom"),
            choices.get("hydra/sweeper/pruner", "custom"),
            f"seed{self.seed}",
        ]
        return "-".join(str(p) for p in parts) + "-" + config_digest(settings, ("sweep",))

    # --- MLflow ---------------------------------------------------------------------------
    def _start_tracking(self, study: Study) -> tuple[Any, Study]:
        """The StudyTracker (None when tracking is off) and the Study it reads (its own connection)."""
        if self.tracking is None or not self.tracking.get("enabled"):
            return None, study
        from hpobench.tracking import StudyTracker

        choices = self.config.hydra.runtime.choices
        tags = {
            "sampler": choices.get("hydra/sweeper/sampler", type(study.sampler).__name__),
            "pruner": choices.get("hydra/sweeper/pruner", type(study.pruner).__name__),
            "problem": self.config.hydra.job.name,
            "runner": f"hydra-{choices.get('hydra/launcher', 'launcher')}",
            "seed": self.seed,
            "n_workers": self.n_jobs,
            "storage": masked(self.storage) or "memory",
        }
        tracker = StudyTracker(
            uri=_absolute(str(self.tracking.uri)),
            experiment=self.config.hydra.job.name,
            study_name=study.study_name,
            storage=self.storage,
            tags=tags,
            log_trials=bool(self.tracking.log_trials),
            artifacts=bool(self.tracking.artifacts),
        )
        from mlflow.exceptions import MlflowException

        try:
            tracker.start()
        except (MlflowException, ValueError, OSError) as error:
            raise ValueError(f"hydra.sweeper.tracking.uri={tracker.uri!r}: {error}") from None
        reader = (
            study
            if self.storage is None
            else hpobench.load_study(
                study_name=study.study_name, storage=self.storage, sampler=study.sampler, pruner=study.pruner
            )
        )
        return tracker, reader

    def _background_sync(self, tracker: Any, reader: Study) -> Any:
        if tracker is None or self.tracking is None:
            return nullcontext()
        from hpobench.tracking import BackgroundSync

        return BackgroundSync(tracker, reader, interval=float(self.tracking.sync_interval))

    # --- the end ---------------------------------------------------------------------------
    def _report(self, study: Study, wall: float, tracker: Any) -> Summary:
        where = (
            {}
            if tracker is None
            else dict(tracking_uri=tracker.uri, experiment=tracker.experiment, run_id=tracker.run_id)
        )
        summary = summarize(study, n_trials=self.n_trials, wall_time=wall, storage=masked(self.storage), **where)
        results = {"name": "hpobench", **{k: v for k, v in summary.as_dict().items() if v is not None}}
        sweep_dir = Path(str(self.config.hydra.sweep.dir))
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(OmegaConf.create(results), sweep_dir / "optimization_results.yaml")
        print(summary, flush=True)
        return summary


def _finish_tracking(tracker: Any, reader: Study, wall: float, status: str) -> None:
    """Last sync, figures, parent run closed; a failure here never hides the sweep's own outcome."""
    if tracker is None:
        return
    try:
        tracker.finish(reader, wall_time=wall, status=status)
    except Exception as error:  # noqa: BLE001  (the trials are safe in the storage; the next run logs them)
        _logger.warning("MLflow logging did not finish (%s); running the same sweep again logs what is missing.", error)


# --- checks and small conversions ------------------------------------------------------------
def _direction(direction: Any) -> str:
    value = getattr(direction, "name", direction)  # hydra-optuna-sweeper's Direction enum too
    if isinstance(value, (list, tuple)) or OmegaConf.is_list(value):
        if len(value) != 1:
            raise ValueError(f"hydra.sweeper.direction: one direction (pruning is single-objective), got {value!r}.")
        value = value[0]
    if str(value).lower() not in ("minimize", "maximize"):
        raise ValueError(f"hydra.sweeper.direction must be minimize or maximize, got {value!r}.")
    return str(value).lower()


def _count(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"hydra.sweeper.{key} must be an integer >= 1, got {value!r}.")
    return value


def _rate(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError(f"hydra.sweeper.max_failure_rate must be a number in [0, 1], got {value!r}.")
    return float(value)


def _storage(value: Any) -> str | None:
    if value is None or isinstance(value, str) and value.strip():
        return value
    raise ValueError(
        f"hydra.sweeper.storage must be a database URL (sqlite:///..., postgresql://...) or null, got {value!r}."
    )


def _absolute(url: str | None) -> str | None:
    """A relative SQLite path made absolute, so a job that changes directory opens the same file."""
    if url is None or not url.startswith(_SQLITE):
        return url
    path = url[len(_SQLITE) :]
    if not path or path.startswith(":memory:") or Path(path).is_absolute():
        return url
    return _SQLITE + str(Path(path).resolve())


def _finished(study: Study) -> list:
    return study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL))


def _exception_of(ret: JobReturn) -> BaseException | None:
    # JobReturn.return_value re-raises a failed job's exception and prints "Error executing job"
    # first: wrong for a pruned job, so the stored outcome is read directly.
    outcome = getattr(ret, "_return_value", None)
    return outcome if ret.status == JobStatus.FAILED and isinstance(outcome, BaseException) else None


def _reraise(ret: JobReturn) -> None:
    """Raise a failed job's own exception, as Hydra's basic sweeper does: the user sees their traceback."""
    if _exception_of(ret) is not None:
        ret.return_value  # noqa: B018  (the property raises the job's exception)
    raise ValueError(_error_of(ret))


def _number(value: Any) -> float | None:
    """value as a float, None if it is none (NaN and inf pass: the study fails such a trial and says why)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _error_of(ret: JobReturn) -> str:
    error = _exception_of(ret)
    if error is not None:
        return f"{type(error).__name__}: {error}"
    return f"the task returned {getattr(ret, '_return_value', None)!r}, which is not a number"
