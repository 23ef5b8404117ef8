"""Experiment 2, distributed speedup (Akiba et al. 2019, Fig. 11 redone on LCBench).

TPE with 1, 2, 4, ... asynchronous workers on the simulated clock
(hpobench.runners.SimulatedRunner), without and with a pruner, on a subset of
LCBench tasks chosen by a stated rule (paper.lcbench.select: evenly spaced by
task id). Every worker count runs the same number of trials N. Per task the
target is the error that 1 worker reaches (median over seeds) after the
fraction ``target_fraction`` of N (budget field, default 1/4): more trials
than the first wave of 32 workers, so the first wave cannot meet it by itself
(the table counts where it does anyway), and few enough that n workers, which
learn less per trial, still have N trials (4x as many) to reach it. With the
target at N/2 (the first design) a seed of 8+ workers that needed a little
more than N/2 trials counted as "never", and the median speedup read 0. Speedup = quartiles over seeds
of the rate 1 / (time to the target), divided by 1 worker's median rate;
parallel efficiency = speedup / n. The error-per-trial view shows what
parallelism costs: a trial started before others finish is sampled with less
information.

One point is checked with real processes: the same study run by
hpobench.runners.LocalRunner (2 processes, SQLite) on RealtimeReplay, which
sleeps through the recorded step times scaled down by ``time_scale``, so its
wall time (divided by time_scale) is comparable with the simulated time.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import hpobench
from hpobench.exceptions import TrialPruned
from paper import figures, lcbench
from paper.harness import COLUMNS, loss_of, make_study, simulated_trials
from paper.stats import best_so_far, curves_on_grid, time_to_target
from paper.store import run_tasks
from paper.tables import fmt, markdown_table

NAME = "speedup"
TARGET_FRACTION = 0.25  # of the trials: where 1 worker's median error sets the target (module docstring)


class RealtimeReplay:
    """A recorded problem replayed in real time: each step sleeps its recorded seconds * time_scale.

    LocalRunner pickles it (with the recorded problem inside) to its worker
    processes. Curves use seed=trial.number, as the simulated runner does.
    """

    def __init__(self, *, problem: Any, time_scale: float) -> None:
        if time_scale <= 0:
            raise ValueError(f"time_scale must be > 0, got {time_scale!r}.")
        self.inner = problem
        self.time_scale = float(time_scale)
        self.direction = problem.direction
        self.max_step = problem.max_step

    def objective(self, trial: hpobench.Trial) -> float:
        values, seconds = self.inner.curve(self.inner.configure(trial), seed=trial.number)
        for step, (value, second) in enumerate(zip(values, seconds, strict=False), start=1):
            time.sleep(float(second) * self.time_scale)
            trial.report(float(value), step)
            if trial.should_prune():
                raise TrialPruned(f"Pruned at step {step}.")
        return float(values[-1])


def tasks(budget: dict[str, Any]) -> list[dict[str, Any]]:
    """One simulated task per (problem, pruner, n_workers, seed); problems = budget['problems'] or LCBench tasks."""
    return [
        {
            "problem": problem,
            "sampler": budget["sampler"],
            "pruner": pruner,
            "seed": seed,
            "n_workers": int(workers),
            "n_trials": int(budget["n_trials"]),
            "timeout": None,
        }
        for problem in problems_of(budget)
        for pruner in budget["pruners"]
        for workers in budget["workers"]
        for seed in range(int(budget["seeds"]))
    ]


def problems_of(budget: dict[str, Any]) -> list[str]:
    """Explicit budget['problems'], or the LCBench tasks that budget['tasks'] selects."""
    return list(budget["problems"]) if "problems" in budget else lcbench.select(budget["tasks"])


def check_task(budget: dict[str, Any]) -> dict[str, Any]:
    """The one point checked with real processes (budget['check'])."""
    check = budget["check"]
    return {
        "problem": check.get("problem", problems_of(budget)[0]),
        "sampler": budget["sampler"],
        "pruner": check.get("pruner", budget["pruners"][0]),
        "seed": 0,
        "n_workers": int(check["n_workers"]),
        "n_trials": int(check["n_trials"]),
        "wall_seconds": float(check["wall_seconds"]),
    }


def real_check(task: dict[str, Any]) -> pd.DataFrame:
    """Simulate the task, then run it with LocalRunner in real time; rows of both, column 'runner'.

    time_scale is chosen so the real run takes about task['wall_seconds'];
    the local run's times are divided by it, so both are in simulated seconds.
    """
    from hpobench.runners import LocalRunner

    simulated = simulated_trials({**task, "timeout": None}).assign(runner="simulated")
    time_scale = task["wall_seconds"] / max(float(simulated.sim_end.max()), 1e-9)
    from hpobench.problems import get_problem

    replay = RealtimeReplay(problem=get_problem(task["problem"]), time_scale=time_scale)
    with tempfile.TemporaryDirectory() as folder:
        study = make_study(task, replay, storage=f"sqlite:///{folder}/check.db")
        begin = time.perf_counter()
        LocalRunner(n_workers=task["n_workers"]).run(study, replay, n_trials=task["n_trials"])
        wall = time.perf_counter() - begin
        local = _wall_table(study, replay.direction, time_scale)
    failed = study.get_trials(deepcopy=False, states=(hpobench.TrialState.FAIL,))
    if failed:  # a broken replay must not pass for a slow one
        raise RuntimeError(f"{len(failed)} real-process trials failed: {failed[0].system_attrs.get('fail_reason')}")
    local = local.assign(runner="local", wall_s=wall)
    return pd.concat([simulated, local], ignore_index=True).assign(time_scale=time_scale)


def _wall_table(study: hpobench.Study, direction: str, time_scale: float) -> pd.DataFrame:
    trials = [t for t in study.get_trials(deepcopy=False) if t.datetime_start and t.datetime_complete]
    origin = min(t.datetime_start for t in trials)
    frame = pd.DataFrame(
        {
            "number": [t.number for t in trials],
            "state": [t.state.name for t in trials],
            "value": [np.nan if t.value is None else float(t.value) for t in trials],
            "sim_start": [(t.datetime_start - origin).total_seconds() / time_scale for t in trials],
            "sim_end": [(t.datetime_complete - origin).total_seconds() / time_scale for t in trials],
        }
    )
    frame["loss"] = loss_of(frame["value"], direction).where(frame["state"] == "COMPLETE", np.nan)
    return frame[COLUMNS]


def run(budget: dict[str, Any], *, results_dir: Path, n_jobs: int = 2) -> pd.DataFrame:
    """Simulated sweep (runner='simulated', check=False) plus the real-process check rows (check=True)."""
    sweep = run_tasks(tasks(budget), simulated_trials, results_dir / NAME, n_jobs=n_jobs).assign(
        runner="simulated", check=False
    )
    sweep.attrs["target_fraction"] = target_fraction(budget)  # summary() and table() read it
    if "check" not in budget:
        return sweep
    # In this process: LocalRunner starts its own worker processes.
    check = run_tasks([check_task(budget)], real_check, results_dir / NAME / "check", n_jobs=1)
    out = pd.concat([sweep, check.assign(check=True)], ignore_index=True)
    out.attrs = {
        "target_fraction": sweep.attrs["target_fraction"],
        "studies": sweep.attrs["studies"] + 1,
        "computed": sweep.attrs["computed"] + check.attrs["computed"],
        "study_seconds": None
        if None in (sweep.attrs["study_seconds"], check.attrs["study_seconds"])
        else sweep.attrs["study_seconds"] + check.attrs["study_seconds"],
    }
    return out


def target_fraction(budget: dict[str, Any]) -> float:
    """budget['target_fraction'] (default TARGET_FRACTION), checked to lie in (0, 1].

    Raises:
        ValueError: a fraction outside (0, 1].
    """
    fraction = float(budget.get("target_fraction", TARGET_FRACTION))
    if not 0 < fraction <= 1:
        raise ValueError(f"speedup budget: target_fraction must be in (0, 1], got {fraction!r}.")
    return fraction


def with_finished_count(frame: pd.DataFrame) -> pd.DataFrame:
    """Add n_finished (the trial's rank by finishing time in its study, 1-based), t (time in mean
    full trainings of its problem) and error (normalized regret on LCBench, else the loss)."""
    keys = ["problem", "pruner", "n_workers", "seed"]
    frame = frame.sort_values(keys + ["sim_end", "number"]).copy()
    frame["n_finished"] = frame.groupby(keys).cumcount() + 1
    frame["t"] = frame["sim_end"] / frame["problem"].map(lcbench.time_unit)
    frame["error"] = frame.groupby("problem", group_keys=False)["loss"].apply(
        lambda loss: lcbench.error_scale(loss.name, loss)
    )
    return frame


def seed_times(group: pd.DataFrame, target: float) -> np.ndarray:
    """Per seed of one (problem, pruner, n_workers): the first simulated time its best loss <= target (NaN if never)."""
    out = []
    for _, study in group.groupby("seed"):
        times, best = best_so_far(study["sim_end"], study["loss"])
        out.append(time_to_target(times, best, target))
    return np.asarray(out, dtype=float)


def rate_quartiles(times: np.ndarray) -> np.ndarray:
    """Quartiles over seeds of 1 / time to target (0 for a seed that never reaches it).

    Rates are finite where times are not, so the quartiles interpolate as usual;
    dividing by 1 worker's median rate makes its median speedup exactly 1.
    """
    rates = np.where(np.isfinite(times) & (times > 0), 1.0 / np.where(times > 0, times, 1.0), 0.0)
    return np.quantile(rates, [0.25, 0.5, 0.75])


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per (problem, pruner, n_workers): target, times, speedup quartiles over seeds, efficiency, first wave.

    The target is the median over seeds of 1 worker's best loss after df.attrs['target_fraction'] of its trials.
    """
    fraction = target_fraction(df.attrs)
    sweep = with_finished_count(df[~df["check"]])
    rows = []
    for (problem, pruner), group in sweep.groupby(["problem", "pruner"], sort=False):
        workers = sorted(group.n_workers.unique())
        cut = max(1, round(int(group.n_trials.iloc[0]) * fraction))
        first = group[group.n_workers == workers[0]]
        target = float(first[first.n_finished <= cut].groupby("seed").loss.min().median())
        base = rate_quartiles(seed_times(first, target))[1]
        for n in workers:
            mine = group[group.n_workers == n]
            times = seed_times(mine, target)
            r25, r50, r75 = rate_quartiles(times)
            wave = mine[mine.number < n].groupby("seed").loss.min() <= target
            rows.append(
                {
                    "problem": problem,
                    "pruner": pruner,
                    "workers": int(n),
                    "target error": target,
                    "time to target (s)": float(np.nanmedian(times)) if np.isfinite(times).any() else np.nan,
                    "speedup": r50 / base,
                    "speedup q25": r25 / base,
                    "speedup q75": r75 / base,
                    "efficiency": r50 / base / n,
                    "first wave meets target": float(wave.mean()),
                    "best error after all trials": float(mine.groupby("seed").loss.min().median()),
                }
            )
    return pd.DataFrame(rows)


