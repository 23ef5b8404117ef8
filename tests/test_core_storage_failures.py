"""What a storage does when the database fails: one clear StorageError, nothing stored lost.

Real failures only: a deleted or replaced SQLite file, a file truncated or with
a garbage page, a disk that fills (SQLite's own max_page_count limit gives the
same SQLITE_FULL as a full disk), a process out of file descriptors (a real
RLIMIT_NOFILE), a write lock held by another connection, a PostgreSQL server
that refuses, one that accepts connections and never answers (a listening
socket), a statement stuck behind another session's lock, and read-only media
(a read-only bind mount in a user namespace).
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

import hpobench
from hpobench.exceptions import StorageError
from hpobench.storages import RDBStorage
from tests.support.core_workers import NopPruner, RandomSampler

ROOT = Path(__file__).resolve().parents[1]
HINT = "Is it a database created by hpobench?"


def _objective(trial):
    trial.set_user_attr("pad", "p" * 2000)  # a few trials fill several pages
    return trial.suggest_float("x", 0.0, 1.0)


def _study(url_or_storage, name: str = "s") -> hpobench.Study:
    return hpobench.create_study(
        storage=url_or_storage, study_name=name, sampler=RandomSampler(seed=0), pruner=NopPruner(), load_if_exists=True
    )


def _values(url: str) -> list[float]:
    with RDBStorage(url) as storage:
        return [t.value for t in _study(storage).trials]


# --- a deleted or replaced SQLite file (point 3) ---------------------------------------------------
def test_deleting_the_file_during_a_study_stops_it_naming_the_file(tmp_path):
    path = tmp_path / "gone.db"
    study = _study(f"sqlite:///{path}")

    def objective(trial):
        if trial.number == 3:  # what `rm results/hpobench.db*` does to a running study
            for file in tmp_path.glob("gone.db*"):
                file.unlink()
        return _objective(trial)

    with pytest.raises(StorageError, match=rf"'sqlite:///{path}' was deleted while in use .*nothing more is written"):
        study.optimize(objective, n_trials=10)
    with pytest.raises(StorageError, match="was deleted while in use"):
        study.ask()  # and every later trial too
    assert not path.exists()  # nothing was written to a new file in its place


def test_replacing_the_file_during_a_study_stops_it(tmp_path):
    path, other = tmp_path / "study.db", tmp_path / "other.db"
    study = _study(f"sqlite:///{path}")
    study.optimize(_objective, n_trials=2)
    _study(f"sqlite:///{other}", name="other").optimize(_objective, n_trials=1)
    other.replace(path)
    with pytest.raises(StorageError, match="was replaced by another file while in use"):
        study.optimize(_objective, n_trials=1)


# --- files that are not usable databases (points 4 and 6) ------------------------------------------
def _finished_file(tmp_path, n_trials: int = 20) -> Path:
    path = tmp_path / "study.db"
    with RDBStorage(f"sqlite:///{path}") as storage:
        _study(storage).optimize(_objective, n_trials=n_trials)
    return path


def test_a_truncated_file_fails_at_once_as_corrupted(tmp_path):
    path = _finished_file(tmp_path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    start = time.perf_counter()
    with pytest.raises(StorageError) as error:
        RDBStorage(f"sqlite:///{path}")
    assert time.perf_counter() - start < 2.0  # no retries (there were 20, 7 s of them)
    assert f"'sqlite:///{path}' is corrupted (database disk image is malformed)" in str(error.value)
    assert ".recover" in str(error.value) and HINT not in str(error.value)


def test_a_garbage_page_is_reported_as_corruption_naming_the_file(tmp_path):
    path = _finished_file(tmp_path)
    with open(path, "r+b") as file:  # the last pages hold the trials table
        file.seek(path.stat().st_size - 4 * 4096)
        file.write(b"\xde\xad" * 4096)
    with pytest.raises(StorageError, match=rf"'sqlite:///{path}' is corrupted \(database disk image is malformed\)"):
        _ = _study(f"sqlite:///{path}").trials


def test_only_a_file_that_is_not_a_database_gets_the_hpobench_hint(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("my notes\n" * 100)
    with pytest.raises(StorageError, match=rf"is not an SQLite database \(file is not a database\)\. {HINT}"):
        RDBStorage(f"sqlite:///{path}")


def test_a_path_that_cannot_be_created_is_a_storage_error():
    with pytest.raises(StorageError, match=r"'sqlite:////proc/x/y.db' cannot be created: its folder '/proc/x'"):
        RDBStorage("sqlite:////proc/x/y.db")


# --- a full disk, no file descriptors left (point 6) -----------------------------------------------
def _limited_connect(path: Path, max_pages: int) -> sqlite3.Connection:
    """An SQLite connection that may grow the file to max_pages pages: a disk that is full there."""
    conn = sqlite3.connect(path, timeout=60, check_same_thread=False)
    conn.execute(f"PRAGMA max_page_count = {max_pages}")
    return conn


def test_a_full_disk_is_a_storage_error_and_keeps_the_stored_trials(tmp_path):
    path = _finished_file(tmp_path, n_trials=3)
    url = f"sqlite:///{path}"
    before = _values(url)
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    full = RDBStorage(url, engine_kwargs={"creator": functools.partial(_limited_connect, path, pages + 1)})
    with pytest.raises(StorageError, match=rf"'{url}' ran out of disk space \(database or disk is full\)"):
        _study(full).optimize(_objective, n_trials=20)
    full.close()
    assert _values(url)[: len(before)] == before


def test_running_out_of_file_descriptors_is_a_storage_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'f.db'}"
    _study(url)
    script = textwrap.dedent(f"""
        import resource
        import hpobench
        from tests.support.core_workers import RandomSampler
        resource.setrlimit(resource.RLIMIT_NOFILE, (40, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
        kept = []  # studies kept open: each holds its connections
        try:
            for _ in range(100):
                kept.append(hpobench.load_study(study_name="s", storage="{url}", sampler=RandomSampler()))
                kept[-1].optimize(lambda trial: trial.suggest_float("x", 0, 1), n_trials=1)
        except hpobench.exceptions.StorageError as error:
            print(error)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"Storage '{url}' cannot be opened: this process is out of file descriptors" in done.stdout
    assert "close()" in done.stdout


# --- locks and timeouts (point 4) --------------------------------------------------------------------
@pytest.mark.parametrize("how", ["url", "engine_kwargs"])
def test_a_lock_held_too_long_is_a_storage_error_after_the_configured_wait(tmp_path, how):
    path = _finished_file(tmp_path, n_trials=2)
    storage = (
        RDBStorage(f"sqlite:///{path}?timeout=1")
        if how == "url"
        else RDBStorage(f"sqlite:///{path}", engine_kwargs={"connect_args": {"timeout": 1}})
    )
    study = _study(storage)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write transaction
    try:
        start = time.perf_counter()
        with pytest.raises(StorageError, match=r"stayed locked by another process for more than 1 s"):
            study.ask()
        assert 0.9 < time.perf_counter() - start < 5.0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    study.optimize(_objective, n_trials=1)  # the lock gone, the study goes on
    assert len(study.trials) == 3


def test_a_short_lock_at_open_is_waited_for(tmp_path):
    path = _finished_file(tmp_path, n_trials=2)
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.5, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        assert len(_study(f"sqlite:///{path}").trials) == 2  # transient: waited, not refused
    finally:
        release.join()
        holder.close()


@pytest.fixture
def silent_server():
    """A server that accepts TCP connections (the kernel's backlog) and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield server.getsockname()[1]


def _fails_after(make, timeout: float) -> StorageError:
    start = time.perf_counter()
    with pytest.raises(StorageError) as error:
        make()
    assert timeout - 0.5 < time.perf_counter() - start < timeout + 5.0
    return error.value


@pytest.mark.parametrize("how", ["url", "engine_kwargs"])
def test_a_server_that_never_answers_times_out_as_configured(silent_server, how):
    url = f"postgresql://u:secretpw@127.0.0.1:{silent_server}/db"
    make = (
        (lambda: RDBStorage(url + "?connect_timeout=2"))
        if how == "url"
        else (lambda: RDBStorage(url, engine_kwargs={"connect_args": {"connect_timeout": 2}}))
    )
    error = _fails_after(make, 2.0)
    assert "did not answer within connect_timeout=2 s" in str(error) and "secretpw" not in str(error)


@pytest.mark.slow
def test_a_server_that_never_answers_times_out_after_10_s_by_default(silent_server):
    url = f"postgresql://u@127.0.0.1:{silent_server}/db"
    error = _fails_after(lambda: hpobench.create_study(storage=url), 10.0)
    assert "did not answer within connect_timeout=10 s" in str(error)


def test_a_refused_connection_fails_at_once_without_the_hpobench_hint():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start = time.perf_counter()
    with pytest.raises(StorageError, match=rf"'postgresql://u:\*\*\*@127.0.0.1:{port}/db' refused the connection"):
        RDBStorage(f"postgresql://u:secretpw@127.0.0.1:{port}/db")
    assert time.perf_counter() - start < 2.0  # no retries (there were 20, 7 s of them)


def test_postgres_statements_have_a_default_timeout(postgres_url):
    with RDBStorage(postgres_url) as storage, storage._engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "1min"
    options = "?options=-c%20statement_timeout%3D0"  # the user's own choice wins
    with RDBStorage(postgres_url + options) as storage, storage._engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar() == "0"


def test_a_postgres_statement_stuck_behind_a_lock_is_cancelled(postgres_server, postgres_url):
    import psycopg

    study = _study(postgres_url + "?options=-c%20statement_timeout%3D1000")
    study.optimize(_objective, n_trials=2)
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname={database}") as holder:
        holder.execute("SELECT * FROM hpobench_studies FOR UPDATE")  # e.g. a stopped worker mid-transaction
        with pytest.raises(StorageError, match=r"cancelled a statement that ran past statement_timeout"):
            study.ask()
    study.optimize(_objective, n_trials=1)
    assert [t.number for t in study.trials] == [0, 1, 2]


def test_a_server_without_free_connection_slots_says_how_to_free_them(postgres_server, postgres_url):
    import psycopg

    user = "one_" + uuid.uuid4().hex[:8]
    admin = f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:  # a full server, as one role sees it
        conn.execute(f'CREATE ROLE "{user}" LOGIN CONNECTION LIMIT 1')  # (superusers have no limit)
        conn.execute(f'ALTER DATABASE "{postgres_url.rsplit("/", 1)[1]}" OWNER TO "{user}"')
    url = postgres_url.replace("postgres@", f"{user}@")
    slot_taken = r"has no free connection slot .*close\(\) or a with-block"
    with RDBStorage(url) as storage, storage._engine.connect(), pytest.raises(StorageError, match=slot_taken):
        RDBStorage(url)  # the first one takes the one slot


def test_a_lost_server_connection_is_one_error_and_the_next_call_reconnects(postgres_server, postgres_url):
    import psycopg

    study = _study(postgres_url)
    study.optimize(_objective, n_trials=2)
    admin = f"host=127.0.0.1 port={postgres_server.port} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:  # what a server restart does to its sessions
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (postgres_url.rsplit("/", 1)[1],),
        )
    with pytest.raises(StorageError, match=r"lost the connection to the server"):
        study.ask()
    study.optimize(_objective, n_trials=1)
    assert [t.number for t in study.trials] == [0, 1, 2]


# --- study names, checked before anything is written (points 6 and 8) -------------------------------
def test_bad_study_names_are_refused_before_anything_is_written(storage):
    with pytest.raises(TypeError, match=r"study_name must be a str, got 42 of type int"):
        hpobench.create_study(storage=storage, study_name=42, sampler=RandomSampler())
    with pytest.raises(ValueError, match=r"at most 512 characters, got 513"):
        hpobench.create_study(storage=storage, study_name="n" * 513, sampler=RandomSampler())
    assert storage.get_all_study_names() == []
    hpobench.create_study(storage=storage, study_name="n" * 512, sampler=RandomSampler())  # the longest one fits
    assert storage.get_all_study_names() == ["n" * 512]


def test_an_empty_study_name_is_kept_as_in_optuna(storage):
    study = hpobench.create_study(storage=storage, study_name="", sampler=RandomSampler(seed=0))
    study.optimize(_objective, n_trials=1)
    assert study.study_name == "" and storage.get_all_study_names() == [""]
    assert len(hpobench.load_study(study_name="", storage=storage, sampler=RandomSampler()).trials) == 1
    assert hpobench.create_study(storage=storage, sampler=RandomSampler()).study_name.startswith("no-name-")


# --- read-only media (point 7) -------------------------------------------------------------------------
READ_ONLY_SCRIPT = """
import hpobench
from tests.support.core_workers import RandomSampler
study = hpobench.load_study(study_name="s", storage="sqlite:///{path}", sampler=RandomSampler())
print("values", [t.value for t in study.trials])
for write in (lambda: study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1),
              lambda: hpobench.create_study(storage="sqlite:///{folder}/new.db")):
    try:
        write()
    except hpobench.exceptions.StorageError as error:
        print("error", error)
"""


def _run_on_read_only_mount(folder: Path, script: str) -> subprocess.CompletedProcess:
    """script run by this Python with folder bind-mounted read-only (a private mount namespace)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("needs unshare (util-linux) to make a read-only mount")
    mount = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} {folder}"
    # root (CI) may mount in a mount namespace of its own; anyone else first maps itself to root
    namespaces = ["--mount"] if os.geteuid() == 0 else ["--user", "--map-root-user", "--mount"]
    command = [unshare, *namespaces, "sh", "-c", f'{mount} && exec "$0" -c "$1"', sys.executable, script]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 and "mount" in done.stderr and "Traceback" not in done.stderr:
        pytest.skip(f"this machine allows no private read-only mount: {done.stderr.strip()}")
    return done


def test_a_database_on_read_only_media_can_be_read_and_refuses_writes_clearly(tmp_path):
    folder = tmp_path / "media"
    folder.mkdir()
    path = folder / "study.db"
    with RDBStorage(f"sqlite:///{path}") as storage:
        _study(storage).optimize(_objective, n_trials=4)
    assert sorted(p.name for p in folder.iterdir()) == ["study.db"]  # closed cleanly: no -wal, no -shm
    expected = _values(f"sqlite:///{path}")
    done = _run_on_read_only_mount(folder, READ_ONLY_SCRIPT.format(path=path, folder=folder))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"values {expected}"
    assert lines[1] == (
        f"error Storage 'sqlite:///{path}' is read-only, opened read-only because it is on a read-only file system "
        "(attempt to write a readonly database). Its studies can be read but not changed; copy the file to a "
        "writable folder to add trials."
    )
    assert lines[2].startswith(
        f"error Storage 'sqlite:///{folder}/new.db' cannot be opened: folder '{folder}' is not writable"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["study.db"]
