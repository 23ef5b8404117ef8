"""Optuna's public API, point by point of issue 14, run with Optuna and with hpobench and compared.

Each scenario is written once against a module handle named ``optuna`` and
run with the real Optuna and with ``hpobench`` in its place (what ``import
hpobench as optuna`` gives). Results are compared where they must match;
random draws differ between the two libraries, so scenarios compare states,
types, counts, sets, decisions and exceptions, never sampled values. Where
hpobench deliberately differs, the test says so and checks hpobench's side
(README.md, "Optuna users", lists every difference).
"""

from __future__ import annotations

import datetime
import inspect
import json
import math
import sqlite3
import warnings

import optuna as real_optuna
import pytest

import hpobench
from hpobench import pruners, samplers
from tests.test_core_optuna_compat import MODULES, _quiet, new_study  # noqa: F401 (_quiet: an autouse fixture)

BY_NAME = pytest.mark.parametrize("optuna", MODULES, ids=lambda m: m.__name__)


def both(scenario, *args):
    """The scenario's result with Optuna and with hpobench, asserted equal; returns hpobench's."""
    theirs, ours = (scenario(optuna, *args) for optuna in MODULES)
    assert ours == theirs
    return ours


def frozen(optuna, number=0, state=None, value=1.0, params=None, **kwargs):
    """A FrozenTrial built with Optuna's positional order."""
    now = datetime.datetime(2024, 1, 1, 12, 0, 0)
    state = optuna.trial.TrialState.COMPLETE if state is None else state
    params = {"x": 0.5} if params is None else params
    dists = {name: optuna.distributions.FloatDistribution(0.0, 1.0) for name in params}
    return optuna.trial.FrozenTrial(
        number,
        state,
        value,
        kwargs.pop("start", now),
        kwargs.pop("complete", now),
        params,
        dists,
        {},
        {},
        kwargs.pop("intermediate", {}),
        number,
        **kwargs,
    )


# --- 1. top-level names ------------------------------------------------------------------------------------
TOP_LEVEL = [
    "create_study",
    "load_study",
    "delete_study",
    "copy_study",
    "get_all_study_names",
    "get_all_study_summaries",
    "create_trial",
    "TrialPruned",
    "Study",
    "Trial",
]
SUBMODULE_NAMES = {
    "exceptions": [
        "OptunaError",
        "TrialPruned",
        "CLIUsageError",
        "StorageInternalError",
        "DuplicatedStudyError",
        "UpdateFinishedTrialError",
        "ExperimentalWarning",
    ],
    "logging": [
        "get_logger",
        "get_verbosity",
        "set_verbosity",
        "enable_default_handler",
        "disable_default_handler",
        "enable_propagation",
        "disable_propagation",
        "CRITICAL",
        "ERROR",
        "WARNING",
        "INFO",
        "DEBUG",
    ],
    "study": [
        "Study",
        "StudyDirection",
        "StudySummary",
        "MaxTrialsCallback",
        "create_study",
        "load_study",
        "delete_study",
        "copy_study",
        "get_all_study_names",
        "get_all_study_summaries",
    ],
    "trial": ["FrozenTrial", "Trial", "TrialState", "create_trial"],
    "samplers": [
        "BaseSampler",
        "RandomSampler",
        "TPESampler",
        "GridSampler",
        "QMCSampler",
        "BruteForceSampler",
        "PartialFixedSampler",
    ],
    "pruners": [
        "BasePruner",
        "NopPruner",
        "MedianPruner",
        "PercentilePruner",
        "SuccessiveHalvingPruner",
        "HyperbandPruner",
        "ThresholdPruner",
        "PatientPruner",
        "WilcoxonPruner",
    ],
    "storages": [
        "BaseStorage",
        "InMemoryStorage",
        "RDBStorage",
        "RetryFailedTrialCallback",
        "RetryHeartbeatStaleTrialCallback",
    ],
}


@BY_NAME
def test_public_names_exist(optuna):
    missing = [n for n in TOP_LEVEL if not hasattr(optuna, n)]
    for module, names in SUBMODULE_NAMES.items():
        missing += [f"{module}.{n}" for n in names if not hasattr(getattr(optuna, module), n)]
    assert missing == []
    assert optuna.TrialPruned is optuna.exceptions.TrialPruned and optuna.create_trial is optuna.trial.create_trial


def test_exception_classes_relate_as_in_optuna():
    def relations(optuna):
        e = optuna.exceptions
        return (
            issubclass(e.TrialPruned, e.OptunaError),
            issubclass(e.DuplicatedStudyError, e.OptunaError),
            issubclass(e.UpdateFinishedTrialError, RuntimeError),
            issubclass(e.ExperimentalWarning, Warning),
            issubclass(e.StorageInternalError, e.OptunaError),
            issubclass(e.CLIUsageError, e.OptunaError),
        )

    assert both(relations) == (True,) * 6


def test_writing_a_finished_trial_raises_update_finished_trial_error():
    def scenario(optuna):
        study = new_study(optuna)
        frozen_trial = study.tell(study.ask(), 1.0)
        with pytest.raises(optuna.exceptions.UpdateFinishedTrialError):
            study._storage.set_trial_user_attr(frozen_trial._trial_id, "k", 1)
        return study.trials[0].user_attrs

    assert both(scenario) == {}


