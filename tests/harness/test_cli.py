"""python -m hpobench end to end: summary, storage and MLflow contents, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from mlflow import MlflowClient

import hpobench
from hpobench.cli import PROJECT_ROOT, run_study
from hpobench.trial import TrialState
from tests.harness.conftest import CHEAP, run_cli

FINISHED = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)


def _runs(uri: str) -> tuple[list, list]:
    """(parent runs, child runs) of every experiment in the store."""
    client = MlflowClient(tracking_uri=uri)
    ids = [e.experiment_id for e in client.search_experiments()]
    runs = client.search_runs(ids, max_results=5000)
    parents = [r for r in runs if "hpobench.study_key" in r.data.tags]
    return parents, [r for r in runs if "hpobench.study_run_id" in r.data.tags]


def test_default_command_runs_to_its_summary(paths):
    # The default sampler, pruner and (process-based) runner; only the problem and budget shrink.
    result = run_cli("problem=branin", "n_trials=4", *paths.overrides)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "4/4 finished" in out and "best value:" in out and "best params:" in out
    assert paths.storage in out and paths.tracking in out
    assert f"mlflow ui --backend-store-uri {paths.tracking}" in out

    (name,) = hpobench.get_all_study_names(paths.storage)
    assert name.startswith("branin-tpe-asha-local-seed0-w2-")
    study = hpobench.load_study(study_name=name, storage=paths.storage, sampler=None)
    assert len(study.get_trials(states=FINISHED)) == 4
    assert f"best value:  {study.best_value:.6g}" in out

    parents, children = _runs(paths.tracking)
    (parent,) = parents
    assert parent.data.tags["study_name"] == name
    assert {parent.data.tags[k] for k in ("sampler", "pruner", "problem", "seed", "n_workers")} == {
        "tpe",
        "asha",
        "branin",
        "0",
        "2",
    }
    assert parent.info.status == "FINISHED"
    assert sorted(int(c.data.tags["trial_number"]) for c in children) == [0, 1, 2, 3]
    client = MlflowClient(tracking_uri=paths.tracking)
    best_curve = client.get_metric_history(parent.info.run_id, "best_value")
    assert sorted(m.step for m in best_curve) == [0, 1, 2, 3]
    assert min(m.value for m in best_curve) == pytest.approx(study.best_value)
    artifacts = {a.path for a in client.list_artifacts(parent.info.run_id)}
    assert {"optimization_history.png", "learning_curves.png", "trials.csv"} <= artifacts


def _compose(*overrides: str):
    from hydra import compose, initialize_config_dir

    from hpobench.cli._app import CONF_DIR

    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        return compose("config", overrides=list(overrides))


def _name(*overrides: str) -> str:
    from hpobench.cli._config import check_settings, derive_study_name

    cfg = _compose(*overrides)
    choices = {"sampler": cfg.sampler._target_.split(".")[-1], "pruner": "p", "runner": "r"}
    return derive_study_name(cfg, choices, "prob", check_settings(cfg))


def test_study_name_is_stable_ignores_the_budget_and_follows_the_algorithm():
    base = _name("problem=branin")
    assert base == _name("problem=branin") == _name("problem=branin", "n_trials=7", "timeout=60")
    assert base.startswith("prob-TPESampler-p-r-seed0-w2-")
    assert _name("problem=branin", "sampler.n_startup_trials=3") != base
    assert _name("problem=branin", "seed=1") != base
    assert _name("problem=branin", "study_name=mine") == "mine"


def test_tracking_can_be_turned_off(paths):
    summary = run_study(_compose(*CHEAP, "n_trials=2", "tracking.enabled=false", f"storage={paths.storage}"))
    assert summary["tracking_uri"] is None and summary["n_complete"] == 2
    assert _runs(paths.tracking) == ([], [])


def test_unknown_sampler_lists_the_available_ones(paths):
    result = run_cli("sampler=nosuch", *paths.overrides, timeout=60)
    assert result.returncode != 0
    assert "Could not find 'sampler/nosuch'" in result.stderr and "Available options in 'sampler'" in result.stderr
    assert "\ttpe\n" in result.stderr and "\trandom\n" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_value_exits_with_one_clear_line(paths):
    result = run_cli(*CHEAP, *paths.overrides, "n_trials=-3", timeout=60)
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1] == "hpobench: error: n_trials must be an integer >= 1, got n_trials=-3."
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ("n_trials=-3", "n_trials must be an integer >= 1, got n_trials=-3"),
        ("n_trials=1.5", "n_trials must be an integer >= 1, got n_trials=1.5"),
        ("n_workers=0", "n_workers must be an integer >= 1, got n_workers=0"),
        ("seed=abc", "seed must be an integer >= 0, got seed='abc'"),
        ("timeout=-1", "timeout must be a positive number of seconds or null, got timeout=-1"),
        ("storage=bad://url", "storage='bad://url': Unsupported storage backend 'bad'"),
        ("problem=evalset problem.name=nosuch", "problem: Unknown problem 'nosuch'. Available problems: "),
        ("sampler.n_startup_trials=-1", "sampler: n_startup_trials"),
    ],
)
def test_invalid_values_are_named_in_one_line(paths, capsys, override, expected):
    cfg = _compose(*CHEAP, f"storage={paths.storage}", *override.split())
    with pytest.raises(SystemExit) as exited:
        run_study(cfg)
    assert exited.value.code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("hpobench: error: ") and expected in line


def test_storage_in_a_missing_folder_is_an_error_that_creates_nothing(paths, tmp_path):
    missing = tmp_path / "no" / "such" / "folder"
    result = run_cli(*CHEAP, "n_trials=1", *paths.overrides, f"storage=sqlite:///{missing / 'x.db'}")
    assert result.returncode == 2
    assert "does not exist" in result.stderr and str(missing) in result.stderr
    assert not (tmp_path / "no").exists()


def test_console_shows_no_mlflow_info_lines_even_for_a_fresh_store(paths, tmp_path):
    fresh = f"sqlite:///{tmp_path / 'fresh' / 'mlflow.db'}"  # schema migrations log INFO lines by default
    (tmp_path / "fresh").mkdir()
    result = run_cli(*CHEAP, "n_trials=2", *paths.overrides, f"tracking.uri={fresh}")
    assert result.returncode == 0, result.stderr
    assert "INFO" not in result.stderr and "Warning" not in result.stderr, result.stderr


def test_tracking_uri_defaults_to_mlflow_tracking_uri(monkeypatch):
    from hydra import compose, initialize_config_dir

    from hpobench.cli._app import CONF_DIR

    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://tracking.example:5000")
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        assert compose("config").tracking.uri == "http://tracking.example:5000"
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        assert compose("config").tracking.uri == f"sqlite:///{PROJECT_ROOT / 'results' / 'mlflow.db'}"


def test_progress_bar_ends_where_the_summary_does_after_a_resume(tmp_path, capsys):
    from hpobench.cli._progress import TrialBar

    storage = f"sqlite:///{tmp_path / 'bar.db'}"
    study = hpobench.create_study(study_name="bar", storage=storage)
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
    left_running = study.ask()  # what a killed process leaves behind
    bar = TrialBar(study, 4, enabled=True)
    study.tell(left_running, state=TrialState.FAIL)  # the runner fails it on resume, without the callbacks
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1, callbacks=[bar])
    bar.close(study)
    assert "4/4" in capsys.readouterr().err


def test_mlflow_tracking_uri_is_honoured_and_the_parent_run_logs_the_resolved_settings(paths):
    """Issue 15 point 5, end to end: no tracking.uri on the command line, MLFLOW_TRACKING_URI set;
    the parent run lands in that store with the built objects' settings as params."""
    overrides = [f"storage={paths.storage}", f"hydra.run.dir={paths.root / 'run'}", "sampler.n_startup_trials=2"]
    env = {**os.environ, "MLFLOW_TRACKING_URI": paths.tracking}
    result = subprocess.run(
        [sys.executable, "-m", "hpobench", *CHEAP, "n_trials=3", "pruner=median", "seed=7", *overrides],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert f"MLflow:      {paths.tracking}" in result.stdout
    client = MlflowClient(tracking_uri=paths.tracking)
    (experiment,) = [e for e in client.search_experiments() if e.name == "branin"]
    (parent,) = client.search_runs([experiment.experiment_id])
    params = parent.data.params
    assert params["sampler.class"] == "hpobench.samplers.tpe.TPESampler"
    assert params["sampler.n_startup_trials"] == "2" and params["sampler.seed"] == "7"
    assert params["pruner.class"] == "hpobench.pruners.median.MedianPruner"
    assert params["problem.class"] == "hpobench.problems.synthetic.classic.Branin" and params["problem.seed"] == "7"
    assert params["runner.class"] == "hpobench.runners.inprocess.InProcessRunner"
    assert {k.split(".")[0] for k in params} >= {"sampler", "pruner", "problem", "runner"}
