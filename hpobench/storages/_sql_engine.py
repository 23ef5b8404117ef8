"""Opening and releasing the SQL storage's database: engine arguments, timeouts, read-only files.

Timeouts (each can be changed in the URL or through ``engine_kwargs={"connect_args": {...}}``;
the connect_args win over the URL):

- SQLite: a statement waits at most ``timeout`` seconds (default 60) for another
  process's lock (``sqlite:///x.db?timeout=5``), then fails with a StorageError.
- PostgreSQL: connecting gives up after ``connect_timeout`` seconds (default 10;
  libpq's own default waits for the operating system, minutes), and the server
  cancels a statement after ``statement_timeout`` (default 60 s, e.g.
  ``?options=-c%20statement_timeout%3D5000`` for 5 s; 0 turns it off).

Read-only SQLite files: WAL mode needs the -shm file, so a database on read-only
media (or one whose file or folder is not writable) could not be read at all.
Such a file is opened read-only instead: ``mode=ro`` where SQLite can open the
-shm file, ``immutable=1`` where it cannot be created (read-only media, where
no one can write either). Writes then fail with a StorageError that says why.

Release: ``Connections`` holds one process's engine, hot-path connection and
heartbeat thread, and closes them in ``close()`` (the storage's close(), or its
finalizer when the storage is dropped). Nothing in it refers back to the storage,
so dropping the storage releases everything at once. Connections inherited over a
fork are only forgotten, never closed: they belong to the parent.
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, NoSuchModuleError

from hpobench.exceptions import StorageError
from hpobench.storages._errors import Where, storage_error
from hpobench.storages._heartbeat import HeartbeatStamper
from hpobench.storages._sql_fast import FastSQL
from hpobench.storages._url import masked

DEFAULT_LOCK_TIMEOUT = 60.0
DEFAULT_CONNECT_TIMEOUT = 10
DEFAULT_STATEMENT_TIMEOUT_MS = 60_000


class StatementCounter:
    """How many statements a storage ran (benchmarks report statements per trial)."""

    def __init__(self) -> None:
        self.n = 0

    def count(self, *_args: Any) -> None:
        self.n += 1


def _seconds(name: str, value: Any, url_text: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = float("nan")
    if not seconds >= 0:
        raise StorageError(f"{name} must be a number of seconds >= 0, got {name}={value!r} for {masked(url_text)!r}.")
    return seconds


def describe_storage(url_text: str, url: URL, engine_kwargs: Mapping[str, Any]) -> Where:
    """How errors of this storage will name it, with the timeouts it runs under."""
    connect_args = engine_kwargs.get("connect_args") or {}
    if url.get_backend_name() == "sqlite":
        path = Path(url.database).absolute()  # type: ignore[arg-type]
        timeout = connect_args.get("timeout", url.query.get("timeout", DEFAULT_LOCK_TIMEOUT))
        seconds = _seconds("timeout", timeout, url_text)
        return Where(url_text, path, sqlite_read_only_reason(path), lock_timeout=seconds)
    timeout = connect_args.get("connect_timeout", url.query.get("connect_timeout", DEFAULT_CONNECT_TIMEOUT))
    seconds = _seconds("connect_timeout", timeout, url_text)
    # psycopg waits 2 s at least, and 130 s for 0 ("no timeout")
    return Where(url_text, connect_timeout=max(2.0, seconds) if seconds > 0 else 130.0)


def sqlite_read_only_reason(path: Path) -> str | None:
    """Why an existing SQLite file can only be read (None: it can be written, or does not exist)."""
    if not path.is_file():
        return None
    if not os.access(path, os.W_OK):
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
        return "the file is not writable"
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    if not folder_writable and not all(Path(f"{path}{s}").exists() for s in ("-wal", "-shm")):
        return "its folder is not writable (SQLite needs to create the -wal and -shm files there)"
    return None


def _read_only_connect(path: Path, timeout: float) -> sqlite3.Connection:
    """mode=ro reads the -wal too; immutable=1 where no -shm can be opened (nothing writes there then)."""
    shm_usable = Path(f"{path}-shm").exists() or os.access(path.parent, os.W_OK | os.X_OK)
    uri = path.as_uri() + ("?mode=ro" if shm_usable else "?immutable=1")
    return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)


def _engine_arguments(url: URL, engine_kwargs: Mapping[str, Any], place: Where) -> dict[str, Any]:
    """engine_kwargs with hpobench's defaults filled in (the caller's values win)."""
    kwargs = dict(engine_kwargs)
    connect_args = dict(kwargs.get("connect_args") or {})
    if url.get_backend_name() == "sqlite":
        connect_args["timeout"] = place.lock_timeout  # sqlite3's busy wait, from the URL or connect_args
        if place.read_only_reason is not None and place.path is not None:
            kwargs.setdefault("creator", functools.partial(_read_only_connect, place.path, place.lock_timeout))
    else:
        connect_args.setdefault("connect_timeout", url.query.get("connect_timeout", DEFAULT_CONNECT_TIMEOUT))
        options = str(connect_args.get("options", url.query.get("options", "")))
        if "statement_timeout" not in options:
            connect_args["options"] = f"{options} -c statement_timeout={DEFAULT_STATEMENT_TIMEOUT_MS}".strip()
        kwargs.setdefault("pool_pre_ping", True)
    kwargs["connect_args"] = connect_args
    return kwargs


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def create_engine(url: URL, engine_kwargs: Mapping[str, Any], place: Where, counter: StatementCounter) -> Engine:
    """An engine whose errors arrive as StorageErrors (IntegrityError excepted: callers decide on it)."""
    if place.path is not None:
        try:
            place.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise storage_error(err, place) from err
    try:
        engine = sa.create_engine(url, **_engine_arguments(url, engine_kwargs, place))
    except (NoSuchModuleError, ImportError) as err:
        raise StorageError(
            f"{place.label} cannot be opened: the database driver is missing ({err}). "
            "For PostgreSQL install the extra: pip install 'hpobench[postgres]'."
        ) from err
    if place.path is not None:
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "before_cursor_execute", counter.count)
    event.listen(engine, "handle_error", functools.partial(_raise_storage_error, place))
    return engine


def _raise_storage_error(place: Where, context: Any) -> None:
    error = context.sqlalchemy_exception
    if isinstance(error, DBAPIError) and not isinstance(error, IntegrityError):
        raise storage_error(context.original_exception, place) from context.original_exception


class Connections:
    """One process's engine (and its autocommit view), hot-path connection and heartbeat thread."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.engine: Engine | None = None
        self.auto: Engine | None = None
        self.fast: FastSQL | None = None
        self.stamper: HeartbeatStamper | None = None

    def close(self) -> None:
        """Release all of them; the storage opens new ones on its next use."""
        engine, fast, stamper = self.engine, self.fast, self.stamper
        self.engine = self.auto = self.fast = self.stamper = None
        if self.pid != os.getpid():
            return  # inherited over a fork: the parent's to close
        if stamper is not None:
            stamper.stop()
        if fast is not None:
            fast.close()
        if engine is not None:
            engine.dispose()