def study_functions_scenario(optuna, tmp_path):
    url = f"sqlite:///{tmp_path / (optuna.__name__ + '.db')}"
    study = new_study(optuna, storage=url, study_name="a", direction="maximize")
    study.set_user_attr("owner", "me")
    study.optimize(lambda t: t.suggest_int("x", 0, 9) + t.suggest_float("y", 0, 1, step=0.5), n_trials=4)
    study.add_trial(
        optuna.create_trial(
            params={"x": 3},
            distributions={"x": optuna.distributions.IntDistribution(0, 9)},
            value=100.0,
            user_attrs={"source": "paper"},
        )
    )
    new_study(optuna, storage=url, study_name="b")  # empty
    optuna.copy_study(from_study_name="a", from_storage=url, to_storage=url, to_study_name="a-copy")
    with pytest.raises(optuna.exceptions.DuplicatedStudyError):
        optuna.copy_study(from_study_name="a", from_storage=url, to_storage=url, to_study_name="b")
    copied = optuna.load_study(study_name="a-copy", storage=url)
    original = optuna.load_study(study_name="a", storage=url)
    same_trials = [
        (c.number, c.state, c.values, c.params, c.user_attrs, c.datetime_start, c.datetime_complete)
        == (o.number, o.state, o.values, o.params, o.user_attrs, o.datetime_start, o.datetime_complete)
        for c, o in zip(copied.trials, original.trials, strict=False)
    ]
    summaries = optuna.get_all_study_summaries(storage=url)
    rows = [
        (
            s.study_name,
            s.direction.name,
            s.n_trials,
            None if s.best_trial is None else s.best_trial.value,
            s.user_attrs,
            s.datetime_start is not None,
        )
        for s in summaries
    ]
    without_best = [s.best_trial for s in optuna.get_all_study_summaries(url, include_best_trial=False)]
    optuna.delete_study(study_name="b", storage=url)
    with pytest.raises(KeyError):
        optuna.load_study(study_name="b", storage=url)
    return (
        same_trials,
        len(copied.trials),
        copied.user_attrs,
        copied.direction.name,
        rows,
        without_best,
        optuna.get_all_study_names(storage=url),
    )


def test_study_functions_match_optuna(tmp_path):
    result = both(study_functions_scenario, tmp_path)
    assert result[0] == [True] * 5 and result[-1] == ["a", "a-copy"]


def metric_names_scenario(optuna, directions):
    study = new_study(optuna, directions=directions)
    names = ["loss", "latency"][: len(directions)]
    study.set_metric_names(names)
    with pytest.raises(ValueError):
        study.set_metric_names(["only", "too", "many"])
    values = [1.0, 2.0][: len(directions)]
    study.tell(study.ask(), values if len(values) > 1 else values[0])
    return (
        study.metric_names,
        list(study.trials_dataframe().columns),
        list(study.trials_dataframe(multi_index=True).columns),
    )


@pytest.mark.parametrize("directions", [["minimize"], ["minimize", "maximize"]])
def test_metric_names_match_optuna(directions):
    names, columns, _ = both(metric_names_scenario, directions)
    assert names == ["loss", "latency"][: len(directions)]
    assert ("value_loss" in columns) == (len(directions) == 1)


def test_add_trials_copies_another_study_as_optuna():
    def scenario(optuna):
        source = new_study(optuna)
        source.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=3)
        target = new_study(optuna)
        target.add_trials(source.trials)
        target.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
        return [(t.number, t.state.name) for t in target.trials], [t.params for t in target.trials[:3]] == [
            t.params for t in source.trials
        ]

    assert both(scenario) == ([(i, "COMPLETE") for i in range(5)], True)


def test_in_memory_study_pickles_as_a_copy():
    def scenario(optuna):
        import pickle

        study = new_study(optuna, direction="maximize")
        study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=3)
        copied = pickle.loads(pickle.dumps(study))  # e.g. joblib.dump(study, "study.pkl")
        copied.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
        return len(study.trials), len(copied.trials), copied.trials[0].params == study.trials[0].params

    assert both(scenario) == (3, 5, True)


def test_max_trials_callback_stops_as_optuna():
    def scenario(optuna):
        study = new_study(optuna)
        callback = optuna.study.MaxTrialsCallback(3, states=(optuna.trial.TrialState.COMPLETE,))
        study.optimize(
            lambda t: t.suggest_float("x", 0, 1) if t.number != 1 else math.nan, n_trials=10, callbacks=[callback]
        )
        return [t.state.name for t in study.trials]

    assert both(scenario) == ["COMPLETE", "FAIL", "COMPLETE", "COMPLETE"]


def test_logging_default_handler_and_verbosity(capsys):
    def scenario(optuna):
        # Optuna binds its handler to sys.stderr when it builds it: rebuild it under capsys (its own tests do).
        rebind = getattr(optuna.logging, "_reset_library_root_logger", lambda: None)
        logger = optuna.logging.get_logger(optuna.__name__ + ".compat")
        before = optuna.logging.get_verbosity()
        rebind()
        try:
            optuna.logging.set_verbosity(optuna.logging.INFO)
            optuna.logging.enable_default_handler()
            logger.info("info-shown")
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            assert optuna.logging.get_verbosity() == optuna.logging.WARNING
            logger.info("info-hidden")
            logger.warning("warning-shown")
            optuna.logging.set_verbosity(optuna.logging.INFO)
            optuna.logging.disable_default_handler()
            optuna.logging.disable_propagation()
            logger.info("handler-off")
        finally:
            optuna.logging.enable_propagation()
            rebind()
            optuna.logging.set_verbosity(before)
        err = capsys.readouterr().err
        return [word in err for word in ("info-shown", "info-hidden", "warning-shown", "handler-off")]

    assert both(scenario) == [True, False, True, False]
    assert hpobench.logging._default_handler not in hpobench.logging.get_logger().handlers  # none by default


# --- 2. FrozenTrial ------------------------------------------------------------------------------------------
def frozen_trial_scenario(optuna):
    trial = frozen(optuna, 3, value=2.0, intermediate={1: 0.5})
    out = [
        trial.number,
        trial.state.name,
        trial.value,
        trial.values,
        trial.params,
        trial.intermediate_values,
        trial.last_step,
        trial.duration,
        trial.trial_id if hasattr(trial, "trial_id") else trial._trial_id,
    ]
    trial.value = 4.0
    out.append((trial.value, trial.values))
    trial.values = (5.0,)  # a tuple is stored as a list
    out.append((trial.value, trial.values, type(trial.values).__name__))
    trial.value = None
    out.append(trial.values)
    with pytest.raises(ValueError):
        frozen(optuna, value=1.0, values=[1.0])
    multi = frozen(optuna, value=None, values=(1.0, 2.0))
    out.append(multi.values)
    with pytest.raises(TypeError):
        trial < 1  # noqa: B015
    out.append([t.number for t in sorted([frozen(optuna, 2), frozen(optuna, 0), frozen(optuna, 1)])])
    out.append(frozen(optuna, 1) <= frozen(optuna, 1))
    out.append(frozen(optuna, 1) == frozen(optuna, 1))
    return out


