"""Create the MLflow store and experiments once, safely under concurrency.

A fresh SQLite MLflow database runs its schema migrations on first open (several
seconds); two processes doing that at once can fail. ensure_store() serializes
the first open with an exclusive file lock beside the database; the Hydra
callback of the CLI calls it before a sweep's jobs start, and every job calls it
again (a no-op once the schema exists). Experiments are created with a
get-or-create that tolerates losing the race to another process: MLflow's
unique constraint on experiment names decides who wins, the loser reads it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from hpobench.paths import results_root

_SQLITE = "sqlite:///"
# MLflow 3's UI opens an experiment of this kind on its runs table (not the GenAI traces view).
_KIND = {"mlflow.experimentKind": "custom_model_development"}


def default_tracking_uri(root: Path | str | None = None) -> str:
    """``MLFLOW_TRACKING_URI`` when set (MLflow's convention for a team's server), else
    ``sqlite:///<root>/results/mlflow.db``; root None: hpobench.paths.results_root() (the
    checkout from inside it, else the current directory), as the CLI's default."""
    from_env = os.environ.get("MLFLOW_TRACKING_URI", "").strip()
    if from_env:
        return from_env
    return f"{_SQLITE}{Path(root or results_root()).resolve() / 'results' / 'mlflow.db'}"


def sqlite_path(uri: str) -> Path | None:
    """The database file of an ``sqlite:///`` tracking URI, None for other URIs."""
    return Path(uri[len(_SQLITE) :]) if uri.startswith(_SQLITE) else None


def artifact_root(uri: str) -> str | None:
    """Artifacts of an SQLite store live beside it in ``mlartifacts/`` (not under the cwd)."""
    path = sqlite_path(uri)
    return None if path is None else (path.resolve().parent / "mlartifacts").as_uri()


@contextlib.contextmanager
def _file_lock(path: Path | None) -> Iterator[None]:
    if path is None:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_store(uri: str) -> MlflowClient:
    """Open the tracking store at uri, creating its schema under a file lock if needed.

    An SQLite store is switched to WAL journaling (a persistent property of the
    file): each MLflow write then costs one append instead of a rollback
    journal's several syncs (child runs log about 2x faster, measured in
    benchmarks/tracking_overhead.py), and the UI's reads no longer block writers.
    """
    path = sqlite_path(uri)
    with _file_lock(path):
        client = MlflowClient(tracking_uri=uri)
        client.search_experiments(max_results=1)  # forces the store (and its schema) into existence
        if path is not None:
            with contextlib.closing(sqlite3.connect(path)) as connection:
                connection.execute("PRAGMA journal_mode=WAL")
    return client


def get_or_create_experiment(client: MlflowClient, name: str, uri: str) -> str:
    """Id of the experiment called name, created (with artifacts beside the store) if absent."""
    found = client.get_experiment_by_name(name)
    if found is not None:
        if found.lifecycle_stage == "deleted":  # deleted in the UI: its name is still taken, so bring it back
            client.restore_experiment(found.experiment_id)
        return found.experiment_id
    try:
        return client.create_experiment(name, artifact_location=_experiment_artifacts(uri, name), tags=_KIND)
    except MlflowException:  # another process created it between our read and our write
        found = client.get_experiment_by_name(name)
        if found is None:
            raise
        return found.experiment_id


def _experiment_artifacts(uri: str, name: str) -> str | None:
    root = artifact_root(uri)
    return None if root is None else f"{root}/{name}"
