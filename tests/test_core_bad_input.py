"""Bad input: each case raises a clear error naming the problem, and nothing stored is lost.

Every case runs against a study that already holds finished trials (params,
reports, user attrs) and checks, after the error, that those trials are
exactly as before, on every storage backend.
"""

from __future__ import annotations

import math
import warnings

import pytest
import sqlalchemy as sa

import hpobench
from hpobench.exceptions import StorageError, StudyNotFoundError
from hpobench.storages import RDBStorage
from tests.support.core_workers import NopPruner, RandomSampler  # core tests do not depend on plugins


def _objective(trial):
    x = trial.suggest_float("x", 0.0, 1.0)
    n = trial.suggest_int("n", 1, 8, log=True)
    c = trial.suggest_categorical("c", ["a", None, 2])
    for step in range(3):
        trial.report(x * step, step)
    trial.set_user_attr("c_was", c)
    return x + n


def _new_study(storage):
    study = hpobench.create_study(storage=storage, sampler=RandomSampler(seed=0), pruner=NopPruner(), study_name="kept")
    study.optimize(_objective, n_trials=3)
    return study


@pytest.fixture
def study(storage):
    return _new_study(storage)


@pytest.fixture
def memory_study():
    return _new_study(None)


def _assert_intact(study, before):
    after = study.get_trials(deepcopy=True)[: len(before)]
    assert after == before
    # a fresh reader (new process state) sees the same
    fresh = hpobench.load_study(study_name=study.study_name, storage=_reopen(study._storage), sampler=RandomSampler())
    assert [t for t in fresh.trials[: len(before)]] == before


def _reopen(storage):
    return RDBStorage(storage.url) if isinstance(storage, RDBStorage) else storage


# --- errors inside a trial: the trial fails, the error reaches the caller, earlier trials stay --------------
SUGGEST_CASES = {
    "low > high": (lambda t: t.suggest_float("y", 2.0, 1.0), ValueError, r"low=2.0 > high=1.0"),
    "int low > high": (lambda t: t.suggest_int("k", 5, 1), ValueError, r"low=5 > high=1"),
    "log with low = 0": (
        lambda t: t.suggest_float("y", 0.0, 1.0, log=True),
        ValueError,
        r"log=True needs low > 0, got low=0.0",
    ),
    "log with low < 0": (lambda t: t.suggest_int("k", -1, 10, log=True), ValueError, r"low=-1"),
    "step <= 0": (lambda t: t.suggest_float("y", 0.0, 1.0, step=0.0), ValueError, r"step must be > 0, got step=0.0"),
    "step with log": (
        lambda t: t.suggest_float("y", 1.0, 2.0, step=0.5, log=True),
        ValueError,
        r"cannot be used together",
    ),
    "nan bound": (lambda t: t.suggest_float("y", math.nan, 1.0), ValueError, r"low must be a finite number, got nan"),
    "non-int int bound": (lambda t: t.suggest_int("k", 0.5, 3), ValueError, r"got 0.5"),
    "empty categorical": (lambda t: t.suggest_categorical("z", []), ValueError, r"at least one element"),
    "dict choice": (lambda t: t.suggest_categorical("z", [{"a": 1}]), ValueError, r"choice \{'a': 1\} of type dict"),
    "duplicate choices": (lambda t: t.suggest_categorical("z", ["a", "a"]), ValueError, r"duplicates in \['a', 'a'\]"),
    "string as choices": (lambda t: t.suggest_categorical("z", "abc"), ValueError, r"got 'abc'"),
    "one name, two distributions": (
        lambda t: (t.suggest_float("y", 0.0, 1.0), t.suggest_float("y", 0.0, 2.0)),
        ValueError,
        r"Parameter 'y' was suggested with FloatDistribution\(low=0.0, high=1.0"
        r".*and now with FloatDistribution\(low=0.0, high=2.0",
    ),
    "one name, float then int": (
        lambda t: (t.suggest_float("y", 0.0, 1.0), t.suggest_int("y", 0, 1)),
        ValueError,
        r"Parameter 'y'.*IntDistribution",
    ),
    "empty name": (lambda t: t.suggest_float("", 0.0, 1.0), ValueError, r"non-empty string, got ''"),
    "negative step in report": (lambda t: t.report(1.0, -1), ValueError, r"non-negative integer, got -1"),
    "non-integer step in report": (lambda t: t.report(1.0, 1.5), TypeError, r"got 1.5 \(float\)"),
    "string step in report": (lambda t: t.report(1.0, "3"), TypeError, r"got '3' \(str\)"),
    "string value in report": (lambda t: t.report("high", 1), TypeError, r"got 'high' \(str\)"),
    "non-JSON user attr": (
        lambda t: t.set_user_attr("model", object()),
        ValueError,
        r"<object object at .*> cannot be stored",
    ),
}