def test_frozen_trial_constructor_and_attributes_match_optuna():
    out = both(frozen_trial_scenario)
    assert out[:3] == [3, "COMPLETE", 2.0] and out[-3] == [0, 1, 2]


INVALID_TRIALS = {
    "COMPLETE without value": dict(value=None),
    "COMPLETE with NaN": dict(value=math.nan),
    "FAIL with value": dict(state="FAIL"),
    "RUNNING completed": dict(state="RUNNING", value=None),
    "finished, no complete time": dict(complete=None),
    "not waiting, no start": dict(start=None),
    "param outside": dict(params={"x": 2.0}),
}


@pytest.mark.parametrize("case", sorted(INVALID_TRIALS))
def test_frozen_trial_validate_refuses_as_optuna(case):
    def scenario(optuna):
        kwargs = dict(INVALID_TRIALS[case])
        if isinstance(kwargs.get("state"), str):
            kwargs["state"] = optuna.trial.TrialState[kwargs["state"]]
        trial = frozen(optuna, **kwargs)
        with pytest.raises(ValueError):
            trial._validate()
        study = new_study(optuna)
        with pytest.raises(ValueError):
            study.add_trial(trial)
        return len(study.trials)

    assert both(scenario) == 0


# --- 3. positional arguments ---------------------------------------------------------------------------------
CLASSES = [
    "samplers.RandomSampler",
    "samplers.TPESampler",
    "samplers.GridSampler",
    "samplers.QMCSampler",
    "samplers.BruteForceSampler",
    "samplers.PartialFixedSampler",
    "pruners.MedianPruner",
    "pruners.PercentilePruner",
    "pruners.PatientPruner",
    "pruners.ThresholdPruner",
    "pruners.SuccessiveHalvingPruner",
    "pruners.HyperbandPruner",
    "pruners.WilcoxonPruner",
    "pruners.NopPruner",
    "storages.RDBStorage",
    "storages.RetryFailedTrialCallback",
    "storages.RetryHeartbeatStaleTrialCallback",
    "distributions.FloatDistribution",
    "distributions.IntDistribution",
    "distributions.CategoricalDistribution",
    "trial.FrozenTrial",
    "study.StudySummary",
    "study.MaxTrialsCallback",
]
# Optuna's constructor arguments that hpobench accepts with another default, and why (README, "Optuna users").
DEFAULTS_THAT_DIFFER = {
    "samplers.QMCSampler.scramble",  # scrambled by default: unscrambled Sobol starts at the corner 0
    "samplers.TPESampler.weights",  # uniform observation weights (docs/samplers.md has the evidence)
    "storages.RDBStorage.heartbeat_interval",  # a heartbeat by default: a killed worker's trial is failed
    "trial.FrozenTrial.value",
    "trial.FrozenTrial.datetime_start",
    "trial.FrozenTrial.datetime_complete",
    "trial.FrozenTrial.params",
    "trial.FrozenTrial.distributions",
    "trial.FrozenTrial.user_attrs",
    "trial.FrozenTrial.system_attrs",
    "trial.FrozenTrial.intermediate_values",
    "trial.FrozenTrial.trial_id",
}


# Optuna's constructor arguments that hpobench does not take (README, "Optuna users").
NOT_IMPLEMENTED = {
    "samplers.QMCSampler.independent_sampler",
    "samplers.QMCSampler.warn_asynchronous_seeding",
    "samplers.QMCSampler.warn_independent_sampling",
    "storages.RDBStorage.skip_table_creation",
}


def _resolve(module, dotted):
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


@pytest.mark.parametrize("dotted", CLASSES)
def test_constructor_signatures_match_optuna(dotted):
    """Optuna's arguments exist here, positional at Optuna's positions; hpobench's extras are keyword-only."""
    theirs = inspect.signature(_resolve(real_optuna, dotted)).parameters
    ours = inspect.signature(_resolve(hpobench, dotted)).parameters
    positional = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.POSITIONAL_ONLY)
    names = list(ours)
    for index, (name, param) in enumerate(theirs.items()):
        if name not in ours:
            assert f"{dotted}.{name}" in NOT_IMPLEMENTED, f"{dotted} lacks {name}"
            continue
        if param.kind in positional:
            assert names.index(name) == index and ours[name].kind in positional, f"{dotted}: {name} not at {index}"
        key = f"{dotted}.{name}"
        if param.default is not inspect.Parameter.empty and key not in DEFAULTS_THAT_DIFFER:
            their_default, our_default = param.default, ours[name].default
            if callable(their_default):
                continue  # gamma / weights functions are compared by value elsewhere
            if their_default is None and dotted.endswith("TPESampler"):
                continue  # Optuna 5 marks deprecated TPE arguments with None; Optuna 4 has the values
            assert our_default == their_default, f"{key}: {our_default!r} != {their_default!r}"
    extras = [n for n in ours if n not in theirs and n not in ("self", "args", "kwargs")]
    assert all(ours[n].kind == inspect.Parameter.KEYWORD_ONLY for n in extras), f"{dotted}: {extras}"


def pruner_decisions(optuna, make_pruner, curves, direction="minimize"):
    """Each curve run as one trial after the other (ask/report/should_prune/tell); the prune decisions."""
    study = new_study(optuna, pruner=make_pruner(optuna), direction=direction, study_name="positional")
    decisions = []
    for curve in curves:
        trial = study.ask()
        trial.suggest_float("x", 0, 1)
        for step, value in enumerate(curve, start=1):
            trial.report(value, step)
            if trial.should_prune():
                decisions.append(step)
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                break
        else:
            decisions.append(None)
            study.tell(trial, curve[-1])
    return decisions


