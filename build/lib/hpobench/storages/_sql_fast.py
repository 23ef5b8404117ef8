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
psycopg as ``%(name)s``.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.engine import Engine

from hpobench.trial._state import TrialState

TRIALS = "hpobench_trials"
STUDIES = "hpobench_studies"
COLUMNS = (
    "trial_id", "study_id", "number", "state", "trial_values", "params", "distributions", "intermediate_values",
    "user_attrs", "system_attrs", "datetime_start", "datetime_complete", "heartbeat",
)
_ALL = ", ".join(COLUMNS)
_OPEN = f"state IN ('{TrialState.RUNNING.name}', '{TrialState.WAITING.name}')"


class Row:
    """Attribute access to one trial row."""

    def __init__(self, values: Any, names: tuple[str, ...] = COLUMNS) -> None:
        self.__dict__.update(zip(names, values))

    def __getitem__(self, name: str) -> Any:
        return self.__dict__[name]


class FastSQL:
    """Per-process helper: hand-written statements and one raw connection per thread."""

    def __init__(self, engine: Engine, counter: Any) -> None:
        self._engine = engine
        self._counter = counter  # the storage: its statement_count is incremented here
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
            f"UPDATE {TRIALS} SET state = '{TrialState.RUNNING.name}', datetime_start = {p('now')}, heartbeat = {p('now')} "
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
                    f"state = {p('state')}", f"trial_values = {p('trial_values')}",
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
            if self.sqlite:
                conn.driver_connection.isolation_level = None  # autocommit; transactions are explicit
            else:
                conn.driver_connection.autocommit = True
            self._conn = conn
        return self._conn.cursor()

    def execute(self, sql: str, params: dict[str, Any]) -> int:
        """Run one statement; returns its rowcount."""
        with self.lock:
            cursor = self._run(sql, params)
            count = cursor.rowcount
            cursor.close()
        return count

    def first(self, sql: str, params: dict[str, Any]) -> Row | None:
        with self.lock:
            cursor = self._run(sql, params)
            values = cursor.fetchone()
            names = tuple(d[0] for d in cursor.description)
            cursor.close()
        return None if values is None else Row(values, names)

    def all(self, sql: str, params: dict[str, Any]) -> list[Row]:
        with self.lock:
            cursor = self._run(sql, params)
            names = tuple(d[0] for d in cursor.description)
            rows = [Row(values, names) for values in cursor.fetchall()]
            cursor.close()
        return rows

    def _run(self, sql: str, params: dict[str, Any]) -> Any:
        self._counter.statement_count += 1
        cursor = self._cursor()
        try:
            cursor.execute(sql, params)
        except BaseException:
            cursor.close()
            self._drop_if_broken()
            raise
        return cursor

    def _drop_if_broken(self) -> None:
        if self._conn is not None and not self.sqlite and self._conn.driver_connection.closed:
            self._conn.invalidate()
            self._conn = None

    def transaction(self) -> "_Transaction":
        """BEGIN (IMMEDIATE on SQLite: queue for the write lock up front) ... COMMIT, ROLLBACK on error."""
        return _Transaction(self)


class _Transaction:
    def __init__(self, fast: FastSQL) -> None:
        self._fast = fast

    def __enter__(self) -> FastSQL:
        self._fast.lock.acquire()
        try:
            cursor = self._fast._cursor()
            cursor.execute("BEGIN IMMEDIATE" if self._fast.sqlite else "BEGIN")
            cursor.close()
        except BaseException:
            self._fast.lock.release()
            raise
        return self._fast

    def __exit__(self, kind: Any, *_: Any) -> None:
        try:
            cursor = self._fast._cursor()
            cursor.execute("COMMIT" if kind is None else "ROLLBACK")
            cursor.close()
        finally:
            self._fast.lock.release()
