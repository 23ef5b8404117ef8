"""The peers of issue 11 (SMAC3, Syne Tune, Optuna's CMA-ES and GP): real runs of the real libraries.

Each runs 20 trials on branin; the multi-fidelity ones (SMAC3 Hyperband, Syne
Tune ASHA/BOHB/Hyperband) replay a recorded task under SimulatedRunner with 1
and 4 workers and must stop trials before the last step; a seed gives the
same trials again, also with 4 simulated workers.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

import hpobench
from hpobench.problems import get_problem
from hpobench.pruners import MedianPruner, SamplerPruner
from hpobench.runners import SimulatedRunner
from hpobench.samplers import (
    OptunaCmaEsSampler,
    OptunaGPSampler,
    SMACHyperband,
    SMACSampler,
    SyneTuneASHA,
    SyneTuneBOHB,
    SyneTuneHyperband,
    TPESampler,
)
from hpobench.trial import TrialState

NEEDS = {
    SMACSampler: "smac",
    SMACHyperband: "smac",
    SyneTuneASHA: "syne_tune",
    SyneTuneBOHB: "syne_tune",
    SyneTuneHyperband: "syne_tune",
    OptunaCmaEsSampler: "cmaes",
    OptunaGPSampler: "torch",
}
SCHEDULERS = [SMACHyperband, SyneTuneASHA, SyneTuneBOHB, SyneTuneHyperband]
SLOW = {SMACSampler, OptunaGPSampler}  # SMAC's random forest and Optuna's GP: about a second per trial


def _skip_missing(cls) -> None:
    for module in {NEEDS[cls], "optuna"} if "Optuna" in cls.__name__ else {NEEDS[cls]}:
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} not installed")


def _make(cls, seed: int, max_step: int = 1):
    return cls(seed=seed, max_step=max_step) if cls in SCHEDULERS else cls(seed=seed)


def _param(cls):
    return pytest.param(cls, id=cls.__name__, marks=[pytest.mark.slow] if cls in SLOW else [])


@pytest.mark.parametrize("cls", [_param(c) for c in NEEDS])
def test_peer_runs_20_trials_on_branin(cls):
    _skip_missing(cls)
    problem = get_problem("branin")
    study = hpobench.create_study(sampler=_make(cls, seed=3), direction=problem.direction)
    study.optimize(problem.objective, n_trials=20)
    trials = study.get_trials(states=(TrialState.COMPLETE,))
    assert len(trials) == 20
    assert len({(t.params["x0"], t.params["x1"]) for t in trials}) >= 15  # it searches, it does not repeat
    assert study.best_value < 10.0  # the minimum is 0.398; 20 random points reach ~2 on average


def _simulate(cls, n_workers: int, seed: int = 0, n_trials: int = 40):
    problem = get_problem("recorded/mlp_digits")
    scheduler = cls(seed=seed, max_step=problem.max_step)
    study = hpobench.create_study(sampler=scheduler, direction=problem.direction)
    SimulatedRunner(n_workers=n_workers).run(study, problem, n_trials=n_trials)
    return study, problem


@pytest.mark.parametrize("n_workers", [1, 4])
@pytest.mark.parametrize("cls", SCHEDULERS, ids=lambda c: c.__name__)
def test_scheduler_stops_trials_before_the_last_step_under_simulation(cls, n_workers):
    _skip_missing(cls)
    study, problem = _simulate(cls, n_workers)
    assert study.pruner is study.sampler  # one object samples and prunes
    trials = study.get_trials()
    assert len(trials) == 40 and all(t.state in (TrialState.COMPLETE, TrialState.PRUNED) for t in trials)
    pruned = [t for t in trials if t.state == TrialState.PRUNED]
    assert pruned and all(max(t.intermediate_values) < problem.max_step for t in pruned)
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    assert complete and all(max(t.intermediate_values) == problem.max_step for t in complete)
    if n_workers == 4:  # trials overlapped in simulated time
        assert len({t.system_attrs["sim_worker"] for t in trials}) == 4


def test_smac_hyperband_stops_each_trial_at_the_budget_smac_chose():
    _skip_missing(SMACHyperband)
    study, problem = _simulate(SMACHyperband, n_workers=4)
    for trial in study.get_trials()[1:]:  # trial 0 fixes the space and runs to max_step
        assert max(trial.intermediate_values) == trial.system_attrs["smac:budget"]
    assert {t.system_attrs["smac:budget"] for t in study.get_trials()[1:]} >= {1, 3}


def _signature(study) -> list:
    return [
        (t.number, t.state.name, sorted(t.params.items()), max(t.intermediate_values, default=None))
        for t in study.get_trials()
    ]


@pytest.mark.parametrize("cls", SCHEDULERS, ids=lambda c: c.__name__)
def test_scheduler_seed_reproduces_its_trials_with_4_simulated_workers(cls):
    _skip_missing(cls)
    first, _ = _simulate(cls, n_workers=4, seed=5, n_trials=25)
    np.random.seed(123)  # the caller's global NumPy state must not matter (ASHA draws brackets from it)
    again, _ = _simulate(cls, n_workers=4, seed=5, n_trials=25)
    other, _ = _simulate(cls, n_workers=4, seed=6, n_trials=25)
    assert _signature(first) == _signature(again)
    assert _signature(first) != _signature(other)


@pytest.mark.parametrize("cls", [_param(c) for c in (SMACSampler, OptunaCmaEsSampler, OptunaGPSampler)])
def test_black_box_peer_seed_reproduces_its_trials(cls):
    _skip_missing(cls)
    problem = get_problem("branin")

    def run(seed):
        study = hpobench.create_study(sampler=_make(cls, seed), direction=problem.direction)
        study.optimize(problem.objective, n_trials=12)
        return [sorted(t.params.items()) for t in study.get_trials()]

    assert run(1) == run(1) != run(2)


def test_smac_writes_its_run_folder_outside_the_working_directory(tmp_path, monkeypatch):
    _skip_missing(SMACSampler)
    monkeypatch.chdir(tmp_path)
    problem = get_problem("branin")
    sampler = SMACSampler(seed=0, n_trials=5)
    study = hpobench.create_study(sampler=sampler, direction=problem.direction)
    study.optimize(problem.objective, n_trials=3)
    assert list(tmp_path.iterdir()) == []  # no smac3_output/ here
    folder = Path(sampler.output_directory)
    assert any(folder.iterdir())
    del sampler, study
    import gc

    gc.collect()
    assert not folder.exists()  # the temporary directory goes with the sampler


def test_scheduler_refuses_another_pruner_and_sampler_pruner_needs_a_scheduler():
    _skip_missing(SyneTuneASHA)
    scheduler = SyneTuneASHA(seed=0, max_step=5)
    assert hpobench.create_study(sampler=scheduler).pruner is scheduler
    assert isinstance(hpobench.create_study(sampler=scheduler, pruner=SamplerPruner()).pruner, SamplerPruner)
    with pytest.raises(ValueError, match="SyneTuneASHA prunes its own trials; drop pruner MedianPruner"):
        hpobench.create_study(sampler=scheduler, pruner=MedianPruner())
    with pytest.raises(ValueError, match="TPESampler does not prune"):
        hpobench.create_study(sampler=TPESampler(seed=0), pruner=SamplerPruner())


@pytest.mark.parametrize("cls", list(NEEDS), ids=lambda c: c.__name__)
def test_missing_library_names_the_extra(monkeypatch, cls):
    monkeypatch.setitem(sys.modules, NEEDS[cls], None)  # makes `import module` raise ImportError
    with pytest.raises(
        ImportError,
        match=rf"{cls.__name__} needs the '{NEEDS[cls]}' package: "
        r"pip install 'hpobench\[baselines\]'",
    ):
        _make(cls, seed=0, max_step=5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"max_step": 0}, "max_step must be >= 1, got 0"),
        ({"max_step": 9, "min_budget": 10}, r"min_budget must lie in \[1, 9\], got 10"),
    ],
)
def test_scheduler_bad_arguments(kwargs, match):
    _skip_missing(SMACHyperband)
    with pytest.raises(ValueError, match=match):
        SMACHyperband(seed=0, **kwargs)


def _compose(*overrides: str):
    from hydra import compose, initialize_config_dir

    from hpobench.cli._app import CONF_DIR

    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        return compose("config", overrides=["tracking.enabled=false", "progress_bar=false", *overrides])


def test_cli_scheduler_prunes_with_no_pruner_override(tmp_path):
    _skip_missing(SyneTuneASHA)
    from hpobench.cli import run_study

    storage = f"sqlite:///{tmp_path / 'cli.db'}"
    cfg = _compose(
        "sampler=synetune_asha", "problem=recorded_mlp_digits", "runner=simulated", "n_trials=20", f"storage={storage}"
    )
    assert cfg.pruner._target_ == "hpobench.pruners.SamplerPruner"  # selected by the sampler's own defaults list
    run_study(cfg)
    (name,) = hpobench.get_all_study_names(storage)
    trials = hpobench.load_study(study_name=name, storage=storage, sampler=None).get_trials()
    assert len(trials) == 20 and any(t.state == TrialState.PRUNED for t in trials)


def test_cli_conflicting_pruner_is_a_one_line_error(capsys):
    _skip_missing(SyneTuneASHA)
    from hpobench.cli import run_study

    cfg = _compose(
        "sampler=synetune_asha",
        "pruner=median",
        "problem=recorded_mlp_digits",
        "runner=simulated",
        "n_trials=2",
        "storage=null",
    )
    with pytest.raises(SystemExit) as exit_info:
        run_study(cfg)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("hpobench: error: pruner=MedianPruner: sampler SyneTuneASHA prunes its own trials")


# Every peer's group file, run from the CLI entry point (what `python -m hpobench sampler=...` calls).
# Black-box peers run on branin; schedulers and Optuna's pruners on a recorded task under simulation.
CLI_PEERS = {
    "optuna_tpe": ("optuna",),
    "optuna_cmaes": ("optuna", "cmaes"),
    "optuna_gp": ("optuna", "torch"),
    "hyperopt_tpe": ("hyperopt",),
    "smac": ("smac",),
    "smac_hyperband": ("smac",),
    "synetune_asha": ("syne_tune",),
    "synetune_bohb": ("syne_tune",),
    "synetune_hyperband": ("syne_tune",),
}


def _run_cli(tmp_path, *overrides: str) -> list:
    from hpobench.cli import run_study

    storage = f"sqlite:///{tmp_path / 'cli.db'}"
    run_study(_compose(*overrides, f"storage={storage}"))
    (name,) = hpobench.get_all_study_names(storage)
    return hpobench.load_study(study_name=name, storage=storage, sampler=None).get_trials()


@pytest.mark.parametrize("sampler", sorted(CLI_PEERS))
def test_cli_runs_every_peer(tmp_path, sampler):
    for module in CLI_PEERS[sampler]:
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} not installed")
    scheduler = sampler.startswith(("smac_", "synetune_"))
    problem = ["problem=recorded_mlp_digits", "runner=simulated"] if scheduler else ["problem=branin"]
    trials = _run_cli(tmp_path, f"sampler={sampler}", *problem, "n_trials=6", "seed=3")
    assert len(trials) == 6
    assert all(t.state in (TrialState.COMPLETE, TrialState.PRUNED) for t in trials)
    assert len({tuple(sorted(t.params.items())) for t in trials}) > 1  # the peer chose, not a constant


@pytest.mark.parametrize("pruner", ["optuna_sha", "optuna_hyperband", "optuna_median"])
def test_cli_runs_optunas_pruners(tmp_path, pruner):
    if importlib.util.find_spec("optuna") is None:
        pytest.skip("optuna not installed")
    trials = _run_cli(
        tmp_path, "sampler=random", f"pruner={pruner}", "problem=recorded_mlp_digits", "runner=simulated", "n_trials=30"
    )
    assert len(trials) == 30 and any(t.state == TrialState.PRUNED for t in trials)


@pytest.mark.slow
def test_smac_on_a_space_it_exhausts_goes_on_uniformly_and_keeps_its_seed():
    _skip_missing(SMACSampler)

    def run():
        study = hpobench.create_study(sampler=SMACSampler(seed=5, n_trials=20))
        study.optimize(lambda t: (t.suggest_int("k", 0, 2) - 1) ** 2 + t.suggest_int("j", 0, 1), n_trials=20)
        return [t.params for t in study.trials]

    first = run()
    assert len(first) == 20  # 6 configurations: SMAC runs out of new ones, the study does not stop
    assert {(p["k"], p["j"]) for p in first} == {(k, j) for k in range(3) for j in range(2)}
    assert run() == first
