"""YAHPO Gym surrogates: model-call cost, whole-curve cost, and simulated LCBench studies beside Optuna.

Three tables:

1. ``Surrogate.predict`` per configuration, one configuration per call and
   1,000 per call, for each scenario (plus the bare onnxruntime call on one
   encoded row, to show what the checks and the DataFrame cost);
2. a whole curve per ``YahpoProblem.curve`` call (52 epochs for LCBench, 20
   trainsize steps for rbv2_xgboost and iaml_glmnet): one batched model call;
3. how step costs come out of the runtime target, per scenario over all
   its instances (``--curves`` random configurations each): the share of
   curves whose predicted cumulative runtime ever decreases, the share of
   steps that therefore cost 0 s, and the seconds of a whole curve;
4. TPE + ASHA for ``--trials`` trials on lcbench/3945 with ``SimulatedRunner``
   at 1 and 32 virtual workers (in-memory study), beside Optuna's TPESampler +
   SuccessiveHalvingPruner driven by the same event loop
   (benchmarks/simulated_runner.py's ``run_optuna``), ratio = Optuna / hpobench.

    .venv/bin/python benchmarks/yahpo.py                           # 2,000 trials, 1 and 32 workers
    .venv/bin/python benchmarks/yahpo.py --trials 300 --workers 32

Times are medians over repeats; "cpu" columns are this process's CPU time,
which a busy shared machine inflates less than wall time.
"""

from __future__ import annotations

import argparse
import functools
import logging
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from simulated_runner import run_hpobench, run_optuna  # benchmarks/simulated_runner.py, beside this script

from hpobench.problems import get_problem
from hpobench.problems.yahpo import SCENARIOS, Surrogate, YahpoProblem
from hpobench.problems.yahpo.problem import step_costs
from hpobench.trial import TrialState

PROBLEMS = {"lcbench": "lcbench/3945", "rbv2_xgboost": "rbv2_xgboost/1040", "iaml_glmnet": "iaml_glmnet/40981"}


def timed(call: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds) of call() over repeats, after one warm-up call."""
    call()
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def random_configs(problem: YahpoProblem, n: int, seed: int) -> list[dict[str, Any]]:
    """n configurations of problem's space (instance and fidelities filled in), from a seeded random sampler."""
    import hpobench
    from hpobench.samplers import RandomSampler

    study = hpobench.create_study(sampler=RandomSampler(seed=seed))
    surrogate = problem.surrogate
    full = {
        surrogate.instance_param: problem.task_id,
        surrogate.fidelity.name: surrogate.fidelity.high,
        **surrogate.fixed_fidelities,
    }
    return [{**problem.configure(study.ask()), **full} for _ in range(n)]


