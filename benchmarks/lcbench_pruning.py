"""TPE + pruning on LCBench: does pruning reach TPE-nop's final regret sooner, and lose nowhere at the end?

Setting (issue 12, point 4): YAHPO Gym's LCBench surrogate (problems/yahpo),
one worker, hpobench.runners.SimulatedRunner, a budget of simulated seconds
equal to 100 full 52-epoch trainings per task. "A full training" is the
median 52-epoch time of 200 random configurations (RandomSampler seed 0),
so budget = 100 x that median; no trial starts after the budget.

Tasks: screening uses every 5th of the 34 shipped LCBench tasks in their
shipped order (``--every 5``: 7 tasks, a spread over the list, no choice by
result); ``--every 1`` runs all 34. ``--cached-only`` summarizes the tasks a
partial run finished (docs/samplers.md, "TPE with pruning", has the numbers).

Methods (``--methods``): TPESampler(seed) with ``nop``, or ASHA
(SuccessiveHalvingPruner, eta 4 unless named) at a min_resource, crossed
with TPESampler's ``pruned_ranking`` ('depth' = Optuna's rule, 'budget',
'bohb'; samplers/tpe.py). Names read ``<ranking>/<pruner>``, e.g.
``budget/asha-r4`` = pruned_ranking='budget' + ASHA min_resource=4.

Two accountings of "the best so far", each a separate table:
- ``complete``: best final (epoch-52) value of the trials COMPLETE by then;
- ``any``: best validation value seen at any epoch of any trial (at the
  trial's end time; a completed trial's best epoch may be earlier).
Regret is YAHPO's normalized regret (problems.yahpo: 0 = best, 1 = worst of
0.5M random evaluations).

Per method the table prints: the median over tasks of the speedup to TPE-nop's
final regret (target = the median over seeds of TPE-nop's regret at the full
budget; time to reach it = first time the median-over-seeds curve is at or
below it; speedup = nop's time / the method's time, 0 when never reached);
wins/losses against TPE-nop at the full budget (per-task two-sided
Mann-Whitney over seeds, alpha 0.05); the mean over tasks of the median over
seeds of the regret at 1/10, 1/3 and 1 of the budget.

Each (task, method, seed) study is cached as JSON under --cache, so reruns and
added seeds only compute what is new. ``--spearman`` prints, per epoch, the
Spearman correlation between the epoch's and the final validation error over
200 random configurations, median (and min, max) over the tasks.

    nice -n 10 .venv/bin/python benchmarks/lcbench_pruning.py --seeds 5 --jobs 3
    .venv/bin/python benchmarks/lcbench_pruning.py --spearman --every 1
"""

from __future__ import annotations

import argparse
import json
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

import hpobench
from hpobench.problems import get_problem
from hpobench.problems.yahpo import shipped_instances
from hpobench.runners import SimulatedRunner
from hpobench.trial import TrialState

FULL_TRAININGS = 100
FRACTIONS = (0.1, 1 / 3, 1.0)
DEFAULT_METHODS = "depth/nop,depth/asha,budget/asha,depth/asha-r4,budget/asha-r4"


def tasks(every: int) -> list[str]:
    return [f"lcbench/{t}" for t in shipped_instances("lcbench")[::every]]


