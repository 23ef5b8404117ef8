"""Experiment 1, pruning efficiency on LCBench (Akiba et al. 2019, Fig. 9, redone as the field does it).

Every method (a sampler with a pruner, or a peer that schedules itself; see
paper.methods) runs on each ``lcbench/<id>`` task for several seeds, on the
simulated clock (one worker), until a budget T of ``budget_trials`` mean full
trainings of that task. Time is measured in those units ("full trainings"),
so the 34 tasks, whose trainings take from seconds to minutes, share one axis.

Per study, the best normalized regret so far (0 = YAHPO's best of 0.5M random
evaluations, 1 = its worst; before the first finished trial it counts as 1) is
read on a log-spaced time grid. A task's curve is the mean over seeds; the
figures show the mean over tasks and the average rank over tasks; the table
reads them at fractions of T with bootstrap intervals over tasks, the median
speedup to the regret the same sampler reaches without pruning, and tests
against the reference (TPE without pruning): paired Wilcoxon over tasks, and
per-task one-sided Mann-Whitney over seeds for the win/loss counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paper import figures, lcbench
from paper.budgets import seed_count
from paper.methods import available, parse
from paper.stats import (
    average_rank,
    bootstrap_mean_ci,
    can_be_significant,
    curves_on_grid,
    mann_whitney_outcome,
    time_to_target,
    wilcoxon_outcome,
)
from paper.store import run_tasks, task_key
from paper.tables import fmt, markdown_table

NAME = "pruning"
GRID_POINTS = 200
GRID_START = 0.02  # full trainings: about one epoch of 52, the earliest any method can report
PLOT_FLOOR = 1e-3  # regrets at or below 0 (better than YAHPO's best sample) are drawn here on log axes
BUILD_CONTEXT = {"seed": 0, "problem": {"max_step": 52}}


def tasks(budget: dict[str, Any], methods: list) -> list[dict[str, Any]]:
    """One study per (task, method, seed); timeout = budget_trials time units of that task.

    A method listed in budget['method_seeds'] runs that many seeds (its study costs far more), the others
    budget['seeds'].
    """
    out = []
    for problem in lcbench.select(budget["tasks"]):
        timeout = float(f"{lcbench.time_unit(problem) * float(budget['budget_trials']) / int(budget['n_workers']):.4g}")
        for method in methods:
            for seed in range(seed_count(budget, method.label, "method_seeds")):
                out.append(
                    {
                        "problem": problem,
                        "method": method.label,
                        "sampler": method.sampler,
                        "pruner": method.pruner,
                        "seed": seed,
                        "n_workers": int(budget["n_workers"]),
                        "n_trials": int(budget["n_trials"]),
                        "timeout": timeout,
                        "budget_trials": float(budget["budget_trials"]),
                        **option_fields(method),
                    }
                )
    return out


def option_fields(method: Any) -> dict[str, str]:
    """A method's bracketed options as task fields (JSON strings; paper.harness.make_study reads them back).

    Only present when there are options, so a plain method's task, and so its cached file name, is unchanged.
    """
    fields = {}
    for name in ("sampler_options", "pruner_options"):
        if getattr(method, name):
            fields[name] = json.dumps(getattr(method, name), sort_keys=True)
    return fields


def run(budget: dict[str, Any], *, results_dir: Path, n_jobs: int = 2) -> pd.DataFrame:
    """All trials of all studies (cached under results_dir/pruning/); attrs carry the analysis settings."""
    methods, missing = available(list(budget["methods"]), context=BUILD_CONTEXT)
    todo = tasks(budget, methods)
    planned = len({t["problem"] for t in todo})
    if budget.get("cached_only"):
        todo = complete_tasks(todo, results_dir / NAME)
    df = run_tasks(todo, lcbench.regret_trials, results_dir / NAME, n_jobs=n_jobs)
    df.attrs.update(
        {
            "planned_tasks": planned,
            "missing": missing,
            "methods": [m.label for m in methods],
            "reference": budget.get("reference", "tpe+nop"),
            "checkpoints": [float(c) for c in budget.get("checkpoints", [0.1, 1 / 3, 1.0])],
            "alpha": float(budget.get("alpha", 0.05)),
            "n_boot": int(budget.get("n_boot", 2000)),
        }
    )
    return df


def complete_tasks(todo: list[dict[str, Any]], folder: Path) -> list[dict[str, Any]]:
    """The studies of the tasks whose every study is already cached (a partial run's honest subset)."""
    missing = {t["problem"] for t in todo if not (folder / f"{task_key(t)}.parquet").exists()}
    kept = [t for t in todo if t["problem"] not in missing]
    if not kept:
        raise ValueError(f"cached_only: no task has all its studies under {folder.name}/ yet.")
    return kept


def grid_of(df: pd.DataFrame) -> np.ndarray:
    """The time grid in full trainings, log-spaced up to the budget (per worker)."""
    budget = float(df["budget_trials"].iloc[0]) / int(df["n_workers"].iloc[0])
    return np.geomspace(min(GRID_START, budget), budget, GRID_POINTS)


def task_curves(df: pd.DataFrame) -> tuple[np.ndarray, dict[str, pd.DataFrame]]:
    """(grid, {method: frame of task-mean regret curves, index problem, columns grid points})."""
    grid = grid_of(df)
    frame = df.assign(t=df["sim_end"] * df["budget_trials"] / (df["timeout"] * df["n_workers"]))
    frame = frame[frame["sim_end"] <= frame["timeout"]]
    index, curves = curves_on_grid(frame, ["problem", "method", "seed"], "t", "regret", grid, before=1.0)
    per_study = pd.concat([index, pd.DataFrame(curves)], axis=1)
    means = per_study.drop(columns="seed").groupby(["method", "problem"], sort=False).mean()
    methods = list(dict.fromkeys(index["method"]))
    return grid, {m: means.loc[m] for m in methods}


def final_regrets(df: pd.DataFrame) -> pd.DataFrame:
    """Best regret within the budget per (problem, method, seed) (1 where nothing finished)."""
    inside = df[df["sim_end"] <= df["timeout"]]
    best = inside.groupby(["problem", "method", "seed"], sort=False)["regret"].min()
    keys = df.groupby(["problem", "method", "seed"], sort=False).size().index
    return best.reindex(keys).fillna(1.0).rename("value").reset_index()


def baseline_of(method: str, methods: list[str], reference: str) -> str:
    """The same sampler without pruning, if it was run; else the reference method."""
    same = f"{method.partition('+')[0]}+nop"
    return same if same in methods else reference


def speedups(grid: np.ndarray, curves: dict[str, pd.DataFrame], method: str, baseline: str) -> np.ndarray:
    """Per task: baseline's time to its own final regret / method's time to it (0 if never reached)."""
    out = []
    for problem, base in curves[baseline].iterrows():
        target = float(base.iloc[-1])
        mine = time_to_target(grid, curves[method].loc[problem].to_numpy(), target)
        out.append(time_to_target(grid, base.to_numpy(), target) / mine if np.isfinite(mine) else 0.0)
    return np.asarray(out)


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """One row per method: regret at the checkpoints (mean [95% CI] over tasks), rank, speedup, tests."""
    grid, curves = task_curves(df)
    methods, reference = list(curves), df.attrs.get("reference", "tpe+nop")
    alpha, n_boot = df.attrs.get("alpha", 0.05), df.attrs.get("n_boot", 2000)
    checkpoints = df.attrs.get("checkpoints", [0.1, 1 / 3, 1.0])
    finals = final_regrets(df)
    final_ranks = average_rank(pd.DataFrame({m: c.iloc[:, -1] for m, c in curves.items()}))
    rows = []
    for method in methods:
        row = {"method": method}
        for fraction in checkpoints:
            column = int(np.searchsorted(grid, fraction * grid[-1] * (1 - 1e-9)))
            mean, low, high = bootstrap_mean_ci(curves[method].iloc[:, column], n_boot=n_boot)
            row[f"regret at {fraction:.2g} T [95% CI]"] = f"{fmt(mean)} [{fmt(low)}, {fmt(high)}]"
        row["mean rank at T"] = float(final_ranks[method])
        base = baseline_of(method, methods, reference)
        ratio = speedups(grid, curves, method, base)
        row["speedup vs"] = base
        row["median speedup"] = float(np.median(ratio))
        row["tasks reaching target"] = f"{int((ratio > 0).sum())}/{len(ratio)}"
        row.update(versus_reference(curves, finals, method, reference, alpha))
        rows.append(row)
    return pd.DataFrame(rows)


def versus_reference(
    curves: dict[str, pd.DataFrame], finals: pd.DataFrame, method: str, reference: str, alpha: float
) -> dict[str, Any]:
    """Wilcoxon over tasks (task-mean final regrets) and Mann-Whitney counts over seeds, against reference."""
    if method == reference or reference not in curves:
        return {f"Wilcoxon vs {reference} (p)": "-", "tasks better/worse/tied": "-"}
    outcome, p = wilcoxon_outcome(curves[method].iloc[:, -1], curves[reference].iloc[:, -1], alpha=alpha)
    verdict = {1: "better", -1: "worse", 0: "no difference"}[outcome]
    counts, untestable = [0, 0, 0], 0
    for _, group in finals.groupby("problem", sort=False):
        mine, theirs = group.loc[group.method == method, "value"], group.loc[group.method == reference, "value"]
        if not can_be_significant(len(mine), len(theirs), alpha):
            untestable += 1  # too few seeds: a "tie" here would be no evidence of one
            continue
        counts[{1: 0, -1: 1, 0: 2}[mann_whitney_outcome(mine, theirs, alpha=alpha)]] += 1
    cell = "/".join(map(str, counts))
    if untestable:
        cell = f"{cell} ({untestable} tasks untestable: too few seeds)" if sum(counts) else "n/a (too few seeds)"
    return {f"Wilcoxon vs {reference} (p)": f"{verdict} ({fmt(p, 2)})", "tasks better/worse/tied": cell}


def plot(df: pd.DataFrame, out_dir: Path) -> list[Path]:
    """pruning.png (mean regret and average rank against time) and pruning_tasks.png (one panel per task)."""
    grid, curves = task_curves(df)
    return [
        _plot_mean_and_rank(df, grid, curves, out_dir / "pruning.png"),
        _plot_tasks(df, grid, curves, out_dir / "pruning_tasks.png"),
    ]


def _plot_mean_and_rank(df: pd.DataFrame, grid: np.ndarray, curves: dict[str, pd.DataFrame], path: Path) -> Path:
    fig, (left, right) = figures.panels(2, width=4.6, height=3.8)
    ranks = {m: [] for m in curves}
    for column in range(len(grid)):
        for method, rank in average_rank(pd.DataFrame({m: c.iloc[:, column] for m, c in curves.items()})).items():
            ranks[method].append(rank)
    for method, frame in curves.items():
        left.plot(grid, np.maximum(frame.mean(axis=0).to_numpy(), PLOT_FLOOR), label=method, **figures.style(method))
        right.plot(grid, ranks[method], label=method, **figures.style(method))
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_ylabel(f"mean normalized regret over tasks (floor {PLOT_FLOOR:g})")
    right.set_xscale("log")
    right.set_ylabel(f"average rank over tasks (1 = best of {len(curves)})")
    for ax, title in ((left, "normalized regret"), (right, "average rank")):
        ax.set_xlabel("simulated time (mean full trainings)")
        ax.set_title(title, fontsize=9)
        ax.grid(alpha=0.3, which="both")
    right.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))  # outside: hides no curve
    fig.suptitle(
        f"Pruning on LCBench: {df.problem.nunique()} tasks, {seeds_text(df, short=True)}, "
        f"budget {fmt(float(df.budget_trials.iloc[0]))} full trainings, 1 worker",
        fontsize=10,
    )
    return figures.save(fig, path)