def predict_table(repeats: int, seed: int) -> None:
    print("\nSurrogate.predict, microseconds per configuration (median of repeats)")
    print(f"{'scenario':<14} {'1/call':>9} {'1/call cpu':>10} {'1000/call':>10} {'raw model 1 row':>16}")
    for scenario in SCENARIOS:
        problem = get_problem(PROBLEMS[scenario])
        surrogate: Surrogate = problem.surrogate
        configs = random_configs(problem, 1000, seed)
        single = timed(functools.partial(surrogate.predict, configs[:1]), repeats)
        batch, _ = timed(functools.partial(surrogate.predict, configs), max(3, repeats // 100))
        encoded = surrogate.encode(configs[:1])
        raw, _ = timed(functools.partial(surrogate.run, *encoded), repeats)
        print(
            f"{scenario:<14} {single[0] * 1e6:9.0f} {single[1] * 1e6:10.0f} {batch / 1000 * 1e6:10.1f} "
            f"{raw * 1e6:16.0f}"
        )


def curve_table(repeats: int, seed: int) -> None:
    print("\nYahpoProblem.curve, one whole curve per call (one batched model call), milliseconds (median)")
    print(f"{'problem':<20} {'steps':>5} {'wall ms':>8} {'cpu ms':>7}")
    for scenario in SCENARIOS:
        problem = get_problem(PROBLEMS[scenario])
        names = set(problem.surrogate.space)
        configs = [{k: v for k, v in c.items() if k in names} for c in random_configs(problem, repeats, seed)]
        cursor = iter(configs * 2)
        wall, cpu = timed(lambda problem=problem, cursor=cursor: problem.curve(next(cursor)), repeats)
        print(f"{problem.name:<20} {problem.max_step:5d} {wall * 1e3:8.3f} {cpu * 1e3:7.3f}")


def cost_table(curves_per_instance: int, seed: int) -> None:
    print(f"\nStep costs from the runtime target, {curves_per_instance} random configurations per instance")
    print(
        f"{'scenario':<14} {'instances':>9} {'runtime decreases':>17} {'0 s steps':>9} "
        f"{'curve s median':>14} {'p10':>7} {'p90':>8}"
    )
    for scenario in SCENARIOS:
        decreasing, zero_steps, totals = [], [], []
        for task_id in Surrogate(scenario).instances:
            problem = get_problem(f"{scenario}/{task_id}")
            names = set(problem.surrogate.space)
            runtime = problem.surrogate.targets.index(problem.surrogate.runtime_target)
            for config in random_configs(problem, curves_per_instance, seed):
                cumulative = problem.predict_steps({k: v for k, v in config.items() if k in names})[:, runtime]
                seconds = step_costs(cumulative.astype(np.float64))
                decreasing.append(bool(np.any(np.diff(cumulative) < 0)))
                zero_steps.append(float(np.mean(seconds == 0)))
                totals.append(float(seconds.sum()))
        p10, median, p90 = np.percentile(totals, [10, 50, 90])
        print(
            f"{scenario:<14} {len(Surrogate(scenario).instances):9d} {np.mean(decreasing):17.1%} "
            f"{np.mean(zero_steps):9.1%} {median:14.1f} {p10:7.1f} {p90:8.1f}"
        )


def study_table(trials: int, worker_counts: list[int], seed: int) -> None:
    problem = get_problem("lcbench/3945")
    print(
        f"\nTPE + ASHA, {trials} trials on lcbench/3945, in-memory study, seed {seed}, beside Optuna's TPE + "
        "SuccessiveHalvingPruner on the same event loop (ratio = Optuna / hpobench)"
    )
    print(
        f"{'workers':>7} {'events':>7} {'pruned':>7} {'best error':>10} {'hpobench s':>10} {'cpu s':>7} "
        f"{'optuna s':>9} {'cpu s':>7} {'ratio':>6} {'cpu ratio':>9}"
    )
    for workers in worker_counts:
        wall, cpu, events, signature = run_hpobench(problem, "tpe/asha", trials, workers, seed)
        pruned = sum(state == TrialState.PRUNED for _, state, *_ in signature)
        best = min(values[0] for _, state, _, values, *_ in signature if state == TrialState.COMPLETE)
        their_cpu = time.process_time()
        theirs, _ = run_optuna(problem, "tpe/asha", trials, workers, seed)
        their_cpu = time.process_time() - their_cpu
        print(
            f"{workers:7d} {events:7d} {pruned:7d} {best:10.4f} {wall:10.2f} {cpu:7.2f} {theirs:9.2f} "
            f"{their_cpu:7.2f} {theirs / wall:6.1f} {their_cpu / cpu:9.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=2000, help="trials of each simulated study (both libraries)")
    parser.add_argument("--workers", default="1,32", help="comma-separated virtual worker counts")
    parser.add_argument("--repeats", type=int, default=300, help="calls timed per measurement")
    parser.add_argument(
        "--curves", type=int, default=50, help="random configurations per instance for the step-cost table"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.getLogger("hpobench").setLevel(logging.ERROR)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    predict_table(args.repeats, args.seed)
    curve_table(args.repeats, args.seed)
    cost_table(args.curves, args.seed)
    study_table(args.trials, [int(w) for w in args.workers.split(",")], args.seed)


if __name__ == "__main__":
    main()
