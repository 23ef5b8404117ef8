"""SQL storage through SQLAlchemy Core: SQLite (embedded default) and PostgreSQL.

Design notes for the next engineer:
- One row per trial with JSON columns (see _sql_schema). A report is one UPDATE.
- Writes to a trial are compare-and-set on the column's previous JSON text and
  on state RUNNING/WAITING: finished trials are immutable, and a worker whose
  trial was failed by the heartbeat reaper gets TrialFinishedError instead of
  silently overwriting it.
- Reads are incremental: each process caches finished trials (immutable) and
  asks only for numbers it has not seen plus the ones it saw unfinished, in
  one SELECT.
- SQLite runs in WAL mode with a busy timeout, so many processes can share
  one file; each process opens its own engine (engines are not fork-safe).
  WAL is switched on only after the schema check: a file we refuse (not a
  database, another program's, another schema version) is never written.
- The trial hot path (ask, every write, tell, trial reads) runs hand-written
  statements on one raw driver connection per process (_sql_fast); a trial
  costs 3 statements to start (claim an enqueued one, else counter + insert),
  one UPDATE per suggest / report / attr, and one UPDATE ... RETURNING to
  finish. Studies, schema and the reaper use SQLAlchemy Core.
- statement_count counts every statement this storage object ran (the
  benchmark's statements per trial).
- Opening (engine arguments, timeouts, read-only SQLite files) and the
  release of a process's connections live in _sql_engine; close(), a
  with-block or dropping the storage releases them. Driver errors reach the
  caller as StorageErrors from _errors, through the engine's handle_error
  event and FastSQL; only IntegrityError passes raw (DuplicatedStudyError
  and the open's retry decide on it).
- A SQLite file deleted or replaced under a running study is noticed by its
  inode before each trial starts and finishes (_check_file).
"""

from __future__ import annotations

import copy
import datetime
import os
import threading
import time
import weakref
from collections.abc import Callable, Container, Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import IntegrityError

from hpobench.direction import StudyDirection
from hpobench.distributions import Distribution, check_same_distribution, distribution_to_json
from hpobench.exceptions import DuplicatedStudyError, StorageError, StudyNotFoundError, TrialFinishedError
from hpobench.storages import _json
from hpobench.storages._base import BaseStorage, check_attr_kind, check_study_name, new_study_name
from hpobench.storages._errors import is_transient, storage_error
from hpobench.storages._heartbeat import HeartbeatStamper
from hpobench.storages._sql_engine import Connections, StatementCounter, create_engine, describe_storage
from hpobench.storages._sql_fast import FastSQL, Row
from hpobench.storages._sql_schema import SCHEMA_VERSION, meta_table, metadata, studies_table, trials_table
from hpobench.storages._url import masked, parse_storage_url
from hpobench.trial import FrozenTrial, TrialState

_T = trials_table
_S = studies_table
_OPEN_STATES = (TrialState.RUNNING.name, TrialState.WAITING.name)


def _absolute(url: URL) -> URL:
    """An SQLite URL with an absolute path: a later chdir, or a worker started elsewhere, opens the same file."""
    if url.get_backend_name() != "sqlite":
        return url
    return url.set(database=str(Path(url.database).absolute()))  # type: ignore[arg-type]


def _timestamp(value: float | None) -> datetime.datetime | None:
    return None if value is None else datetime.datetime.fromtimestamp(value)


_JSON_COLUMNS = ("params", "distributions", "intermediate_values", "user_attrs", "system_attrs")


def _check_same_distributions(stored: dict[str, str], new: dict[str, str]) -> None:
    for name, text in new.items():
        if name in stored and stored[name] != text:
            check_same_distribution(
                name, _json.distribution_from_json(stored[name]), _json.distribution_from_json(text)
            )


def _merges(
    params: dict[str, tuple[float, Distribution]] | None,
    intermediate_values: dict[int, float] | None,
    user_attrs: dict[str, Any] | None,
    system_attrs: dict[str, Any] | None,
) -> dict[str, dict[str, Any]]:
    """What update_trial merges into each JSON column."""
    merges: dict[str, dict[str, Any]] = {}
    if params:
        merges["params"] = {name: float(internal) for name, (internal, _) in params.items()}
        merges["distributions"] = {name: distribution_to_json(d) for name, (_, d) in params.items()}
    if intermediate_values:
        merges["intermediate_values"] = {str(step): value for step, value in intermediate_values.items()}
    for column, attrs in (("user_attrs", user_attrs), ("system_attrs", system_attrs)):
        if attrs:
            for value in attrs.values():
                _json.dumps(value)  # fail early, naming the value, if it is not JSON
            merges[column] = attrs
    return merges