CURVES = [[10 - s + k for s in range(9)] for k in (0, 1, 2, 3, 4, 5, 6)] + [[20 + s for s in range(9)], [0.5] * 9]
POSITIONAL_PRUNERS = {
    "MedianPruner(2, 1)": lambda o: o.pruners.MedianPruner(2, 1),
    "MedianPruner(2, 0, 3)": lambda o: o.pruners.MedianPruner(2, 0, 3),
    "PercentilePruner(25.0, 2)": lambda o: o.pruners.PercentilePruner(25.0, 2),
    "PatientPruner(None, 2)": lambda o: o.pruners.PatientPruner(None, 2),
    "PatientPruner(MedianPruner(), 1, 0.5)": lambda o: o.pruners.PatientPruner(o.pruners.MedianPruner(), 1, 0.5),
    "ThresholdPruner(None, 15.0)": lambda o: o.pruners.ThresholdPruner(None, 15.0),
    "ThresholdPruner(1.0, 25.0, 3, 2)": lambda o: o.pruners.ThresholdPruner(1.0, 25.0, 3, 2),
    "SuccessiveHalvingPruner(1, 2)": lambda o: o.pruners.SuccessiveHalvingPruner(1, 2),
    "SuccessiveHalvingPruner(2, 3, 1)": lambda o: o.pruners.SuccessiveHalvingPruner(2, 3, 1),
    "HyperbandPruner(1, 9, 3)": lambda o: o.pruners.HyperbandPruner(1, 9, 3),
}


@pytest.mark.parametrize("name", sorted(POSITIONAL_PRUNERS))
def test_pruners_built_positionally_decide_as_optuna(name):
    """Sequential trials (so no RUNNING competitors, where hpobench's pruners differ on purpose)."""
    decisions = both(pruner_decisions, POSITIONAL_PRUNERS[name], CURVES)
    assert len(decisions) == len(CURVES)


def test_positional_samplers_and_suggest_int():
    def scenario(optuna):
        grid = optuna.samplers.GridSampler({"x": [1, 2, 3]}, 0)
        study = optuna.create_study(sampler=grid)
        study.optimize(lambda t: t.suggest_int("x", 1, 3), n_trials=10)
        brute = optuna.create_study(sampler=optuna.samplers.BruteForceSampler(1))
        brute.optimize(lambda t: t.suggest_int("x", 0, 2) + t.suggest_int("y", 0, 1), n_trials=10)
        random = optuna.create_study(sampler=optuna.samplers.RandomSampler(42))
        random.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
        return (
            sorted(t.params["x"] for t in study.trials),
            len(brute.trials),
            sorted((t.params["x"], t.params["y"]) for t in brute.trials),
            len(random.trials),
        )

    assert both(scenario) == ([1, 2, 3], 6, [(x, y) for x in range(3) for y in range(2)], 2)
    study = hpobench.create_study(sampler=samplers.RandomSampler(42))
    trial = study.ask()  # Optuna <= 3 took step and log positionally; hpobench still does (Optuna 5: keywords only)
    assert trial.suggest_int("k", 0, 10, 2) % 2 == 0 and 1 <= trial.suggest_int("n", 1, 64, 1, True) <= 64
    assert trial.distributions["k"] == hpobench.distributions.IntDistribution(0, 10, step=2)
    assert trial.distributions["n"] == hpobench.distributions.IntDistribution(1, 64, log=True)
    assert samplers.TPESampler(True, 1.0, True, False, 5, 12, seed=3).n_startup_trials == 5  # Optuna 4's order


# --- 4. storage API --------------------------------------------------------------------------------------------
def storage_api_scenario(optuna, storage):
    directions = [optuna.study.StudyDirection.MINIMIZE]
    study_id = storage.create_new_study(directions)
    named_id = storage.create_new_study(directions, study_name="named")
    generated = storage.get_study_name_from_id(study_id)
    storage.set_study_user_attr(study_id, "owner", "me")
    storage.set_study_system_attr(study_id, "origin", [1, 2])
    study = optuna.load_study(study_name=generated, storage=storage, sampler=optuna.samplers.RandomSampler(0))
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=3)
    second = storage.get_trial_id_from_study_id_trial_number(study_id, 1)
    with pytest.raises(KeyError):
        storage.get_trial_id_from_study_id_trial_number(study_id, 99)
    studies = sorted(storage.get_all_studies(), key=lambda s: s.study_name)
    with pytest.raises(KeyError):
        storage.delete_study(named_id + 100)  # no such study
    return (
        generated.startswith("no-name-"),
        storage.get_study_id_from_name("named") == named_id,
        storage.get_study_user_attrs(study_id),
        storage.get_study_system_attrs(study_id),
        storage.get_trial(second).number,
        storage.get_trial_number_from_id(second),
        storage.get_n_trials(study_id),
        storage.get_n_trials(study_id, optuna.trial.TrialState.COMPLETE),
        storage.get_best_trial(study_id).value == study.best_value,
        [(s.study_name == generated, [d.name for d in s.directions], s.user_attrs) for s in studies],
        set(storage.get_trial_params(second)),
        storage.get_trial_param(second, "x") == study.trials[1].params["x"],
    )


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_storage_methods_match_optuna(backend, tmp_path):
    def scenario(optuna):
        if backend == "memory":
            storage = optuna.storages.InMemoryStorage()
        else:
            storage = optuna.storages.RDBStorage(f"sqlite:///{tmp_path / (optuna.__name__ + '.db')}")
        return storage_api_scenario(optuna, storage)

    result = both(scenario)
    assert result[:2] == (True, True) and result[4:8] == (1, 1, 3, 3)


def test_rdb_storage_arguments_and_engine(tmp_path):
    def scenario(optuna):
        url = f"sqlite:///{tmp_path / (optuna.__name__ + '-args.db')}"
        retry = optuna.storages.RetryFailedTrialCallback(2, True)
        storage = optuna.storages.RDBStorage(
            url, {"pool_pre_ping": True}, False, heartbeat_interval=60, grace_period=120, failed_trial_callback=retry
        )
        study = optuna.create_study(storage=storage, study_name="s")
        study.optimize(lambda t: 1.0, n_trials=1)
        with storage.engine.connect() as conn:  # the SQLAlchemy engine, usable directly
            tables = set(conn.dialect.get_table_names(conn))
        return (
            type(storage.engine).__name__,
            str(storage.engine.url) == url,
            bool(tables),
            retry._max_retry if hasattr(retry, "_max_retry") else retry.max_retry,
            storage.heartbeat_interval,
            storage.grace_period,
        )

    assert both(scenario) == ("Engine", True, True, 2, 60, 120)


