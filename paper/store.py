"""Results under results/paper/<experiment>/: one parquet file per study, computed once.

run_tasks() runs only the studies whose file is missing (joblib processes),
so an interrupted or extended run recomputes only what is new. A task is a
flat dict of JSON scalars; its file name is a readable prefix plus a hash of
the whole task, so changing any budget field (n_trials, timeout) is a new study.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from joblib import Parallel, delayed


def task_key(task: dict[str, Any]) -> str:
    """File stem of a task: readable fields then an 8-hex hash of all fields."""
    digest = hashlib.sha1(json.dumps(task, sort_keys=True).encode()).hexdigest()[:8]
    readable = "-".join(str(v) for v in task.values() if isinstance(v, (str, int)) and not isinstance(v, bool))
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in readable)[:100] + "-" + digest


def _run_and_save(fn: Callable[[dict[str, Any]], pd.DataFrame], task: dict[str, Any], path: Path) -> None:
    begin, cpu_begin = time.perf_counter(), time.process_time()
    frame = fn(task)
    frame["study_seconds"] = time.perf_counter() - begin  # what a later, cached run reports as compute time
    # CPU time of this process (all its threads): the study's cost even when other jobs share the cores,
    # which is how docs/paper.md sizes the budgets.
    frame["study_cpu_seconds"] = time.process_time() - cpu_begin
    for field, value in task.items():
        frame[field] = value
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)  # atomic: a half-written file never looks like a finished study


def run_tasks(
    tasks: list[dict[str, Any]],
    fn: Callable[[dict[str, Any]], pd.DataFrame],
    folder: Path,
    *,
    n_jobs: int = 2,
) -> pd.DataFrame:
    """Run fn on every task whose result file is missing, then return all tasks' rows.

    Args:
        fn: a module-level function (picklable) returning one study's rows.
        n_jobs: joblib processes for the missing tasks (1 = in this process).
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{task_key(t)}.parquet" for t in tasks]
    todo = [(t, p) for t, p in zip(tasks, paths, strict=False) if not p.exists()]
    if todo:
        Parallel(n_jobs=min(n_jobs, len(todo)))(delayed(_run_and_save)(fn, t, p) for t, p in todo)
    frames = [pd.read_parquet(p) for p in paths]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out.attrs.update(provenance(frames, computed=len(todo)))
    return out


def provenance(frames: list[pd.DataFrame], *, computed: int) -> dict[str, Any]:
    """How many studies were computed now or read back, and their summed compute seconds (None if unknown)."""
    seconds = [float(f["study_seconds"].iloc[0]) for f in frames if "study_seconds" in f and len(f)]
    return {
        "studies": len(frames),
        "computed": computed,
        "study_seconds": sum(seconds) if len(seconds) == len(frames) else None,
    }
