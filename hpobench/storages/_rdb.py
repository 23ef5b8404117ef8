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
"""

from __future__ import annotations

import copy
import datetime
import os
import threading
import time
from pathlib import Path
from typing import Any, Callable, Container

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, IntegrityError, NoSuchModuleError

from hpobench.distributions import BaseDistribution, check_same_distribution, distribution_to_json
from hpobench.exceptions import DuplicatedStudyError, StorageError, StudyNotFoundError, TrialFinishedError
from hpobench.storages import _json
from hpobench.storages._base import BaseStorage, check_attr_kind, new_study_name
from hpobench.storages._heartbeat import HeartbeatStamper
from hpobench.storages._sql_fast import FastSQL, Row
from hpobench.storages._sql_schema import SCHEMA_VERSION, meta_table, metadata, studies_table, trials_table
from hpobench.direction import StudyDirection
from hpobench.trial._frozen import FrozenTrial
from hpobench.trial._state import TrialState

_T = trials_table
_S = studies_table
_OPEN_STATES = (TrialState.RUNNING.name, TrialState.WAITING.name)


def _normalise_url(url: str) -> sa.engine.URL:
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise StorageError(
            f"Malformed storage URL {url!r}: expected e.g. 'sqlite:///results/hpobench.db' "
            "or 'postgresql://user:password@host:5432/dbname'."
        ) from err
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StorageError(
            f"Unsupported storage backend {parsed.get_backend_name()!r} in {url!r}: use sqlite or postgresql."
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3, the 'postgres' extra
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StorageError(f"{url!r} is an in-memory SQLite URL; use InMemoryStorage (storage=None) instead.")
    return parsed


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 60000")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


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
    params: dict[str, tuple[float, BaseDistribution]] | None,
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
        "study_id": study_id, "number": None, "state": TrialState.RUNNING.name, "trial_values": None,
        "params": "{}", "distributions": "{}", "intermediate_values": "{}", "user_attrs": "{}", "system_attrs": "{}",
        "datetime_start": now, "datetime_complete": None, "heartbeat": now,
    }


def _epoch(moment: datetime.datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _template_row(study_id: int, trial: FrozenTrial) -> dict[str, Any]:
    """The row of a copy of trial (params stored by their internal value, as set_trial_param does)."""
    internal = {n: float(d.to_internal_repr(trial.params[n])) for n, d in trial.distributions.items()}
    running = trial.state == TrialState.RUNNING
    return {
        "study_id": study_id, "number": None, "state": trial.state.name,
        "trial_values": None if trial.values is None else _json.dumps([float(v) for v in trial.values]),
        "params": _json.dumps(internal), "distributions": _json.distributions_to_json(trial.distributions),
        "intermediate_values": _json.dumps({str(k): float(v) for k, v in trial.intermediate_values.items()}),
        "user_attrs": _json.dumps(trial.user_attrs), "system_attrs": _json.dumps(trial.system_attrs),
        "datetime_start": _epoch(trial.datetime_start), "datetime_complete": _epoch(trial.datetime_complete),
        "heartbeat": time.time() if running else None,
    }


class _Statements:
    """Statements built once (building SQLAlchemy expressions per call costs more than
    running them); the trial hot path itself lives in _sql_fast."""

    def __init__(self) -> None:
        bind = sa.bindparam
        self.heartbeat = (
            _T.update().where(_T.c.trial_id.in_(bind("ids", expanding=True)), _T.c.state == TrialState.RUNNING.name)
            .values(heartbeat=bind("now"))
        )


_SQL = _Statements()


# Errors that no retry can cure (the retries are for another process creating the schema).
_FATAL_OPEN_ERRORS = ("not a database", "unable to open database file", "readonly database", "does not exist")


class _SchemaBeingCreated(Exception):
    """The meta table exists but has no version yet: retry shortly."""


# What a copy sent to another process keeps (the rest is per-process: engines, caches, locks).
_PICKLED = (
    "url", "_url", "engine_kwargs", "skip_compatibility_check", "heartbeat_interval", "grace_period",
    "failed_trial_callback",
)


class RDBStorage(BaseStorage):
    """SQLite or PostgreSQL storage shared by many processes and machines.

    Args:
        url: SQLAlchemy URL, e.g. ``sqlite:///results/hpobench.db`` or
            ``postgresql://user:pw@host/db``.
        engine_kwargs: passed to ``sqlalchemy.create_engine`` (over hpobench's
            own settings, e.g. ``{"pool_size": 10}``).
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
        if engine_kwargs is not None and not isinstance(engine_kwargs, dict):
            raise TypeError(f"engine_kwargs must be a dict or None, got {engine_kwargs!r}.")
        if heartbeat_interval is not None and heartbeat_interval <= 0:
            raise ValueError(f"heartbeat_interval must be > 0 or None, got {heartbeat_interval!r}.")
        if grace_period is not None and grace_period <= 0:
            raise ValueError(f"grace_period must be > 0, got {grace_period!r}.")
        self.url = url
        self._url = _normalise_url(url)
        self.engine_kwargs = dict(engine_kwargs or {})
        self.skip_compatibility_check = bool(skip_compatibility_check)
        self.heartbeat_interval = heartbeat_interval
        self.grace_period = grace_period or (None if heartbeat_interval is None else 4 * heartbeat_interval)
        self.failed_trial_callback = failed_trial_callback
        self.statement_count = 0
        self._reset_process_state()
        self._init_schema()

    # --- per-process plumbing ----------------------------------------------
    def _reset_process_state(self) -> None:
        self._pid = os.getpid()
        self._engine_obj: Engine | None = None
        self._auto_obj: Engine | None = None
        self._fast_obj: FastSQL | None = None
        self._lock = threading.RLock()
        self._trials_cache: dict[int, list[FrozenTrial]] = {}
        self._rows_json: dict[int, dict[str, str]] = {}  # trial_id -> last known JSON texts (for CAS)
        self._stamper: HeartbeatStamper | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k in _PICKLED}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.statement_count = 0
        self._reset_process_state()

    @property
    def _auto(self) -> Engine:
        """The engine in autocommit mode, for single statements: no BEGIN/COMMIT round trips
        (each statement is atomic on its own; the compare-and-set writes need no more)."""
        engine = self._engine
        if self._auto_obj is None:
            self._auto_obj = engine.execution_options(isolation_level="AUTOCOMMIT")
        return self._auto_obj

    @property
    def engine(self) -> Engine:
        """This process's SQLAlchemy engine (Optuna's attribute)."""
        return self._engine

    @property
    def _engine(self) -> Engine:
        if self._engine_obj is None or self._pid != os.getpid():
            if self._pid != os.getpid():
                self._reset_process_state()
            self._engine_obj = self._create_engine()
        return self._engine_obj

    def _create_engine(self) -> Engine:
        try:
            if self._url.get_backend_name() == "sqlite":
                Path(self._url.database).parent.mkdir(parents=True, exist_ok=True)
                engine = sa.create_engine(self._url, **{"connect_args": {"timeout": 60}, **self.engine_kwargs})
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = sa.create_engine(self._url, **{"pool_pre_ping": True, **self.engine_kwargs})
        except (NoSuchModuleError, ImportError) as err:
            raise StorageError(
                f"Cannot open {self.url!r}: the database driver is missing ({err}). "
                "For PostgreSQL install the extra: pip install 'hpobench[postgres]'."
            ) from err
        event.listen(engine, "before_cursor_execute", self._count_statement)
        return engine

    def _count_statement(self, *_args: Any) -> None:
        self.statement_count += 1

    def _init_schema(self) -> None:
        attempts = 20
        for attempt in range(attempts):
            try:
                self._check_or_create_schema()
                self._enable_wal()
                return
            except _SchemaBeingCreated as err:
                if attempt == attempts - 1:
                    raise StorageError(str(err)) from None
            except StorageError:
                raise
            except DatabaseError as err:
                # Another process may be creating the tables at the same moment: retry.
                # A file that is not a database fails at once.
                if attempt == attempts - 1 or any(m in str(err) for m in _FATAL_OPEN_ERRORS):
                    raise self._open_error(err) from err
            time.sleep(min(0.05 * (attempt + 1), 0.5))

    def _enable_wal(self) -> None:
        """WAL lets readers and one writer work at once. It is a property of the file, so it is
        set here, once the file is known to be ours, and never on a file we refuse."""
        if self._url.get_backend_name() != "sqlite":
            return
        with self._engine.connect() as conn:
            if conn.exec_driver_sql("PRAGMA journal_mode").scalar() != "wal":
                conn.exec_driver_sql("PRAGMA journal_mode = WAL")

    def _open_error(self, err: Exception) -> StorageError:
        return StorageError(f"Cannot use storage {self.url!r}: {err.__class__.__name__}: {getattr(err, 'orig', err)}. "
                            "Is it a database created by hpobench (or an empty path)?")

    def _check_or_create_schema(self) -> None:
        """Check the schema version first, so nothing is written to a database we cannot read."""
        with self._engine.begin() as conn:
            if self._url.get_backend_name() == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(4242424242)"))  # one creator at a time
            tables = set(sa.inspect(conn).get_table_names())
            if meta_table.name in tables:
                row = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).first()
                if row is None:  # SQLite DDL commits at once: another process is midway through creating it
                    raise _SchemaBeingCreated(f"Storage {self.url!r} has an hpobench meta table without a schema version.")
                if row[0] != str(SCHEMA_VERSION) and not self.skip_compatibility_check:
                    raise StorageError(
                        f"Storage {self.url!r} has hpobench schema version {row[0]!r}; "
                        f"this hpobench reads version {SCHEMA_VERSION}. Use a matching hpobench or a new storage."
                    )
                return
            foreign = tables - set(metadata.tables)  # ours may be half-created by a concurrent process
            if foreign and self._url.get_backend_name() == "sqlite":
                raise StorageError(
                    f"Storage {self.url!r} is a database of something else (tables {sorted(foreign)}), "
                    "not an hpobench storage; nothing was changed. Use a new file."
                )
            metadata.create_all(conn)
            conn.execute(meta_table.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))

    # --- studies -----------------------------------------------------------
    def create_new_study(self, directions: list[StudyDirection], study_name: str | None = None) -> int:
        study_name = new_study_name() if study_name is None else study_name
        try:
            with self._engine.begin() as conn:
                result = conn.execute(
                    _S.insert().values(
                        study_name=study_name, directions=_json.dumps([d.name for d in directions]),
                        user_attrs="{}", system_attrs="{}", next_number=0,
                    )
                )
                return int(result.inserted_primary_key[0])
        except IntegrityError:
            raise DuplicatedStudyError(f"A study named {study_name!r} already exists in {self.url!r}.") from None

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
                f"No study named {study_name!r} in {self.url!r}. Known studies: {sorted(self.get_all_study_names())}."
            )
        return int(row[0])

    def _study_column(self, study_id: int, column: sa.Column) -> Any:
        with self._auto.connect() as conn:
            row = conn.execute(sa.select(column).where(_S.c.study_id == study_id)).first()
        if row is None:
            raise StudyNotFoundError(f"No study with id {study_id} in {self.url!r}.")
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
        return self._insert_trial(study_id, template_trial).trial_id

    def _insert_trial(self, study_id: int, template: FrozenTrial | None = None) -> FrozenTrial:
        """One INSERT of a new RUNNING trial, or of a copy of template (see BaseStorage.create_new_trial)."""
        row = _new_row(study_id) if template is None else _template_row(study_id, template)
        with self._fast.transaction() as fast:
            # The counter row lock serialises creators until commit: numbers are dense and
            # committed in order (what the incremental read relies on).
            counter = fast.first(fast.next_number, {"sid": study_id})
            if counter is None:
                raise StudyNotFoundError(f"No study with id {study_id} in {self.url!r}.")
            row["number"] = counter["next_number"] - 1
            row["trial_id"] = int(fast.first(fast.insert, row)["trial_id"])  # type: ignore[index]
        if row["state"] in _OPEN_STATES:  # the CAS writes start from these texts; finished rows take none
            self._remember(row)
        return self._row_to_trial(Row(row.values(), tuple(row)))

    def claim_waiting_trial(self, study_id: int) -> int | None:
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
        return self._claim(study_id) or self._insert_trial(study_id)

    # --- trials: compare-and-set writes ---------------------------------------
    @property
    def _fast(self) -> FastSQL:
        engine = self._engine  # resets the per-process state after a fork
        if self._fast_obj is None:
            self._fast_obj = FastSQL(engine, self)
        return self._fast_obj

    def _remember(self, row: Any) -> None:
        self._rows_json[row["trial_id"]] = {c: row[c] for c in _JSON_COLUMNS}

    def _load_json(self, trial_id: int) -> dict[str, str]:
        row = self._fast.first(self._fast.load_json, {"tid": trial_id})
        if row is None:
            raise KeyError(f"No trial with id {trial_id} in {self.url!r}.")
        if row.state not in _OPEN_STATES:
            raise TrialFinishedError(f"Trial {row.number} is already {row.state}; finished trials cannot be changed.")
        texts = {c: getattr(row, c) for c in _JSON_COLUMNS}
        self._rows_json[trial_id] = texts
        return texts

    def update_trial(
        self,
        trial_id: int,
        *,
        params: dict[str, tuple[float, BaseDistribution]] | None = None,
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
        self._engine  # after a fork: fresh lock and caches before they are used
        merges = _merges(params, intermediate_values, user_attrs, system_attrs)
        columns = tuple(sorted(merges))
        finish = None if state is None else _finish_binds(state, values)
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

    def set_trial_param(self, trial_id: int, name: str, internal: float, distribution: BaseDistribution) -> None:
        self.update_trial(trial_id, params={name: (internal, distribution)})

    def set_trial_intermediate_value(self, trial_id: int, step: int, value: float) -> None:
        self.update_trial(trial_id, intermediate_values={step: value})

    def set_trial_attr(self, trial_id: int, kind: str, key: str, value: Any) -> None:
        self.update_trial(trial_id, **{check_attr_kind(kind) + "_attrs": {key: value}})

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
            raise KeyError(f"No trial with id {trial_id} in {self.url!r}.")
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
        self._engine  # after a fork: fresh lock and caches before they are used
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
        if self._stamper is None:
            self._stamper = HeartbeatStamper(self.record_heartbeats, self.heartbeat_interval)
        self._stamper.add(trial_id)

    def stop_heartbeat(self, trial_id: int) -> None:
        if self._stamper is not None:
            self._stamper.discard(trial_id)

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
                    _T.update().where(
                        _T.c.trial_id == row.trial_id, _T.c.state == TrialState.RUNNING.name,
                        _T.c.heartbeat == row.heartbeat,
                    ).values(state=TrialState.FAIL.name, datetime_complete=time.time(), system_attrs=_json.dumps(attrs))
                ).rowcount
            if won == 1:
                failed.append(row.trial_id)
        return failed
