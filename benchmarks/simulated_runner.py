"""SimulatedRunner throughput: 2,000 trials x 32 virtual workers, and the same loop on Optuna.

For each (sampler, pruner) pair the script replays a recorded problem with
hpobench.runners.SimulatedRunner (in-memory study) and prints wall seconds,
trials/s and events/s (an event = a trial start or a reported step), then
runs the identical event loop driving an Optuna in-memory study (same
problem, Optuna's TPE/random sampler and ASHA/nop pruner) and prints the
ratio. It also reruns the first pair with the same seed and says whether the
trials (params, values, curves, virtual times) came out identical.

    .venv/bin/python benchmarks/simulated_runner.py                 # 2000 trials, 32 workers
    .venv/bin/python benchmarks/simulated_runner.py --trials 300 --optuna-trials 300 --pairs tpe/asha

The problem is recorded/mlp_digits when its table exists (problems/data);
otherwise a synthetic recorded problem of the same shape (4 parameters, 30
steps), said so in the output. --optuna-trials caps Optuna's run (its TPE is
slow on long studies); ratios always compare equal trial counts.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import logging
import time
from typing import Any

import numpy as np

import hpobench
from hpobench.problems.base import RecordedProblem
from hpobench.runners import SimulatedRunner

PAIRS = ("tpe/nop", "tpe/asha", "random/nop", "random/asha")


class SyntheticMLP(RecordedProblem):
    """Stand-in with the shape of recorded/mlp_digits: 4 parameters, 30 steps, cost growing with width."""

    name = "synthetic/mlp_like"
    direction = "minimize"
    max_step = 30

    def configure(self, trial: Any) -> dict[str, Any]:
        return {
            "learning_rate": trial.suggest_float("learning_rate", 1e-4, 1e-1, log=True),
            "hidden": trial.suggest_int("hidden", 16, 256, log=True),
            "alpha": trial.suggest_float("alpha", 1e-6, 1e-2, log=True),
            "batch_size": trial.suggest_categorical("batch_size", [32, 64, 128]),
        }

    def curve(self, config: dict[str, Any], seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng([self.seed or 0, seed or 0])
        k = np.arange(1, self.max_step + 1)
        final = (
            0.02
            + 0.3 * (np.log10(config["learning_rate"]) + 2.2) ** 2 / 4
            + 0.02 * np.log10(1e-2 / config["alpha"]) / 4
        )
        values = final + (0.9 - final) * np.exp(-k * config["learning_rate"] * 100 / config["batch_size"] * 8)
        step_times = 0.01 * config["hidden"] / config["batch_size"] * 32 * (1 + 0.1 * rng.random(self.max_step))
        return values + 0.005 * rng.random(self.max_step), step_times


def load_problem() -> tuple[RecordedProblem, str]:
    from hpobench.problems import get_problem

    try:
        return get_problem("recorded/mlp_digits", seed=0), "recorded/mlp_digits"
    except (ValueError, OSError) as err:
        return SyntheticMLP(seed=0), f"synthetic stand-in (recorded/mlp_digits unavailable: {err})"


def hpobench_study(sampler: str, pruner: str, seed: int, max_step: int) -> hpobench.Study:
    from hpobench import pruners, samplers

    sampler_obj = samplers.TPESampler(seed=seed) if sampler == "tpe" else samplers.RandomSampler(seed=seed)
    pruner_obj = pruners.SuccessiveHalvingPruner(max_resource=max_step) if pruner == "asha" else pruners.NopPruner()
    return hpobench.create_study(sampler=sampler_obj, pruner=pruner_obj)


def run_hpobench(
    problem: RecordedProblem, pair: str, n_trials: int, n_workers: int, seed: int
) -> tuple[float, float, int, list]:
    study = hpobench_study(*pair.split("/"), seed=seed, max_step=problem.max_step)
    start, cpu = time.perf_counter(), time.process_time()
    SimulatedRunner(n_workers=n_workers).run(study, problem, n_trials=n_trials)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    trials = study.get_trials(deepcopy=False)
    events = len(trials) + sum(len(t.intermediate_values) for t in trials)
    signature = [
        (
            t.number,
            t.state,
            t.params,
            t.values,
            t.intermediate_values,
            t.system_attrs["sim_start"],
            t.system_attrs["sim_end"],
        )
        for t in trials
    ]
    return wall, cpu, events, signature


def run_optuna(problem: RecordedProblem, pair: str, n_trials: int, n_workers: int, seed: int) -> tuple[float, int]:
    """The SimulatedRunner's event loop, written against Optuna's ask/tell API."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler, pruner = pair.split("/")
    study = optuna.create_study(
        sampler=optuna.samplers.TPESampler(seed=seed) if sampler == "tpe" else optuna.samplers.RandomSampler(seed=seed),
        pruner=optuna.pruners.SuccessiveHalvingPruner() if pruner == "asha" else optuna.pruners.NopPruner(),
    )
    heap: list = [(0.0, w, w, None) for w in range(n_workers)]
    seq, started, events = itertools.count(n_workers), 0, 0
    start = time.perf_counter()
    while heap:
        now, _, worker, run = heapq.heappop(heap)
        events += 1
        if run is None:
            if started == n_trials:
                events -= 1
                continue
            started += 1
            trial = study.ask()
            values, step_times = problem.curve(problem.configure(trial), seed=trial.number)
            run = [trial, values, (now + np.cumsum(step_times)).tolist(), 0]
            heapq.heappush(heap, (run[2][0], next(seq), worker, run))
            continue
        trial, values, ends, k = run
        trial.report(float(values[k]), k + 1)
        pruned = trial.should_prune()
        if pruned or k + 1 == len(values):
            study.tell(
                trial,
                None if pruned else float(values[k]),
                state=optuna.trial.TrialState.PRUNED if pruned else optuna.trial.TrialState.COMPLETE,
            )
            heapq.heappush(heap, (now, next(seq), worker, None))
        else:
            run[3] = k + 1
            heapq.heappush(heap, (ends[k + 1], next(seq), worker, run))
    return time.perf_counter() - start, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=32)
    parser.add_argument(
        "--optuna-trials", type=int, default=500, help="trials of the side-by-side runs (both libraries)"
    )
    parser.add_argument("--pairs", default=",".join(PAIRS), help=f"comma-separated sampler/pruner pairs from {PAIRS}")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.getLogger("hpobench").setLevel(logging.ERROR)
    logging.getLogger("optuna").setLevel(logging.ERROR)
    problem, label = load_problem()
    pairs = args.pairs.split(",")
    print(f"problem: {label}; {args.workers} virtual workers, seed {args.seed}")
    print(f"\nhpobench SimulatedRunner, {args.trials} trials (in-memory study)")
    print("(trials/s and events/s per wall second; cpu s = this process's CPU time, robust on a busy machine)")
    print(f"{'sampler/pruner':<14} {'wall s':>8} {'cpu s':>8} {'trials/s':>9} {'events':>8} {'events/s':>9}")
    for pair in pairs:
        wall, cpu, events, _ = run_hpobench(problem, pair, args.trials, args.workers, args.seed)
        print(f"{pair:<14} {wall:8.2f} {cpu:8.2f} {args.trials / wall:9.0f} {events:8d} {events / wall:9.0f}")
    *_, first = run_hpobench(problem, pairs[0], args.trials, args.workers, args.seed)
    *_, second = run_hpobench(problem, pairs[0], args.trials, args.workers, args.seed)
    print(
        f"\nsame seed twice ({pairs[0]}, {args.trials} trials): identical trials incl. virtual times: "
        f"{'yes' if first == second else 'NO'}"
    )
    n = args.optuna_trials
    print(f"\nside by side, same event loop, {n} trials: wall seconds (ratio = Optuna / hpobench)")
    print(f"{'sampler/pruner':<14} {'hpobench':>9} {'optuna':>9} {'ratio':>7}")
    for pair in pairs:
        ours, *_ = run_hpobench(problem, pair, n, args.workers, args.seed)
        theirs, _ = run_optuna(problem, pair, n, args.workers, args.seed)
        print(f"{pair:<14} {ours:9.2f} {theirs:9.2f} {theirs / ours:7.1f}")


if __name__ == "__main__":
    main()
