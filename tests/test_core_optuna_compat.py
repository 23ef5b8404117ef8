"""Objectives written for Optuna run unchanged on hpobench and give the same kinds of results.

Every scenario below is written once against a module handle named ``optuna``
and run twice: with the real Optuna and with ``hpobench`` in its place (what a
user gets from ``import hpobench as optuna``). The tests compare what must
match: states, value and parameter types, dataframe columns and their order,
best_* behaviour, and which exceptions are raised. Random draws differ (the
two RandomSamplers are different generators), so nothing compares values.

Known, deliberate difference (tested at the end): an objective returning inf
is COMPLETE in Optuna and FAIL in hpobench (an infinite loss is a failed run).
"""

from __future__ import annotations

import logging
import math
import time
import types
import warnings

import optuna as real_optuna
import pytest

import hpobench

MODULES = [real_optuna, hpobench]
CHOICES = ["a", 1, 2.5, None, True]


@pytest.fixture(autouse=True)
def _quiet():
    """No warnings, and Optuna's INFO line per trial off, for these tests only."""
    verbosity = real_optuna.logging.get_verbosity()
    real_optuna.logging.set_verbosity(real_optuna.logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
    real_optuna.logging.set_verbosity(verbosity)


def new_study(optuna: types.ModuleType, **kwargs):
    """create_study with a RandomSampler and no pruning (so samplers and pruners play no part)."""
    kwargs.setdefault("sampler", optuna.samplers.RandomSampler(seed=0))
    kwargs.setdefault("pruner", optuna.pruners.NopPruner())
    return optuna.create_study(**kwargs)


# --- the objectives, written as for Optuna ---------------------------------------------
def space_objective(optuna: types.ModuleType):
    def objective(trial):
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        units = trial.suggest_int("units", 2, 20, step=2)
        width = trial.suggest_int("width", 1, 1024, log=True)
        dropout = trial.suggest_float("dropout", 0.0, 0.5, step=0.1)
        kind = trial.suggest_categorical("kind", CHOICES)
        if kind == "a":  # conditional parameter
            trial.suggest_float("depth", 0.0, 1.0, step=0.25)
        trial.set_user_attr("tag", f"t{trial.number}")
        return lr * units + width + dropout

    return objective


def pruning_objective(optuna: types.ModuleType):
    def objective(trial):
        x = trial.suggest_float("x", -1.0, 1.0)
        for step in range(6):
            trial.report(x + step, step)
            if trial.should_prune() or (trial.number % 2 == 1 and step == 3):
                raise optuna.TrialPruned()
        return x

    return objective


def _types(study) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for trial in study.trials:
        for name, value in trial.params.items():
            if name != "kind":
                kinds.setdefault(name, set()).add(type(value).__name__)
    return kinds


# --- search spaces ---------------------------------------------------------------------------
@pytest.mark.parametrize("optuna", MODULES, ids=lambda m: m.__name__)
def test_search_space_values_types_and_ranges(optuna):
    study = new_study(optuna)
    study.optimize(space_objective(optuna), n_trials=30)
    assert [t.state for t in study.trials] == [optuna.trial.TrialState.COMPLETE] * 30
    for trial in study.trials:
        p = trial.params
        assert 1e-5 <= p["lr"] <= 1e-1
        assert 2 <= p["units"] <= 20 and p["units"] % 2 == 0
        assert 1 <= p["width"] <= 1024
        assert math.isclose(p["dropout"] * 10, round(p["dropout"] * 10), abs_tol=1e-9)
        match = [c for c in CHOICES if c == p["kind"] and type(c) is type(p["kind"])]
        assert match, p["kind"]  # the choice itself, with its own type (True is not 1)
        assert ("depth" in p) == (p["kind"] == "a")
        assert isinstance(trial.value, float)
        assert trial.user_attrs == {"tag": f"t{trial.number}"}


def test_search_space_kinds_match_optuna():
    results = {}
    for optuna in MODULES:
        study = new_study(optuna)
        study.enqueue_trial({"kind": "a"}, user_attrs={"origin": "queue"})  # both branches of the condition
        study.enqueue_trial({"kind": 1, "units": 4})
        study.optimize(space_objective(optuna), n_trials=12)
        frame = study.trials_dataframe()
        first = study.trials[0]
        results[optuna.__name__] = {
            "types": _types(study),
            "columns": list(frame.columns),
            "multi_index": list(study.trials_dataframe(multi_index=True).columns),
            "states": [t.state.name for t in study.trials],
            "enqueued": (first.params["kind"], first.user_attrs, first.system_attrs),
            "second": (study.trials[1].params["kind"], study.trials[1].params["units"]),
            "dtypes": {c: frame[c].dtype.kind for c in ("number", "value", "duration", "params_lr", "params_units")},
        }
    assert results["hpobench"] == results["optuna"]
    assert results["hpobench"]["types"] == {
        "lr": {"float"},
        "units": {"int"},
        "width": {"int"},
        "dropout": {"float"},
        "depth": {"float"},
    }


# --- report / should_prune / TrialPruned --------------------------------------------------------
def test_pruning_loop_matches_optuna():
    results = {}
    for optuna in MODULES:
        study = new_study(optuna)
        study.optimize(pruning_objective(optuna), n_trials=6)
        rows = []
        for t in study.trials:
            steps = sorted(t.intermediate_values)
            rows.append((t.state.name, steps, t.value == t.intermediate_values[steps[-1]]))
        results[optuna.__name__] = rows
    assert results["hpobench"] == results["optuna"]
    assert [r[0] for r in results["hpobench"]] == ["COMPLETE", "PRUNED"] * 3


def test_trial_pruned_is_the_same_kind_of_exception():
    assert issubclass(hpobench.TrialPruned, Exception)
    assert hpobench.exceptions.TrialPruned is hpobench.TrialPruned
    study = new_study(hpobench)
    study.optimize(lambda trial: (_ for _ in ()).throw(hpobench.TrialPruned("early")), n_trials=2)
    assert [t.state for t in study.trials] == [hpobench.TrialState.PRUNED] * 2
    assert all(t.value is None for t in study.trials)  # nothing reported: no value (as Optuna)


# --- failures, catch, callbacks -------------------------------------------------------------------
@pytest.mark.parametrize("optuna", MODULES, ids=lambda m: m.__name__)
def test_bad_returns_fail_the_trial_and_the_study_goes_on(optuna):
    returns = [float("nan"), None, "abc", 1.5]
    study = new_study(optuna)
    study.optimize(lambda trial: returns[trial.number], n_trials=4)
    assert [t.state.name for t in study.trials] == ["FAIL", "FAIL", "FAIL", "COMPLETE"]
    assert [t.value for t in study.trials] == [None, None, None, 1.5]
    assert study.best_value == 1.5


def test_catch_and_callbacks_match_optuna():
    results = {}
    for optuna in MODULES:
        seen = []

        def objective(trial):
            x = trial.suggest_int("x", 0, 10)
            if trial.number == 1:
                raise KeyError("caught")
            if trial.number == 3:
                raise RuntimeError("not caught")
            return x

        study = new_study(optuna)
        name = study.study_name

        def callback(study, frozen, seen=seen, name=name):
            seen.append((frozen.number, frozen.state.name, type(frozen).__name__, study.study_name == name))
            if frozen.number == 5:
                study.stop()

        study.optimize(objective, n_trials=3, catch=(KeyError,), callbacks=[callback])
        with pytest.raises(RuntimeError, match="not caught"):
            study.optimize(objective, n_trials=3, catch=KeyError, callbacks=[callback])
        study.optimize(objective, n_trials=10, callbacks=[callback])  # stop() after trial 5
        results[optuna.__name__] = (seen, [t.state.name for t in study.trials])
    assert results["hpobench"] == results["optuna"]
    assert len(results["hpobench"][1]) == 6


# --- ask / tell ------------------------------------------------------------------------------------------
def ask_tell_scenario(optuna):
    study = new_study(optuna, direction="maximize")
    out = []
    trial = study.ask()
    x = trial.suggest_float("x", 0, 1)
    frozen = study.tell(trial, x)
    out.append((type(frozen).__name__, frozen.state.name, frozen.number, type(frozen.value).__name__))
    with pytest.raises(ValueError):
        study.tell(trial, 1.0)  # already finished
    out.append(study.tell(trial, 2.0, skip_if_finished=True).value == x)
    fixed = study.ask({"y": optuna.distributions.IntDistribution(1, 3)})
    out.append(sorted(fixed.params))
    study.tell(fixed.number, -1.0)  # by number
    pruned = study.ask()
    pruned.report(0.25, 7)
    out.append(study.tell(pruned, state=optuna.trial.TrialState.PRUNED).value)
    failed = study.ask()
    out.append(study.tell(failed, state=optuna.trial.TrialState.FAIL).state.name)
    with pytest.raises(ValueError):
        study.tell(12345, 1.0)  # unknown number
    bad = study.ask()
    with pytest.raises(ValueError):
        study.tell(bad, state=optuna.trial.TrialState.COMPLETE)  # COMPLETE needs a value
    out.append(study.tell(bad, float("nan")).state.name)  # no state: NaN fails the trial
    out.append((study.best_trial.number, study.best_value == x, study.best_params == {"x": x}))
    out.append([t.state.name for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))])
    return out