def _plot_tasks(df: pd.DataFrame, grid: np.ndarray, curves: dict[str, pd.DataFrame], path: Path) -> Path:
    problems = list(dict.fromkeys(df.problem))
    cols = min(6, len(problems))
    rows = -(-len(problems) // cols)
    fig, axes = figures.plt.subplots(
        rows, cols, figsize=(2.2 * cols + 1.8, 1.9 * rows + 0.6), squeeze=False, sharex=True
    )
    for ax, problem in zip(axes.flat, problems, strict=False):
        for method, frame in curves.items():
            ax.plot(
                grid, np.maximum(frame.loc[problem].to_numpy(), PLOT_FLOOR), label=method, lw=1, **figures.style(method)
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(problem, fontsize=7)
        ax.tick_params(labelsize=6)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(problems) :]:
        ax.axis("off")
    for ax in axes[-1]:
        ax.set_xlabel("time (full trainings)", fontsize=7)
    for ax in axes[:, 0]:
        ax.set_ylabel(f"normalized regret (floor {PLOT_FLOOR:g})", fontsize=7)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=7, loc="center right")
    fig.suptitle(f"Pruning on LCBench, per task: mean over {seeds_text(df, short=True)}", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1 - 1.7 / fig.get_figwidth(), 1))
    return figures.save(fig, path, layout=False)