def aggregate(per_task: pd.DataFrame) -> pd.DataFrame:
    """Per (pruner, workers): medians over tasks of the per-task speedup and its seed quartiles."""
    rows = []
    for (pruner, n), group in per_task.groupby(["pruner", "workers"], sort=False):
        rows.append(
            {
                "pruner": pruner,
                "workers": int(n),
                "tasks": len(group),
                "median speedup": float(group["speedup"].median()),
                "q25 (seeds)": float(group["speedup q25"].median()),
                "q75 (seeds)": float(group["speedup q75"].median()),
                "efficiency": float(group["speedup"].median()) / n,
                "tasks where the first wave meets the target": int((group["first wave meets target"] >= 0.5).sum()),
            }
        )
    return pd.DataFrame(rows)


def mean_curves(df: pd.DataFrame, x: str) -> dict[tuple[str, int], tuple[np.ndarray, np.ndarray]]:
    """Per (pruner, n_workers): grid and the mean over problems of the median-over-seeds best error."""
    sweep = with_finished_count(df[~df["check"]])
    top = float(sweep[x].max())
    grid = np.geomspace(max(float(sweep[x][sweep[x] > 0].min()), top * 1e-4), top, 150)
    # As in section 1: normalized regret counts as 1 (the worst) until a seed's first finished trial.
    before = 1.0 if sweep.problem.str.startswith(lcbench.PREFIX).all() else np.nan
    out = {}
    for (pruner, n), group in sweep.groupby(["pruner", "n_workers"], sort=False):
        per_problem = []
        for _, one in group.groupby("problem", sort=False):
            _, curves = curves_on_grid(one, ["seed"], x, "error", grid, before=before)
            per_problem.append(np.median(curves, axis=0))
        out[pruner, int(n)] = (grid, np.mean(per_problem, axis=0))
    return out


