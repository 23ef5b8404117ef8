"""StudyTracker: log a study's finished trials to MLflow, incrementally and idempotently.

Layout: the study's parent run in experiment ``<experiment>`` (so the page a user
opens lists one row per study), one run per trial in the sibling experiment
``<experiment>/trials``, tagged ``hpobench.study_run_id`` and ``study_name``; the
parent's description links there.

What is logged where is read back from MLflow itself, so a resumed study (or a
re-run sweep) continues the same runs instead of duplicating them:

- the parent run of a study is found by its ``hpobench.study_key`` tag, a hash of
  the storage and the study name (the same name in two storages is two studies);
- the trials already logged are the steps of the parent's ``n_finished`` metric
  (written last for each trial, so it is the commit point);
- a trial run left half-written by a crash (status RUNNING) is deleted and redone;
- summary metrics are rewritten only when something changed: wall time adds up
  over resumed runs, a no-op re-run changes no metric, and the parent's start and
  end times are those of its first trial start and last trial end.

Every call is batched (``MlflowClient.log_batch``); the tracker runs in the main
process only, from a background thread (BackgroundSync) and once at the end.
"""

from __future__ import annotations

import datetime
import logging
import math
import tempfile
import threading
from collections.abc import Iterable
from itertools import zip_longest
from typing import TYPE_CHECKING, Any

from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunStatus, RunTag

