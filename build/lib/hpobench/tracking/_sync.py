"""StudyTracker: log a study's finished trials to MLflow, incrementally and idempotently.

What is logged where is read back from MLflow itself, so a resumed study (or a
re-run sweep) continues the same runs instead of duplicating them:

- the parent run of a study is found by its ``study_name`` tag;
- the trials already logged are the steps of the parent's ``n_finished`` metric
  (written last for each trial, so it is the commit point);
- a child run left half-written by a crash (status RUNNING) is deleted and redone.

Every call is batched (``MlflowClient.log_batch``); the tracker runs in the main
process only, from a background thread (BackgroundSync) and once at the end.
"""

from __future__ import annotations

import datetime
import logging
import math
import tempfile
import threading
from itertools import zip_longest
from typing import TYPE_CHECKING, Any, Iterable

from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunStatus, RunTag

from hpobench.direction import StudyDirection
from hpobench.tracking._store import ensure_store, get_or_create_experiment
from hpobench.trial import FrozenTrial, TrialState

if TYPE_CHECKING:
    from hpobench.study import Study

_logger = logging.getLogger("hpobench.tracking")

FINISHED = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)
_CHILD_STATUS = {TrialState.COMPLETE: "FINISHED", TrialState.PRUNED: "KILLED", TrialState.FAIL: "FAILED"}
_MAX_METRICS = 1000  # MLflow's per-call limits of log_batch
_MAX_PARAMS = 100
_MAX_PARAM_LEN = 6000


def _ms(when: datetime.datetime | None) -> int:
    when = when or datetime.datetime.now()
    return int(when.timestamp() * 1000)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class StudyTracker:
    """Mirror one study into MLflow: a parent run, child runs, metrics and figures.

    Args:
        uri: MLflow tracking URI (e.g. ``sqlite:///results/mlflow.db``).
        experiment: experiment name (the CLI uses the problem's name).
        study_name: the study's name; also the parent run's name and ``study_name`` tag.
        tags: more parent-run tags (sampler, pruner, problem, seed, n_workers, runner).
        log_trials: one child run per finished trial (turn off for very large sweeps).
        artifacts: log the study's figures and trials table at finish().
    """

    def __init__(
        self,
        *,
        uri: str,
        experiment: str,
        study_name: str,
        tags: dict[str, Any] | None = None,
        log_trials: bool = True,
        artifacts: bool = True,
    ) -> None:
        self.uri = uri
        self.experiment = experiment
        self.study_name = study_name
        self.tags = {key: str(value) for key, value in (tags or {}).items()}
        self.log_trials = log_trials
        self.artifacts = artifacts
        self.client: MlflowClient | None = None
        self.experiment_id = ""
        self.run_id = ""
        self._logged: set[int] = set()
        self._children: dict[int, tuple[str, str]] = {}
        self._best: float | None = None
        self._best_ready = False
        self._lock = threading.Lock()

    # --- setup ---------------------------------------------------------------------
    def start(self) -> str:
        """Open the store, find or create the study's parent run; returns its run id."""
        self.client = ensure_store(self.uri)
        self.experiment_id = get_or_create_experiment(self.client, self.experiment, self.uri)
        self.run_id = self._find_parent() or self._create_parent()
        self.client.update_run(self.run_id, status="RUNNING")
        self._logged = {int(m.step) for m in self.client.get_metric_history(self.run_id, "n_finished")}
        if self.log_trials:
            self._children = self._find_children()
        return self.run_id

    def _parents(self) -> list:
        runs = self.client.search_runs(
            [self.experiment_id], filter_string=f"tags.study_name = {_quote(self.study_name)}", max_results=100
        )
        return [run for run in runs if "mlflow.parentRunId" not in run.data.tags]

    def _find_parent(self) -> str | None:
        runs = sorted(self._parents(), key=lambda run: (run.info.start_time, run.info.run_id))
        return runs[0].info.run_id if runs else None

    def _create_parent(self) -> str:
        tags = {**self.tags, "study_name": self.study_name}
        run = self.client.create_run(self.experiment_id, tags=tags, run_name=self.study_name)
        # Two processes starting the same study at once: the oldest parent wins, the other is removed.
        winner = self._find_parent()
        if winner != run.info.run_id:
            self.client.delete_run(run.info.run_id)
        return winner

    def _find_children(self) -> dict[int, tuple[str, str]]:
        children: dict[int, tuple[str, str]] = {}
        token = None
        while True:
            page = self.client.search_runs(
                [self.experiment_id],
                filter_string=f"tags.mlflow.parentRunId = {_quote(self.run_id)}",
                max_results=1000,
                page_token=token,
            )
            for run in page:
                children[int(run.data.tags["trial_number"])] = (run.info.run_id, run.info.status)
            token = page.token
            if not token:
                return children

    # --- incremental sync --------------------------------------------------------------
    def sync(self, study: "Study") -> int:
        """Log the finished trials of study not logged yet; returns how many were logged."""
        with self._lock:
            finished = study.get_trials(deepcopy=False, states=FINISHED)
            if not self._best_ready:
                self._init_best(study, finished)
            new = sorted((t for t in finished if t.number not in self._logged), key=_completion_key)
            for batch in _chunks(new, 200):
                self._log_batch(study, batch)
            return len(new)

    def _init_best(self, study: "Study", finished: list[FrozenTrial]) -> None:
        self._sign = -1.0 if study.direction == StudyDirection.MAXIMIZE else 1.0
        done = [t.value for t in finished if t.number in self._logged and _is_scored(t)]
        self._best = min((self._sign * v for v in done), default=None)
        self._best_ready = True

    def _log_batch(self, study: "Study", trials: list[FrozenTrial]) -> None:
        if self.log_trials:
            for trial in trials:
                self._log_child(trial)
        metrics: list[Metric] = []
        for index, trial in enumerate(trials):
            when = _ms(trial.datetime_complete)
            if _is_scored(trial):
                score = self._sign * trial.value
                self._best = score if self._best is None else min(self._best, score)
                metrics.append(Metric("value", trial.value, when, trial.number))
            if self._best is not None:
                metrics.append(Metric("best_value", self._sign * self._best, when, trial.number))
            metrics.append(Metric("n_finished", float(len(self._logged) + index + 1), when, trial.number))
        for chunk in _chunks(metrics, _MAX_METRICS):
            self.client.log_batch(self.run_id, metrics=chunk)
        self._logged.update(t.number for t in trials)

    def _log_child(self, trial: FrozenTrial) -> None:
        existing = self._children.get(trial.number)
        if existing is not None:
            if RunStatus.is_terminated(RunStatus.from_string(existing[1])):
                return
            self.client.delete_run(existing[0])  # half-written by a crashed process: redo it
        run = self.client.create_run(
            self.experiment_id,
            start_time=_ms(trial.datetime_start or trial.datetime_complete),
            tags={"mlflow.parentRunId": self.run_id, "trial_number": str(trial.number), "state": trial.state.name},
            run_name=f"trial-{trial.number}",
        )
        run_id = run.info.run_id
        params = [Param(k, str(v)[:_MAX_PARAM_LEN]) for k, v in trial.params.items()]
        metrics = _curve_metrics(trial)
        if _is_scored(trial):
            metrics.append(Metric("value", trial.value, _ms(trial.datetime_complete), 0))
        for chunk_params, chunk_metrics in zip_longest(
            _chunks(params, _MAX_PARAMS), _chunks(metrics, _MAX_METRICS), fillvalue=[]
        ):
            self.client.log_batch(run_id, metrics=chunk_metrics, params=chunk_params)
        status = _CHILD_STATUS[trial.state]
        self.client.set_terminated(run_id, status=status, end_time=_ms(trial.datetime_complete))
        self._children[trial.number] = (run_id, status)

    # --- end of a run --------------------------------------------------------------------
    def finish(self, study: "Study", *, wall_time: float | None = None, status: str = "FINISHED") -> None:
        """Final sync, summary metrics and tags, figures; the parent run ends with status."""
        self.sync(study)
        trials = study.get_trials(deepcopy=False)
        counts = {state: sum(t.state == state for t in trials) for state in FINISHED}
        now = _ms(None)
        metrics = [Metric(f"n_{state.name.lower()}", float(n), now, 0) for state, n in counts.items()]
        if wall_time is not None:
            metrics.append(Metric("wall_time_s", float(wall_time), now, 0))
        tags: list[RunTag] = []
        if counts[TrialState.COMPLETE]:
            best = study.best_trial
            tags.append(RunTag("best_trial", str(best.number)))
            tags += [RunTag(f"best.{k}", str(v)[:_MAX_PARAM_LEN]) for k, v in best.params.items()]
        self.client.log_batch(self.run_id, metrics=metrics, tags=tags)
        if self.artifacts and trials:
            self._log_artifacts(study)
        self.client.set_terminated(self.run_id, status=status)

    def _log_artifacts(self, study: "Study") -> None:
        from hpobench.tracking._figures import write_figures  # matplotlib only when needed

        with tempfile.TemporaryDirectory() as folder:
            write_figures(study, folder)
            self.client.log_artifacts(self.run_id, folder)


