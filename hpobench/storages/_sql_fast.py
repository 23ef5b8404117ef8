"""The SQL storage's hot path, on raw DBAPI connections.

Asking, writing and finishing a trial are a few small statements each; going
through SQLAlchemy's execution layer (connection checkout, isolation setup,
parameter processing, events) cost several times more than SQLite itself
spends on them. So these statements are hand-written once per dialect and run
on one raw driver connection per thread, in autocommit mode: a single
statement is atomic on its own (the trial writes are compare-and-set), and
the two-statement trial creation runs in an explicit transaction
(BEGIN IMMEDIATE on SQLite, so it queues for the write lock up front).

Everything else (schema, studies, the reaper) keeps using SQLAlchemy Core.
Both drivers take a dict of named parameters: sqlite3 as ``:name``,
psycopg as ``%(name)s``. Driver errors leave as StorageErrors (see _errors),
like those of the SQLAlchemy engine. close() hands the connection back to the
engine's pool (the storage's close() then disposes of the pool).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from hpobench.storages._errors import Where, storage_error
from hpobench.trial import TrialState

TRIALS = "hpobench_trials"
STUDIES = "hpobench_studies"
COLUMNS = (
    "trial_id",
    "study_id",
    "number",
    "state",
    "trial_values",
    "params",
    "distributions",
    "intermediate_values",
    "user_attrs",
    "system_attrs",
    "datetime_start",
    "datetime_complete",
    "heartbeat",
)
_ALL = ", ".join(COLUMNS)
_OPEN = f"state IN ('{TrialState.RUNNING.name}', '{TrialState.WAITING.name}')"


class Row:
    """Attribute access to one trial row."""

    def __init__(self, values: Any, names: tuple[str, ...] = COLUMNS) -> None:
        self.__dict__.update(zip(names, values, strict=False))

    def __getitem__(self, name: str) -> Any:
        return self.__dict__[name]

    def __getattr__(self, name: str) -> Any:  # the columns are set in __init__; this only types them
        raise AttributeError(f"Row has no column {name!r}.")


def _rowcount(cursor: Any) -> int:
    return cursor.rowcount


def _first_row(cursor: Any) -> Row | None:
    values = cursor.fetchone()
    return None if values is None else Row(values, tuple(d[0] for d in cursor.description))


def _all_rows(cursor: Any) -> list[Row]:
    names = tuple(d[0] for d in cursor.description)
    return [Row(values, names) for values in cursor.fetchall()]


class FastSQL:
    """Per-process helper: hand-written statements and one raw connection per thread."""

    def __init__(self, engine: Engine, counter: Any, where: Where) -> None:
        self._engine = engine
        self._counter = counter  # a StatementCounter: its n is incremented here
        self._where = where  # what error messages name
        self._driver_error = engine.dialect.loaded_dbapi.Error
        self._conn: Any = None
        self.lock = threading.RLock()
        self.sqlite = engine.dialect.name == "sqlite"
        p = (lambda name: f":{name}") if self.sqlite else (lambda name: f"%({name})s")
        self._p = p
        self.next_number = (
            f"UPDATE {STUDIES} SET next_number = next_number + 1 WHERE study_id = {p('sid')} RETURNING next_number"
        )
        names = [c for c in COLUMNS if c != "trial_id"]
        self.insert = (
            f"INSERT INTO {TRIALS} ({', '.join(names)}) VALUES ({', '.join(p(c) for c in names)}) RETURNING trial_id"
        )
        # SKIP LOCKED lets concurrent PostgreSQL claimers take different trials; SQLite has one writer anyway.
        lock = "" if self.sqlite else " FOR UPDATE SKIP LOCKED"
        self.claim = (
            f"UPDATE {TRIALS} SET state = '{TrialState.RUNNING.name}', "
            f"datetime_start = {p('now')}, heartbeat = {p('now')} "
            f"WHERE trial_id = (SELECT trial_id FROM {TRIALS} WHERE study_id = {p('sid')} "
            f"AND state = '{TrialState.WAITING.name}' ORDER BY number LIMIT 1{lock}) "
            f"AND state = '{TrialState.WAITING.name}' RETURNING {_ALL}"
        )
        self.load_json = (
            f"SELECT state, number, params, distributions, intermediate_values, user_attrs, system_attrs "
            f"FROM {TRIALS} WHERE trial_id = {p('tid')}"
        )
        self.get_trial = f"SELECT {_ALL} FROM {TRIALS} WHERE trial_id = {p('tid')}"
        self._updates: dict[tuple[tuple[str, ...], bool], str] = {}

    # --- statements -------------------------------------------------------------------------
    def update(self, columns: tuple[str, ...], finish: bool) -> str:
        """CAS update of columns (binds old_<c>, new_<c>, tid); with finish also state and values."""
        key = (columns, finish)
        if key not in self._updates:
            p = self._p
            sets = [f"{c} = {p('new_' + c)}" for c in columns]
            where = [f"trial_id = {p('tid')}", _OPEN] + [f"{c} = {p('old_' + c)}" for c in columns]
            if finish:
                sets += [
                    f"state = {p('state')}",
                    f"trial_values = {p('trial_values')}",
                    f"datetime_complete = {p('complete')}",
                    # a WAITING trial started through tell gets its start time; others keep theirs
                    f"datetime_start = COALESCE(datetime_start, {p('start')})",
                ]
            sql = f"UPDATE {TRIALS} SET {', '.join(sets)} WHERE {' AND '.join(where)}"
            self._updates[key] = sql + (f" RETURNING {_ALL}" if finish else "")
        return self._updates[key]

    def refresh(self, unfinished: list[int]) -> str:
        """Rows of a study from number n on, plus the given (unfinished) numbers; numbers are ints."""
        extra = f" OR number IN ({', '.join(str(int(n)) for n in unfinished)})" if unfinished else ""
        return (
            f"SELECT {_ALL} FROM {TRIALS} WHERE study_id = {self._p('sid')} "
            f"AND (number >= {self._p('n')}{extra}) ORDER BY number"
        )

    # --- execution ----------------------------------------------------------------------------
    # One raw connection per process, shared by its threads under a lock: statements are
    # short, SQLite has one writer anyway, and a connection per thread would leak one per
    # optimize(n_jobs=...) call.
    def _cursor(self) -> Any:
        if self._conn is None:
            conn = self._engine.raw_connection()  # runs the engine's connect hooks (SQLite pragmas)
            driver = conn.driver_connection
            if driver is None:
                raise RuntimeError("SQLAlchemy returned a pooled connection without its driver connection.")
            if self.sqlite:
                driver.isolation_level = None  # autocommit; transactions are explicit
            else:
                driver.autocommit = True
            self._conn = conn
        return self._conn.cursor()

    def execute(self, sql: str, params: dict[str, Any]) -> int:
        """Run one statement; returns its rowcount."""
        return self._query(sql, params, _rowcount)

    def first(self, sql: str, params: dict[str, Any]) -> Row | None:
        return self._query(sql, params, _first_row)

    def all(self, sql: str, params: dict[str, Any]) -> list[Row]:
        return self._query(sql, params, _all_rows)

    def control(self, sql: str) -> None:
        """BEGIN / COMMIT / ROLLBACK (not counted as statements)."""
        self._query(sql, {}, _rowcount, counted=False)

    def _query(self, sql: str, params: dict[str, Any], fetch: Callable[[Any], Any], counted: bool = True) -> Any:
        """Run sql and fetch its result; a driver error (also one found while fetching, as a
        corrupted page) leaves as a StorageError."""
        with self.lock:
            if counted:
                self._counter.n += 1
            cursor = None
            try:
                cursor = self._cursor()
                cursor.execute(sql, params)
                return fetch(cursor)
            except BaseException as err:
                self._drop_if_broken()
                if isinstance(err, self._driver_error):
                    raise storage_error(err, self._where) from err
                raise
            finally:
                if cursor is not None:
                    cursor.close()

    def close(self) -> None:
        """Hand the connection back to the pool (a later statement takes a new one)."""
        with self.lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                try:
                    conn.close()
                except self._driver_error:
                    conn.invalidate()  # a broken connection: the pool drops it

    def _drop_if_broken(self) -> None:
        if self._conn is not None and not self.sqlite and self._conn.driver_connection.closed:
            self._conn.invalidate()
            self._conn = None

    def transaction(self) -> _Transaction:
        """BEGIN (IMMEDIATE on SQLite: queue for the write lock up front) ... COMMIT, ROLLBACK on error."""
        return _Transaction(self)


class _Transaction:
    def __init__(self, fast: FastSQL) -> None:
        self._fast = fast

    def __enter__(self) -> FastSQL:
        self._fast.lock.acquire()
        try:
            self._fast.control("BEGIN IMMEDIATE" if self._fast.sqlite else "BEGIN")
        except BaseException:
            self._fast.lock.release()
            raise
        return self._fast

    def __exit__(self, kind: Any, *_: Any) -> None:
        try:
            if kind is None:
                try:
                    self._fast.control("COMMIT")  # where SQLite writes the WAL: a full disk shows here
                except BaseException:
                    self._rollback()
                    raise
            else:
                self._rollback()
        finally:
            self._fast.lock.release()

    def _rollback(self) -> None:
        with contextlib.suppress(Exception):  # no transaction left (SQLite rolls back by itself on some errors)
            self._fast.control("ROLLBACK")
