"""Replaying a recorded table: curve lookups and whole ask/configure/curve/tell loops.

For each recorded task (problems/recorded/tabular.py), every recorded
configuration is enqueued and replayed once, in memory:

- build:   load the .npz and build the normalized matrix (once per process);
- lookup:  curve(config) for every row, first pass (nearest-neighbour search)
           and second pass (cached);
- loop:    ask + configure + curve + tell per trial, with hpobench and, side
           by side, with Optuna's in-memory study on the same configure()
           (configure only calls trial.suggest_*, so it runs on both), as a ratio.

    .venv/bin/python benchmarks/recorded_replay.py
    .venv/bin/python benchmarks/recorded_replay.py --tasks mlp_digits --rows 300
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Callable
from typing import Any

import hpobench
from hpobench.problems.recorded import RECORDED_TASKS, TabularProblem, clear_index_cache
from hpobench.pruners import NopPruner
from hpobench.samplers import RandomSampler


def _loop(problem: TabularProblem, rows: int, study: Any) -> float:
    for row in range(rows):
        study.enqueue_trial(problem.table.config(row))
    start = time.perf_counter()
    for _ in range(rows):
        trial = study.ask()
        values, _ = problem.curve(problem.configure(trial))
        study.tell(trial, float(values[-1]))
    return time.perf_counter() - start


def _timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench(task: str, rows: int) -> dict[str, float]:
    clear_index_cache()
    build = _timed(lambda: TabularProblem(task=task, seed=0))
    problem = TabularProblem(task=task, seed=0)
    rows = min(rows, len(problem.table))
    configs = [problem.table.config(r) for r in range(rows)]
    first = _timed(lambda: [problem.curve(c) for c in configs])
    cached = _timed(lambda: [problem.curve(c) for c in configs])
    ours = _loop(
        TabularProblem(task=task, seed=0),
        rows,
        hpobench.create_study(sampler=RandomSampler(seed=0), pruner=NopPruner()),
    )
    result = {
        "rows": rows,
        "build_s": build,
        "lookup_ms_per_1000": 1e6 * first / rows,
        "cached_ms_per_1000": 1e6 * cached / rows,
        "loop_s_per_1000": 1e3 * ours / rows,
    }
    try:
        import optuna
    except ImportError:
        return result
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    theirs = _loop(
        TabularProblem(task=task, seed=0), rows, optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=0))
    )
    result.update(optuna_loop_s_per_1000=1e3 * theirs / rows, optuna_over_ours=theirs / ours)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", nargs="+", default=list(RECORDED_TASKS))
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    logging.getLogger("optuna").setLevel(logging.WARNING)
    print(
        f"{'task':<20}{'rows':>6}{'build s':>9}{'lookup ms/1000':>16}{'cached ms/1000':>16}"
        f"{'loop s/1000':>13}{'optuna loop s/1000':>20}{'optuna/ours':>13}"
    )
    for task in args.tasks:
        r = bench(task, args.rows)
        print(
            f"{task:<20}{r['rows']:>6}{r['build_s']:>9.3f}{r['lookup_ms_per_1000']:>16.1f}"
            f"{r['cached_ms_per_1000']:>16.1f}{r['loop_s_per_1000']:>13.2f}"
            f"{r.get('optuna_loop_s_per_1000', float('nan')):>20.2f}{r.get('optuna_over_ours', float('nan')):>13.2f}"
        )


if __name__ == "__main__":
    main()
