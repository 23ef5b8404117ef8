"""The 56 test cases of Dewancker et al. (2016) as registered problems.

Each row of evalset56.csv (beside this file; columns name, dim, int_dims,
resolution) is one case: an evalset function (problems/synthetic/
evalset_functions.py) in a dimension, optionally with integer dimensions and a
discretised output. Registered as

    evalset/<function>_<dim>[_int<i>-<j>...][_res<resolution>]

e.g. ``evalset/ackley_11``, ``evalset/ackley_3_res1``,
``evalset/pinter_2_int0-1``; ``evalset56()`` returns the 56 in csv order.

Semantics (as in the evalset and the paper):
- int_dims: those coordinates are integers. ``objective`` suggests them with
  ``suggest_int`` over the integers inside the box; ``evaluate`` rounds them
  (then clips to that integer range), so any caller sees the integer problem.
- resolution r: the evalset ``Discretizer``: ``f_r(x) = floor(r * f(x)) / r``,
  i.e. r levels per unit of output (r = 10 rounds down to multiples of 0.1).
  The optimum becomes floor(r * f*) / r at the same location.

Optima: ``OPTIMA`` holds, for every (function, dim, int_dims) of the suite, a
minimiser and its value re-derived numerically by ``python -m
hpobench.problems.synthetic.refine_optima`` (local polish from the published minimiser,
exhaustive enumeration of the integer coordinates where small, and
differential evolution as a global check). They agree with the published
evalset values except where noted in docs/problems.md (e.g. McCourt17, whose
published fmin has the wrong sign, and cases with integer dimensions, whose
optimum the evalset does not give).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hpobench.validation import check_int

from ..base import SyntheticFunction, register
from ._evalset_optima import OPTIMA
from .evalset_functions import EVALSET

CSV_PATH = Path(__file__).with_name("evalset56.csv")


@dataclass(frozen=True)
class EvalsetCase:
    """One row of the suite."""

    function: str
    dim: int
    int_dims: tuple[int, ...] = ()
    resolution: float | None = None

    @property
    def name(self) -> str:
        return case_name(self.function, self.dim, self.int_dims, self.resolution)


def snake(function: str) -> str:
    """'DeflectedCorrugatedSpring' -> 'deflected_corrugated_spring', 'McCourt01' -> 'mccourt01'."""
    if function.startswith("McCourt"):
        return function.lower()
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", function).lower()


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def case_name(function: str, dim: int, int_dims: tuple[int, ...] = (), resolution: float | None = None) -> str:
    """The registered name of a case (scheme in the module docstring)."""
    name = f"evalset/{snake(function)}_{dim}"
    if int_dims:
        name += "_int" + "-".join(str(i) for i in int_dims)
    if resolution is not None:
        name += f"_res{_format_number(resolution)}"
    return name


def read_cases(path: Path = CSV_PATH) -> list[EvalsetCase]:
    """The cases of a csv with columns name, dim, int_dims (space separated), resolution."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        EvalsetCase(
            function=row["name"],
            dim=int(row["dim"]),
            int_dims=tuple(int(i) for i in row["int_dims"].split()),
            resolution=float(row["resolution"]) if row["resolution"].strip() else None,
        )
        for row in rows
    ]


CASES: list[EvalsetCase] = read_cases()


class EvalsetFunction(SyntheticFunction):
    """An evalset function in a given dimension, with optional integer dims and output resolution.

    Args:
        function: evalset class name, e.g. "Ackley", "McCourt16".
        dim: dimension (some functions are defined for one dimension only).
        int_dims: indices of the integer-valued coordinates.
        resolution: levels per unit of output (evalset Discretizer), or None.
        noise_std: standard deviation of Gaussian observation noise.
        seed: seeds the noise generator.
    """

    def __init__(
        self,
        *,
        function: str,
        dim: int,
        int_dims: tuple[int, ...] | list[int] = (),
        resolution: float | None = None,
        noise_std: float = 0.0,
        seed: int | None = None,
    ) -> None:
        super().__init__(noise_std=noise_std, seed=seed)
        self.spec = _spec(function, dim)
        self.function, self.dim = function, int(dim)
        self.int_dims = _check_int_dims(int_dims, self.dim)
        if resolution is not None and not (np.isfinite(resolution) and resolution > 0):
            raise ValueError(f"resolution must be a positive number or None, got {resolution!r}.")
        self.resolution = None if resolution is None else float(resolution)
        self.name = case_name(function, self.dim, self.int_dims, self.resolution)
        self._bounds = np.array(self.spec.bounds(self.dim), dtype=float)
        self.optimizers, self.optimal_value = self._optimum()

    @property
    def bounds(self) -> np.ndarray:
        return self._bounds.copy()

    def evaluate(self, x: np.ndarray) -> float | np.ndarray:
        x = np.array(x, dtype=float)
        if self.int_dims:
            idx = list(self.int_dims)
            low, high = np.ceil(self._bounds[idx, 0]), np.floor(self._bounds[idx, 1])
            x[..., idx] = np.clip(np.round(x[..., idx]), low, high)
        return self._discretize(self.spec.formula(x))

    def _discretize(self, value: np.ndarray | float) -> np.ndarray | float:
        if self.resolution is None:
            return value
        return np.floor(self.resolution * value) / self.resolution

    def _optimum(self) -> tuple[list[tuple[float, ...]], float | None]:
        key = (self.function, self.dim, self.int_dims)
        if key in OPTIMA:
            point, value = OPTIMA[key]
        elif not self.int_dims:
            point, value = tuple(float(v) for v in self.spec.min_loc(self.dim)), float(self.spec.fmin(self.dim))
        else:  # integer variant outside the suite: optimum unknown
            return [], None
        return [point], float(self._discretize(np.float64(value)))


def _spec(function: str, dim: int):
    if function not in EVALSET:
        raise ValueError(f"Unknown evalset function {function!r}. Known: {', '.join(sorted(EVALSET))}.")
    spec = EVALSET[function]
    dim = check_int("dim", dim, minimum=1)
    if spec.dims is not None and dim not in spec.dims:
        raise ValueError(f"{function} is defined for dim in {spec.dims}, got {dim!r}.")
    return spec


def _check_int_dims(int_dims: tuple[int, ...] | list[int], dim: int) -> tuple[int, ...]:
    result = tuple(sorted({int(i) for i in int_dims}))
    if any(i < 0 or i >= dim for i in result):
        raise ValueError(f"int_dims must lie in [0, {dim - 1}], got {tuple(int_dims)!r}.")
    return result


def evalset56(*, noise_std: float = 0.0, seed: int | None = None) -> list[EvalsetFunction]:
    """The 56 problems of the suite, in the order of evalset56.csv."""
    return [_build(case, noise_std=noise_std, seed=seed) for case in CASES]


def _build(case: EvalsetCase, **kwargs: Any) -> EvalsetFunction:
    return EvalsetFunction(
        function=case.function, dim=case.dim, int_dims=case.int_dims, resolution=case.resolution, **kwargs
    )


for _case in CASES:
    register(_case.name)(functools.partial(_build, _case))