def seeds_text(df: pd.DataFrame, *, short: bool = False) -> str:
    """'4 seeds', or '4 seeds (2 for a, b)' where budget['method_seeds'] gave some methods fewer."""
    per_method = df.groupby("method", sort=False).seed.nunique()
    usual = int(per_method.mode().max())
    fewer = per_method[per_method != usual]
    if fewer.empty:
        return f"{usual} seeds"
    if short:
        return f"{usual} seeds (fewer for {len(fewer)} methods)"
    others = "; ".join(f"{n} for `{m}`" for m, n in fewer.items())
    return f"{usual} seeds ({others}: the `method_seeds` of conf/experiment/pruning.yaml)"


def table(df: pd.DataFrame) -> str:
    """Markdown: what was run, the per-method table, and the methods left out."""
    reference = df.attrs.get("reference", "tpe+nop")
    text = (
        f"{df.problem.nunique()} LCBench tasks, {seeds_text(df)}, budget T = "
        f"{fmt(float(df.budget_trials.iloc[0]))} mean full trainings per task, 1 simulated worker; "
        f"{df.groupby(['problem', 'method', 'seed']).ngroups} studies. Regret: mean over tasks of the mean over seeds, "
        "95% bootstrap interval over tasks. Speedup: the method's time to the final regret of `speedup vs` "
        "(the same sampler without pruning, else the reference), per task; 0 where never reached. "
        f"Tests against `{reference}` at T, alpha = {df.attrs.get('alpha', 0.05):g}: paired Wilcoxon signed-rank "
        "over tasks; per task a one-sided Mann-Whitney U over seeds for the counts.\n\n"
    )
    if df.problem.nunique() < df.attrs.get("planned_tasks", 0):
        text = (
            f"**Partial run**: {df.problem.nunique()} of the budget's {df.attrs['planned_tasks']} tasks "
            "(only tasks whose studies were all cached; `python -m paper --only pruning` completes it).\n\n" + text
        )
    rows = summary(df)
    text += markdown_table(rows) + "\n\n" + verdict(rows, reference)
    for name, why in df.attrs.get("missing", {}).items():
        text += f"\n\nNot run: `{name}` ({why})."
    return text


