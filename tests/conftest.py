"""Shared fixtures: storages of every backend (real SQLite files, a real PostgreSQL server)."""

from __future__ import annotations

import pytest

from hpobench.storages import InMemoryStorage, RDBStorage
from tests.support.postgres_server import PostgresServer, find_bindir


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server for the whole test session (skips if binaries are absent)."""
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found; `bash scripts/setup.sh --test` installs them"
        )
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """URL of a fresh, empty database on the test PostgreSQL server."""
    return postgres_server.create_database()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'study.db'}"


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def storage(request: pytest.FixtureRequest, tmp_path):
    """One storage object per backend."""
    if request.param == "memory":
        return InMemoryStorage()
    if request.param == "sqlite":
        return RDBStorage(f"sqlite:///{tmp_path / 'study.db'}")
    return RDBStorage(request.getfixturevalue("postgres_url"))
