"""Record the learning curves of a real task for random configurations.

    .venv/bin/python scripts/record_curves.py --task mlp_digits --n-configs 1000 --n-jobs 2

Configurations come from the task's own define-by-run space (configure(trial))
through an in-memory study and a seeded random sampler (ask / tell); each is
trained to the end with the task's record(), in n_jobs worker processes.
The table (problems/recorded/_table.py format) is saved after every chunk to
a partial file, and moved to problems/data/<task>.npz at the end; the run is
described in problems/data/manifest.json (command, machine, date, seconds).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hpobench  # noqa: E402
from hpobench.problems import get_problem  # noqa: E402
from hpobench.problems.recorded import DATA_DIR, Table, encode_configs, save_table, table_path  # noqa: E402
from hpobench.pruners.nop import NopPruner  # noqa: E402
from hpobench.samplers import sample_uniform  # noqa: E402
from hpobench.samplers.random import RandomSampler  # noqa: E402


class _FullNameRandomSampler(RandomSampler):
    """RandomSampler whose per-parameter stream hashes the whole name.

    (RandomSampler keys the stream on the name's first 8 bytes, so n_units_l0 and
    n_units_l1 would always draw the same value.)
    """

    def sample_independent(self, study: Any, trial: Any, param_name: str, param_distribution: Any) -> Any:
        return sample_uniform(param_distribution, self.rng_for(trial, zlib.crc32(param_name.encode())))


def _train(name: str, task_seed: int, config: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    return get_problem(name, seed=task_seed).record(config)


def _machine() -> dict[str, Any]:
    model = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def _sample_configs(name: str, task_seed: int, n: int, seed: int) -> tuple[Any, list, list, dict]:
    task = get_problem(name, seed=task_seed)
    study = hpobench.create_study(sampler=_FullNameRandomSampler(seed=seed), pruner=NopPruner())
    trials = [study.ask() for _ in range(n)]
    configs = [task.configure(trial) for trial in trials]
    distributions: dict = {}
    for trial in trials:
        distributions.update(trial.distributions)
    return study, trials, configs, distributions


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--task", required=True)
    parser.add_argument("--n-configs", type=int, default=1000)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="seed of the random sampler")
    parser.add_argument("--task-seed", type=int, default=0, help="seed of the task (data split, init)")
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--data-dir", default=str(DATA_DIR))
    parser.add_argument("--partial-dir", default="/tmp")
    args = parser.parse_args(argv)
    if args.n_configs < 1 or args.n_jobs < 1 or args.chunk < 1:
        raise ValueError(
            f"n-configs, n-jobs and chunk must be >= 1, got {args.n_configs}, {args.n_jobs}, {args.chunk}."
        )

    study, trials, configs, distributions = _sample_configs(args.task, args.task_seed, args.n_configs, args.seed)
    task = get_problem(args.task, seed=args.task_seed)
    meta = {
        "task": args.task,
        "max_step": task.max_step,
        "task_seed": args.task_seed,
        "sampler_seed": args.seed,
        "command": " ".join([".venv/bin/python", "scripts/record_curves.py", *sys.argv[1:]]),
        "machine": _machine(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "n_jobs": args.n_jobs,
        "seconds": "CPU seconds of the training thread per step (time.thread_time)",
    }
    partial = Path(args.partial_dir) / f"{args.task}.partial.npz"
    values, seconds = [], []
    start = time.perf_counter()
    with Parallel(n_jobs=args.n_jobs) as parallel:
        for lo in range(0, len(configs), args.chunk):
            chunk = configs[lo : lo + args.chunk]
            results = parallel(delayed(_train)(args.task, args.task_seed, c) for c in chunk)
            values += [r[0] for r in results]
            seconds += [r[1] for r in results]
            done = len(values)
            meta.update(
                n_configs=done,
                wall_seconds=round(time.perf_counter() - start, 1),
                train_seconds=round(float(np.sum(seconds)), 1),
            )
            save_table(
                partial,
                Table(
                    np.array(values),
                    np.array(seconds),
                    encode_configs(configs[:done], distributions),
                    distributions,
                    dict(meta),
                ),
            )
            print(f"{args.task}: {done}/{len(configs)} configs, {meta['wall_seconds']} s", flush=True)
    for trial, curve in zip(trials, values, strict=False):
        study.tell(trial, float(curve[-1]))
    out = table_path(args.task, args.data_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(partial), out)
    _update_manifest(Path(args.data_dir) / "manifest.json", args.task, meta, out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB), best final error {study.best_value:.4f}")


def _update_manifest(path: Path, task: str, meta: dict[str, Any], out: Path) -> None:
    manifest = json.loads(path.read_text()) if path.exists() else {}
    manifest[task] = dict(meta, file=out.name, bytes=out.stat().st_size)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
