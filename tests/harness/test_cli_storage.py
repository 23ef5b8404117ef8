"""python -m hpobench and its storage: one-line errors (exit 2), masked passwords, and a password
kept out of Hydra's files by taking it from the environment (``${oc.env:...}``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from mlflow import MlflowClient

import hpobench
from hpobench.cli import PROJECT_ROOT, run_study
from tests.harness.conftest import CHEAP
from tests.harness.test_cli import _compose

PASSWORD = "cli-" + uuid.uuid4().hex[:10]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _error_line(capsys, *overrides: str) -> tuple[str, str]:
    """(the one error line, all output) of run_study on overrides, which must exit with status 2."""
    with pytest.raises(SystemExit) as exited:
        run_study(_compose(*overrides))
    out, err = capsys.readouterr()
    assert exited.value.code == 2
    (line,) = err.strip().splitlines()
    assert line.startswith("hpobench: error: ")
    return line, out + err


def test_an_unreachable_server_is_one_line_with_the_password_masked(paths, capsys):
    url = f"postgresql://u:{PASSWORD}@127.0.0.1:{_closed_port()}/db"
    line, output = _error_line(capsys, *CHEAP, *paths.overrides, f"storage={url}")
    assert "refused the connection" in line and "u:***@127.0.0.1" in line
    assert PASSWORD not in output


def test_a_path_that_cannot_be_created_is_one_line(paths, capsys):
    line, _ = _error_line(capsys, *CHEAP, *paths.overrides, "storage=sqlite:////proc/x/y.db")
    assert line == (
        "hpobench: error: storage='sqlite:////proc/x/y.db': folder /proc/x does not exist; "
        "create it first (only results/ is created)."
    )


def test_an_empty_study_name_is_refused(paths, capsys):
    line, _ = _error_line(capsys, *CHEAP, *paths.overrides, "study_name=")
    assert line == "hpobench: error: study_name must be a name or null (derive one), got study_name=''."


@pytest.mark.slow
def test_a_storage_deleted_while_workers_run_stops_the_run_in_one_line(paths, tmp_path, capsys):
    path = tmp_path / "doomed.db"
    line, output = _error_line(
        capsys,
        *paths.overrides,
        f"storage=sqlite:///{path}",
        "runner=local",
        "n_workers=2",
        "n_trials=30",
        "problem=branin",
        "problem._target_=tests.support.storage_problems.DeletesItsStorage",
        "~problem.noise_std",
        f"+problem.path={path}",
        "tracking.enabled=false",
        "progress_bar=false",
    )
    assert f"Storage 'sqlite:///{path}' was deleted while in use" in line
    assert "best value:" not in output  # no summary of trials that went nowhere


@pytest.mark.slow
def test_a_password_from_the_environment_stays_out_of_hydra_files_logs_and_mlflow(paths, postgres_server, postgres_url):
    user = "cli_" + uuid.uuid4().hex[:8]
    postgres_server.add_password_user(user, PASSWORD)
    where = f"127.0.0.1:{postgres_server.port}/{postgres_url.rsplit('/', 1)[1]}"
    storage = f"postgresql://{user}:${{oc.env:HPOBENCH_TEST_PGPASSWORD}}@{where}"
    overrides = [o for o in paths.overrides if not o.startswith("storage=")]
    result = subprocess.run(
        [sys.executable, "-m", "hpobench", *CHEAP, *overrides, f"storage={storage}", "n_trials=3"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HPOBENCH_TEST_PGPASSWORD": PASSWORD},
    )
    assert result.returncode == 0, result.stderr
    assert f"postgresql://{user}:***@{where}" in result.stdout  # the summary names the storage, masked
    leaks = [str(p) for p in Path(paths.root, "run").rglob("*") if p.is_file() and PASSWORD in p.read_text()]
    assert leaks == [] and PASSWORD not in result.stdout + result.stderr
    client = MlflowClient(tracking_uri=paths.tracking)
    runs = client.search_runs([e.experiment_id for e in client.search_experiments()])
    assert runs and not [r.info.run_id for r in runs if PASSWORD in str(r.data.tags) + str(r.data.params)]
    study_url = f"postgresql://{user}:{PASSWORD}@{where}"
    (name,) = hpobench.get_all_study_names(study_url)
    assert len(hpobench.load_study(study_name=name, storage=study_url).trials) == 3