def _check_bad_call_in_objective(study, case):
    bad, error, message = SUGGEST_CASES[case]
    before = study.get_trials(deepcopy=True)
    n = len(before)
    with pytest.raises(error, match=message):
        study.optimize(bad, n_trials=1)
    trials = study.trials
    assert len(trials) == n + 1 and trials[n].state == hpobench.TrialState.FAIL
    assert trials[n].system_attrs["fail_reason"].startswith(f"{error.__name__}: ")
    _assert_intact(study, before)
    study.optimize(_objective, n_trials=1)  # the study goes on
    assert study.trials[n + 1].state == hpobench.TrialState.COMPLETE


def _check_bad_call_through_ask(study, case):
    bad, error, message = SUGGEST_CASES[case]
    before = study.get_trials(deepcopy=True)
    trial = study.ask()
    with pytest.raises(error, match=message):
        bad(trial)
    frozen = study.tell(trial, 1.0)  # the failed call stored nothing that breaks the trial
    assert frozen.state == hpobench.TrialState.COMPLETE and study.trials[frozen.number] == frozen
    _assert_intact(study, before)


# One case per test in memory (a readable table); every case in one test per SQL backend (fast).
@pytest.mark.parametrize("case", list(SUGGEST_CASES))
def test_bad_call_in_objective_fails_the_trial_and_keeps_the_rest(memory_study, case):
    _check_bad_call_in_objective(memory_study, case)


@pytest.mark.parametrize("case", list(SUGGEST_CASES))
def test_bad_call_through_ask_leaves_the_trial_usable(memory_study, case):
    _check_bad_call_through_ask(memory_study, case)


def test_every_bad_call_on_every_storage(study):
    for case in SUGGEST_CASES:
        _check_bad_call_in_objective(study, case)
        _check_bad_call_through_ask(study, case)


# --- what the objective returns --------------------------------------------------------------------------------
RETURNS = {
    "nan": (math.nan, "nan, which is not a finite number"),
    "inf": (math.inf, "inf, which is not a finite number"),
    "-inf": (-math.inf, "-inf, which is not a finite number"),
    "None": (None, "None of type NoneType, not a number"),
    "str": ("0.5", "'0.5' of type str, not a number"),
    "bool": (True, "True of type bool, not a number"),
    "two values": ((1.0, 2.0), "returned 2 values (1.0, 2.0); the study has 1 objective"),
}


def test_bad_return_values_fail_the_trial_with_its_reason(study):
    for value, reason in RETURNS.values():
        before = study.get_trials(deepcopy=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            study.optimize(lambda t, value=value: (t.suggest_float("x", 0.0, 1.0), value)[1], n_trials=2)
        for trial in study.trials[len(before) :]:
            assert trial.state == hpobench.TrialState.FAIL and trial.value is None
            assert reason in trial.system_attrs["fail_reason"]
            assert "x" in trial.params
        _assert_intact(study, before)
    assert len(study.trials) == 3 + 2 * len(RETURNS)
    assert study.best_trial.number in (0, 1, 2)


def test_numpy_scalars_are_valid_values(storage):
    np = pytest.importorskip("numpy")
    study = hpobench.create_study(storage=storage, sampler=RandomSampler(seed=0), pruner=NopPruner())
    study.optimize(lambda t: np.float32(t.suggest_float("x", 0, 1)), n_trials=2)
    study.optimize(lambda t: np.array(2.0), n_trials=1)
    assert [type(t.value) for t in study.trials] == [float] * 3


# --- studies and storages -----------------------------------------------------------------------------------------
def test_load_study_of_unknown_name_names_the_known_studies(study):
    before = study.get_trials(deepcopy=True)
    hpobench.create_study(storage=study._storage, study_name="other", sampler=RandomSampler(), pruner=NopPruner())
    with pytest.raises(StudyNotFoundError, match=r"No study named 'nope'.*Known studies: \['kept', 'other'\]"):
        hpobench.load_study(study_name="nope", storage=study._storage, sampler=RandomSampler(), pruner=NopPruner())
    _assert_intact(study, before)


def test_create_study_with_other_direction_is_refused(study):
    before = study.get_trials(deepcopy=True)
    with pytest.raises(ValueError, match=r"exists with directions \['MINIMIZE'\], not \['MAXIMIZE'\]"):
        hpobench.create_study(
            storage=study._storage,
            study_name="kept",
            direction="maximize",
            load_if_exists=True,
            sampler=RandomSampler(),
        )
    with pytest.raises(ValueError, match=r"got 'up'"):
        hpobench.create_study(storage=study._storage, study_name="new", direction="up", sampler=RandomSampler())
    assert "new" not in hpobench.get_all_study_names(study._storage)
    _assert_intact(study, before)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [  # hpobench.validation's rule: the wrong type is a TypeError, a wrong value a ValueError
        ({"n_trials": -1}, ValueError, r"n_trials must be >= 0, got -1"),
        ({"n_trials": 2.5}, TypeError, r"n_trials must be an int, got 2.5"),
        ({"timeout": "10"}, TypeError, r"timeout must be a number, got '10'"),
        ({"timeout": -1.0}, ValueError, r"timeout must be >= 0.0, got -1.0"),
        ({"n_jobs": 0}, ValueError, r"n_jobs must be >= 1, got 0"),
    ],
)
def test_bad_optimize_arguments(study, kwargs, error, message):
    before = study.get_trials(deepcopy=True)
    with pytest.raises(error, match=message):
        study.optimize(_objective, **kwargs)
    assert len(study.trials) == 3
    _assert_intact(study, before)


