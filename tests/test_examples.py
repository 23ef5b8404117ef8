"""Every script of examples/ runs on its tiny budget (HPOBENCH_EXAMPLES_TINY=1), so none of them rots."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import hpobench
from hpobench.cli import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "examples"
TINY = {**os.environ, "HPOBENCH_EXAMPLES_TINY": "1"}


def run_example(*args: str, cwd=None) -> str:
    result = subprocess.run([sys.executable, *args], cwd=cwd, env=TINY, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize(
    "script",
    ["sklearn_simple.py", "sklearn_partial_fit_pruning.py", "xgboost_pruning.py", "lightgbm_pruning.py"],
)
def test_single_process_example_finds_a_best_trial(script):
    assert "best " in run_example(str(EXAMPLES / script))


def test_pytorch_example_reports_its_device_and_time_per_trial():
    out = run_example(str(EXAMPLES / "pytorch_pruning.py"))
    assert "2 trials" in out and "s CPU per trial" in out and "best " in out


@pytest.mark.postgres
def test_distributed_example_shares_one_postgres_study_between_processes(postgres_url):
    out = run_example(str(EXAMPLES / "distributed_postgres.py"), "--storage", postgres_url, "--workers", "2")
    study = hpobench.load_study(study_name="distributed-sgd-digits", storage=postgres_url)
    assert sorted(t.number for t in study.trials) == [0, 1, 2, 3]
    assert len({t.user_attrs["worker"] for t in study.trials}) == 2 and "from 2 processes" in out


def test_hydra_app_is_swept_with_pruning(tmp_path):
    out = run_example(
        str(EXAMPLES / "hydra_app" / "train.py"),
        "-m",
        "hydra.sweeper.n_trials=2",
        "epochs=2",
        "hydra.sweeper.tracking.enabled=false",
        cwd=tmp_path,
    )
    (name,) = hpobench.get_all_study_names(f"sqlite:///{tmp_path / 'hpobench.db'}")
    study = hpobench.load_study(study_name=name, storage=f"sqlite:///{tmp_path / 'hpobench.db'}")
    assert name.startswith("train-tpe-asha-") and len(study.trials) == 2 and f"Study {name!r} finished" in out
    assert all(len(t.intermediate_values) >= 1 for t in study.trials)
