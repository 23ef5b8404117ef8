"""hydra/sweeper=hpobench on a user's Hydra app (tests/sweeper/app): real sweeps in subprocesses.

Each test starts the app as a user would (``python app.py -m ...``) in its own
directory, then reads the study back from the SQLite file the sweep wrote.
"""

from __future__ import annotations

import collections
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mlflow import MlflowClient
from omegaconf import OmegaConf

import hpobench
from hpobench.runners.base import ORPHAN_REASON
from hpobench.trial import TrialState

APP = Path(__file__).parent / "app" / "app.py"
EPOCHS = 8  # tests/sweeper/app/conf/config.yaml


def _command(*overrides: str) -> list[str]:
    return [sys.executable, str(APP), "-m", *overrides]


def run_app(cwd: Path, *overrides: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(_command(*overrides), cwd=cwd, capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _study(cwd: Path) -> hpobench.Study:
    storage = f"sqlite:///{cwd / 'hpobench.db'}"
    (name,) = hpobench.get_all_study_names(storage)
    return hpobench.load_study(study_name=name, storage=storage)


def _epochs_run(log: Path) -> dict[int, list[int]]:
    """trial number -> the epochs its job really ran (from the app's log)."""
    epochs: dict[int, list[int]] = collections.defaultdict(list)
    for line in log.read_text().splitlines():
        number, epoch, _pid = map(int, line.split())
        epochs[number].append(epoch)
    return dict(epochs)


def _check_trials(study: hpobench.Study, log: Path) -> None:
    """Every trial's stored curve is what its job ran; pruned jobs stopped early, complete ones did not."""
    epochs = _epochs_run(log)
    for trial in study.trials:
        steps = sorted(trial.intermediate_values)
        assert steps == epochs[trial.number]
        last = trial.intermediate_values[steps[-1]]
        if trial.state == TrialState.PRUNED:
            assert len(steps) < EPOCHS and trial.value == last
        else:
            assert trial.state == TrialState.COMPLETE and len(steps) == EPOCHS and trial.value == last
        assert 0.0 <= trial.params["x"] <= 1.0 and trial.params["width"] in (1, 2, 3, 4)


def test_pruning_sweep_with_the_basic_launcher_then_a_rerun_resumes_it(tmp_path):
    log = tmp_path / "epochs.log"
    sweep = ["hydra/sweeper/pruner=asha", f"log={log}"]
    result = run_app(tmp_path, *sweep, "hydra.sweeper.n_trials=6")
    study = _study(tmp_path)
    states = collections.Counter(t.state for t in study.trials)
    assert [t.number for t in study.trials] == list(range(6))
    assert states[TrialState.PRUNED] >= 1 and states[TrialState.COMPLETE] >= 1 and not states[TrialState.FAIL]
    _check_trials(study, log)
    assert (
        study.study_name.startswith("app-tpe-asha-seed0-") and f"Study {study.study_name!r} finished" in result.stdout
    )
    (results,) = tmp_path.glob("multirun/*/*/optimization_results.yaml")
    saved = OmegaConf.load(results)
    assert saved.best_value == study.best_value and saved.best_params == study.best_params

    before = {t.number: (t.state, t.value, t.params) for t in study.trials}
    run_app(tmp_path, *sweep, "hydra.sweeper.n_trials=8")  # the same sweep, a larger budget
    resumed = _study(tmp_path)
    assert [t.number for t in resumed.trials] == list(range(8))
    assert {t.number: (t.state, t.value, t.params) for t in resumed.trials if t.number < 6} == before
    assert set(_epochs_run(log)) == set(range(8))  # trials 0-5 were not run again
    _check_trials(resumed, log)


@pytest.mark.slow
def test_joblib_launcher_runs_jobs_in_other_processes_that_report_and_get_pruned(tmp_path):
    log = tmp_path / "epochs.log"
    run_app(
        tmp_path,
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        "hydra/sweeper/pruner=asha",
        "hydra.sweeper.n_trials=4",
        f"log={log}",
    )
    study = _study(tmp_path)
    assert sorted(t.number for t in study.trials) == [0, 1, 2, 3]
    assert any(t.state == TrialState.PRUNED for t in study.trials)
    _check_trials(study, log)
    pids = {int(line.split()[2]) for line in log.read_text().splitlines()}
    assert len(pids) >= 2  # two worker processes, none of them the sweeper's


def test_mlflow_tracking_mirrors_the_study_and_jobs_may_suggest_more(tmp_path):
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    run_app(
        tmp_path,
        "hydra/sweeper/pruner=asha",
        "hydra.sweeper.n_trials=4",
        "hydra.sweeper.tracking.enabled=true",
        f"hydra.sweeper.tracking.uri={uri}",
        "hydra.sweeper.tracking.artifacts=false",
        "suggest_in_job=true",
    )
    study = _study(tmp_path)
    assert all(t.params["depth"] in (1, 2, 3) for t in study.trials)  # suggested by the job itself
    client = MlflowClient(tracking_uri=uri)
    experiment = client.get_experiment_by_name("app")
    trials_experiment = client.get_experiment_by_name("app/trials")  # trial runs off the studies' page
    runs = client.search_runs([experiment.experiment_id, trials_experiment.experiment_id])
    (parent,) = [r for r in runs if "hpobench.study_run_id" not in r.data.tags]
    assert parent.data.tags["study_name"] == study.study_name and parent.info.status == "FINISHED"
    assert (parent.data.tags["sampler"], parent.data.tags["pruner"]) == ("tpe", "asha")
    children = {int(r.data.tags["trial_number"]): r for r in runs if r.data.tags.get("hpobench.study_run_id")}
    assert {n: r.data.tags["state"] for n, r in children.items()} == {t.number: t.state.name for t in study.trials}
    assert client.get_metric_history(parent.info.run_id, "best_value")[-1].value == study.best_value
    assert all(set(r.data.params) == {"x", "width", "depth"} for r in children.values())


def test_failed_jobs_are_stored_and_stop_the_sweep_only_past_max_failure_rate(tmp_path):
    tolerant = run_app(tmp_path, "fail_above=0.5", "hydra.sweeper.n_trials=4", "hydra.sweeper.max_failure_rate=1.0")
    failed = [t for t in _study(tmp_path).trials if t.state == TrialState.FAIL]
    assert failed and all("too large" in t.system_attrs["fail_reason"] for t in failed), tolerant.stdout

    strict = run_app(
        tmp_path / "..",
        f"hydra.sweeper.storage=sqlite:///{tmp_path / 'strict.db'}",
        "fail_above=0.5",
        "hydra.sweeper.n_trials=4",
        check=False,
    )
    assert strict.returncode == 1 and "is too large" in strict.stderr
    stored = hpobench.load_study(study_name=None, storage=f"sqlite:///{tmp_path / 'strict.db'}").trials
    assert stored and all(t.state.is_finished() for t in stored)  # the batch was told before the sweep stopped


@pytest.mark.slow
def test_a_killed_sweep_resumes_without_duplicates(tmp_path):
    sweep = ["hydra.sweeper.n_trials=5", "hydra.sweeper.n_jobs=1", "sleep=0.1"]
    storage = f"sqlite:///{tmp_path / 'hpobench.db'}"
    process = subprocess.Popen(_command(*sweep), cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_a_trial_halfway(storage, n_finished=2)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    run_app(tmp_path, *sweep)
    trials = _study(tmp_path).trials
    assert [t.number for t in trials] == [0, 1, 2, 3, 4]  # the orphan counts as finished: 5 in all
    (orphan,) = [t for t in trials if t.state == TrialState.FAIL]
    assert orphan.system_attrs["fail_reason"] == ORPHAN_REASON and orphan.intermediate_values
    assert all(t.state == TrialState.COMPLETE for t in trials if t is not orphan)


def _wait_for_a_trial_halfway(storage: str, *, n_finished: int) -> None:
    """Until n_finished trials are done and the next has reported (so it is still running when killed)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        trials = _trials_or_none(storage)
        done = [t for t in trials if t.state.is_finished()]
        if len(done) >= n_finished and any(t.state == TrialState.RUNNING and t.intermediate_values for t in trials):
            return
        time.sleep(0.1)
    raise AssertionError("the sweep did not get that far in 120 s")


def _trials_or_none(storage: str) -> list:
    try:
        (name,) = hpobench.get_all_study_names(storage)
    except ValueError:  # no study yet
        return []
    return hpobench.load_study(study_name=name, storage=storage).trials


def test_hydra_optuna_sweeper_settings_work_unchanged(tmp_path):
    """The keys an Optuna-sweeper config sets: sampler seed, direction, study name, in-memory storage, n_jobs."""
    result = run_app(
        tmp_path,
        "hydra.sweeper.sampler.seed=123",
        "hydra.sweeper.direction=maximize",
        "hydra.sweeper.study_name=mine",
        "hydra.sweeper.storage=null",
        "hydra.sweeper.n_jobs=1",
        "hydra.sweeper.n_trials=3",
        "x=range(0, 1, step=0.25)",
        "width=choice(1, 2)",
    )
    assert "Study 'mine' finished" in result.stdout and "storage:     in memory" in result.stdout
    (results,) = tmp_path.glob("multirun/*/*/optimization_results.yaml")
    saved = OmegaConf.load(results)
    assert saved.direction == "maximize" and saved.n_complete == 3
    assert saved.best_params.x in (0.0, 0.25, 0.5, 0.75, 1.0) and saved.best_params.width in (1, 2)
    assert not (tmp_path / "hpobench.db").exists()


def test_a_bad_setting_is_named(tmp_path):
    result = run_app(tmp_path, "hydra.sweeper.n_trials=0", check=False)
    assert result.returncode == 1
    assert "hydra.sweeper.n_trials must be an integer >= 1, got 0" in result.stderr
    assert not (tmp_path / "hpobench.db").exists()


def test_a_single_run_of_the_same_app_has_no_trial(tmp_path):
    log = tmp_path / "epochs.log"
    result = subprocess.run(
        [sys.executable, str(APP), "x=0.3", f"log={log}"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert set(_epochs_run(log)) == {-1}  # current_trial() was None: the app ran its plain loop