def test_ask_tell_matches_optuna():
    assert ask_tell_scenario(hpobench) == ask_tell_scenario(real_optuna)


# --- enqueue_trial ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("optuna", MODULES, ids=lambda m: m.__name__)
def test_enqueue_trial_fixed_params_and_skip_if_exists(optuna):
    study = new_study(optuna)
    study.enqueue_trial({"x": 0.5, "n": 3}, user_attrs={"why": "baseline"})
    study.enqueue_trial({"x": 0.5, "n": 3}, skip_if_exists=True)  # already waiting: skipped
    study.optimize(lambda t: t.suggest_float("x", 0, 1) + t.suggest_int("n", 0, 5), n_trials=2)
    study.enqueue_trial({"x": 0.5, "n": 3}, skip_if_exists=True)  # already run: skipped
    study.enqueue_trial({"x": 0.25, "n": 3}, skip_if_exists=True)
    trials = study.trials
    assert len(trials) == 3
    assert trials[0].params == {"x": 0.5, "n": 3} and trials[0].user_attrs == {"why": "baseline"}
    assert trials[0].value == 3.5
    assert trials[2].state.name == "WAITING" and trials[2].params == {}
    assert trials[2].system_attrs["fixed_params"] == {"x": 0.25, "n": 3}


# --- timeout, n_jobs ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("optuna", MODULES, ids=lambda m: m.__name__)
def test_timeout_stops_the_loop(optuna):
    study = new_study(optuna)
    start = time.monotonic()
    study.optimize(lambda t: time.sleep(0.05) or t.suggest_float("x", 0, 1), timeout=0.3)
    assert time.monotonic() - start < 2.0
    assert 1 <= len(study.trials) <= 8
    assert all(t.state.name == "COMPLETE" for t in study.trials)