def test_enqueue_of_bad_params_is_refused(study):
    before = study.get_trials(deepcopy=True)
    with pytest.raises(TypeError, match=r"params as a dict, got \[1, 2\]"):
        study.enqueue_trial([1, 2])
    with pytest.raises(ValueError, match=r"cannot be stored"):
        study.enqueue_trial({"x": object()})
    assert len(study.trials) == 3
    _assert_intact(study, before)


@pytest.mark.parametrize(
    "url, message",
    [
        ("not a url", r"Malformed storage URL 'not a url'"),
        ("mysql://user@localhost/db", r"Unsupported storage backend 'mysql'"),
    ],
)
def test_malformed_storage_url(url, message):
    with pytest.raises(StorageError, match=message):
        hpobench.create_study(storage=url, sampler=RandomSampler())
    assert issubclass(StorageError, ValueError)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_in_memory_sqlite_url_needs_the_in_memory_storage(url):
    # storage=url gives an InMemoryStorage (tests/test_optuna_api_compat.py); an explicit RDBStorage
    # would be a database that each of its SQL connections sees empty, so it is refused.
    with pytest.raises(StorageError, match=r"in-memory SQLite URL"):
        hpobench.RDBStorage(url)


def test_storage_of_wrong_type():
    with pytest.raises(ValueError, match=r"got 42"):
        hpobench.create_study(storage=42, sampler=RandomSampler())


def _snapshot_dir(path):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(path.iterdir())}


def test_text_file_is_not_a_database_and_is_not_modified(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 20)
    before = _snapshot_dir(tmp_path)
    with pytest.raises(StorageError, match=r"notes.db.*file is not a database"):
        hpobench.create_study(storage=f"sqlite:///{path}", sampler=RandomSampler())
    assert _snapshot_dir(tmp_path) == before  # same bytes, same mtime, no -wal/-shm left behind


def test_database_of_another_program_is_not_modified(tmp_path):
    path = tmp_path / "app.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)"))
        conn.execute(sa.text("INSERT INTO invoices VALUES (1, 9.5)"))
    engine.dispose()
    before = path.read_bytes()
    with pytest.raises(StorageError, match=r"database of something else \(tables \['invoices'\]\)"):
        RDBStorage(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_unknown_schema_version_is_refused_and_not_modified(tmp_path):
    path = tmp_path / "future.db"
    url = f"sqlite:///{path}"
    study = hpobench.create_study(storage=url, study_name="kept", sampler=RandomSampler(seed=0), pruner=NopPruner())
    study.optimize(_objective, n_trials=2)
    study._storage._engine.dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE hpobench_meta SET value = '99' WHERE key = 'schema_version'"))
    engine.dispose()
    before = path.read_bytes()
    with pytest.raises(StorageError, match=r"schema version '99'; this hpobench reads version 1"):
        hpobench.load_study(study_name="kept", storage=url, sampler=RandomSampler())
    assert path.read_bytes() == before


def test_storage_path_that_is_a_directory(tmp_path):
    (tmp_path / "results.db").mkdir()
    with pytest.raises(StorageError, match=r"results.db.*unable to open database file"):
        RDBStorage(f"sqlite:///{tmp_path / 'results.db'}")


def test_postgres_database_that_does_not_exist(postgres_url):
    url = postgres_url.rsplit("/", 1)[0] + "/no_such_db"
    with pytest.raises(StorageError, match=r'no_such_db.*database "no_such_db" does not exist'):
        RDBStorage(url)