@BY_NAME
def test_storage_url_strings_including_in_memory_sqlite(optuna, tmp_path):
    study = new_study(optuna, storage="sqlite:///:memory:", study_name="mem")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=3)
    assert len(study.trials) == 3 and study.study_name == "mem"
    url = f"sqlite:///{tmp_path / 'url.db'}"
    new_study(optuna, storage=url, study_name="file").optimize(lambda t: 1.0, n_trials=1)
    assert len(optuna.load_study(study_name="file", storage=url).trials) == 1


def test_skip_compatibility_check_opens_another_schema_version(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    hpobench.create_study(storage=url, study_name="s").optimize(lambda t: 1.0, n_trials=1)
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("UPDATE hpobench_meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(hpobench.exceptions.StorageError, match="schema version '0'"):
        hpobench.RDBStorage(url)
    storage = hpobench.RDBStorage(url, skip_compatibility_check=True)
    assert storage.get_all_study_names() == ["s"]


# --- 5. samplers ------------------------------------------------------------------------------------------------
SAMPLERS = {
    "RandomSampler": lambda: samplers.RandomSampler(seed=0),
    "TPESampler": lambda: samplers.TPESampler(seed=0, n_startup_trials=2),
    "QMCSampler": lambda: samplers.QMCSampler(seed=0),
    "BruteForceSampler": lambda: samplers.BruteForceSampler(seed=0),
    "PartialFixedSampler": lambda: samplers.PartialFixedSampler({"y": 1}, samplers.RandomSampler(seed=0)),
}


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_reseed_rng_changes_the_draws(name):
    """Same seed, same draws; after reseed_rng() they differ (Optuna's method, on every sampler)."""

    def draws(sampler):
        study = hpobench.create_study(sampler=sampler)
        study.optimize(lambda t: t.suggest_float("x", 0, 1, step=0.1) + t.suggest_int("y", 0, 1000), n_trials=5)
        return [(t.params["x"], t.params["y"]) for t in study.trials]

    assert draws(SAMPLERS[name]()) == draws(SAMPLERS[name]())
    reseeded = SAMPLERS[name]()
    reseeded.reseed_rng()
    assert draws(reseeded) != draws(SAMPLERS[name]())
    assert hasattr(real_optuna.samplers, name) and callable(getattr(real_optuna.samplers, name).reseed_rng)


def test_reseed_rng_of_the_grid_sampler_changes_its_free_point_draws():
    """GridSampler gives trial k point k while it is free (no randomness); reseed_rng changes the draws after."""

    def order(sampler):
        study = hpobench.create_study(sampler=samplers.RandomSampler(seed=0))
        study.optimize(lambda t: t.suggest_int("x", 0, 19), n_trials=10)  # trials 0-9 hold no grid point
        study.sampler = sampler  # trials 10-19 take points 10-19; trials 20-29 draw among the free points 0-9
        study.optimize(lambda t: t.suggest_int("x", 0, 19), n_trials=20)
        return [t.params["x"] for t in study.trials[10:]]  # 10! orders of the last ten: a tie is no risk

    grid = lambda: samplers.GridSampler({"x": list(range(20))}, seed=0)  # noqa: E731
    reseeded = grid()
    reseeded.reseed_rng()
    assert order(grid()) == order(grid()) != order(reseeded)
    assert sorted(order(reseeded)) == list(range(20))  # still each point once


def test_grid_sampler_with_enqueued_trials_matches_optuna():
    def scenario(optuna):
        study = optuna.create_study(sampler=optuna.samplers.GridSampler({"a": [0, 50]}))
        exhausted = [study.sampler.is_exhausted(study)]
        study.enqueue_trial({"a": 100})  # off the grid: runs as enqueued, holds no point
        study.optimize(lambda trial: trial.suggest_int("a", 0, 100))  # stops once the grid is done
        exhausted.append(study.sampler.is_exhausted(study))
        incomplete = optuna.create_study(sampler=optuna.samplers.GridSampler({"a": [0, 50], "b": [1]}))
        incomplete.enqueue_trial({"a": 0})
        with pytest.raises(ValueError):
            incomplete.optimize(lambda t: t.suggest_int("a", 0, 100) + t.suggest_int("b", 0, 1), n_trials=1)
        return [t.params["a"] for t in study.trials][:1], sorted(t.params["a"] for t in study.trials[1:]), exhausted

    assert both(scenario) == ([100], [0, 50], [False, True])


def test_partial_fixed_sampler_matches_optuna():
    def scenario(optuna):
        base = optuna.samplers.TPESampler(seed=0, n_startup_trials=2)
        sampler = optuna.samplers.PartialFixedSampler({"x": 0.25, "k": "b", "far": 50.0}, base)
        study = optuna.create_study(sampler=sampler)

        def objective(trial):
            return (
                trial.suggest_float("x", 0, 1)
                + trial.suggest_float("y", 0, 1)
                + len(trial.suggest_categorical("k", ["a", "b"]))
                + trial.suggest_float("far", 0, 1)
            )

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            study.optimize(objective, n_trials=6)
        outside = [w for w in caught if "out of range" in str(w.message)]
        return (
            {t.params["x"] for t in study.trials},
            {t.params["k"] for t in study.trials},
            {t.params["far"] for t in study.trials},
            len({t.params["y"] for t in study.trials}) > 1,
            len(outside) == 6,
        )

    assert both(scenario) == ({0.25}, {"b"}, {50.0}, True, True)


def brute_force_scenario(optuna, avoid_premature_stop):
    sampler = optuna.samplers.BruteForceSampler(seed=0, avoid_premature_stop=avoid_premature_stop)
    study = optuna.create_study(sampler=sampler)

    def objective(trial):  # a conditional space: 2 + 2 * 3 + 1 = 9 combinations... see the assertion
        kind = trial.suggest_categorical("kind", ["linear", "tree", "none"])
        if kind == "linear":
            trial.suggest_float("c", 0.5, 1.5, step=0.5)
        elif kind == "tree":
            trial.suggest_int("depth", 1, 2)
            trial.suggest_categorical("split", [True, False])
        return 0.0

    study.optimize(objective, n_trials=100)  # stops by itself once every combination ran
    combos = sorted(tuple(sorted(t.params.items())) for t in study.trials)
    with pytest.raises(ValueError):
        optuna.create_study(sampler=optuna.samplers.BruteForceSampler()).optimize(
            lambda t: t.suggest_float("x", 0, 1), n_trials=1
        )  # continuous: no finite enumeration
    return len(study.trials), combos == sorted(set(combos))


@pytest.mark.parametrize("avoid_premature_stop", [False, True])
def test_brute_force_sampler_enumerates_a_conditional_space_as_optuna(avoid_premature_stop):
    assert both(brute_force_scenario, avoid_premature_stop) == (3 + 4 + 1, True)


def test_hyperopt_parameters_match_optuna():
    theirs, ours = real_optuna.samplers.TPESampler.hyperopt_parameters(), samplers.TPESampler.hyperopt_parameters()
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
        if callable(value):
            assert [list(map(float, [*(value(n) if key == "weights" else [value(n)])])) for n in range(0, 120, 7)] == [
                list(map(float, [*(ours[key](n) if key == "weights" else [ours[key](n)])])) for n in range(0, 120, 7)
            ]
        else:
            assert ours[key] == value
    study = hpobench.create_study(sampler=samplers.TPESampler(**ours, seed=0))
    study.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2, n_trials=25)
    assert len(study.trials) == 25


# --- 6. semantics ---------------------------------------------------------------------------------------------------
def step_adjustment_scenario(optuna):
    out = []
    for make in (
        lambda: optuna.distributions.FloatDistribution(2, 7, step=2),
        lambda: optuna.distributions.IntDistribution(0, 10, step=3),
        lambda: optuna.distributions.FloatDistribution(0.0, 1.0, step=0.1),
    ):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            dist = make()
        out.append((dist.low, dist.high, dist.step, len(caught)))
    study = new_study(optuna)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        study.optimize(lambda t: t.suggest_float("x", 2, 7, step=2), n_trials=8)
    out.append(({t.params["x"] for t in study.trials} <= {2.0, 4.0, 6.0}, bool(caught)))
    return out


def test_steps_that_do_not_divide_the_range_lower_high_with_a_warning():
    assert both(step_adjustment_scenario) == [(2.0, 6.0, 2.0, 1), (0, 9, 3, 1), (0.0, 1.0, 0.1, 0), (True, True)]


def test_stop_outside_optimize_and_nested_optimize_raise():
    def scenario(optuna):
        study = new_study(optuna)
        with pytest.raises(RuntimeError):
            study.stop()
        study.optimize(lambda t: 1.0, n_trials=1)  # still usable

        def nested(trial):
            trial.study.optimize(lambda t: 1.0, n_trials=1)
            return 1.0

        with pytest.raises(RuntimeError):
            study.optimize(nested, n_trials=1)

        def stopping(trial):
            if trial.number == 3:
                trial.study.stop()
            return 1.0

        study.optimize(stopping, n_trials=10)
        return [t.state.name for t in study.trials]

    assert both(scenario) == ["COMPLETE", "FAIL", "COMPLETE", "COMPLETE"]


def test_report_and_should_prune_in_a_multi_objective_study_raise():
    def scenario(optuna):
        study = new_study(optuna, directions=["minimize", "maximize"])
        trial = study.ask()
        with pytest.raises(NotImplementedError):
            trial.report(1.0, 1)
        with pytest.raises(NotImplementedError):
            trial.should_prune()
        return study.tell(trial, [1.0, 2.0]).state.name

    assert both(scenario) == "COMPLETE"


def test_nan_between_rungs_does_not_make_asha_prune():
    def scenario(optuna):
        nan = math.nan
        curves = [[1.0, 1.0, 1.0, 1.0]] * 2 + [[nan, 1.0, 1.0, 1.0], [1.0, nan, 1.0, 1.0], [1.0, 1.0, nan, nan]]
        return pruner_decisions(optuna, lambda o: o.pruners.SuccessiveHalvingPruner(2, 2), curves)

    # Rungs at steps 2 and 4: NaN at step 1 or 3 is no reason to prune; at a rung it is.
    assert both(scenario) == [None, None, None, 2, 4]


WILCOXON_CASES = {
    # best trial: final value best (0.0) but a poor mean; the trial: worse at 7 of 8 steps, better mean
    "average is best": ([1.0] * 7 + [0.0], [1.2] * 7 + [-5.0]),
    "worse everywhere": ([1.0] * 8, [2.0] * 8),
    "NaN in the trial": ([1.0] * 8, [2.0, math.nan] + [2.0] * 6),
    "steps the best lacks": ([1.0] * 4, [2.0] * 8),
    "NaN in the best": ([1.0, math.inf] + [1.0] * 6, [2.0] * 8),
    "best without reports": ([], [2.0] * 8),
}


@pytest.mark.parametrize("case", sorted(WILCOXON_CASES))
def test_wilcoxon_rules_and_warnings_match_optuna(case):
    best_curve, curve = WILCOXON_CASES[case]

    def scenario(optuna):
        study = new_study(optuna, pruner=optuna.pruners.WilcoxonPruner(p_threshold=0.1))
        best = study.ask()
        for step, value in enumerate(best_curve):
            best.report(value, step)
        study.tell(best, 0.0)
        trial = study.ask()
        for step, value in enumerate(curve):
            trial.report(value, step)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            decision = trial.should_prune()
        return decision, [w.category.__name__ for w in caught]

    decision, categories = both(scenario)
    assert decision == (case in ("worse everywhere", "steps the best lacks"))
    assert bool(categories) == (case not in ("average is best", "worse everywhere"))


def test_threshold_and_min_resource_errors_match_optuna():
    def scenario(optuna):
        errors = []
        for make in (
            lambda: optuna.pruners.ThresholdPruner(None, None),
            lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource="big"),
            lambda: optuna.pruners.SuccessiveHalvingPruner(min_resource=0),
            lambda: optuna.pruners.ThresholdPruner(2.0, 1.0),
        ):
            with pytest.raises(Exception) as info:
                make()
            errors.append(
                info.type.__mro__[1].__name__ if info.type.__module__.startswith("hpobench") else info.type.__name__
            )
        return errors

    assert both(scenario) == ["TypeError", "ValueError", "ValueError", "ValueError"]
    with pytest.raises(ValueError, match="1.5"):  # Optuna silently treats 1.5 as 'auto'
        pruners.SuccessiveHalvingPruner(min_resource=1.5)