@pytest.mark.parametrize("optuna", MODULES, ids=lambda m: m.__name__)
def test_threads_give_dense_numbers(optuna):
    study = new_study(optuna)
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=20, n_jobs=2)
    assert sorted(t.number for t in study.trials) == list(range(20))
    assert all(t.state.name == "COMPLETE" for t in study.trials)


# --- storages: load_if_exists, load_study --------------------------------------------------------------------------
def storage_scenario(optuna, url):
    study = new_study(optuna, storage=url, study_name="s", direction="maximize")
    study.optimize(pruning_objective(optuna), n_trials=4)
    study.set_user_attr("owner", "me")
    with pytest.raises(optuna.exceptions.DuplicatedStudyError):
        new_study(optuna, storage=url, study_name="s", direction="maximize")
    again = new_study(optuna, storage=url, study_name="s", direction="maximize", load_if_exists=True)
    again.optimize(pruning_objective(optuna), n_trials=2)
    loaded = optuna.load_study(study_name="s", storage=url, sampler=optuna.samplers.RandomSampler(seed=1))
    with pytest.raises(KeyError):  # Optuna raises KeyError for an unknown study, hpobench a subclass of it
        optuna.load_study(study_name="nope", storage=url)
    return (
        [t.state.name for t in loaded.trials],
        [sorted(t.intermediate_values) for t in loaded.trials],
        loaded.user_attrs,
        loaded.direction.name,
        list(loaded.trials_dataframe(attrs=("number", "value", "intermediate_values", "state")).columns),
        optuna.get_all_study_names(storage=url),
    )


def test_load_if_exists_on_sqlite_matches_optuna(tmp_path):
    ours = storage_scenario(hpobench, f"sqlite:///{tmp_path / 'ours.db'}")
    theirs = storage_scenario(real_optuna, f"sqlite:///{tmp_path / 'optuna.db'}")
    assert ours == theirs
    assert ours[0] == ["COMPLETE", "PRUNED"] * 3


