"""The problem registry, and every synthetic/conditional problem under a real study."""

from __future__ import annotations

from pathlib import Path

import pytest
from hydra.utils import instantiate
from omegaconf import OmegaConf

import hpobench
from hpobench.problems import get_problem, list_problems
from hpobench.problems.conditional import ConditionalQuadratic, MixedBranin
from hpobench.problems.synthetic import CASES, CLASSICS
from hpobench.samplers import RandomSampler

MINE = sorted(CLASSICS) + [case.name for case in CASES] + ["mixed_branin", "conditional_quadratic"]


def test_every_name_is_listed() -> None:
    names = list_problems()
    assert set(MINE) <= set(names)
    assert names == sorted(names)
    assert len({case.name for case in CASES}) == 56


def test_unknown_name_raises_and_lists_the_available_ones() -> None:
    with pytest.raises(ValueError, match="'evalset/nope'") as info:
        get_problem("evalset/nope")
    assert "branin" in str(info.value) and "evalset/ackley_11" in str(info.value)


def test_keyword_arguments_reach_the_problem() -> None:
    assert get_problem("rosenbrock", dim=3).dim == 3
    assert get_problem("shekel", m=5).optimal_value == pytest.approx(-10.1532, abs=1e-4)
    noisy = get_problem("evalset/ackley_11", noise_std=0.1, seed=1)
    assert noisy.noise_std == 0.1 and noisy.name == "evalset/ackley_11"


@pytest.mark.parametrize("name", MINE)
def test_problem_runs_in_a_study(name: str) -> None:
    problem = get_problem(name, seed=0)
    study = hpobench.create_study(sampler=RandomSampler(seed=0), direction=problem.direction)
    study.optimize(problem.objective, n_trials=3)
    trials = study.get_trials(deepcopy=False, states=(hpobench.TrialState.COMPLETE,))
    assert len(trials) == 3
    assert all(t.value >= problem.optimal_value - 1e-8 * max(1.0, abs(problem.optimal_value)) for t in trials)
    for i in getattr(problem, "int_dims", ()):
        assert all(isinstance(t.params[f"x{i}"], int) for t in trials)


@pytest.mark.parametrize("cls", [MixedBranin, ConditionalQuadratic])
def test_conditional_optimum_is_reached_and_never_beaten(cls) -> None:
    problem = cls()
    assert problem.evaluate(problem.optimum_params) == pytest.approx(problem.optimal_value, abs=1e-12)
    study = hpobench.create_study(sampler=RandomSampler(seed=1))
    study.optimize(problem.objective, n_trials=300)
    values = [t.value for t in study.trials]
    assert min(values) >= problem.optimal_value
    # the optimum itself, replayed through a real trial, gives the optimal value
    study.enqueue_trial(problem.optimum_params)
    study.optimize(problem.objective, n_trials=1)
    assert study.trials[-1].value == pytest.approx(problem.optimal_value, abs=1e-12)


def test_branches_switch_parameters_on_and_off() -> None:
    problem = ConditionalQuadratic()
    study = hpobench.create_study(sampler=RandomSampler(seed=2))
    study.optimize(problem.objective, n_trials=200)
    for trial in study.trials:
        params = trial.params
        if params["model"] == "tree":
            assert set(params) == {"model", "depth", "min_leaf"}
        elif params["model"] == "linear":
            assert ("alpha" in params) == (params["penalty"] != "none")
        else:
            assert {f"units_{i}" for i in range(params["n_layers"])} <= set(params)
            assert f"units_{params['n_layers']}" not in params
            assert ("dropout" in params) == params["use_dropout"]
    assert {t.params["model"] for t in study.trials} == {"linear", "tree", "net"}


def test_mixed_branin_parameter_types() -> None:
    study = hpobench.create_study(sampler=RandomSampler(seed=3))
    study.optimize(MixedBranin().objective, n_trials=150)
    for trial in study.trials:
        params = trial.params
        if params["branch"] == "log_quadratic":
            assert isinstance(params["units"], int) and 1e-5 <= params["lr"] <= 1.0
        elif params["branch"] == "integer_grid":
            assert isinstance(params["n0"], int) and (params["scale"] * 4).is_integer()


def test_conditional_noise_is_seeded() -> None:
    def run(seed: int) -> list[float]:
        study = hpobench.create_study(sampler=RandomSampler(seed=0))
        study.optimize(MixedBranin(noise_std=0.1, seed=seed).objective, n_trials=5)
        return [t.value for t in study.trials]

    assert run(4) == run(4) != run(5)
    with pytest.raises(ValueError, match="-0.5"):
        MixedBranin(noise_std=-0.5)


CONF = Path(__file__).resolve().parents[2] / "conf" / "problem"
MY_CONFIGS = sorted(CLASSICS) + ["mixed_branin", "conditional_quadratic", "evalset"]


@pytest.mark.parametrize("config", MY_CONFIGS)
def test_config_instantiates_the_problem(config: str) -> None:
    cfg = OmegaConf.create({"seed": 3, "problem": OmegaConf.load(CONF / f"{config}.yaml")})
    problem = instantiate(cfg.problem)
    assert problem.seed == 3
    assert problem.name == ("evalset/ackley_11" if config == "evalset" else config)


def test_evalset_config_takes_any_case_name() -> None:
    cfg = OmegaConf.create({"seed": 0, "problem": OmegaConf.load(CONF / "evalset.yaml")})
    cfg.problem.name = "evalset/pinter_2_int0-1"
    cfg.problem["noise_std"] = 0.5  # what +problem.noise_std=0.5 does on the command line
    problem = instantiate(cfg.problem)
    assert (problem.name, problem.int_dims, problem.noise_std) == ("evalset/pinter_2_int0-1", (0, 1), 0.5)