def relative_value_scenario(optuna, relative_value):
    class Relative(optuna.samplers.RandomSampler):
        def infer_relative_search_space(self, study, trial):
            return {"x": optuna.distributions.FloatDistribution(5, 6)}

        def sample_relative(self, study, trial, search_space):
            return {"x": relative_value}

    study = optuna.create_study(sampler=Relative(seed=0))
    trial = study.ask()
    value = trial.suggest_float("x", 0, 100)
    with pytest.raises(ValueError):  # incompatible kind: an int distribution for a float space
        study.ask().suggest_int("x", 0, 100)
    return value == relative_value


@pytest.mark.parametrize("relative_value, used", [(5.5, True), (150.0, False)])
def test_relative_value_inside_the_suggested_distribution_is_used(relative_value, used):
    assert both(relative_value_scenario, relative_value) is used


def test_check_distribution_compatibility_argument_order_and_rule():
    def scenario(optuna):
        d = optuna.distributions
        pairs = [
            (d.FloatDistribution(0, 1), d.FloatDistribution(0, 10)),
            (d.IntDistribution(1, 3), d.IntDistribution(1, 3, log=True)),
            (d.FloatDistribution(0, 1), d.IntDistribution(0, 1)),
            (d.CategoricalDistribution(["a"]), d.CategoricalDistribution(["a", "b"])),
            (d.CategoricalDistribution([1, 2]), d.CategoricalDistribution((1, 2))),
        ]
        out = []
        for old, new in pairs:
            try:
                d.check_distribution_compatibility(dist_old=old, dist_new=new)
                out.append(True)
            except ValueError:
                out.append(False)
        return out

    assert both(scenario) == [True, False, False, False, True]