def random_curves(problem: Any, n: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(values, step_times) of n random configurations of problem."""
    from hpobench.samplers import RandomSampler

    study = hpobench.create_study(sampler=RandomSampler(seed=seed))
    return [problem.curve(problem.configure(study.ask())) for _ in range(n)]


def budget_seconds(problem: Any, cache: Path) -> float:
    path = cache / "budgets.json"
    budgets = json.loads(path.read_text()) if path.exists() else {}
    if problem.name not in budgets:
        full = np.median([times.sum() for _, times in random_curves(problem, 200)])
        budgets[problem.name] = FULL_TRAININGS * float(full)
        path.write_text(json.dumps(budgets, indent=1))
    return budgets[problem.name]


def make_study(method: str, seed: int) -> hpobench.Study:
    from hpobench import pruners, samplers

    ranking, pruner = method.split("/")
    if pruner == "nop":
        pruner_obj = pruners.NopPruner()
    else:  # asha[-r<min_resource>][-e<eta>]
        options = {"r": "auto", "e": 4}
        for part in pruner.split("-")[1:]:
            options[part[0]] = int(part[1:])
        pruner_obj = pruners.SuccessiveHalvingPruner(min_resource=options["r"], reduction_factor=options["e"])
    return hpobench.create_study(sampler=samplers.TPESampler(seed=seed, pruned_ranking=ranking), pruner=pruner_obj)


def cache_path(task: str, method: str, seed: int, cache: Path) -> Path:
    return cache / task.replace("/", "_") / method.replace("/", "_") / f"{seed}.json"


def run_one(task: str, method: str, seed: int, cache: Path) -> dict[str, list[float]]:
    """The trace of one study: per finished trial, its end time, its final value (or None) and its best value."""
    path = cache_path(task, method, seed, cache)
    if path.exists():
        return json.loads(path.read_text())
    problem = get_problem(task)
    budget = budget_seconds(problem, cache)
    study = make_study(method, seed)
    SimulatedRunner(n_workers=1).run(study, problem, n_trials=1_000_000, timeout=budget)
    trials = sorted(study.get_trials(deepcopy=False), key=lambda t: t.system_attrs["sim_end"])
    trace = {
        "end": [t.system_attrs["sim_end"] for t in trials],
        "final": [t.value if t.state == TrialState.COMPLETE else None for t in trials],
        "best": [min(t.intermediate_values.values()) for t in trials],
        "budget": budget,
        "n_complete": sum(t.state == TrialState.COMPLETE for t in trials),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(trace))
    return trace


def regret_curve(trace: dict, problem: Any, grid: np.ndarray, accounting: str) -> np.ndarray:
    """Normalized regret of the best so far at each time of grid (1 before anything counts)."""
    values = trace["final"] if accounting == "complete" else trace["best"]
    ends, best, out = np.array(trace["end"]), np.inf, np.ones(len(grid))
    running = []
    for value in values:
        best = min(best, np.inf if value is None else value)
        running.append(best)
    running = np.array(running)
    index = np.searchsorted(ends, grid, side="right") - 1
    seen = index >= 0
    out[seen] = [problem.normalized_regret(v) if np.isfinite(v) else 1.0 for v in running[index[seen]]]
    return out


def time_to(curve: np.ndarray, grid: np.ndarray, target: float) -> float:
    hit = np.flatnonzero(curve <= target + 1e-12)
    return float(grid[hit[0]]) if len(hit) else np.inf


def summarize(task_names: list[str], methods: list[str], seeds: list[int], cache: Path, accounting: str) -> None:
    from scipy.stats import mannwhitneyu

    stats: dict[str, dict[str, list]] = {
        m: {"speedup": [], "wins": 0, "losses": 0, "at": [], "complete": []} for m in methods
    }
    for task in task_names:
        problem = get_problem(task)
        traces = {m: [run_one(task, m, s, cache) for s in seeds] for m in methods}
        budget = traces[methods[0]][0]["budget"]
        grid = np.linspace(0, budget, 1001)[1:]
        curves = {m: np.array([regret_curve(t, problem, grid, accounting) for t in ts]) for m, ts in traces.items()}
        nop = curves["depth/nop"]
        target = float(np.median(nop[:, -1]))
        t_nop = time_to(np.median(nop, axis=0), grid, target)
        for m in methods:
            median = np.median(curves[m], axis=0)
            t_m = time_to(median, grid, target)
            stats[m]["speedup"].append(t_nop / t_m if np.isfinite(t_m) else 0.0)
            stats[m]["at"].append([median[int(round(f * len(grid))) - 1] for f in FRACTIONS])
            stats[m]["complete"].append(np.mean([t["n_complete"] for t in traces[m]]))
            if m != "depth/nop" and len(seeds) > 1:
                a, b = curves[m][:, -1], nop[:, -1]
                if mannwhitneyu(a, b).pvalue < 0.05 if not np.allclose(a, b) else False:
                    stats[m]["wins" if np.median(a) < np.median(b) else "losses"] += 1
    print(
        f"\naccounting: {accounting}; {len(task_names)} tasks x {len(seeds)} seeds; "
        f"budget {FULL_TRAININGS} full trainings; 1 worker"
    )
    print(
        f"{'method':<18} {'median speedup':>14} {'wins':>5} {'losses':>6} "
        + " ".join(f"{'regret@' + format(f, '.2g'):>11}" for f in FRACTIONS)
        + f" {'complete':>9}"
    )
    for m in methods:
        s = stats[m]
        at = np.mean(s["at"], axis=0)
        print(
            f"{m:<18} {np.median(s['speedup']):14.2f} {s['wins']:5d} {s['losses']:6d} "
            + " ".join(f"{v:11.4f}" for v in at)
            + f" {np.mean(s['complete']):9.1f}"
        )


def spearman_table(task_names: list[str], n: int) -> None:
    from scipy.stats import spearmanr

    per_task = []
    for task in task_names:
        values = np.array([v for v, _ in random_curves(get_problem(task), n)])
        per_task.append([spearmanr(values[:, k], values[:, -1])[0] for k in range(values.shape[1])])
    rho = np.array(per_task)
    print(f"\nSpearman(epoch k error, epoch 52 error), {n} random configs, {len(task_names)} tasks")
    print(f"{'epoch':>5} {'median':>7} {'min':>7} {'max':>7}")
    for k in (1, 2, 3, 4, 6, 8, 13, 16, 26, 39, 51):
        col = rho[:, k - 1]
        print(f"{k:5d} {np.median(col):7.3f} {col.min():7.3f} {col.max():7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=5, help="every k-th shipped LCBench task (1 = all 34)")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--methods", default=DEFAULT_METHODS)
    parser.add_argument("--cache", default=os.path.join("results", "lcbench_pruning"))
    parser.add_argument("--jobs", type=int, default=1, help="studies run in parallel processes")
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="run nothing; summarize the tasks whose studies are all cached (a partial run)",
    )
    parser.add_argument("--spearman", action="store_true", help="print the per-epoch rank agreement and stop")
    args = parser.parse_args()
    logging.getLogger("hpobench").setLevel(logging.ERROR)
    task_names = tasks(args.every)
    if args.spearman:
        spearman_table(task_names, 200)
        return
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    methods = args.methods.split(",")
    if "depth/nop" not in methods:
        methods.insert(0, "depth/nop")
    seeds = list(range(args.seeds))
    if args.cached_only:
        task_names = [t for t in task_names if all(cache_path(t, m, s, cache).exists() for m in methods for s in seeds)]
        print(f"summarizing the {len(task_names)} tasks whose studies are all cached: {', '.join(task_names)}")
    else:
        run_all(task_names, methods, seeds, cache, args.jobs)
    for accounting in ("complete", "any"):
        summarize(task_names, methods, seeds, cache, accounting)


def run_all(task_names: list[str], methods: list[str], seeds: list[int], cache: Path, n_jobs: int) -> None:
    for task in task_names:  # budgets first, in this process: the workers only read budgets.json
        budget_seconds(get_problem(task), cache)
    jobs = [(task, m, s, cache) for task in task_names for m in methods for s in seeds]
    if n_jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(n_jobs) as pool:
            pool.starmap(run_one, jobs, chunksize=1)
    else:
        for job in jobs:
            run_one(*job)


if __name__ == "__main__":
    main()
