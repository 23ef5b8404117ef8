"""Appendix of experiment 1: pruning on the three small recorded tasks (the first version of Fig. 9).

The main pruning experiment runs on LCBench (paper.pruning); this one stays
as an appendix, because its tasks are real trainings recorded on this
project's machine (problems/recorded), not surrogates.

Best validation error against simulated wall-clock time for each sampler
without pruning and with each pruner, on recorded learning-curve tasks
replayed by hpobench.runners.SimulatedRunner. Median line and quartile band
over repeats (seeds). The table gives trials finished per method and the
simulated time each needs to reach the error that no pruning reaches at the
end of the budget (its speedup over no pruning).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paper import figures
from paper.harness import mean_trial_seconds, simulated_trials
from paper.stats import band_over_seeds, event_grid, time_to_target
from paper.store import run_tasks
from paper.tables import markdown_table

NAME = "pruning_recorded"
BASELINE = "nop"
FINISHED = ("COMPLETE", "PRUNED")


def time_budget(budget: dict[str, Any], problem: str) -> float:
    """Budget T in simulated seconds: budget['timeout'] (seconds, or per problem), or else
    budget['budget_trials'] times the mean full-trial time, divided among the workers."""
    if "timeout" in budget:
        timeout = budget["timeout"]
        return float(timeout[problem] if isinstance(timeout, dict) else timeout)
    seconds = mean_trial_seconds(problem) * float(budget["budget_trials"]) / int(budget["n_workers"])
    return float(f"{seconds:.3g}")  # a round number: it is part of each study's cache key


def tasks(budget: dict[str, Any]) -> list[dict[str, Any]]:
    """One task per (problem, sampler, pruner, seed)."""
    timeouts = {problem: time_budget(budget, problem) for problem in budget["problems"]}
    return [
        {
            "problem": problem,
            "sampler": sampler,
            "pruner": pruner,
            "seed": seed,
            "n_workers": int(budget["n_workers"]),
            "n_trials": int(budget["n_trials"]),
            "timeout": timeouts[problem],
        }
        for problem in budget["problems"]
        for sampler in budget["samplers"]
        for pruner in budget["pruners"]
        for seed in range(int(budget["seeds"]))
    ]


def run(budget: dict[str, Any], *, results_dir: Path, n_jobs: int = 2) -> pd.DataFrame:
    """All trials of all studies of the sweep (cached under results_dir/pruning/)."""
    return run_tasks(tasks(budget), simulated_trials, results_dir / NAME, n_jobs=n_jobs)


def bands(df: pd.DataFrame) -> dict[tuple[str, str], tuple[np.ndarray, dict[str, np.ndarray]]]:
    """Per (problem, sampler): the time grid up to the budget and each pruner's quartile band on it."""
    out = {}
    for (problem, sampler), group in df.groupby(["problem", "sampler"], sort=False):
        horizon = float(group["timeout"].iloc[0])
        grid = event_grid(group, "sim_end", value="loss")
        grid = np.append(grid[grid < horizon], horizon)
        out[problem, sampler] = (
            grid,
            {
                pruner: band_over_seeds(g, "sim_end", grid, value="loss")
                for pruner, g in group.groupby("pruner", sort=False)
            },
        )
    return out


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per (problem, sampler, pruner): trials finished, final error, time to target, speedup.

    The target is the median best error of the same sampler without pruning at
    the end of the budget; times are read off the median curves.
    """
    rows = []
    for (problem, sampler), (grid, by_pruner) in bands(df).items():
        target = by_pruner[BASELINE][1][-1] if BASELINE in by_pruner else np.nan
        base_time = time_to_target(grid, by_pruner[BASELINE][1], target) if BASELINE in by_pruner else np.nan
        for pruner, band in by_pruner.items():
            trials = df[(df.problem == problem) & (df.sampler == sampler) & (df.pruner == pruner)]
            done = trials[trials.state.isin(FINISHED) & (trials.sim_end <= trials.timeout)]
            per_seed = done.groupby("seed").agg(
                finished=("state", "size"), pruned=("state", lambda s: (s == "PRUNED").sum())
            )
            reach = time_to_target(grid, band[1], target)
            rows.append(
                {
                    "problem": problem,
                    "sampler": sampler,
                    "pruner": pruner,
                    "trials finished": float(per_seed.finished.median()),
                    "pruned": float(per_seed.pruned.median()),
                    "best error at T": band[1][-1],
                    "target": target,
                    "time to target (s)": reach,
                    "speedup": base_time / reach if reach > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)


def plot(df: pd.DataFrame, out_dir: Path) -> list[Path]:
    """pruning_recorded.png: a row per sampler, a column per problem; median and quartile band over seeds per pruner."""
    all_bands = bands(df)
    problems = list(dict.fromkeys(df.problem))
    pruners = list(dict.fromkeys(df.pruner))
    samplers = list(dict.fromkeys(df.sampler))
    fig, axes = figures.plt.subplots(
        len(samplers),
        len(problems),
        squeeze=False,
        sharex="col",
        sharey="col",
        figsize=(max(4.2 * len(problems), 7.0), 3.0 * len(samplers) + 0.6),
    )
    for row, sampler in enumerate(samplers):
        for col, problem in enumerate(problems):
            ax = axes[row, col]
            grid, by_pruner = all_bands[problem, sampler]
            for pruner, band in by_pruner.items():
                figures.band(ax, grid, band, label=pruner, color=f"C{pruners.index(pruner)}")
            ax.set_xscale("log")
            ax.set_yscale("log")  # errors near the best differ by small absolute amounts
            ax.set_title(f"{problem}, sampler={sampler}", fontsize=9)
            ax.set_xlabel("simulated wall-clock time (s)")
            ax.set_ylabel("best validation error")
            ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=7, title="pruner", title_fontsize=7)
    workers = int(df.n_workers.iloc[0])
    fig.suptitle(
        f"Pruning: best validation error vs simulated time ({workers} worker{'s' if workers > 1 else ''}; "
        f"median and interquartile range over {df.seed.nunique()} seeds)",
        fontsize=10,
    )
    return [figures.save(fig, out_dir / "pruning_recorded.png")]


def table(df: pd.DataFrame) -> str:
    """Markdown: the summary table plus how many seeds it aggregates."""
    text = markdown_table(summary(df))
    return (
        f"{df.seed.nunique()} seeds per method, {int(df.n_workers.iloc[0])} simulated worker(s); "
        f"budget T per problem: "
        + ", ".join(f"{p} {t:g} s" for p, t in df.groupby("problem", sort=False).timeout.first().items())
        + ". Target = median best error of the same sampler without pruning at T.\n\n"
        + text
    )