CHOICE_CASES = [
    ((True, False), True),
    ((True, False), False),
    ((0, 1), True),
    ((1, 2), 1.0),
    ((1.0, 2.0), 1),
    (("a", None), None),
    ((math.nan, 1.0), math.nan),
]


def test_categorical_to_internal_repr_matches_optuna():
    def scenario(optuna):
        import numpy as np

        cases = CHOICE_CASES + [((True, False), np.bool_(True)), ((1, 2), np.int64(2))]
        return [float(optuna.distributions.CategoricalDistribution(c).to_internal_repr(v)) for c, v in cases]

    assert both(scenario) == [0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0]
    # Deliberate difference: a choice of the same type wins (Optuna's choices.index finds True at 1).
    assert hpobench.distributions.CategoricalDistribution([1, True]).to_internal_repr(True) == 1.0


JSON_FORMS = [
    '{"type": "float", "low": 0.0, "high": 1.0}',
    '{"type": "float", "low": 1e-3, "high": 1.0, "log": true}',
    '{"type": "float", "low": 0.0, "high": 1.0, "step": 0.25}',
    '{"type": "int", "low": 1, "high": 9}',
    '{"type": "int", "low": 0, "high": 8, "step": 2}',
    '{"type": "categorical", "choices": ["a", 1, null]}',
    '{"name": "UniformDistribution", "attributes": {"low": 0.0, "high": 2.0}}',
    '{"name": "LogUniformDistribution", "attributes": {"low": 0.1, "high": 2.0}}',
    '{"name": "DiscreteUniformDistribution", "attributes": {"low": 0.0, "high": 2.0, "q": 0.5}}',
    '{"name": "IntUniformDistribution", "attributes": {"low": 0, "high": 4, "step": 2}}',
    '{"name": "IntLogUniformDistribution", "attributes": {"low": 1, "high": 8}}',
]


def test_json_to_distribution_reads_optuna_forms():
    def scenario(optuna):
        out = []
        for text in JSON_FORMS:
            dist = optuna.distributions.json_to_distribution(text)
            attrs = {k: v for k, v in vars(dist).items()}
            attrs.setdefault("log", False)
            out.append(json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in sorted(attrs.items())}))
        return out

    both(scenario)  # the legacy names give Optuna's deprecated subclasses, hpobench the plain classes


def test_progress_bar_shows_the_best_value(capsys):
    def scenario(optuna):
        study = new_study(optuna)
        study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=4, show_progress_bar=True)
        err = capsys.readouterr().err
        best = study.best_trial
        shown = [f"Best trial: {best.number}. Best value: {best.value:.6g}" in err, "4/4" in err]
        stop_soon = lambda s, t: s.stop() if t.number >= 6 else None  # noqa: E731
        study.optimize(lambda t: 1.0, timeout=60, callbacks=[stop_soon], show_progress_bar=True)  # a time bar
        return shown + ["/01:00" in capsys.readouterr().err]

    assert both(scenario) == [True, True, True]


def test_distribution_edge_cases_match_optuna():
    def scenario(optuna):
        d = optuna.distributions
        nan_choices = [1, math.nan, "a"]
        return [
            d.CategoricalDistribution(nan_choices) == d.CategoricalDistribution(list(nan_choices)),
            d.FloatDistribution(0.2, 0.3, step=0.1).single(),
            d.FloatDistribution(0.2, 0.25, step=0.1).single(),
            outcome(lambda: d.FloatDistribution(1, 2, log=True).to_internal_repr(0.0)),
            outcome(lambda: d.IntDistribution(1, 9, log=True).to_internal_repr(-1)),
        ]

    assert both(scenario) == [True, False, True, "ValueError", "ValueError"]
    nan_dists = [hpobench.distributions.CategoricalDistribution([v]) for v in (math.nan, float("nan"))]
    assert hash(nan_dists[0]) == hash(nan_dists[1])  # equal, so equal hashes (Optuna hashes NaN by identity)


