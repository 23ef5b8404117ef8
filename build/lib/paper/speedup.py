"""Experiment 2, distributed speedup (Akiba et al. 2019, Fig. 11 redone here).

TPE with 1, 2, 4, ... asynchronous workers on the simulated clock
(hpobench.runners.SimulatedRunner), without and with a pruner: best error
against simulated wall-clock time (speedup) and against the number of trials
(what parallelism costs per trial). The table gives, per worker count, the
time to reach a target error and the speedup over one worker.

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
from paper import figures
from paper.harness import COLUMNS, loss_of, make_study, simulated_trials
from paper.stats import band_over_seeds, event_grid, time_to_target
from paper.store import run_tasks
from paper.tables import markdown_table

NAME = "speedup"


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
        for step, (value, second) in enumerate(zip(values, seconds), start=1):
            time.sleep(float(second) * self.time_scale)
            trial.report(float(value), step)
            if trial.should_prune():
                raise TrialPruned(f"Pruned at step {step}.")
        return float(values[-1])


def tasks(budget: dict[str, Any]) -> list[dict[str, Any]]:
    """One simulated task per (problem, pruner, n_workers, seed)."""
    return [
        {"problem": problem, "sampler": budget["sampler"], "pruner": pruner, "seed": seed,
         "n_workers": int(workers), "n_trials": int(budget["n_trials"]), "timeout": None}
        for problem in budget["problems"]
        for pruner in budget["pruners"]
        for workers in budget["workers"]
        for seed in range(int(budget["seeds"]))
    ]


def check_task(budget: dict[str, Any]) -> dict[str, Any]:
    """The one point checked with real processes (budget['check'])."""
    check = budget["check"]
    return {"problem": check.get("problem", budget["problems"][0]), "sampler": budget["sampler"],
            "pruner": check.get("pruner", budget["pruners"][0]), "seed": 0, "n_workers": int(check["n_workers"]),
            "n_trials": int(check["n_trials"]), "wall_seconds": float(check["wall_seconds"])}


def real_check(task: dict[str, Any]) -> pd.DataFrame:
    """Simulate the task, then run it with LocalRunner in real time; rows of both, column 'runner'.

    time_scale is chosen so the real run takes about task['wall_seconds'];
    the local run's times are divided by it, so both are in simulated seconds.
    """
    from hpobench.runners import LocalRunner

    simulated = simulated_trials({**task, "timeout": None}).assign(runner="simulated")
    time_scale = task["wall_seconds"] / max(float(simulated.sim_end.max()), 1e-9)
    from problems import get_problem

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
    frame = pd.DataFrame({
        "number": [t.number for t in trials],
        "state": [t.state.name for t in trials],
        "value": [np.nan if t.value is None else float(t.value) for t in trials],
        "sim_start": [(t.datetime_start - origin).total_seconds() / time_scale for t in trials],
        "sim_end": [(t.datetime_complete - origin).total_seconds() / time_scale for t in trials],
    })
    frame["loss"] = loss_of(frame["value"], direction).where(frame["state"] == "COMPLETE", np.nan)
    return frame[COLUMNS]


def run(budget: dict[str, Any], *, results_dir: Path, n_jobs: int = 2) -> pd.DataFrame:
    """Simulated sweep (runner='simulated', check=False) plus the real-process check rows (check=True)."""
    sweep = run_tasks(tasks(budget), simulated_trials, results_dir / NAME, n_jobs=n_jobs).assign(
        runner="simulated", check=False)
    if "check" not in budget:
        return sweep
    # In this process: LocalRunner starts its own worker processes.
    check = run_tasks([check_task(budget)], real_check, results_dir / NAME / "check", n_jobs=1)
    out = pd.concat([sweep, check.assign(check=True)], ignore_index=True)
    out.attrs = {"studies": sweep.attrs["studies"] + 1, "computed": sweep.attrs["computed"] + check.attrs["computed"],
                 "study_seconds": None if None in (sweep.attrs["study_seconds"], check.attrs["study_seconds"])
                 else sweep.attrs["study_seconds"] + check.attrs["study_seconds"]}
    return out


def with_finished_count(frame: pd.DataFrame) -> pd.DataFrame:
    """Add n_finished: the trial's rank by finishing time within its study (1-based)."""
    keys = ["problem", "pruner", "n_workers", "seed"]
    frame = frame.sort_values(keys + ["sim_end", "number"]).copy()
    frame["n_finished"] = frame.groupby(keys).cumcount() + 1
    return frame


