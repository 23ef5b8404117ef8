"""One suite run over every sampler (baselines included when their library is installed).

Checks what every sampler owes the define-by-run contract: values within
bounds and of the right type, log and step respected, conditional spaces,
failed and NaN trials tolerated, the same seed giving the same sequence, and
every storage backend.
"""

from __future__ import annotations

import importlib.util
import math
import warnings

import pytest

import hpobench
from hpobench.pruners import NopPruner
from hpobench.samplers import (
    BaseSampler,
    HyperoptTPESampler,
    OptunaCmaEsSampler,
    OptunaRandomSampler,
    OptunaTPESampler,
    QMCSampler,
    RandomSampler,
    SyneTuneASHA,
    TPESampler,
)
from hpobench.samplers.baselines import SchedulerSampler
from hpobench.trial import TrialState

MIXED = [None, True, 1, 2.5, "a"]
HAS_OPTUNA = importlib.util.find_spec("optuna") is not None
HAS_HYPEROPT = importlib.util.find_spec("hyperopt") is not None
needs_optuna = pytest.mark.skipif(not HAS_OPTUNA, reason="optuna not installed")
needs_hyperopt = pytest.mark.skipif(not HAS_HYPEROPT, reason="hyperopt not installed")
needs_cmaes = pytest.mark.skipif(
    importlib.util.find_spec("cmaes") is None or not HAS_OPTUNA, reason="cmaes not installed"
)
needs_synetune = pytest.mark.skipif(importlib.util.find_spec("syne_tune") is None, reason="syne-tune not installed")

# Few startup trials, so the model-based samplers leave random sampling within the short studies here.
FACTORIES = [
    pytest.param(lambda seed: RandomSampler(seed=seed), id="random"),
    pytest.param(lambda seed: TPESampler(seed=seed, n_startup_trials=4), id="tpe"),
    pytest.param(lambda seed: TPESampler(seed=seed, n_startup_trials=4, multivariate=False), id="tpe-univariate"),
    pytest.param(lambda seed: TPESampler(seed=seed, n_startup_trials=4, group=True), id="tpe-group"),
    pytest.param(lambda seed: TPESampler(seed=seed, n_startup_trials=4, constant_liar=False), id="tpe-no-liar"),
    pytest.param(lambda seed: QMCSampler(seed=seed), id="qmc-sobol"),
    pytest.param(lambda seed: QMCSampler(seed=seed, qmc_type="halton"), id="qmc-halton"),
    pytest.param(lambda seed: OptunaTPESampler(seed=seed, n_startup_trials=4), id="optuna-tpe", marks=needs_optuna),
    pytest.param(lambda seed: OptunaRandomSampler(seed=seed), id="optuna-random", marks=needs_optuna),
    pytest.param(
        lambda seed: HyperoptTPESampler(seed=seed, n_startup_trials=4), id="hyperopt-tpe", marks=needs_hyperopt
    ),
    pytest.param(lambda seed: OptunaCmaEsSampler(seed=seed), id="optuna-cmaes", marks=needs_cmaes),
    # A scheduler (sampler and pruner) on these step-less objectives: its sampling side and the first-trial space rule.
    pytest.param(lambda seed: SyneTuneASHA(seed=seed, max_step=1), id="synetune-asha", marks=needs_synetune),
]


def _study(factory, seed=0, storage=None, direction="minimize"):
    sampler = factory(seed)
    pruner = None if isinstance(sampler, SchedulerSampler) else NopPruner()  # a scheduler is its own pruner
    return hpobench.create_study(storage=storage, sampler=sampler, pruner=pruner, direction=direction)


def _every_kind(trial: hpobench.Trial) -> float:
    x = trial.suggest_float("x", -3.0, 2.0)
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    q = trial.suggest_float("q", 0.0, 1.0, step=0.25)
    n = trial.suggest_int("n", -4, 7)
    units = trial.suggest_int("units", 1, 1024, log=True)
    k = trial.suggest_int("k", 2, 20, step=3)
    choice = trial.suggest_categorical("choice", MIXED)
    bonus = 0.0 if choice == "a" and type(choice) is str else 1.0
    return x * x + abs(math.log10(lr) + 3) + q + abs(n) + abs(math.log2(units) - 5) + k / 10 + bonus


def _check_every_kind(params: dict) -> None:
    assert type(params["x"]) is float and -3.0 <= params["x"] <= 2.0
    assert type(params["lr"]) is float and 1e-5 <= params["lr"] <= 1e-1
    assert type(params["q"]) is float and params["q"] in (0.0, 0.25, 0.5, 0.75, 1.0)
    assert type(params["n"]) is int and -4 <= params["n"] <= 7
    assert type(params["units"]) is int and 1 <= params["units"] <= 1024
    assert type(params["k"]) is int and params["k"] in (2, 5, 8, 11, 14, 17, 20)
    assert any(params["choice"] is c or (type(params["choice"]) is type(c) and params["choice"] == c) for c in MIXED)