from hpobench.direction import StudyDirection
from hpobench.storages import masked
from hpobench.tracking._params import component_params, study_key
from hpobench.tracking._store import default_tracking_uri, ensure_store, get_or_create_experiment
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
        uri: MLflow tracking URI (e.g. ``sqlite:///results/mlflow.db``); None:
            ``MLFLOW_TRACKING_URI`` when set, else ``results/mlflow.db`` under hpobench.paths.results_root().
        experiment: experiment name (the CLI uses the problem's name); trial runs go
            to ``<experiment>/trials``.
        study_name: the study's name; also the parent run's name and ``study_name`` tag.
        storage: the study's storage URL (None: in memory); with study_name it identifies
            the parent run, and its masked form is the ``hpobench.storage`` tag.
        tags: more parent-run tags (sampler, pruner, problem, seed, n_workers, runner).
        components: built objects whose settings become params, e.g.
            ``{"problem": problem, "runner": runner}``; the study's sampler and pruner
            are added at the first sync() when not given.
        log_trials: one run per finished trial (turn off for very large sweeps).
        artifacts: log the study's figures and trials table at finish().
    """

    def __init__(
        self,
        *,
        uri: str | None = None,
        experiment: str,
        study_name: str,
        storage: str | None = None,
        tags: dict[str, Any] | None = None,
        components: dict[str, Any] | None = None,
        log_trials: bool = True,
        artifacts: bool = True,
    ) -> None:
        self.uri = uri or default_tracking_uri()
        self.experiment = experiment
        self.study_name = study_name
        self.storage = storage
        self.study_key = study_key(storage, study_name)
        self.tags = {key: str(value) for key, value in (tags or {}).items()}
        self.components = dict(components or {})
        self.trials_experiment_id = ""
        self._params_logged = False
        self._n_new = 0  # trials this tracker logged: 0 at finish() means a no-op re-run
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

    @property
    def _mlflow(self) -> MlflowClient:
        if self.client is None:
            raise RuntimeError("StudyTracker.start() opens the MLflow store first.")
        return self.client

    # --- setup ---------------------------------------------------------------------
    def start(self) -> str:
        """Open the store, find or create the study's parent run; returns its run id."""
        self.client = ensure_store(self.uri)
        self.experiment_id = get_or_create_experiment(self.client, self.experiment, self.uri)
        if self.log_trials:
            self.trials_experiment_id = get_or_create_experiment(self.client, self.trials_experiment, self.uri)
        self.run_id = self._find_parent() or self._create_parent()
        self._mlflow.update_run(self.run_id, status="RUNNING")
        self._logged = {int(m.step) for m in self._mlflow.get_metric_history(self.run_id, "n_finished")}
        if self.log_trials:
            self._children = self._find_children()
        self._log_params({})
        return self.run_id

    @property
    def trials_experiment(self) -> str:
        """The sibling experiment of the trial runs, kept off the studies' page."""
        return f"{self.experiment}/trials"

    def _parents(self) -> list:
        runs = self._mlflow.search_runs(
            [self.experiment_id],
            filter_string=f"tags.`hpobench.study_key` = {_quote(self.study_key)}",
            max_results=100,
        )
        return list(runs)

    def _find_parent(self) -> str | None:
        runs = sorted(self._parents(), key=lambda run: (run.info.start_time, run.info.run_id))
        return runs[0].info.run_id if runs else None

    def _create_parent(self) -> str:
        tags = {
            **self.tags,
            "study_name": self.study_name,
            "hpobench.study_key": self.study_key,
            "hpobench.storage": masked(self.storage) or "memory",
        }
        run = self._mlflow.create_run(self.experiment_id, tags=tags, run_name=self.study_name)
        # Two processes starting the same study at once: the oldest parent wins, the other is removed.
        winner = self._find_parent() or run.info.run_id  # ours, if the search does not see it yet
        if winner != run.info.run_id:
            self._mlflow.delete_run(run.info.run_id)
        elif self.log_trials:
            self._mlflow.set_tag(winner, "mlflow.note.content", self._note(winner))
        return winner

    def _note(self, run_id: str) -> str:
        """The parent run's description: where its trial runs are, one click away."""
        link = f"#/experiments/{self.trials_experiment_id}"
        return (
            f"Trials of this study: experiment [{self.trials_experiment}]({link}), "
            f"filter `tags.hpobench.study_run_id = '{run_id}'`."
        )

    def _log_params(self, extra: dict[str, Any]) -> None:
        """Log the settings of the components as params once; a value already logged is kept."""
        wanted = component_params({**extra, **self.components})
        logged = self._mlflow.get_run(self.run_id).data.params
        changed = sorted(key for key in wanted if key in logged and logged[key] != wanted[key])
        if changed:  # MLflow params are immutable; a different setting normally means another study name
            _logger.warning("MLflow run %s keeps its logged params %s", self.run_id, ", ".join(changed))
        new = [Param(key, value) for key, value in wanted.items() if key not in logged]
        for chunk in _chunks(new, _MAX_PARAMS):
            self._mlflow.log_batch(self.run_id, params=chunk)

    def _find_children(self) -> dict[int, tuple[str, str]]:
        children: dict[int, tuple[str, str]] = {}
        token = None
        while True:
            page = self._mlflow.search_runs(
                [self.trials_experiment_id],
                filter_string=f"tags.`hpobench.study_run_id` = {_quote(self.run_id)}",
                max_results=1000,
                page_token=token,
            )
            for run in page:
                children[int(run.data.tags["trial_number"])] = (run.info.run_id, run.info.status)
            token = page.token
            if not token:
                return children

    # --- incremental sync --------------------------------------------------------------
    def sync(self, study: Study) -> int:
        """Log the finished trials of study not logged yet; returns how many were logged."""
        with self._lock:
            finished = study.get_trials(deepcopy=False, states=FINISHED)
            if not self._best_ready:
                self._init_best(study, finished)
            if not self._params_logged:
                self._log_params({"sampler": study.sampler, "pruner": study.pruner})
                self._params_logged = True
            new = sorted((t for t in finished if t.number not in self._logged), key=_completion_key)
            for batch in _chunks(new, 200):
                self._log_batch(study, batch)
            return len(new)

    def _init_best(self, study: Study, finished: list[FrozenTrial]) -> None:
        self._sign = -1.0 if study.direction == StudyDirection.MAXIMIZE else 1.0
        done = [_score(t) for t in finished if t.number in self._logged]
        self._best = min((self._sign * v for v in done if v is not None), default=None)
        self._best_ready = True

    def _log_batch(self, study: Study, trials: list[FrozenTrial]) -> None:
        if self.log_trials:
            for trial in trials:
                self._log_child(trial)
        metrics: list[Metric] = []
        for index, trial in enumerate(trials):
            when = _ms(trial.datetime_complete)
            value = _score(trial)
            if value is not None:
                score = self._sign * value
                self._best = score if self._best is None else min(self._best, score)
                metrics.append(Metric("value", value, when, trial.number))
            if self._best is not None:
                metrics.append(Metric("best_value", self._sign * self._best, when, trial.number))
            metrics.append(Metric("n_finished", float(len(self._logged) + index + 1), when, trial.number))
        for chunk in _chunks(metrics, _MAX_METRICS):
            self._mlflow.log_batch(self.run_id, metrics=chunk)
        self._logged.update(t.number for t in trials)
        self._n_new += len(trials)

    def _log_child(self, trial: FrozenTrial) -> None:
        existing = self._children.get(trial.number)
        if existing is not None:
            if RunStatus.is_terminated(RunStatus.from_string(existing[1])):
                return
            self._mlflow.delete_run(existing[0])  # half-written by a crashed process: redo it
        tags = {
            **self.tags,
            "hpobench.study_run_id": self.run_id,
            "study_name": self.study_name,
            "trial_number": str(trial.number),
            "state": trial.state.name,
        }
        run = self._mlflow.create_run(
            self.trials_experiment_id,
            start_time=_ms(trial.datetime_start or trial.datetime_complete),
            tags=tags,
            run_name=f"{self.study_name}/trial-{trial.number}",
        )
        run_id = run.info.run_id
        params = [Param(k, str(v)[:_MAX_PARAM_LEN]) for k, v in trial.params.items()]
        metrics = _curve_metrics(trial)
        value = _score(trial)
        if value is not None:
            metrics.append(Metric("value", value, _ms(trial.datetime_complete), 0))
        empty: list[Any] = []
        for chunk_params, chunk_metrics in zip_longest(
            _chunks(params, _MAX_PARAMS), _chunks(metrics, _MAX_METRICS), fillvalue=empty
        ):
            self._mlflow.log_batch(run_id, metrics=chunk_metrics, params=chunk_params)
        status = _CHILD_STATUS[trial.state]
        self._mlflow.set_terminated(run_id, status=status, end_time=_ms(trial.datetime_complete))
        self._children[trial.number] = (run_id, status)

    # --- end of a run --------------------------------------------------------------------
    def finish(self, study: Study, *, wall_time: float | None = None, status: str = "FINISHED") -> None:
        """Final sync, summary metrics and tags, figures; the parent run ends with status.

        Nothing is rewritten when this tracker logged no trial and the counts are
        those already logged (a no-op re-run); otherwise wall_time is added to the
        wall time logged by earlier runs of the same study.
        """
        self.sync(study)
        trials = study.get_trials(deepcopy=False)
        run = self._mlflow.get_run(self.run_id)
        logged = run.data.metrics
        summary = _summary_metrics(trials)
        if self._n_new or any(logged.get(key) != value for key, value in summary.items()):
            if wall_time is not None:
                summary["wall_time_s"] = logged.get("wall_time_s", 0.0) + float(wall_time)
            self._log_summary(study, summary)
            if self.artifacts and trials:
                self._log_artifacts(study)
        end = max(_last_end(trials) or _ms(None), run.info.start_time)
        self._mlflow.set_terminated(self.run_id, status=status, end_time=end)

    def _log_summary(self, study: Study, summary: dict[str, float]) -> None:
        now = _ms(None)
        metrics = [Metric(key, value, now, 0) for key, value in summary.items()]
        tags: list[RunTag] = []
        if summary["n_complete"]:
            best = study.best_trial
            tags.append(RunTag("best_trial", str(best.number)))
            tags += [RunTag(f"best.{k}", str(v)[:_MAX_PARAM_LEN]) for k, v in best.params.items()]
        self._mlflow.log_batch(self.run_id, metrics=metrics, tags=tags)

    def _log_artifacts(self, study: Study) -> None:
        from hpobench.tracking._figures import write_figures  # matplotlib only when needed

        with tempfile.TemporaryDirectory() as folder:
            write_figures(study, folder)
            self._mlflow.log_artifacts(self.run_id, folder)


def _summary_metrics(trials: list[FrozenTrial]) -> dict[str, float]:
    """Counts per state, epochs trained (steps reported) and, for simulated runs, virtual seconds."""
    metrics = {f"n_{state.name.lower()}": float(sum(t.state == state for t in trials)) for state in FINISHED}
    metrics["n_steps"] = float(sum(len(t.intermediate_values) for t in trials if t.state in FINISHED))
    sim_ends = [t.system_attrs["sim_end"] for t in trials if "sim_end" in t.system_attrs]
    if sim_ends:
        metrics["sim_time_s"] = float(max(sim_ends))
    return metrics


def _last_end(trials: list[FrozenTrial]) -> int | None:
    """When the study's last trial ended (ms), so the parent's duration is that of the work."""
    ends = [t.datetime_complete for t in trials if t.datetime_complete is not None]
    return _ms(max(ends)) if ends else None


def _score(trial: FrozenTrial) -> float | None:
    """The value of a COMPLETE trial with a finite value, else None."""
    value = trial.value
    return value if trial.state == TrialState.COMPLETE and value is not None and math.isfinite(value) else None


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

    def __init__(self, tracker: StudyTracker, study: Study, *, interval: float = 5.0) -> None:
        self._tracker = tracker
        self._study = study
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hpobench-mlflow-sync", daemon=True)

    def __enter__(self) -> BackgroundSync:
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