def bands(df: pd.DataFrame, x: str) -> dict[tuple[str, str, int], tuple[np.ndarray, np.ndarray]]:
    """Quartile bands of the sweep per (problem, pruner, n_workers) against x ('sim_end' or 'n_finished')."""
    sweep = with_finished_count(df[~df["check"]])
    out = {}
    for key, group in sweep.groupby(["problem", "pruner", "n_workers"], sort=False):
        grid = event_grid(group, x, value="loss")
        out[key] = (grid, band_over_seeds(group, x, grid, value="loss"))
    return out


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Per (problem, pruner, n_workers): time to the target error and speedup over 1 worker.

    The target is the median best error of the fewest workers after half the trials.
    """
    by_time, by_trials = bands(df, "sim_end"), bands(df, "n_finished")
    rows = []
    for (problem, pruner), group in df[~df["check"]].groupby(["problem", "pruner"], sort=False):
        workers = sorted(group.n_workers.unique())
        half = int(group.n_trials.iloc[0]) // 2
        grid1, band1 = by_trials[problem, pruner, workers[0]]
        target = band1[1][np.searchsorted(grid1, half, side="right") - 1]
        grid_base, band_base = by_time[problem, pruner, workers[0]]
        base = time_to_target(grid_base, band_base[1], target)
        for n in workers:
            grid, band = by_time[problem, pruner, n]
            reach = time_to_target(grid, band[1], target)
            rows.append({"problem": problem, "pruner": pruner, "workers": int(n), "target error": target,
                         "time to target (s)": reach, "speedup": base / reach if reach > 0 else np.nan,
                         "best error after all trials": by_trials[problem, pruner, n][1][1][-1],
                         "simulated time of all trials (s)": float(group[group.n_workers == n].groupby("seed").sim_end.max().median())})
    return pd.DataFrame(rows)


def check_summary(df: pd.DataFrame) -> pd.DataFrame:
    """The real-process check: the same study simulated and run by LocalRunner, side by side."""
    check = df[df["check"]]
    rows = []
    for runner, group in check.groupby("runner", sort=False):
        rows.append({"runner": runner, "workers": int(group.n_workers.iloc[0]), "trials": len(group),
                     "time of all trials (simulated s)": float(group.sim_end.max()),
                     "best error": float(group.loss.min()),
                     "real wall time (s)": float(group.wall_s.iloc[0]) if runner == "local" else np.nan})
    return pd.DataFrame(rows)


def plot(df: pd.DataFrame, out_dir: Path) -> list[Path]:
    """speedup.png (one per problem if several): best error vs time and vs trials, one row per pruner."""
    by_time, by_trials = bands(df, "sim_end"), bands(df, "n_finished")
    sweep = df[~df["check"]]
    problems = list(dict.fromkeys(sweep.problem))
    paths = []
    for problem in problems:
        pruners = list(dict.fromkeys(sweep[sweep.problem == problem].pruner))
        workers = sorted(sweep.n_workers.unique())
        fig, axes = figures.plt.subplots(len(pruners), 2, figsize=(9, 3.3 * len(pruners)), squeeze=False)
        colors = figures.plt.cm.viridis(np.linspace(0, 0.9, len(workers)))
        for row, pruner in enumerate(pruners):
            for color, n in zip(colors, workers):
                figures.band(axes[row, 0], *by_time[problem, pruner, n], label=f"{n} worker{'s' if n > 1 else ''}", color=color)
                figures.band(axes[row, 1], *by_trials[problem, pruner, n], label=f"{n} worker{'s' if n > 1 else ''}", color=color)
            axes[row, 0].set_xscale("log")
            axes[row, 1].set_xscale("log")  # most of the progress is in the first tens of trials
            axes[row, 0].set_xlabel("simulated wall-clock time (s)")
            axes[row, 1].set_xlabel("number of finished trials")
            for ax, what in zip(axes[row], ("time", "trials")):
                ax.set_yscale("log")
                ax.set_ylabel("best validation error")
                ax.set_title(f"pruner={pruner}: error vs {what}", fontsize=9)
                ax.grid(alpha=0.3)
        axes[0, 0].legend(fontsize=7)
        fig.suptitle(f"Distributed speedup on {problem} ({sweep.sampler.iloc[0]}; median and IQR over {sweep.seed.nunique()} seeds)", fontsize=10)
        name = "speedup.png" if len(problems) == 1 else f"speedup_{problem.replace('/', '_')}.png"
        paths.append(figures.save(fig, out_dir / name))
    return paths


def table(df: pd.DataFrame) -> str:
    """Markdown: the speedup table, then the real-process check."""
    text = (f"{df[~df['check']].seed.nunique()} seeds per worker count, {int(df.n_trials.iloc[0])} trials per study. "
            "Target = median best error of 1 worker after half the trials.\n\n" + markdown_table(summary(df)))
    if df["check"].any():
        scale = float(df.loc[df["check"], "time_scale"].iloc[0])
        text += (f"\n\nCheck with real processes (LocalRunner, SQLite; step times scaled by {scale:.3g}, "
                 "local times divided by it):\n\n" + markdown_table(check_summary(df)))
    return text
