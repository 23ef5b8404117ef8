"""StudyTracker on real MLflow SQLite stores: once-only logging, resume, crash repair, figures."""

from __future__ import annotations

import numpy as np
import pytest
from mlflow import MlflowClient

import hpobench
from hpobench.pruners import NopPruner
from hpobench.samplers import RandomSampler
from hpobench.tracking import StudyTracker
from hpobench.tracking._figures import write_figures
from hpobench.tracking._importance import forest_importances, param_importances


def _study(n_trials: int, direction: str = "minimize") -> hpobench.Study:
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=NopPruner(), direction=direction)

    def objective(trial):
        x = trial.suggest_float("x", -2, 2)
        kind = trial.suggest_categorical("kind", ["a", "b"])
        for step in range(1, 4):
            trial.report(x**2 + step, step)
        if trial.number == 2:
            raise hpobench.TrialPruned()
        return x**2 + (kind == "b")

    study.optimize(objective, n_trials=n_trials)
    return study


def _tracker(paths, **kwargs) -> StudyTracker:
    kwargs = {
        "uri": paths.tracking,
        "experiment": "toy",
        "study_name": "toy-study",
        "tags": {"sampler": "random"},
        **kwargs,
    }
    tracker = StudyTracker(**kwargs)
    tracker.start()
    return tracker


def _children(tracker: StudyTracker) -> list:
    if not tracker.trials_experiment_id:
        return []
    client = MlflowClient(tracking_uri=tracker.uri)
    runs = client.search_runs([tracker.trials_experiment_id], max_results=1000)
    return [r for r in runs if r.data.tags.get("hpobench.study_run_id") == tracker.run_id]


def test_sync_logs_each_finished_trial_once(paths):
    study = _study(5)
    tracker = _tracker(paths)
    assert tracker.sync(study) == 5
    assert tracker.sync(study) == 0
    children = _children(tracker)
    assert sorted(int(c.data.tags["trial_number"]) for c in children) == [0, 1, 2, 3, 4]
    by_number = {int(c.data.tags["trial_number"]): c for c in children}
    assert by_number[2].data.tags["state"] == "PRUNED" and by_number[2].info.status == "KILLED"
    assert by_number[0].data.params["kind"] == study.trials[0].params["kind"]
    curve = MlflowClient(tracking_uri=paths.tracking).get_metric_history(by_number[1].info.run_id, "intermediate_value")
    assert sorted((m.step, m.value) for m in curve) == sorted(study.trials[1].intermediate_values.items())


def test_best_value_metric_is_the_running_best(paths):
    study = _study(8, direction="maximize")
    tracker = _tracker(paths)
    tracker.sync(study)
    history = MlflowClient(tracking_uri=paths.tracking).get_metric_history(tracker.run_id, "best_value")
    ordered = [m.value for m in sorted(history, key=lambda m: m.step)]
    assert ordered == list(np.maximum.accumulate(ordered))
    assert ordered[-1] == pytest.approx(study.best_value)


def test_a_second_tracker_resumes_without_duplicates(paths):
    study = _study(3)
    first = _tracker(paths)
    first.sync(study)
    study.optimize(lambda t: t.suggest_float("x", -2, 2) ** 2, n_trials=2)
    second = _tracker(paths)
    assert second.run_id == first.run_id
    assert second.sync(study) == 2
    assert sorted(int(c.data.tags["trial_number"]) for c in _children(second)) == [0, 1, 2, 3, 4]


def test_half_written_child_of_a_crash_is_redone(paths):
    study = _study(2)
    tracker = _tracker(paths)
    client = MlflowClient(tracking_uri=paths.tracking)
    # What a process killed between create_run and set_terminated leaves behind.
    client.create_run(tracker.trials_experiment_id, tags={"hpobench.study_run_id": tracker.run_id, "trial_number": "0"})
    resumed = _tracker(paths)
    assert resumed.sync(study) == 2
    children = _children(resumed)
    assert sorted(int(c.data.tags["trial_number"]) for c in children) == [0, 1]
    assert {c.info.status for c in children} == {"FINISHED"}


def test_without_child_runs_the_parent_still_gets_the_curve(paths):
    study = _study(4)
    tracker = _tracker(paths, log_trials=False)
    tracker.finish(study, wall_time=1.0)
    assert _children(tracker) == []
    client = MlflowClient(tracking_uri=paths.tracking)
    run = client.get_run(tracker.run_id)
    assert run.info.status == "FINISHED"
    assert run.data.metrics["n_complete"] == 3 and run.data.metrics["n_pruned"] == 1
    assert run.data.tags["sampler"] == "random" and run.data.tags["study_name"] == "toy-study"
    assert sorted(m.step for m in client.get_metric_history(tracker.run_id, "n_finished")) == [0, 1, 2, 3]
    assert {a.path for a in client.list_artifacts(tracker.run_id)} >= {"optimization_history.png", "trials.csv"}


def test_forest_importances_find_the_one_parameter_that_matters():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(60, 3))
    scores = forest_importances(x, np.sin(6 * x[:, 1]), seed=0)
    assert scores.argmax() == 1 and scores.sum() == pytest.approx(1.0)


