"""Re-derive the optimum of every evalset suite case (run: python -m hpobench.problems.synthetic.refine_optima).

For each (function, dim, int_dims) of evalset56.csv, candidates are:
1. the published evalset minimiser (integer coordinates rounded), polished;
2. when the integer coordinates take at most 500 combinations, every
   combination, with the continuous coordinates polished from the published point;
3. differential evolution (scipy, integrality for integer dims), three seeds.
"Polished" = Nelder-Mead then L-BFGS-B on the continuous coordinates, in bounds.
The best candidate is printed next to the published value; ``--write``
regenerates problems/synthetic/_evalset_optima.py, which evalset.py loads.
Takes a few minutes on one core.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import Bounds, differential_evolution, minimize

from .evalset import CASES, EvalsetFunction

OUTPUT = Path(__file__).with_name("_evalset_optima.py")


def _polish(problem: EvalsetFunction, x0: np.ndarray) -> tuple[np.ndarray, float]:
    free = [i for i in range(problem.dim) if i not in problem.int_dims]
    best_x, best_f = x0.copy(), float(problem.evaluate(x0))
    if not free:
        return best_x, best_f
    bounds = problem.bounds[free]

    def sub(z: np.ndarray) -> float:
        x = best_x.copy()
        x[free] = np.clip(z, bounds[:, 0], bounds[:, 1])
        return float(problem.evaluate(x))

    box = Bounds(bounds[:, 0], bounds[:, 1])
    for method in ("Nelder-Mead", "L-BFGS-B", "Nelder-Mead"):
        if method == "Nelder-Mead":
            result = minimize(
                sub,
                best_x[free],
                method="Nelder-Mead",
                bounds=box,
                options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 20000},
            )
        else:
            result = minimize(sub, best_x[free], method="L-BFGS-B", bounds=box, options={"ftol": 1e-15})
        if result.fun < best_f:
            best_x[free] = np.clip(result.x, bounds[:, 0], bounds[:, 1])
            best_f = float(problem.evaluate(best_x))
    return _snap_to_bounds(problem, best_x, best_f)


def _columns_of(problem: EvalsetFunction) -> Callable[[np.ndarray], Any]:
    """differential_evolution's vectorized call: one point per column of z."""
    return lambda z: problem.evaluate(z.T)


def _snap_to_bounds(problem: EvalsetFunction, x: np.ndarray, value: float) -> tuple[np.ndarray, float]:
    """Put coordinates within 1e-6 of a bound onto it when that is no worse (optima on the box edge)."""
    low, high = problem.bounds[:, 0], problem.bounds[:, 1]
    snapped = np.where(np.abs(x - low) < 1e-6, low, np.where(np.abs(x - high) < 1e-6, high, x))
    snapped_value = float(problem.evaluate(snapped))
    return (snapped, snapped_value) if snapped_value <= value else (x, value)


def _integer_grid(problem: EvalsetFunction) -> list[tuple[int, ...]]:
    ranges = [range(int(np.ceil(lo)), int(np.floor(hi)) + 1) for lo, hi in problem.bounds[list(problem.int_dims)]]
    if np.prod([len(r) for r in ranges]) > 500:
        return []
    return list(itertools.product(*ranges))


def refine(problem: EvalsetFunction, seeds: tuple[int, ...] = (0, 1, 2)) -> tuple[np.ndarray, float, str]:
    """Best minimiser found, its value, and which search found it."""
    start = np.array(problem.spec.min_loc(problem.dim), dtype=float)
    start = np.clip(start, problem.bounds[:, 0], problem.bounds[:, 1])
    idx = list(problem.int_dims)
    start[idx] = np.clip(np.round(start[idx]), np.ceil(problem.bounds[idx, 0]), np.floor(problem.bounds[idx, 1]))
    candidates = [(*_polish(problem, start), "published")]
    for combo in _integer_grid(problem):
        x = start.copy()
        x[idx] = combo
        candidates.append((*_polish(problem, x), "grid"))
    integrality = np.isin(np.arange(problem.dim), idx)
    for seed in seeds:
        result = differential_evolution(
            _columns_of(problem), Bounds(problem.bounds[:, 0], problem.bounds[:, 1]),
            integrality=integrality, seed=seed,
            popsize=20, maxiter=600, tol=1e-12, polish=False, vectorized=True, updating="deferred",
        )  # fmt: skip
        candidates.append((*_polish(problem, result.x), f"de{seed}"))
    return min(candidates, key=lambda c: c[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"regenerate {OUTPUT.name}")
    args = parser.parse_args()
    seen, lines = set(), []
    for case in CASES:
        key = (case.function, case.dim, case.int_dims)
        if key in seen:
            continue
        seen.add(key)
        problem = EvalsetFunction(function=case.function, dim=case.dim, int_dims=case.int_dims)
        x, value, origin = refine(problem)
        published = problem.spec.fmin(problem.dim)
        print(f"{case.function:26s} d={case.dim:2d} int={case.int_dims!s:16s} published={published:+.10f} "
              f"found={value:+.12f} diff={value - published:+.2e} by={origin}", flush=True)  # fmt: skip
        value = float(problem.evaluate(x))  # the stored point's own value, exactly
        point = ", ".join(repr(float(v)) for v in x)
        lines.append(f"    ({case.function!r}, {case.dim}, {case.int_dims!r}): (({point},), {value!r}),")
    if args.write:
        header = (
            '"""Optima of the evalset suite cases: (function, dim, int_dims) -> (minimiser, minimum).\n\n'
            'Generated by python -m hpobench.problems.synthetic.refine_optima --write; do not edit.\n"""\n\n'
        )
        annotation = "dict[tuple[str, int, tuple[int, ...]], tuple[tuple[float, ...], float]]"
        OUTPUT.write_text(header + f"OPTIMA: {annotation} = {{\n" + "\n".join(lines) + "\n}\n")


if __name__ == "__main__":
    main()
