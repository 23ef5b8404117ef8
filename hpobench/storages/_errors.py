"""Driver errors (sqlite3, psycopg, SQLAlchemy, OS) turned into one-line StorageErrors.

Each message names the storage (its URL, password masked), says what went
wrong in words, quotes the driver's own message, and says what to do:

    Storage 'sqlite:///results/hpobench.db' is corrupted (database disk image
    is malformed). Restore it from a backup, or recover it with ...

The original error stays attached as ``__cause__``. ``is_transient`` tells
the few errors worth retrying (a lock, a serialization failure, another
process creating the schema at the same moment) from the ones no retry cures
(refused connection, not a database, no such database, bad password).

Classification is by SQLSTATE where the driver gives one and otherwise by the
driver's message text: psycopg reports connection failures without SQLSTATE.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hpobench.exceptions import StorageError
from hpobench.storages._url import masked, redacted

# SQLSTATEs and message fragments (lower case) of errors that a retry can cure.
_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03", "23505", "42P07"}  # serialization, deadlock, lock, concurrent DDL
_TRANSIENT_TEXTS = ("database is locked", "database table is locked", "already exists")


@dataclass(frozen=True)
class Where:
    """The storage an error happened in, as error messages describe it."""

    url: str  # as the user gave it; shown masked
    path: Path | None = None  # the SQLite file, None for a server
    read_only_reason: str | None = None  # why an SQLite file was opened read-only
    lock_timeout: float = 60.0
    connect_timeout: float = 10.0

    @property
    def label(self) -> str:
        return f"Storage {masked(self.url)!r}"


def driver_message(err: BaseException) -> str:
    """The driver's own message on one line (psycopg's span several)."""
    raw = getattr(err, "orig", None) or err
    text = str(raw) if not isinstance(raw, OSError) or raw.strerror is None else raw.strerror
    return " ".join(line.strip() for line in text.splitlines() if line.strip()) or type(raw).__name__


def is_transient(err: BaseException | None) -> bool:
    """Whether err (raw or SQLAlchemy-wrapped) may pass if the same work is tried again shortly."""
    if err is None:
        return False
    raw = getattr(err, "orig", None) or err
    if getattr(raw, "sqlstate", None) in _TRANSIENT_SQLSTATES:
        return True
    if type(raw).__name__ == "IntegrityError":  # sqlite3: another process inserted the same meta row first
        return True
    return any(text in str(raw).lower() for text in _TRANSIENT_TEXTS)


def storage_error(err: BaseException, where: Where) -> StorageError:
    """A StorageError for err that names the storage, what happened and what to do."""
    message = driver_message(err)
    what, advice = _explain(err, message.lower(), where)
    text = f"{where.label} {what} ({message})." + (f" {advice}" if advice else "")
    return StorageError(redacted(text, where.url))


# --- explanations: (what happened, what to do) -------------------------------------------------
def _explain(err: BaseException, text: str, where: Where) -> tuple[str, str]:
    raw = getattr(err, "orig", None) or err
    if isinstance(raw, OSError):
        return _os_error(raw)
    code = getattr(raw, "sqlstate", None) or getattr(raw, "sqlite_errorname", None)
    for matches, explain in _RULES:
        if matches(text, code):
            return explain(where)
    if where.path is not None and "unable to open database file" in text:
        return _cannot_open(where.path)
    return f"failed: {type(raw).__name__}", "Check the database and the storage URL."


def _os_error(err: OSError) -> tuple[str, str]:
    if err.errno == errno.EMFILE:
        return _out_of_files()
    folder = f" {str(err.filename)!r}" if err.filename else ""
    return f"cannot be created: its folder{folder} cannot be made", "Use a path in a folder you can write to."


def _out_of_files() -> tuple[str, str]:
    return (
        "cannot be opened: this process is out of file descriptors",
        "Close storages and studies you no longer use (close() or a with-block), or raise `ulimit -n`.",
    )


def _cannot_open(path: Path) -> tuple[str, str]:
    """SQLite says only 'unable to open database file'; find out which of the usual causes it is."""
    try:
        os.close(os.open(os.devnull, os.O_RDONLY))
    except OSError as probe:
        if probe.errno == errno.EMFILE:
            return _out_of_files()
    if path.is_dir():
        return "cannot be opened: the path is a directory", "Point the storage at a file, e.g. results/hpobench.db."
    if not path.parent.is_dir():
        return f"cannot be opened: folder {str(path.parent)!r} does not exist", "Use a path in a folder that exists."
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return (
            f"cannot be opened: folder {str(path.parent)!r} is not writable",
            "Use a writable folder: SQLite creates the file and its -wal/-shm files there.",
        )
    return "cannot be opened", "Check that the path names a file you can read and write."


def _read_only(where: Where) -> tuple[str, str]:
    why = f", opened read-only because {where.read_only_reason}" if where.read_only_reason else ""
    return (
        f"is read-only{why}",
        "Its studies can be read but not changed; copy the file to a writable folder to add trials.",
    )


def _contains(*fragments: str, codes: tuple[str, ...] = ()) -> Callable[[str, str | None], bool]:
    """Matches an error whose code (SQLSTATE or SQLite error name) is in codes or whose text has a fragment."""
    return lambda text, code: code in codes or any(f in text for f in fragments)


def _contains_all(*fragments: str, codes: tuple[str, ...] = ()) -> Callable[[str, str | None], bool]:
    return lambda text, code: code in codes or all(f in text for f in fragments)


def _explained(what: str, advice: str) -> Callable[[Where], tuple[str, str]]:
    return lambda where: (what.format(where=where), advice.format(where=where))


# First match wins: the moved-file case before the generic read-only one; no free slot
# ('too many connections for role "x"') and a bad login ('role "x" does not exist') before a
# missing database.
_RULES: list[tuple[Callable[[str, str | None], bool], Callable[[Where], tuple[str, str]]]] = [
    # --- SQLite ---
    (
        _contains("database is locked", "database table is locked"),
        _explained(
            "stayed locked by another process for more than {where.lock_timeout:g} s",
            "Another process holds a long write transaction; retry later, or raise the wait with ?timeout=SECONDS.",
        ),
    ),
    (
        _contains("file is not a database"),
        _explained(
            "is not an SQLite database",
            "Is it a database created by hpobench? Nothing was changed; point the storage at a new file.",
        ),
    ),
    (
        _contains("malformed"),
        _explained(
            "is corrupted",
            "Restore it from a backup, or recover what is left with `sqlite3 {where.path} .recover`; "
            "point the storage at a new file to go on.",
        ),
    ),
    (
        _contains(codes=("SQLITE_READONLY_DBMOVED",)),
        _explained(
            "was deleted or moved while in use",
            "Restore the file; trials written since then are lost.",
        ),
    ),
    (_contains("readonly database", "read-only", codes=("25006",)), _read_only),
    (
        _contains("database or disk is full", "no space left", codes=("53100",)),
        _explained(
            "ran out of disk space",
            "Free space on its disk and run again; the trials stored so far are kept.",
        ),
    ),
    (
        _contains("disk i/o error"),
        _explained(
            "hit a disk I/O error",
            "Check the disk, and that the file and its -wal/-shm files were not removed while in use.",
        ),
    ),
    (
        _contains("no such table"),
        _explained(
            "has no hpobench tables (was the file deleted or replaced while in use?)",
            "Open the storage again, or point it at the right file.",
        ),
    ),
    # --- PostgreSQL (connection errors come without SQLSTATE) ---
    (
        _contains("connection refused"),
        _explained(
            "refused the connection",
            "Start the server, or fix the host and port in the URL.",
        ),
    ),
    (
        _contains("timeout expired", "connection timeout"),
        _explained(
            "did not answer within connect_timeout={where.connect_timeout:g} s",
            "Check the host and port (a firewall that drops packets looks the same); "
            "wait longer with ?connect_timeout=SECONDS.",
        ),
    ),
    (
        _contains("too many clients", "too many connections", "remaining connection slots", codes=("53300",)),
        _explained(
            "has no free connection slot",
            "Close storages and studies you no longer use (close() or a with-block), use fewer workers, "
            "or raise the server's max_connections.",
        ),
    ),
    (
        _contains("password authentication failed", "no password supplied", 'role "', codes=("28P01", "28000")),
        _explained("refused the login", "Check the user and the password (in the URL, PGPASSWORD or ~/.pgpass)."),
    ),
    (
        _contains_all("database", "does not exist", codes=("3D000",)),
        _explained(
            "names a database that does not exist",
            "Create it (createdb NAME) or fix the database name in the URL.",
        ),
    ),
    (
        _contains("canceling statement due to statement timeout", codes=("57014",)),
        _explained(
            "cancelled a statement that ran past statement_timeout",
            "Look for a process holding a lock (a stopped worker); raise the limit with "
            "?options=-c%20statement_timeout%3DMILLISECONDS in the URL.",
        ),
    ),
    (
        _contains(
            "server closed the connection",
            "terminating connection",
            "connection is lost",
            "consuming input failed",
            codes=("57P01", "08006", "08003"),
        ),
        _explained(
            "lost the connection to the server",
            "Run again once the server is back; trials stored so far are kept.",
        ),
    ),
]
