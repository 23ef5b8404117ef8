"""Storages release what they hold: file descriptors, server connections, threads.

Counted for real: this process's open file descriptors (/proc/self/fd) and the
test PostgreSQL server's sessions on the study's database (pg_stat_activity),
before and after many load/optimize/drop cycles, and around close() / with.
"""

from __future__ import annotations

import gc
import os
import threading

import pytest

import hpobench
from hpobench.storages import InMemoryStorage, RDBStorage
from tests.support.core_workers import NopPruner, RandomSampler

CYCLES = 200  # the count; the close/with variants need fewer to show the same


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _server_sessions(postgres_server, url: str) -> int:
    import psycopg

    database = url.rsplit("/", 1)[1]
    dsn = f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (database,)).fetchone()[0]


def _objective(trial):
    return trial.suggest_float("x", 0.0, 1.0)


def _load(url: str) -> hpobench.Study:
    return hpobench.load_study(study_name="s", storage=url, sampler=RandomSampler(seed=0), pruner=NopPruner())


def _cycles(url: str, how: str, n: int) -> None:
    """load -> optimize (a trial with heartbeat, through the hot path) -> release, n times."""
    for _ in range(n):
        if how == "with":
            with _load(url) as study:
                study.optimize(_objective, n_trials=1)
            continue
        study = _load(url)
        study.optimize(_objective, n_trials=1)
        if how == "close":
            study.close()
        del study  # how == "drop": nothing but the reference goes


@pytest.fixture
def sqlite_study(sqlite_url):
    """The study's file, held open by another storage meanwhile (as a sweep's MLflow reader would):
    otherwise every cycle's last close would checkpoint the WAL, which costs an fsync."""
    with RDBStorage(sqlite_url) as holder:
        hpobench.create_study(storage=holder, study_name="s")
        gc.collect()
        yield sqlite_url


@pytest.mark.slow
@pytest.mark.parametrize("how, n", [("drop", CYCLES), ("close", 20), ("with", 20)])
def test_sqlite_cycles_leave_file_descriptors_and_threads_where_they_started(sqlite_study, how, n):
    # One cycle first: while another connection of this process holds a lock on the file, SQLite
    # keeps the descriptor of a closed connection for reuse by the next open (closing it would
    # drop this process's locks), so the first close leaves exactly one descriptor behind.
    _cycles(sqlite_study, how, 1)
    gc.collect()
    before_fds, before_threads = _open_fds(), threading.active_count()
    _cycles(sqlite_study, how, n)
    gc.collect()
    assert _open_fds() == before_fds
    assert threading.active_count() == before_threads  # heartbeat threads end with their storage
    assert len(_load(sqlite_study).trials) == n + 1


@pytest.mark.slow
@pytest.mark.parametrize("how, n", [("drop", CYCLES), ("close", 20)])
def test_postgres_cycles_leave_server_connections_where_they_started(postgres_server, postgres_url, how, n):
    hpobench.create_study(storage=postgres_url, study_name="s")
    gc.collect()
    assert _server_sessions(postgres_server, postgres_url) == 0
    _cycles(postgres_url, how, n)
    gc.collect()
    assert _server_sessions(postgres_server, postgres_url) == 0
    assert len(_load(postgres_url).trials) == n


def test_close_releases_a_live_study_which_then_reconnects(sqlite_url):
    hpobench.create_study(storage=sqlite_url, study_name="s")
    gc.collect()
    before = _open_fds()
    study = _load(sqlite_url)
    study.optimize(_objective, n_trials=2)
    assert _open_fds() > before  # the engine's and the hot path's connections
    study.close()
    assert _open_fds() == before
    study.optimize(_objective, n_trials=2)  # reconnects on use
    assert [t.number for t in study.trials] == [0, 1, 2, 3]
    study.close()
    study.close()  # twice is harmless
    assert _open_fds() == before


def test_postgres_close_ends_the_server_sessions(postgres_server, postgres_url):
    with RDBStorage(postgres_url) as storage:
        study = hpobench.create_study(storage=storage, study_name="s", sampler=RandomSampler(seed=0))
        study.optimize(_objective, n_trials=2)
        assert _server_sessions(postgres_server, postgres_url) >= 1
    assert _server_sessions(postgres_server, postgres_url) == 0
    assert len(study.trials) == 2  # and the study still reads, on a new connection


def test_with_block_closes_the_storage_on_error(sqlite_url):
    before = _open_fds()
    with pytest.raises(ZeroDivisionError), RDBStorage(sqlite_url) as storage:
        storage.get_all_study_names()
        raise ZeroDivisionError  # an error inside the with-block
    assert _open_fds() == before


def test_in_memory_storage_and_study_support_close_and_with():
    with InMemoryStorage() as storage:
        study = hpobench.create_study(storage=storage, sampler=RandomSampler(seed=0))
        study.optimize(_objective, n_trials=2)
    study.close()
    assert len(study.trials) == 2  # nothing to release in memory: the trials stay


def test_a_storage_opened_in_a_process_with_few_file_descriptors(tmp_path):
    """The failure the leak caused: with `ulimit -n 64`, load/optimize cycles used to fail after a dozen."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_NOFILE, (64, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        import hpobench
        from tests.support.core_workers import RandomSampler
        url = "sqlite:///{tmp_path / "few.db"}"
        hpobench.create_study(storage=url, study_name="s")
        for _ in range(100):
            study = hpobench.load_study(study_name="s", storage=url, sampler=RandomSampler(seed=0))
            study.optimize(lambda trial: trial.suggest_float("x", 0, 1), n_trials=1)
        print(len(study.trials))
    """)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "100"