@pytest.mark.parametrize("factory", FACTORIES)
def test_values_within_bounds_and_of_the_right_type(factory):
    study = _study(factory)
    study.optimize(_every_kind, n_trials=25)
    trials = study.get_trials(states=(TrialState.COMPLETE,))
    assert len(trials) == 25
    for trial in trials:
        _check_every_kind(trial.params)
    # log scale is respected: a log-uniform-ish spread reaches below 1e-3 at least once in 25 trials
    assert min(t.params["lr"] for t in trials) < 1e-3
    # every mixed-type choice keeps its type (True is not 1, 1 is not 1.0)
    seen = {(type(t.params["choice"]).__name__, t.params["choice"]) for t in trials}
    assert seen <= {(type(c).__name__, c) for c in MIXED}


def _conditional(trial: hpobench.Trial) -> float:
    kind = trial.suggest_categorical("kind", ["linear", "tree", "none"])
    if kind == "linear":
        c = trial.suggest_float("c", 1e-3, 1e3, log=True)
        return abs(math.log10(c))
    if kind == "tree":
        depth = trial.suggest_int("depth", 1, 12)
        leaf = trial.suggest_float("leaf", 0.0, 0.5, step=0.05)
        return abs(depth - 4) + leaf
    return 5.0


@pytest.mark.parametrize("factory", FACTORIES)
def test_conditional_space(factory):
    study = _study(factory)
    study.optimize(_conditional, n_trials=30)
    trials = study.get_trials(states=(TrialState.COMPLETE,))
    assert len(trials) == 30
    for trial in trials:
        kind = trial.params["kind"]
        expected = {"linear": {"kind", "c"}, "tree": {"kind", "depth", "leaf"}, "none": {"kind"}}[kind]
        assert set(trial.params) == expected
        if kind == "linear":
            assert 1e-3 <= trial.params["c"] <= 1e3
        if kind == "tree":
            assert type(trial.params["depth"]) is int and 1 <= trial.params["depth"] <= 12
            assert round(trial.params["leaf"] / 0.05, 6).is_integer() and 0 <= trial.params["leaf"] <= 0.5
    assert len({t.params["kind"] for t in trials}) >= 2


@pytest.mark.parametrize("factory", FACTORIES)
def test_failed_and_nan_trials_do_not_break_sampling(factory):
    def objective(trial):
        x = trial.suggest_float("x", -1.0, 1.0)
        y = trial.suggest_int("y", 0, 4)
        if trial.number % 4 == 1:
            raise RuntimeError("boom")
        if trial.number % 4 == 2:
            return float("nan")
        return x * x + y

    study = _study(factory)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the NaN trials warn that they failed
        study.optimize(objective, n_trials=24, catch=(RuntimeError,))
    states = [t.state for t in study.trials]
    assert states.count(TrialState.FAIL) == 12 and states.count(TrialState.COMPLETE) == 12
    assert all(-1.0 <= t.params["x"] <= 1.0 and t.params["y"] in range(5) for t in study.trials)


@pytest.mark.parametrize("factory", FACTORIES)
def test_same_seed_same_sequence(factory):
    def run(seed):
        study = _study(factory, seed=seed)
        study.optimize(_conditional, n_trials=15)
        return [t.params for t in study.trials]

    first = run(3)
    assert run(3) == first
    assert run(4) != first


@pytest.mark.parametrize("factory", FACTORIES)
def test_every_storage(factory, storage):
    study = _study(factory, storage=storage)
    study.optimize(_every_kind, n_trials=8)
    trials = hpobench.load_study(study_name=study.study_name, storage=storage, pruner=NopPruner()).trials
    assert [t.state for t in trials] == [TrialState.COMPLETE] * 8
    for trial in trials:
        _check_every_kind(trial.params)


@pytest.mark.parametrize("factory", FACTORIES)
def test_maximize(factory):
    # Maximising -f must behave as minimising f: the sign flip leaves the sampled sequence unchanged.
    def f(trial):
        return (trial.suggest_float("x", -2.0, 2.0) - 1.0) ** 2 + trial.suggest_int("n", 0, 5)

    low = _study(factory, seed=1)
    low.optimize(f, n_trials=15)
    high = _study(factory, seed=1, direction="maximize")
    high.optimize(lambda t: -f(t), n_trials=15)
    assert [t.params for t in low.trials] == [t.params for t in high.trials]


def test_every_sampler_is_a_base_sampler():
    for param in FACTORIES:
        if any(mark.args and mark.args[0] for mark in param.marks):
            continue
        assert isinstance(param.values[0](0), BaseSampler)