def test_param_importances_and_figures_on_a_study(tmp_path):
    study = _study(12)
    importances = param_importances(study.trials)
    assert set(importances) == {"x", "kind"} and sum(importances.values()) == pytest.approx(1.0)
    written = write_figures(study, tmp_path)
    figures = [
        "optimization_history",
        "learning_curves",
        "param_importances",
        "slice",
        "contour",
        "parallel_coordinate",
    ]
    assert {p.name for p in written} == {f"{f}.{ext}" for f in figures for ext in ("png", "html")} | {"trials.csv"}
    assert all(p.stat().st_size > 0 for p in written)


def test_an_experiment_deleted_in_the_ui_is_restored(paths):
    study = _study(2)
    first = _tracker(paths)
    MlflowClient(tracking_uri=paths.tracking).delete_experiment(first.experiment_id)
    again = _tracker(paths)
    assert again.experiment_id == first.experiment_id and again.sync(study) == 2


def test_one_study_name_in_two_storages_is_two_parent_runs(paths, tmp_path):
    """Issue 13.1: the parent run is found by storage + name, never by name alone."""
    parents = []
    for name in ("a.db", "b.db"):
        storage = f"sqlite:///{tmp_path / name}"
        study = hpobench.create_study(study_name="same", storage=storage, sampler=RandomSampler(seed=0))
        study.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2, n_trials=3)
        tracker = _tracker(paths, study_name="same", storage=storage)
        tracker.finish(study, wall_time=1.0)
        parents.append(MlflowClient(tracking_uri=paths.tracking).get_run(tracker.run_id))
        assert len(_children(tracker)) == 3
    first, second = parents
    assert first.info.run_id != second.info.run_id
    assert first.data.tags["hpobench.storage"].endswith("a.db") and second.data.tags["hpobench.storage"].endswith(
        "b.db"
    )
    again = _tracker(paths, study_name="same", storage=f"sqlite:///{tmp_path / 'b.db'}")
    assert again.run_id == second.info.run_id


def test_parent_run_params_are_the_built_objects_settings(paths):
    """Issue 15.5: the settings of sampler, pruner, problem and runner, read from the objects."""
    from hpobench.problems.synthetic import Branin
    from hpobench.pruners import SuccessiveHalvingPruner
    from hpobench.runners import InProcessRunner
    from hpobench.samplers import TPESampler

    study = hpobench.create_study(
        sampler=TPESampler(n_startup_trials=3, seed=1), pruner=SuccessiveHalvingPruner(reduction_factor=3)
    )
    tracker = _tracker(paths, components={"problem": Branin(noise_std=0.5), "runner": InProcessRunner()})
    study.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2, n_trials=2)
    tracker.finish(study, wall_time=0.5)
    params = MlflowClient(tracking_uri=paths.tracking).get_run(tracker.run_id).data.params
    assert params["sampler.n_startup_trials"] == "3" and params["sampler.seed"] == "1"
    assert params["pruner.reduction_factor"] == "3" and params["pruner.min_resource"] == "auto"
    assert params["sampler.class"].endswith("TPESampler") and params["problem.class"].endswith("Branin")
    assert params["problem.noise_std"] == "0.5" and params["runner.class"].endswith("InProcessRunner")


def test_tracking_uri_defaults_to_the_environment(paths, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", paths.tracking)
    tracker = StudyTracker(experiment="toy", study_name="from-env")
    assert tracker.uri == paths.tracking
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    assert StudyTracker(experiment="toy", study_name="x").uri.endswith("/results/mlflow.db")


def test_wall_time_adds_up_and_a_no_op_rerun_changes_no_metric(paths):
    study = _study(3)
    _tracker(paths).finish(study, wall_time=2.0)
    study.optimize(lambda t: t.suggest_float("x", -2, 2) ** 2, n_trials=2)
    _tracker(paths).finish(study, wall_time=3.0)  # resumed: 2 more trials
    client = MlflowClient(tracking_uri=paths.tracking)
    tracker = _tracker(paths)
    before = client.get_run(tracker.run_id)
    assert before.data.metrics["wall_time_s"] == pytest.approx(5.0)
    assert before.data.metrics["n_complete"] == 4 and before.data.metrics["n_steps"] == 9
    tracker.finish(study, wall_time=0.01)  # the same command again: nothing to do
    after = client.get_run(tracker.run_id)
    assert after.data.metrics == before.data.metrics
    assert after.info.end_time == before.info.end_time
    last_end = max(t.datetime_complete for t in study.trials)
    assert after.info.end_time == int(last_end.timestamp() * 1000)  # the work's end, not the re-run's


def test_trial_runs_stay_off_the_studies_experiment(paths):
    study = _study(4)
    tracker = _tracker(paths)
    tracker.finish(study, wall_time=1.0)
    client = MlflowClient(tracking_uri=paths.tracking)
    assert [r.info.run_id for r in client.search_runs([tracker.experiment_id])] == [tracker.run_id]
    assert client.get_experiment(tracker.trials_experiment_id).name == "toy/trials"
    assert len(_children(tracker)) == 4
    assert "toy/trials" in client.get_run(tracker.run_id).data.tags["mlflow.note.content"]
