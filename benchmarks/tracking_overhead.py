"""What MLflow tracking adds to a study's time: off vs on, ours vs a per-trial callback as Optuna does it.

Problem: branin (microseconds per trial, so the tracking cost is fully
visible), TPE with the default settings, n_trials sequential trials, an SQLite
study storage and a fresh SQLite MLflow store in a temporary folder.

Rows (each the median of --repeats runs):

- hpobench off:         InProcessRunner.run, no tracking.
- hpobench parent only: tracking on with log_trials=false (parent run, best-so-far curve).
- hpobench + children:  tracking on, one child run per trial (the default).
  Tracking reads the storage in a background thread (every 5 s, as the CLI)
  plus one final sync; 'run s' is the runner's time, 'total s' adds the final
  sync and closing the parent run (figures excluded: timed on their own line).
- optuna off / optuna + callback: Optuna's TPE on the same problem, with a
  callback that logs one MLflow run per trial synchronously (params and value,
  what optuna-integration's MLflowCallback does; that package is not installed
  here, so the callback is written out below).

The ratio column is total time / the same library's 'off' time.

    .venv/bin/python benchmarks/tracking_overhead.py               # 200 trials, 3 repeats
    .venv/bin/python benchmarks/tracking_overhead.py --trials 50 --repeats 1 --task-trials 0

Second table: the default job's setting (mlp_digits, TPE + ASHA, LocalRunner
with 2 processes), tracking off and on alternated twice: there the background
sync overlaps the training and the study time is what to compare.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
import uuid
import warnings
from pathlib import Path

import hpobench
from hpobench.problems import get_problem
from hpobench.pruners import NopPruner, SuccessiveHalvingPruner
from hpobench.runners import InProcessRunner, LocalRunner
from hpobench.samplers import TPESampler
from hpobench.tracking import BackgroundSync, StudyTracker, ensure_store


def _hpobench(folder: Path, n_trials: int, mode: str, task: str = "branin", runner=None) -> tuple[float, float]:
    storage = f"sqlite:///{folder / 'studies.db'}"
    problem = get_problem(task, seed=0)
    runner = runner or InProcessRunner()
    name = f"overhead-{uuid.uuid4().hex[:8]}"
    pruner = SuccessiveHalvingPruner() if task != "branin" else NopPruner()
    study = hpobench.create_study(storage=storage, sampler=TPESampler(seed=0), pruner=pruner, study_name=name)
    tracker = None
    if mode != "off":
        tracker = StudyTracker(
            uri=f"sqlite:///{folder / 'mlflow.db'}",
            experiment=task,
            study_name=name,
            log_trials=mode == "children",
            artifacts=False,
        )
        tracker.start()
    reader = hpobench.load_study(study_name=name, storage=storage, sampler=study.sampler, pruner=study.pruner)
    start = time.perf_counter()
    if tracker is None:
        runner.run(study, problem, n_trials=n_trials)
        run = time.perf_counter() - start
        return run, run
    with BackgroundSync(tracker, reader, interval=5.0):
        runner.run(study, problem, n_trials=n_trials)
    run = time.perf_counter() - start
    tracker.finish(reader)
    return run, time.perf_counter() - start


def _optuna(folder: Path, n_trials: int, mode: str) -> tuple[float, float]:
    import optuna
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param

    problem = get_problem("branin", seed=0)
    study = optuna.create_study(storage=f"sqlite:///{folder / 'optuna.db'}", sampler=optuna.samplers.TPESampler(seed=0))
    callbacks = []
    if mode != "off":
        client = MlflowClient(tracking_uri=f"sqlite:///{folder / 'mlflow.db'}")
        experiment = client.get_experiment_by_name("optuna") or client.get_experiment(
            client.create_experiment("optuna")
        )
        exp_id = experiment.experiment_id

        def log_trial(_study, trial):  # one run per trial, in the optimize loop, as MLflowCallback does
            run = client.create_run(exp_id, run_name=str(trial.number))
            params = [Param(k, str(v)) for k, v in trial.params.items()]
            metrics = [Metric("value", trial.value, int(time.time() * 1000), 0)] if trial.value is not None else []
            client.log_batch(run.info.run_id, metrics=metrics, params=params)
            client.set_terminated(run.info.run_id)

        callbacks.append(log_trial)
    start = time.perf_counter()
    study.optimize(lambda t: problem.objective(t), n_trials=n_trials, callbacks=callbacks)
    elapsed = time.perf_counter() - start
    return elapsed, elapsed


def _figures_time(folder: Path, n_trials: int) -> float:
    from hpobench.tracking import write_figures

    storage = f"sqlite:///{folder / 'studies.db'}"
    name = hpobench.get_all_study_names(storage)[-1]
    study = hpobench.load_study(study_name=name, storage=storage, sampler=TPESampler(seed=0))
    out = folder / "figures"
    out.mkdir(exist_ok=True)
    write_figures(study, out)  # warm: matplotlib import
    start = time.perf_counter()
    write_figures(study, out)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--task-trials", type=int, default=150, help="trials of the real-task table (0: skip it)")
    args = parser.parse_args()
    logging.getLogger("hpobench").setLevel(logging.WARNING)
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore")
    rows = [
        ("hpobench", "off"),
        ("hpobench", "parent"),
        ("hpobench", "children"),
        ("optuna", "off"),
        ("optuna", "children"),
    ]
    results: dict[tuple[str, str], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ensure_store(f"sqlite:///{folder / 'mlflow.db'}")  # one-time schema creation, not charged to any row
        for lib, mode in rows * args.repeats:
            run = _hpobench if lib == "hpobench" else _optuna
            results.setdefault((lib, mode), [])
            results[(lib, mode)].append(run(folder, args.trials, mode))
        figures = _figures_time(folder, args.trials)
    print(f"MLflow tracking overhead: branin, TPE, {args.trials} sequential trials, median of {args.repeats}")
    print(f"{'library':<10}{'tracking':<22}{'run s':>8}{'total s':>9}{'ratio':>8}{'ms/trial':>10}")
    labels = {"off": "off", "parent": "parent run only", "children": "child run per trial"}
    for lib, mode in rows:
        run = statistics.median(r for r, _ in results[(lib, mode)])
        total = statistics.median(t for _, t in results[(lib, mode)])
        base = statistics.median(t for _, t in results[(lib, "off")])
        extra_ms = (total - base) / args.trials * 1000
        label = labels[mode] if lib == "hpobench" or mode == "off" else "callback per trial"
        print(f"{lib:<10}{label:<22}{run:8.2f}{total:9.2f}{total / base:8.2f}{extra_ms:10.1f}")
    print(f"figures + trials.csv at the end of a study (hpobench, {args.trials} trials): {figures:.2f} s")
    if args.task_trials:
        _task_table(args.task_trials)


def _task_table(n_trials: int) -> None:
    """The default job's setting: mlp_digits, TPE + ASHA, LocalRunner with 2 worker processes."""
    print(f"\nmlp_digits, TPE + ASHA, LocalRunner(n_workers=2), {n_trials} trials, off/on alternated twice")
    print(f"{'tracking':<22}{'run s':>8}{'total s':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ensure_store(f"sqlite:///{folder / 'mlflow.db'}")
        for mode in ("off", "children", "off", "children"):
            run, total = _hpobench(folder, n_trials, mode, task="mlp_digits", runner=LocalRunner(n_workers=2))
            print(f"{'off' if mode == 'off' else 'child run per trial':<22}{run:8.2f}{total:9.2f}")


if __name__ == "__main__":
    main()