def _is_scored(trial: FrozenTrial) -> bool:
    return trial.state == TrialState.COMPLETE and trial.value is not None and math.isfinite(trial.value)


def _completion_key(trial: FrozenTrial) -> tuple:
    when = trial.datetime_complete or datetime.datetime.max
    return (when, trial.number)


def _curve_metrics(trial: FrozenTrial) -> list[Metric]:
    """The learning curve as steps of metric 'intermediate_value', timestamps spread over the trial."""
    if not trial.intermediate_values:
        return []
    start, end = _ms(trial.datetime_start or trial.datetime_complete), _ms(trial.datetime_complete)
    steps = sorted(trial.intermediate_values)
    span = max(steps[-1], 1)
    return [
        Metric("intermediate_value", float(trial.intermediate_values[s]), start + (end - start) * s // span, int(s))
        for s in steps
    ]


class BackgroundSync:
    """Calls tracker.sync(study) every interval seconds in a daemon thread until stop().

    A failed sync (e.g. the database busy) is retried at the next tick; the final
    sync in StudyTracker.finish() catches up whatever is left.
    """

    def __init__(self, tracker: StudyTracker, study: "Study", *, interval: float = 5.0) -> None:
        self._tracker = tracker
        self._study = study
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hpobench-mlflow-sync", daemon=True)

    def __enter__(self) -> "BackgroundSync":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._tracker.sync(self._study)
            except Exception as error:  # noqa: BLE001  (retried at the next tick, reported once per failure)
                _logger.warning("MLflow sync failed, will retry: %s", error)
