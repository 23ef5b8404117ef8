"""Every synthetic function at its declared optimum, and nowhere below it."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import minimize

from hpobench.problems.synthetic import CLASSICS, EvalsetFunction, evalset56
from hpobench.problems.synthetic.classic import Ackley, Michalewicz, Rosenbrock, Shekel

CLASSIC_INSTANCES = [cls() for cls in CLASSICS.values()] + [
    Rosenbrock(dim=2),
    Rosenbrock(dim=10),
    CLASSICS["levy"](dim=3),
    Ackley(dim=6),
    CLASSICS["griewank"](dim=5),
    CLASSICS["rastrigin"](dim=6),
    CLASSICS["styblinski_tang"](dim=5),
    Michalewicz(dim=5),
    Michalewicz(dim=10),
    Shekel(m=5),
    Shekel(m=7),
]
ALL = CLASSIC_INSTANCES + evalset56()
IDS = [f"{p.name}-d{p.dim}" + (f"-m{p.m}" if isinstance(p, Shekel) else "") for p in ALL]


def _tolerance(problem) -> float:
    return 1e-8 * max(1.0, abs(problem.optimal_value))


def _uniform(problem, n: int, rng: np.random.Generator) -> np.ndarray:
    low, high = problem.bounds[:, 0], problem.bounds[:, 1]
    return low + (high - low) * rng.random((n, problem.dim))


@pytest.mark.parametrize("problem", ALL, ids=IDS)
def test_declared_optimizers_reach_the_optimal_value(problem) -> None:
    assert problem.optimal_value is not None and problem.optimizers
    assert problem.bounds.shape == (problem.dim, 2)
    for point in problem.optimizers:
        point = np.asarray(point, dtype=float)
        assert point.shape == (problem.dim,)
        assert np.all(point >= problem.bounds[:, 0]) and np.all(point <= problem.bounds[:, 1])
        assert np.all(point[list(problem.int_dims)] == np.round(point[list(problem.int_dims)]))
        assert problem.evaluate(point) == pytest.approx(problem.optimal_value, abs=_tolerance(problem))


@pytest.mark.parametrize("problem", ALL, ids=IDS)
def test_nothing_found_below_the_optimum(problem) -> None:
    """Random points, then a local search from the best of them, stay >= the optimum."""
    rng = np.random.default_rng(0)
    x = _uniform(problem, 400, rng)
    values = np.asarray(problem.evaluate(x))
    assert values.shape == (400,), "evaluate must work on a batch of points"
    assert np.all(values[~np.isnan(values)] >= problem.optimal_value - _tolerance(problem))
    for start in x[np.argsort(values)[:3]]:
        result = minimize(lambda z: float(problem.evaluate(z)), start, method="L-BFGS-B", bounds=problem.bounds)
        assert result.fun >= problem.optimal_value - _tolerance(problem)


@pytest.mark.parametrize("problem", ALL[:: len(ALL) // 12], ids=IDS[:: len(ALL) // 12])
def test_batch_and_single_evaluations_agree(problem) -> None:
    x = _uniform(problem, 5, np.random.default_rng(1))
    batch = problem.evaluate(x)
    assert np.allclose(batch, [problem.evaluate(row) for row in x], equal_nan=True)


def test_noise_is_seeded_and_centred_on_the_exact_value() -> None:
    exact = CLASSICS["branin"]()
    noisy_a = CLASSICS["branin"](noise_std=0.5, seed=3)
    noisy_b = CLASSICS["branin"](noise_std=0.5, seed=3)
    x = np.array([1.0, 2.0])
    draws_a = np.array([noisy_a(x) for _ in range(400)])
    draws_b = np.array([noisy_b(x) for _ in range(400)])
    assert np.array_equal(draws_a, draws_b)
    assert draws_a.std() == pytest.approx(0.5, rel=0.15)
    assert draws_a.mean() == pytest.approx(exact(x), abs=0.1)
    assert exact(x) == exact(x)


def test_suite_matches_the_shared_csv_in_order() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "evalset56.csv"
    local = Path(__file__).resolve().parents[2] / "problems" / "synthetic" / "evalset56.csv"
    with open(shared if shared.exists() else local) as file:
        rows = list(csv.DictReader(file))
    suite = evalset56()
    assert len(suite) == len(rows) == 56
    assert len({p.name for p in suite}) == 56
    for problem, row in zip(suite, rows, strict=False):
        assert (problem.function, problem.dim) == (row["name"], int(row["dim"]))
        assert problem.int_dims == tuple(int(i) for i in row["int_dims"].split())
        assert problem.resolution == (float(row["resolution"]) if row["resolution"] else None)


def test_integer_dims_are_rounded_and_resolution_floors_the_output() -> None:
    plain = EvalsetFunction(function="Hartmann3", dim=3)
    integer = EvalsetFunction(function="Hartmann3", dim=3, int_dims=(0,))
    x = np.array([0.3, 0.5, 0.8])
    assert integer.evaluate(x) == plain.evaluate(np.array([0.0, 0.5, 0.8]))
    coarse = EvalsetFunction(function="Hartmann6", dim=6, resolution=10)
    y = np.full(6, 0.3)
    assert coarse.evaluate(y) == np.floor(10 * coarse.spec.formula(y)) / 10
    assert coarse.optimal_value == pytest.approx(-3.4)
    assert coarse.name == "evalset/hartmann6_6_res10"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"function": "Nope", "dim": 2}, "Nope"),
        ({"function": "Adjiman", "dim": 3}, "3"),
        ({"function": "Ackley", "dim": 0}, "0"),
        ({"function": "Ackley", "dim": 2, "int_dims": (5,)}, "5"),
        ({"function": "Ackley", "dim": 2, "resolution": -1.0}, "-1.0"),
    ],
)
def test_bad_evalset_arguments_raise(kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        EvalsetFunction(**kwargs)


@pytest.mark.parametrize(
    "factory, error, match",
    [  # hpobench.validation: the wrong type is a TypeError, a wrong value a ValueError
        (lambda: Rosenbrock(dim=1), ValueError, "1"),
        (lambda: Ackley(dim=0), ValueError, "0"),
        (lambda: Ackley(dim=2.5), TypeError, "2.5"),
        (lambda: Michalewicz(dim=13), ValueError, "13"),
        (lambda: Shekel(m=6), ValueError, "6"),
        (lambda: Ackley(noise_std=-1.0), ValueError, "-1.0"),
    ],
)
def test_bad_classic_arguments_raise(factory, error, match) -> None:
    with pytest.raises(error, match=match):
        factory()