# --- best_* and empty studies ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("optuna", MODULES, ids=lambda m: m.__name__)
def test_best_and_empty_study(optuna):
    study = new_study(optuna, direction="maximize")
    with pytest.raises(ValueError):
        _ = study.best_trial
    assert study.trials_dataframe().shape == (0, 0)
    study.optimize(lambda t: t.suggest_int("x", 0, 100), n_trials=10)
    best = max(study.trials, key=lambda t: t.value)
    assert study.best_trial.number == best.number
    assert study.best_value == best.value and isinstance(study.best_value, float)
    assert study.best_params == best.params
    assert str(study.best_trial.state) == "TrialState.COMPLETE"
    assert study.direction == optuna.study.StudyDirection.MAXIMIZE


# --- the one deliberate difference -------------------------------------------------------------------------------
def test_inf_is_a_failure_in_hpobench_but_not_in_optuna():
    states = {}
    for optuna in MODULES:
        study = new_study(optuna)
        study.optimize(lambda t: math.inf, n_trials=1)
        states[optuna.__name__] = study.trials[0].state.name
    assert states == {"optuna": "COMPLETE", "hpobench": "FAIL"}


@pytest.mark.parametrize("optuna", MODULES, ids=lambda m: m.__name__)
def test_logging_helpers(optuna):
    before = optuna.logging.get_verbosity()
    try:
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        assert optuna.logging.get_verbosity() == optuna.logging.WARNING == logging.WARNING
        optuna.logging.disable_default_handler()
        optuna.logging.enable_default_handler()
    finally:
        optuna.logging.set_verbosity(before)


def test_retry_callback_helpers_match_optuna():
    frozen = hpobench.trial.FrozenTrial(
        number=7,
        state=hpobench.TrialState.WAITING,
        values=None,
        params={},
        distributions={},
        intermediate_values={},
        user_attrs={},
        system_attrs={"retried_from": [2, 5], "retry_count": 2},
        datetime_start=None,
        datetime_complete=None,
        trial_id=7,
    )
    callback = hpobench.storages.RetryFailedTrialCallback
    assert callback.retried_trial_number(frozen) == 5 and callback.retry_history(frozen) == [2, 5]
    assert hasattr(real_optuna.storages.RetryFailedTrialCallback, "retry_history")


def add_trial_scenario(optuna):
    study = new_study(optuna, direction="maximize")
    dist = optuna.distributions.FloatDistribution(0.0, 1.0)
    study.add_trial(
        optuna.trial.create_trial(
            params={"x": 0.5},
            distributions={"x": dist},
            value=0.5,
            intermediate_values={0: 0.1},
            user_attrs={"from": "paper"},
        )
    )
    study.add_trials([optuna.trial.create_trial(state=optuna.trial.TrialState.FAIL, params={}, distributions={})])
    with pytest.raises(ValueError):
        optuna.trial.create_trial(params={"x": 2.0}, distributions={"x": dist}, value=1.0)  # outside
    with pytest.raises(ValueError):
        optuna.trial.create_trial(params={"x": 0.5}, distributions={"x": dist})  # COMPLETE without a value
    study.optimize(lambda t: t.suggest_float("x", 0.0, 1.0) * 0.0, n_trials=1)
    return [
        (t.number, t.state.name, t.params, t.values, t.intermediate_values, t.user_attrs) for t in study.trials[:2]
    ], (study.best_trial.number, study.best_value, len(study.trials))


def test_add_trial_matches_optuna():
    assert add_trial_scenario(hpobench) == add_trial_scenario(real_optuna)


@pytest.mark.parametrize("optuna", MODULES, ids=lambda m: m.__name__)
def test_objective_reruns_on_the_best_trial(optuna):
    study = new_study(optuna)
    objective = space_objective(optuna)
    study.optimize(objective, n_trials=5)
    best = study.best_trial
    assert objective(best) == study.best_value  # suggest_* answer the stored values
    assert best.user_attrs["tag"] == f"t{best.number}"
    pruned = new_study(optuna)
    pruned.optimize(pruning_objective(optuna), n_trials=3)
    # report() does nothing and should_prune() is False: the rerun completes
    assert pruning_objective(optuna)(pruned.best_trial) == pruned.best_value
    with pytest.raises(ValueError):
        best.suggest_float("not_there", 0, 1)
    with pytest.warns(UserWarning):
        assert best.suggest_int("units", 100, 200) == best.params["units"]  # outside: warned, still returned
