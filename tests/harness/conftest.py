"""Fixtures of the harness tests: run `python -m hpobench` in a subprocess on tmp storages.

Every test writes its study storage, MLflow store and Hydra folders under its
own tmp_path (overrides storage=, tracking.uri=, hydra.run.dir=,
hydra.sweep.dir=). A fresh MLflow SQLite store migrates its schema for
several seconds, so one empty store is made per session and copied per test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from hpobench.cli import PROJECT_ROOT

# A cheap problem and runner for the CLI tests (the default, mlp_digits on 2 processes, takes a minute).
CHEAP = ["problem=branin", "runner=inprocess"]


@dataclass
class Paths:
    """Where one test's run writes, as Hydra overrides."""

    root: Path

    @property
    def storage(self) -> str:
        return f"sqlite:///{self.root / 'studies.db'}"

    @property
    def tracking(self) -> str:
        return f"sqlite:///{self.root / 'mlflow.db'}"

    @property
    def overrides(self) -> list[str]:
        return [
            f"storage={self.storage}",
            f"tracking.uri={self.tracking}",
            f"hydra.run.dir={self.root / 'run'}",
            f"hydra.sweep.dir={self.root / 'multirun'}",
        ]


@pytest.fixture(scope="session")
def mlflow_template(tmp_path_factory) -> Path:
    """An empty MLflow store with its schema, made once per session."""
    from hpobench.tracking import ensure_store

    path = tmp_path_factory.mktemp("mlflow-template") / "mlflow.db"
    ensure_store(f"sqlite:///{path}")
    return path


@pytest.fixture
def paths(tmp_path: Path, mlflow_template: Path) -> Paths:
    shutil.copy(mlflow_template, tmp_path / "mlflow.db")
    return Paths(tmp_path)


def run_cli(*overrides: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m hpobench *overrides` from the project root; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "hpobench", *overrides],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