def test_trial_and_study_helpers_that_custom_code_uses():
    def scenario(optuna):
        study = new_study(optuna, storage="sqlite:///:memory:")
        trial = study.ask()
        checks = [
            trial.storage is study._storage,
            study._is_multi_objective(),
            outcome(lambda: trial.report("not a number", -1)),
        ]  # the value is checked first
        study.tell(trial, 1.0)
        study.enqueue_trial({"x": math.nan})
        study.enqueue_trial({"x": math.nan}, skip_if_exists=True)  # NaN repeats NaN
        return checks + [len(study.trials)]

    assert both(scenario) == [True, False, "TypeError", 2]


# --- the documented differences (README, "Optuna users"): each shown against Optuna --------------------------------
def outcome(call):
    """'ok' or the name of the exception call raises (warnings ignored)."""
    try:
        call()
    except Exception as err:  # noqa: BLE001 - the exception's kind is the result
        return type(err).__name__
    return "ok"


def test_difference_infinite_complete_value_in_create_trial():
    def scenario(optuna):
        return outcome(lambda: optuna.create_trial(value=math.inf))

    assert [scenario(m) for m in MODULES] == ["ok", "ValueError"]


def test_difference_one_name_with_two_distributions_in_a_trial():
    def scenario(optuna):
        trial = new_study(optuna).ask()
        trial.suggest_int("n", 0, 10)
        return outcome(lambda: trial.suggest_int("n", 0, 20))

    assert [scenario(m) for m in MODULES] == ["ok", "ValueError"]


def test_difference_percentile_pruning_with_parallel_workers():
    """Six workers report at step 1 before any trial completes: only hpobench can prune the worst."""

    def scenario(optuna):
        study = new_study(optuna, pruner=optuna.pruners.MedianPruner(n_startup_trials=3))
        trials = [study.ask() for _ in range(6)]
        for value, trial in enumerate(trials):
            trial.report(float(value), 1)
        return [t.should_prune() for t in trials]

    theirs, ours = (scenario(m) for m in MODULES)
    assert theirs == [False] * 6 and ours == [False, False, False, True, True, True]


def test_difference_nan_before_the_warm_up_ends():
    def scenario(optuna):
        study = new_study(optuna, pruner=optuna.pruners.MedianPruner(0, 5))
        trial = study.ask()
        trial.report(math.nan, 1)
        return trial.should_prune()

    assert [scenario(m) for m in MODULES] == [False, True]


def test_difference_tpe_arguments_that_are_not_implemented():
    cases = [dict(consider_magic_clip=False), dict(consider_endpoints=True), dict(constraints_func=lambda trial: [0.0])]
    for kwargs in cases:
        assert outcome(lambda kwargs=kwargs: real_optuna.samplers.TPESampler(**kwargs)) == "ok"
        with pytest.raises(ValueError, match=next(iter(kwargs))):
            samplers.TPESampler(**kwargs)


def test_difference_exhausted_grid_in_ask_and_tell():
    def scenario(optuna):
        study = optuna.create_study(sampler=optuna.samplers.GridSampler({"x": [1, 2]}))
        results = []
        for _ in range(3):
            trial = study.ask()
            trial.suggest_int("x", 1, 2)
            results.append(outcome(lambda trial=trial: study.tell(trial, 1.0)))
        return results, len(study.get_trials(states=(optuna.trial.TrialState.COMPLETE,)))

    assert [scenario(m) for m in MODULES] == [(["ok", "RuntimeError", "RuntimeError"], 3), (["ok"] * 3, 3)]


def test_difference_rdb_storage_schema(tmp_path):
    path = tmp_path / "optuna.db"
    real_optuna.create_study(storage=f"sqlite:///{path}", study_name="theirs")
    before = path.read_bytes()
    with pytest.raises(hpobench.exceptions.StorageError, match="not an hpobench storage"):
        hpobench.RDBStorage(f"sqlite:///{path}")
    assert path.read_bytes() == before  # refused without a write
    assert hpobench.RDBStorage(f"sqlite:///{tmp_path / 'ours.db'}").heartbeat_interval == 5.0
    assert real_optuna.storages.RDBStorage(f"sqlite:///{tmp_path / 'o2.db'}").heartbeat_interval is None


def test_difference_categorical_choices():
    for choices in ([1, 1], [object()]):
        assert outcome(lambda choices=choices: real_optuna.distributions.CategoricalDistribution(choices)) == "ok"
        assert outcome(lambda choices=choices: hpobench.distributions.CategoricalDistribution(choices)) == "ValueError"
    assert real_optuna.distributions.CategoricalDistribution([1, True]).to_internal_repr(True) == 0


def test_difference_frozen_trial_value_and_report_step():
    def scenario(optuna):
        multi = frozen(optuna, value=None, values=[1.0, 2.0])
        trial = new_study(optuna).ask()
        return outcome(lambda: multi.value), outcome(lambda: trial.report(1.0, 2.5))

    assert [scenario(m) for m in MODULES] == [("RuntimeError", "ok"), ("ok", "TypeError")]
    assert frozen(hpobench, value=None, values=[1.0, 2.0]).value == 1.0


def test_difference_no_log_output_by_default(capsys):
    hpobench.logging.disable_default_handler()
    study = new_study(hpobench)
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)
    assert "Trial 0 finished" not in capsys.readouterr().err


def test_difference_non_integer_min_resource():
    assert real_optuna.pruners.SuccessiveHalvingPruner(min_resource=1.5) is not None
    assert outcome(lambda: pruners.SuccessiveHalvingPruner(min_resource=1.5)) == "ValueError"


def test_difference_a_name_may_change_kind_between_trials():
    def scenario(optuna):
        study = new_study(optuna)
        study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1)
        return outcome(lambda: study.optimize(lambda t: t.suggest_int("x", 0, 1), n_trials=1, catch=()))

    assert [scenario(m) for m in MODULES] == ["ValueError", "ok"]