def _cas_binds(texts: dict[str, str], merges: dict[str, dict[str, Any]]) -> dict[str, str]:
    """old_<column> (the text we last saw) and new_<column> (merged) for each merged column."""
    binds = {}
    for column, merge in merges.items():
        decoded = _json.loads(texts[column])
        if column == "distributions":
            _check_same_distributions(decoded, merge)
        decoded.update(merge)
        binds["old_" + column] = texts[column]
        binds["new_" + column] = _json.dumps(decoded)
    return binds


def _finish_binds(state: TrialState, values: list[float] | None) -> dict[str, Any]:
    return {
        "state": state.name,
        "trial_values": None if values is None else _json.dumps([float(v) for v in values]),
        "complete": time.time() if state.is_finished() else None,
        "start": time.time(),
    }


def _new_row(study_id: int) -> dict[str, Any]:
    now = time.time()
    return {
        "study_id": study_id,
        "number": None,
        "state": TrialState.RUNNING.name,
        "trial_values": None,
        "params": "{}",
        "distributions": "{}",
        "intermediate_values": "{}",
        "user_attrs": "{}",
        "system_attrs": "{}",
        "datetime_start": now,
        "datetime_complete": None,
        "heartbeat": now,
    }


def _epoch(moment: datetime.datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _template_row(study_id: int, trial: FrozenTrial) -> dict[str, Any]:
    """The row of a copy of trial (params stored by their internal value, as set_trial_param does)."""
    internal = {n: float(d.to_internal_repr(trial.params[n])) for n, d in trial.distributions.items()}
    running = trial.state == TrialState.RUNNING
    return {
        "study_id": study_id,
        "number": None,
        "state": trial.state.name,
        "trial_values": None if trial.values is None else _json.dumps([float(v) for v in trial.values]),
        "params": _json.dumps(internal),
        "distributions": _json.distributions_to_json(trial.distributions),
        "intermediate_values": _json.dumps({str(k): float(v) for k, v in trial.intermediate_values.items()}),
        "user_attrs": _json.dumps(trial.user_attrs),
        "system_attrs": _json.dumps(trial.system_attrs),
        "datetime_start": _epoch(trial.datetime_start),
        "datetime_complete": _epoch(trial.datetime_complete),
        "heartbeat": time.time() if running else None,
    }


class _Statements:
    """Statements built once (building SQLAlchemy expressions per call costs more than
    running them); the trial hot path itself lives in _sql_fast."""

    def __init__(self) -> None:
        bind = sa.bindparam
        self.heartbeat = (
            _T.update()
            .where(_T.c.trial_id.in_(bind("ids", expanding=True)), _T.c.state == TrialState.RUNNING.name)
            .values(heartbeat=bind("now"))
        )


_SQL = _Statements()


def _call_if_alive(method: weakref.WeakMethod[Any], ids: list[int]) -> None:
    bound = method()
    if bound is not None:
        bound(ids)


class _SchemaBeingCreated(Exception):
    """The meta table exists but has no version yet: retry shortly."""


def _worth_retrying(err: Exception) -> bool:
    """At open, only another process creating the schema at the same moment (or holding a
    short lock) is worth a retry; a refused connection or a file that is not a database is not."""
    if isinstance(err, _SchemaBeingCreated):
        return True
    return is_transient(err.__cause__ if isinstance(err, StorageError) else err)


# What a copy sent to another process keeps (the rest is per-process: engines, caches, locks).
_PICKLED = (
    "url",
    "_url",
    "engine_kwargs",
    "skip_compatibility_check",
    "_where",
    "heartbeat_interval",
    "grace_period",
    "failed_trial_callback",
    "_file_id",
)


class RDBStorage(BaseStorage):
    """SQLite or PostgreSQL storage shared by many processes and machines.

    Errors of the database (unreachable server, locked, corrupted, read-only or
    full file, ...) arrive as StorageError naming the storage and what to do;
    passwords never appear in them. Use ``with RDBStorage(url) as storage:`` or
    close() to release the connections at a known point; a dropped storage
    releases them too.

    Args:
        url: SQLAlchemy URL, e.g. ``sqlite:///results/hpobench.db`` or
            ``postgresql://user:pw@host/db``. Timeouts go in its query
            (``?timeout=`` for SQLite's lock wait, ``?connect_timeout=`` and
            ``?options=-c statement_timeout=...`` for PostgreSQL; see
            docs/storage.md).
        engine_kwargs: extra keyword arguments of ``sqlalchemy.create_engine``
            (e.g. ``{"pool_size": 2, "connect_args": {"connect_timeout": 3}}``);
            they win over hpobench's defaults.
        skip_compatibility_check: open a storage of another hpobench schema
            version instead of refusing it (Optuna's flag; at your own risk).
        heartbeat_interval: seconds between a running trial's liveness stamps;
            None turns the heartbeat off.
        grace_period: a RUNNING trial whose stamp is older than this is failed
            by the other workers; defaults to 4 x heartbeat_interval.
        failed_trial_callback: called as ``cb(study, frozen_trial)`` for each
            trial failed by the heartbeat (see RetryFailedTrialCallback).
        heartbeat_stale_trial_callback: Optuna 4.9's new name of failed_trial_callback
            (give one of them).
    """

    def __init__(
        self,
        url: str,
        engine_kwargs: dict[str, Any] | None = None,
        skip_compatibility_check: bool = False,
        *,
        heartbeat_interval: float | None = 5.0,
        grace_period: float | None = None,
        failed_trial_callback: Callable[[Any, FrozenTrial], None] | None = None,
        heartbeat_stale_trial_callback: Callable[[Any, FrozenTrial], None] | None = None,
    ) -> None:
        if failed_trial_callback is not None and heartbeat_stale_trial_callback is not None:
            raise ValueError("Give failed_trial_callback or heartbeat_stale_trial_callback (its new name), not both.")
        failed_trial_callback = failed_trial_callback or heartbeat_stale_trial_callback
        if heartbeat_interval is not None and heartbeat_interval <= 0:
            raise ValueError(f"heartbeat_interval must be > 0 or None, got {heartbeat_interval!r}.")
        if grace_period is not None and grace_period <= 0:
            raise ValueError(f"grace_period must be > 0, got {grace_period!r}.")
        if engine_kwargs is not None and not isinstance(engine_kwargs, Mapping):
            raise TypeError(f"engine_kwargs must be a dict of create_engine arguments or None, got {engine_kwargs!r}.")
        self.url = url
        self._url = _absolute(parse_storage_url(url))
        self.engine_kwargs = dict(engine_kwargs or {})
        self.skip_compatibility_check = bool(skip_compatibility_check)
        self._where = describe_storage(url, self._url, self.engine_kwargs)
        self.heartbeat_interval = heartbeat_interval
        self.grace_period = grace_period or (None if heartbeat_interval is None else 4 * heartbeat_interval)
        self.failed_trial_callback = failed_trial_callback
        self._counter = StatementCounter()
        self._reset_process_state()
        try:
            self._init_schema()
        except BaseException:
            self._conns.close()  # at once: the traceback keeps this half-made storage alive a while
            raise
        self._file_id = self._stat_file()  # SQLite: the inode, to notice a deleted or replaced file

    def __repr__(self) -> str:
        return f"RDBStorage({masked(self.url)!r})"

    @property
    def statement_count(self) -> int:
        """Statements this storage object ran in this process (benchmarks: statements per trial)."""
        return self._counter.n

    @statement_count.setter
    def statement_count(self, value: int) -> None:
        self._counter.n = value

    # --- per-process plumbing ----------------------------------------------
    def _reset_process_state(self) -> None:
        finalizer = getattr(self, "_finalizer", None)
        if finalizer is not None:
            finalizer.detach()  # the old connections were the parent's (a fork): never close them here
        self._conns = Connections()
        # Closes the connections when the storage is dropped; holds no reference to the storage.
        self._finalizer = weakref.finalize(self, self._conns.close)
        self._lock = threading.RLock()
        self._trials_cache: dict[int, list[FrozenTrial]] = {}
        self._rows_json: dict[int, dict[str, str]] = {}  # trial_id -> last known JSON texts (for CAS)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k in _PICKLED}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._counter = StatementCounter()
        self._reset_process_state()

    def close(self) -> None:
        """Release this process's connections (PostgreSQL server slots, SQLite file descriptors)
        and its heartbeat thread. Call it when none of its trials is running; the storage stays
        usable and reconnects on its next use."""
        with self._lock:
            self._conns.close()

    @property
    def _auto(self) -> Engine:
        """The engine in autocommit mode, for single statements: no BEGIN/COMMIT round trips
        (each statement is atomic on its own; the compare-and-set writes need no more)."""
        engine = self._engine
        if self._conns.auto is None:
            self._conns.auto = engine.execution_options(isolation_level="AUTOCOMMIT")
        return self._conns.auto

    @property
    def engine(self) -> Engine:
        """This process's SQLAlchemy engine (Optuna's attribute)."""
        return self._engine

    @property
    def _engine(self) -> Engine:
        if self._conns.pid != os.getpid():
            self._reset_process_state()
        if self._conns.engine is None:
            self._conns.engine = create_engine(self._url, self.engine_kwargs, self._where, self._counter)
        return self._conns.engine

    def _init_schema(self) -> None:
        attempts, deadline = 20, time.monotonic() + max(self._where.lock_timeout, 5.0)
        for attempt in range(attempts):
            try:
                self._check_or_create_schema()
                self._enable_wal()
                return
            except (StorageError, IntegrityError, _SchemaBeingCreated) as err:
                if not _worth_retrying(err) or attempt == attempts - 1 or time.monotonic() > deadline:
                    raise self._as_storage_error(err) from err.__cause__ or err
            time.sleep(min(0.05 * (attempt + 1), 0.5))

    def _as_storage_error(self, err: Exception) -> StorageError:
        if isinstance(err, StorageError):
            return err
        if isinstance(err, _SchemaBeingCreated):
            return StorageError(str(err))
        return storage_error(err, self._where)

    def _enable_wal(self) -> None:
        """WAL lets readers and one writer work at once. It is a property of the file, so it is
        set here, once the file is known to be ours, and never on a file we refuse (nor on
        one opened read-only)."""
        if self._url.get_backend_name() != "sqlite" or self._where.read_only_reason is not None:
            return
        with self._engine.connect() as conn:
            if conn.exec_driver_sql("PRAGMA journal_mode").scalar() != "wal":
                conn.exec_driver_sql("PRAGMA journal_mode = WAL")

    def _stat_file(self) -> int | None:
        """The SQLite file's inode now (-1 when it is gone); None for a server."""
        if self._where.path is None:
            return None
        try:
            return os.stat(self._where.path).st_ino
        except OSError:
            return -1

    def _check_file(self) -> None:
        """Stop before a trial starts or finishes in a file that was deleted or replaced meanwhile:
        SQLite would go on writing into the unlinked file, and every such trial would be lost."""
        if self._file_id is None or self._stat_file() == self._file_id:
            return
        what = "deleted" if self._stat_file() == -1 else "replaced by another file"
        raise StorageError(
            f"{self._where.label} was {what} while in use ({self._where.path}); nothing more is written "
            "to it. Trials finished after that are lost: restore the file or start again."
        )

    def _check_or_create_schema(self) -> None:
        """Check the schema version first, so nothing is written to a database we cannot read."""
        label = self._where.label
        with self._engine.begin() as conn:
            if self._url.get_backend_name() == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(4242424242)"))  # one creator at a time
            tables = set(sa.inspect(conn).get_table_names())
            if meta_table.name in tables:
                row = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).first()
                if row is None:  # SQLite DDL commits at once: another process is midway through creating it
                    raise _SchemaBeingCreated(f"{label} has an hpobench meta table without a schema version.")
                if row[0] != str(SCHEMA_VERSION) and not self.skip_compatibility_check:
                    raise StorageError(
                        f"{label} has hpobench schema version {row[0]!r}; "
                        f"this hpobench reads version {SCHEMA_VERSION}. Use a matching hpobench or a new storage."
                    )
                return
            foreign = tables - set(metadata.tables)  # ours may be half-created by a concurrent process
            if foreign and self._url.get_backend_name() == "sqlite":
                raise StorageError(
                    f"{label} is a database of something else (tables {sorted(foreign)}), "
                    "not an hpobench storage; nothing was changed. Use a new file."
                )
            metadata.create_all(conn)
            conn.execute(meta_table.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))

    # --- studies -----------------------------------------------------------
    def create_new_study(self, directions: list[StudyDirection], study_name: str | None = None) -> int:
        study_name = new_study_name() if study_name is None else check_study_name(study_name)
        try:
            with self._engine.begin() as conn:
                result = conn.execute(
                    _S.insert().values(
                        study_name=study_name,
                        directions=_json.dumps([d.name for d in directions]),
                        user_attrs="{}",
                        system_attrs="{}",
                        next_number=0,
                    )
                )
                key = result.inserted_primary_key
                if key is None:
                    raise RuntimeError("The database returned no id for the new study.")
                return int(key[0])
        except IntegrityError:
            raise DuplicatedStudyError(
                f"A study named {study_name!r} already exists in {masked(self.url)!r}."
            ) from None

    def delete_study(self, study_id: int) -> None:
        self._study_column(study_id, _S.c.study_id)  # StudyNotFoundError (a KeyError) for an unknown id, as in memory
        with self._engine.begin() as conn:
            conn.execute(_T.delete().where(_T.c.study_id == study_id))
            conn.execute(_S.delete().where(_S.c.study_id == study_id))
        self._trials_cache.pop(study_id, None)

    def get_study_id_from_name(self, study_name: str) -> int:
        with self._auto.connect() as conn:
            row = conn.execute(sa.select(_S.c.study_id).where(_S.c.study_name == study_name)).first()
        if row is None:
            raise StudyNotFoundError(
                f"No study named {study_name!r} in {masked(self.url)!r}. "
                f"Known studies: {sorted(self.get_all_study_names())}."
            )
        return int(row[0])

    def _study_column(self, study_id: int, column: sa.Column) -> Any:
        with self._auto.connect() as conn:
            row = conn.execute(sa.select(column).where(_S.c.study_id == study_id)).first()
        if row is None:
            raise StudyNotFoundError(f"No study with id {study_id} in {masked(self.url)!r}.")
        return row[0]

    def get_study_name(self, study_id: int) -> str:
        return self._study_column(study_id, _S.c.study_name)

    def get_study_directions(self, study_id: int) -> list[StudyDirection]:
        return [StudyDirection[d] for d in _json.loads(self._study_column(study_id, _S.c.directions))]

    def get_all_study_names(self) -> list[str]:
        with self._auto.connect() as conn:
            return [r[0] for r in conn.execute(sa.select(_S.c.study_name).order_by(_S.c.study_id))]

    def set_study_attr(self, study_id: int, kind: str, key: str, value: Any) -> None:
        column = _S.c[check_attr_kind(kind) + "_attrs"]
        while True:
            old = self._study_column(study_id, column)
            new = _json.dumps({**_json.loads(old), key: value})
            with self._engine.begin() as conn:
                stmt = _S.update().where(_S.c.study_id == study_id, column == old).values({column.name: new})
                if conn.execute(stmt).rowcount == 1:
                    return

    def get_study_attrs(self, study_id: int, kind: str) -> dict[str, Any]:
        return _json.loads(self._study_column(study_id, _S.c[check_attr_kind(kind) + "_attrs"]))

    # --- trials: creation ---------------------------------------------------
    def create_new_trial(self, study_id: int, template_trial: FrozenTrial | None = None) -> int:
        self._check_file()
        return self._insert_trial(study_id, template_trial).trial_id

    def _insert_trial(self, study_id: int, template: FrozenTrial | None = None) -> FrozenTrial:
        """One INSERT of a new RUNNING trial, or of a copy of template (see BaseStorage.create_new_trial)."""
        row = _new_row(study_id) if template is None else _template_row(study_id, template)
        with self._fast.transaction() as fast:
            # The counter row lock serialises creators until commit: numbers are dense and
            # committed in order (what the incremental read relies on).
            counter = fast.first(fast.next_number, {"sid": study_id})
            if counter is None:
                raise StudyNotFoundError(f"No study with id {study_id} in {masked(self.url)!r}.")
            row["number"] = counter["next_number"] - 1
            row["trial_id"] = int(fast.first(fast.insert, row)["trial_id"])  # type: ignore[index]
        if row["state"] in _OPEN_STATES:  # the CAS writes start from these texts; finished rows take none
            self._remember(row)
        return self._row_to_trial(Row(row.values(), tuple(row)))

    def claim_waiting_trial(self, study_id: int) -> int | None:
        self._check_file()
        trial = self._claim(study_id)
        return None if trial is None else trial.trial_id

    def _claim(self, study_id: int) -> FrozenTrial | None:
        row = self._fast.first(self._fast.claim, {"sid": study_id, "now": time.time()})
        if row is None:
            return None
        self._remember(row)
        return self._row_to_trial(row)

    def start_trial(self, study_id: int) -> FrozenTrial:
        """Claim the oldest WAITING trial or create one, without reading it back."""
        self._check_file()
        return self._claim(study_id) or self._insert_trial(study_id)

    # --- trials: compare-and-set writes ---------------------------------------
    @property
    def _fast(self) -> FastSQL:
        engine = self._engine  # resets the per-process state after a fork
        if self._conns.fast is None:
            self._conns.fast = FastSQL(engine, self._counter, self._where)
        return self._conns.fast

    def _remember(self, row: Any) -> None:
        self._rows_json[row["trial_id"]] = {c: row[c] for c in _JSON_COLUMNS}

    def _load_json(self, trial_id: int) -> dict[str, str]:
        row = self._fast.first(self._fast.load_json, {"tid": trial_id})
        if row is None:
            raise KeyError(f"No trial with id {trial_id} in {masked(self.url)!r}.")
        if row.state not in _OPEN_STATES:
            raise TrialFinishedError(f"Trial {row.number} is already {row.state}; finished trials cannot be changed.")
        texts = {c: getattr(row, c) for c in _JSON_COLUMNS}
        self._rows_json[trial_id] = texts
        return texts

    def update_trial(
        self,
        trial_id: int,
        *,
        params: dict[str, tuple[float, Distribution]] | None = None,
        intermediate_values: dict[int, float] | None = None,
        user_attrs: dict[str, Any] | None = None,
        system_attrs: dict[str, Any] | None = None,
        state: TrialState | None = None,
        values: list[float] | None = None,
    ) -> FrozenTrial | None:
        """All the writes in one UPDATE, compare-and-set on the touched JSON columns' previous text.

        The texts come from this process's last write, so the usual case is one statement;
        if another writer changed the row meanwhile, the row is re-read and the merge redone.
        """
        _ = self._engine  # after a fork: fresh lock and caches before they are used
        merges = _merges(params, intermediate_values, user_attrs, system_attrs)
        columns = tuple(sorted(merges))
        finish = None if state is None else _finish_binds(state, values)
        if finish is not None:
            self._check_file()
        with self._lock:
            texts = self._rows_json.get(trial_id) or self._load_json(trial_id)
            for _attempt in range(100):
                binds = {"tid": trial_id, **_cas_binds(texts, merges), **(finish or {})}
                sql = self._fast.update(columns, finish is not None)
                row = self._fast.first(sql, binds) if finish is not None else None
                if row is not None or (finish is None and self._fast.execute(sql, binds) == 1):
                    self._rows_json[trial_id] = {**texts, **{c: binds["new_" + c] for c in columns}}
                    if finish is None:
                        return None
                    if state.is_finished():  # type: ignore[union-attr]
                        self._rows_json.pop(trial_id, None)
                    return self._row_to_trial(row)
                texts = self._load_json(trial_id)  # raises TrialFinishedError if it finished
            raise StorageError(f"Could not update trial {trial_id}: too many concurrent writers.")

    def set_trial_param(self, trial_id: int, name: str, internal: float, distribution: Distribution) -> None:
        self.update_trial(trial_id, params={name: (internal, distribution)})

    def set_trial_intermediate_value(self, trial_id: int, step: int, value: float) -> None:
        self.update_trial(trial_id, intermediate_values={step: value})

    def set_trial_attr(self, trial_id: int, kind: str, key: str, value: Any) -> None:
        if check_attr_kind(kind) == "user":
            self.update_trial(trial_id, user_attrs={key: value})
        else:
            self.update_trial(trial_id, system_attrs={key: value})

    def set_trial_state_values(
        self, trial_id: int, state: TrialState, values: list[float] | None = None
    ) -> FrozenTrial:
        return self.update_trial(trial_id, state=state, values=values)  # type: ignore[return-value]

    # --- trials: reads ---------------------------------------------------------
    def _row_to_trial(self, row: Any) -> FrozenTrial:
        distributions = _json.distributions_from_json(row.distributions)
        internal = _json.loads(row.params)
        return FrozenTrial(
            number=row.number,
            state=TrialState[row.state],
            values=None if row.trial_values is None else _json.loads(row.trial_values),
            params={name: distributions[name].to_external_repr(v) for name, v in internal.items()},
            distributions=distributions,
            intermediate_values={int(k): v for k, v in _json.loads(row.intermediate_values).items()},
            user_attrs=_json.loads(row.user_attrs),
            system_attrs=_json.loads(row.system_attrs),
            datetime_start=_timestamp(row.datetime_start),
            datetime_complete=_timestamp(row.datetime_complete),
            trial_id=row.trial_id,
        )

    def get_trial(self, trial_id: int) -> FrozenTrial:
        row = self._fast.first(self._fast.get_trial, {"tid": trial_id})
        if row is None:
            raise KeyError(f"No trial with id {trial_id} in {masked(self.url)!r}.")
        return self._row_to_trial(row)

    def _refresh(self, study_id: int) -> list[FrozenTrial]:
        cached = self._trials_cache.setdefault(study_id, [])
        unfinished = [t.number for t in cached if not t.state.is_finished()]
        rows = self._fast.all(self._fast.refresh(unfinished), {"sid": study_id, "n": len(cached)})
        if not rows and not cached:
            self._study_column(study_id, _S.c.study_id)  # raises StudyNotFoundError for a bad id
        for row in rows:
            trial = self._row_to_trial(row)
            if trial.number < len(cached):
                cached[trial.number] = trial
            else:
                cached.append(trial)
        return cached

    def get_all_trials(
        self, study_id: int, deepcopy: bool = True, states: Container[TrialState] | None = None
    ) -> list[FrozenTrial]:
        _ = self._engine  # after a fork: fresh lock and caches before they are used
        with self._lock:
            cached = self._refresh(study_id)
            selected = list(cached) if states is None else [t for t in cached if t.state in states]
        if deepcopy:
            return copy.deepcopy(selected)
        return selected

    # --- heartbeat --------------------------------------------------------------
    def start_heartbeat(self, trial_id: int) -> None:
        if self.heartbeat_interval is None:
            return
        _ = self._engine  # after a fork: this process's own stamper
        if self._conns.stamper is None:
            # a weak reference: the thread must not keep a dropped storage (and its connections) alive
            stamp = weakref.WeakMethod(self.record_heartbeats)
            self._conns.stamper = HeartbeatStamper(lambda ids: _call_if_alive(stamp, ids), self.heartbeat_interval)
        self._conns.stamper.add(trial_id)

    def stop_heartbeat(self, trial_id: int) -> None:
        if self._conns.stamper is not None:
            self._conns.stamper.discard(trial_id)

    def record_heartbeat(self, trial_id: int) -> None:
        self.record_heartbeats([trial_id])

    def record_heartbeats(self, trial_ids: list[int]) -> None:
        """Stamp several running trials in one statement."""
        with self._auto.connect() as conn:
            conn.execute(_SQL.heartbeat, {"ids": list(trial_ids), "now": time.time()})

    def fail_stale_trials(self, study_id: int) -> list[int]:
        if self.grace_period is None:
            return []
        deadline = time.time() - self.grace_period
        with self._auto.connect() as conn:
            stale = conn.execute(
                sa.select(_T.c.trial_id, _T.c.heartbeat, _T.c.system_attrs).where(
                    _T.c.study_id == study_id, _T.c.state == TrialState.RUNNING.name, _T.c.heartbeat < deadline
                )
            ).all()
        failed = []
        for row in stale:
            attrs = _json.loads(row.system_attrs)
            attrs["fail_reason"] = f"Worker stopped sending heartbeats (last {time.time() - row.heartbeat:.1f} s ago)."
            with self._auto.connect() as conn:
                won = conn.execute(
                    _T.update()
                    .where(
                        _T.c.trial_id == row.trial_id,
                        _T.c.state == TrialState.RUNNING.name,
                        _T.c.heartbeat == row.heartbeat,
                    )
                    .values(state=TrialState.FAIL.name, datetime_complete=time.time(), system_attrs=_json.dumps(attrs))
                ).rowcount
            if won == 1:
                failed.append(row.trial_id)
        return failed