def check_summary(df: pd.DataFrame) -> pd.DataFrame:
    """The real-process check: the same study simulated and run by LocalRunner, side by side."""
    check = df[df["check"]]
    rows = []
    for runner, group in check.groupby("runner", sort=False):
        rows.append(
            {
                "runner": runner,
                "workers": int(group.n_workers.iloc[0]),
                "trials": len(group),
                "time of all trials (simulated s)": float(group.sim_end.max()),
                "best error": float(group.loss.min()),
                "real wall time (s)": float(group.wall_s.iloc[0]) if runner == "local" else np.nan,
            }
        )
    return pd.DataFrame(rows)


def plot(df: pd.DataFrame, out_dir: Path) -> list[Path]:
    """speedup.png: per pruner (rows), error vs time, error vs trials, speedup and efficiency vs workers."""
    by_time, by_trials = mean_curves(df, "t"), mean_curves(df, "n_finished")
    agg = aggregate(summary(df))
    sweep = df[~df["check"]]
    pruners = list(dict.fromkeys(sweep.pruner))
    workers = sorted(sweep.n_workers.unique())
    colors = dict(zip(workers, figures.plt.cm.viridis(np.linspace(0, 0.9, len(workers))), strict=False))
    fig, axes = figures.plt.subplots(len(pruners), 4, figsize=(15, 3.4 * len(pruners)), squeeze=False)
    scale = "mean normalized regret" if sweep.problem.str.startswith(lcbench.PREFIX).all() else "mean best error"
    for row, pruner in enumerate(pruners):
        for n in workers:
            label = f"{n} worker{'s' if n > 1 else ''}"
            axes[row, 0].plot(*by_time[pruner, n], label=label, color=colors[n])
            axes[row, 1].plot(*by_trials[pruner, n], label=label, color=colors[n])
        for ax, xlabel in zip(
            axes[row, :2], ("simulated time (mean full trainings)", "number of finished trials"), strict=False
        ):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel(xlabel)
            ax.set_ylabel(scale)
        mine = agg[agg.pruner == pruner]
        axes[row, 2].plot(mine.workers, mine["median speedup"], "o-", color="C0", label="median over tasks")
        axes[row, 2].fill_between(
            mine.workers,
            mine["q25 (seeds)"],
            mine["q75 (seeds)"],
            alpha=0.2,
            color="C0",
            label="seed quartiles (median over tasks)",
        )
        axes[row, 2].plot(workers, workers, "k:", label="ideal (n)")
        axes[row, 2].set_yscale("log")
        axes[row, 2].set_ylabel("speedup over 1 worker")
        axes[row, 3].plot(mine.workers, mine["efficiency"], "o-", color="C1")
        axes[row, 3].axhline(1.0, color="k", ls=":")
        axes[row, 3].set_ylabel("parallel efficiency (speedup / n)")
        for ax in axes[row, 2:]:
            ax.set_xscale("log", base=2)
            ax.set_xticks(workers, [str(n) for n in workers])
            ax.set_xlabel("number of workers")
        for ax, title in zip(axes[row], ("error vs time", "error vs trials", "speedup", "efficiency"), strict=False):
            ax.set_title(f"pruner={pruner}: {title}", fontsize=9)
            ax.grid(alpha=0.3)
    axes[0, 0].legend(fontsize=7)
    axes[0, 2].legend(fontsize=7)
    fig.suptitle(
        f"Distributed speedup ({sweep.sampler.iloc[0]}; {sweep.problem.nunique()} tasks, "
        f"{sweep.seed.nunique()} seeds, {int(sweep.n_trials.iloc[0])} trials per study)",
        fontsize=10,
    )
    return [figures.save(fig, out_dir / "speedup.png")]