def verdict(rows: pd.DataFrame, reference: str) -> str:
    """The claims the table supports, in words (every number from rows)."""
    by = rows.set_index("method")
    best = by["mean rank at T"].idxmin()
    lines = [f"Best mean rank at T: `{best}` ({fmt(by.loc[best, 'mean rank at T'])})."]
    for method in by.index:
        if "+" in method and not method.endswith("+nop"):
            speed = float(by.loc[method, "median speedup"])
            word = "sooner" if speed > 1 else ("as soon" if speed == 1 else "later, or never")
            lines.append(
                f"`{method}` reaches the final regret of `{by.loc[method, 'speedup vs']}` {fmt(speed)}x "
                f"in the median over tasks ({word}; reached on {by.loc[method, 'tasks reaching target']} tasks)."
            )
    goal_sampler = parse(reference).sampler
    goals = [m for m in by.index if (parse(m).sampler, parse(m).pruner) == (goal_sampler, "asha")]
    for goal in goals:  # tpe+asha, and its variants with options (tpe[pruned_ranking=budget]+asha[...])
        speed = float(by.loc[goal, "median speedup"])
        counts = str(by.loc[goal, "tasks better/worse/tied"]).split("/")
        losses = int(counts[1]) if len(counts) == 3 else None
        met = speed >= 3 and losses == 0
        lines.append(
            f"Goal of issue 12 (`{goal}` >= 3x sooner than `{reference}` and worse on no task at T): "
            f"{'met' if met else 'not met'} ({fmt(speed)}x; worse on {losses} tasks)."
        )
    hpobench = [m for m in by.index if parse(m).sampler in ("tpe", "random")]
    for peer in (m for m in by.index if m not in hpobench):
        beaten = [m for m in hpobench if by.loc[peer, "mean rank at T"] < by.loc[m, "mean rank at T"]]
        if beaten:
            lines.append(f"`{peer}` ranks ahead of hpobench's " + ", ".join(f"`{m}`" for m in beaten) + " at T.")
    return " ".join(lines)
