"""Hydra callback: one progress line per finished job of a sweep, one combined table at the end.

Jobs may run in other processes (hydra/launcher=joblib), so they share what they
found through files: each job writes ``summary.json`` into its own folder
(``on_job_end``, in the job's process) and prints ``sweep: k/N jobs done, T
trials`` from the summaries present; ``on_multirun_end`` (in the launching
process) reads them all, prints the table (one row per job, then the median
over seeds per sampler-pruner pair), saves it as ``<sweep folder>.csv`` beside
the multirun folder, and logs it to MLflow as artifact ``sweep_summary.csv`` of
a run in experiment ``<problem>/sweeps`` (off the studies' page).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig

SUMMARY = "summary.json"
TOTAL = ".n_jobs"
COLUMNS = ["sampler", "pruner", "seed", "best_value", "n_finished", "n_complete", "n_pruned", "n_failed", "wall_time"]


class SweepReport(Callback):
    """Progress line per finished job and a combined table at the end of a multirun."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        total = count_jobs(list(config.hydra.overrides.task))
        if total is not None:
            folder = Path(config.hydra.sweep.dir)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / TOTAL).write_text(str(total))

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        if config.hydra.mode != RunMode.MULTIRUN or not isinstance(job_return.return_value, dict):
            return
        choices = config.hydra.runtime.choices
        row = {
            **job_return.return_value,
            "sampler": choices.get("sampler"),
            "pruner": choices.get("pruner"),
            "seed": config.get("seed"),
        }
        Path(config.hydra.runtime.output_dir, SUMMARY).write_text(json.dumps(row, default=str))
        print(progress_line(Path(config.hydra.sweep.dir)), file=sys.stderr, flush=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        folder = Path(config.hydra.sweep.dir)
        table = sweep_table(folder)
        if table.empty:
            return
        csv = folder.with_name(folder.name + "-summary.csv")
        table.to_csv(csv, index=False)
        print(format_table(table), f"\nsaved: {csv}", sep="\n", flush=True)
        tracking = config.get("tracking")
        if tracking is not None and tracking.get("enabled"):
            _log_to_mlflow(str(tracking.uri), _experiment(folder), folder.name, csv)


def count_jobs(overrides: list[str]) -> int | None:
    """How many jobs the basic sweeper makes of these overrides (None if they do not parse)."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
        return sum(len(batch) for batch in BasicSweeper.split_arguments(parsed, None))
    except Exception:  # noqa: BLE001  (another sweeper's syntax: the line then shows no total)
        return None


def _summaries(folder: Path) -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(folder.glob(f"*/{SUMMARY}"))]


def progress_line(folder: Path) -> str:
    rows = _summaries(folder)
    total_file = folder / TOTAL
    total = total_file.read_text() if total_file.exists() else "?"
    trials = sum(r["n_complete"] + r["n_pruned"] + r["n_failed"] for r in rows)
    return f"sweep: {len(rows)}/{total} jobs done, {trials} trials"


def sweep_table(folder: Path) -> pd.DataFrame:
    """One row per job (sorted by sampler, pruner, seed), then one median row per sampler-pruner pair."""
    rows = _summaries(folder)
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    jobs = pd.DataFrame(rows)
    jobs["n_finished"] = jobs["n_complete"] + jobs["n_pruned"] + jobs["n_failed"]
    jobs = jobs[COLUMNS + ["study_name"]].sort_values(["sampler", "pruner", "seed"], kind="stable")
    numeric = ["best_value", "n_finished", "n_complete", "n_pruned", "n_failed", "wall_time"]
    medians = jobs.groupby(["sampler", "pruner"], as_index=False)[numeric].median()
    medians["seed"] = "median"
    return pd.concat([jobs, medians], ignore_index=True)


def format_table(table: pd.DataFrame) -> str:
    shown = table.drop(columns=["study_name"]).fillna("")
    return shown.to_string(index=False, float_format=lambda v: f"{v:.4g}")


def _experiment(folder: Path) -> str:
    problems = {str(r["experiment"]) for r in _summaries(folder) if r.get("experiment") is not None}
    return f"{sorted(problems)[0] if len(problems) == 1 else 'hpobench'}/sweeps"


def _log_to_mlflow(uri: str, experiment: str, name: str, csv: Path) -> None:
    from hpobench.tracking import ensure_store, get_or_create_experiment

    client = ensure_store(uri)
    run = client.create_run(get_or_create_experiment(client, experiment, uri), run_name=f"sweep-{name}")
    client.log_artifact(run.info.run_id, str(csv), artifact_path=None)
    client.set_terminated(run.info.run_id)