def table(df: pd.DataFrame) -> str:
    """Markdown: the speedup table over tasks, the per-task table, then the real-process check."""
    sweep = df[~df["check"]]
    per_task = summary(df)
    text = (
        f"{sweep.problem.nunique()} tasks ({', '.join(dict.fromkeys(sweep.problem))}), {sweep.seed.nunique()} seeds "
        f"per worker count, {int(sweep.n_trials.iloc[0])} trials per study. Target per task = median best error of "
        f"1 worker after {fmt(target_fraction(df.attrs))} of its trials; "
        "speedup = quartiles over seeds of the rate 1 / (time to the target), "
        "divided by 1 worker's median rate (a seed that never reaches the target has rate 0); "
        "efficiency = speedup / workers.\n\n"
        + markdown_table(aggregate(per_task))
        + "\n\n<details><summary>Per task</summary>\n\n"
        + markdown_table(per_task.drop(columns=["speedup q25", "speedup q75"]))
        + "\n\n</details>"
    )
    text += "\n\n" + verdict(aggregate(per_task))
    if df["check"].any():
        scale = float(df.loc[df["check"], "time_scale"].iloc[0])
        text += (
            f"\n\nCheck with real processes on {df.loc[df['check'], 'problem'].iloc[0]} (LocalRunner, SQLite; "
            f"step times scaled by {fmt(scale)}, local times divided by it):\n\n" + markdown_table(check_summary(df))
        )
    return text


def verdict(agg: pd.DataFrame) -> str:
    """Does asynchronous parallelism pay off near-linearly? In words, from the aggregate table."""
    lines = []
    for pruner, group in agg.groupby("pruner", sort=False):
        top = group.loc[group.workers.idxmax()]
        best = group.loc[group["median speedup"].idxmax()]
        waves = int(group["tasks where the first wave meets the target"].max())
        lines.append(
            f"`{pruner}`: {int(top.workers)} workers reach the target {fmt(top['median speedup'])}x sooner than 1 "
            f"in the median over tasks (efficiency {fmt(top.efficiency)}); the largest median speedup is "
            f"{fmt(best['median speedup'])}x, with {int(best.workers)} workers (efficiency {fmt(best.efficiency)}); "
            f"the first wave alone meets the target on at most {waves} of {int(top.tasks)} tasks at any worker count."
        )
    return " ".join(lines)
