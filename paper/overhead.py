"""Experiment 4, optimizer overhead: seconds per trial against the number of trials.

Each sampler runs a cheap 10-parameter objective (so the time is the
sampler's and the storage's, not the objective's) in memory and on an SQLite
file. Studies run one after another in this process, never two at once, so
they do not compete for the cores they are timed on.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paper import figures
from paper.harness import make_study
from paper.ranking import available_samplers
from paper.store import run_tasks
from paper.tables import markdown_table

NAME = "overhead"
N_PARAMS = 10


def sphere(trial: Any) -> float:
    """The timed objective: 10 floats, sum of squares (microseconds of work)."""
    return float(sum(trial.suggest_float(f"x{i}", -5.0, 5.0) ** 2 for i in range(N_PARAMS)))


def one_study(task: dict[str, Any]) -> pd.DataFrame:
    """Time every trial of one study; rows (number, seconds) in finishing order."""
    stamps: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        storage = None if task["storage"] == "memory" else f"sqlite:///{folder}/overhead.db"
        study = make_study(task, None, storage=storage)
        begin = time.perf_counter()
        study.optimize(
            sphere, n_trials=int(task["n_trials"]), callbacks=[lambda s, t: stamps.append(time.perf_counter())]
        )
    seconds = np.diff(np.concatenate([[begin], stamps]))
    return pd.DataFrame({"number": np.arange(1, len(seconds) + 1), "seconds": seconds})


def tasks(budget: dict[str, Any], samplers: list[str]) -> list[dict[str, Any]]:
    """One task per (sampler, storage)."""
    return [
        {"sampler": s, "storage": st, "seed": 0, "n_trials": int(budget["n_trials"])}
        for st in budget["storages"]
        for s in samplers
    ]


def run(budget: dict[str, Any], *, results_dir: Path, n_jobs: int = 2) -> pd.DataFrame:
    """Timed trials of every (sampler, storage); always sequential (n_jobs is ignored on purpose)."""
    samplers, missing = available_samplers(list(budget["samplers"]))
    df = run_tasks(tasks(budget, samplers), one_study, results_dir / NAME, n_jobs=1)
    df.attrs["missing"] = missing
    return df


def summary(df: pd.DataFrame) -> pd.DataFrame:
    """Mean seconds per trial over the last 10% of trials, and relative to the first sampler."""
    n = int(df.n_trials.iloc[0])
    tail = df[df.number > 0.9 * n]
    table = tail.groupby(["storage", "sampler"], sort=False).seconds.mean().rename("s/trial (last 10%)").reset_index()
    first = df.sampler.iloc[0]
    base = table[table.sampler == first].set_index("storage")["s/trial (last 10%)"]
    table[f"ratio to {first}"] = table["s/trial (last 10%)"] / table.storage.map(base)
    return table


def log_binned_median(numbers: np.ndarray, seconds: np.ndarray, n_bins: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """Median seconds in log-spaced bins of trial number (robust to a busy machine's spikes).

    Returns (geometric bin centre, median) for the non-empty bins.
    """
    edges = np.unique(np.geomspace(1, numbers.max() + 1, n_bins + 1).round())
    which = np.digitize(numbers, edges) - 1
    keep = [b for b in range(len(edges) - 1) if (which == b).any()]
    centres = np.array([np.sqrt(edges[b] * max(edges[b + 1] - 1, edges[b])) for b in keep])
    return centres, np.array([np.median(seconds[which == b]) for b in keep])


def plot(df: pd.DataFrame, out_dir: Path) -> list[Path]:
    """overhead.png: one panel per storage, median seconds per trial in log-spaced bins (log-log)."""
    storages, samplers = list(dict.fromkeys(df.storage)), list(dict.fromkeys(df.sampler))
    fig, axes = figures.panels(len(storages))
    for ax, storage in zip(axes, storages, strict=False):
        for sampler, group in df[df.storage == storage].groupby("sampler", sort=False):
            x, y = log_binned_median(group.number.to_numpy(), group.seconds.to_numpy())
            ax.plot(x, y, marker="o", markersize=3, label=sampler, color=f"C{samplers.index(sampler)}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("trial number")
        ax.set_ylabel("seconds per trial (median per bin)")
        ax.set_title(f"storage: {storage}", fontsize=9)
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=7)
    fig.suptitle(f"Overhead per trial, {N_PARAMS} float parameters, cheap objective", fontsize=10)
    return [figures.save(fig, out_dir / "overhead.png")]


def table(df: pd.DataFrame) -> str:
    """Markdown: mean seconds per trial at the end of the study, per storage and sampler."""
    text = (
        f"{int(df.n_trials.iloc[0])} trials per study, {N_PARAMS} parameters; seconds per trial averaged over "
        "the last 10% of trials.\n\n" + markdown_table(summary(df), digits=3)
    )
    for name, why in df.attrs.get("missing", {}).items():
        text += f"\n\nNot run: `{name}` ({why})."
    return text
