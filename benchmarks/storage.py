"""Storage throughput: hpobench's storages beside Optuna's, doing the same work in one run.

Every row runs the same objective (5 parameters: float, log float, int,
stepped int, categorical; 5 reports with should_prune; 1 user attr) with a
RandomSampler and no pruning on both sides, so samplers and pruners cost
nothing and what is measured is the trial/storage path:

- in memory, 1 process: hpobench InMemoryStorage vs optuna InMemoryStorage;
- SQLite file, 1 and 8 worker processes: hpobench RDBStorage vs optuna RDBStorage;
- PostgreSQL, 8 worker processes (a throwaway server from
  tests/support/postgres_server.py; the row is skipped with a note when the
  server binaries are absent).

Workers are spawned processes that import, open the study, then wait on a
barrier, so the timed window (first start to last end) holds only trials.
Statements per trial: hpobench's RDBStorage.statement_count; for Optuna a
SQLAlchemy ``before_cursor_execute`` listener on ``RDBStorage(url).engine``.
After each hpobench row the script checks that the trials are numbered
0..N-1, all COMPLETE, none lost or duplicated. Optuna's SQLite engine gets a
60 s lock timeout (as hpobench's) so that it does not fail under 8 writers.

    .venv/bin/python benchmarks/storage.py            # 50 trials per SQL worker, 2,000 in memory
    .venv/bin/python benchmarks/storage.py --quick    # 15 trials per SQL worker, 300 in memory
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

STUDY = "bench"


def objective_for(module: Any):
    """The same objective for both libraries (module is optuna or hpobench)."""

    def objective(trial):
        x = trial.suggest_float("x", -5.0, 5.0)
        lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
        units = trial.suggest_int("units", 1, 256)
        layers = trial.suggest_int("layers", 1, 9, step=2)
        kind = trial.suggest_categorical("kind", ["relu", "tanh", None, 3])
        trial.set_user_attr("kind_was", kind)
        value = x * x + lr * units + layers
        for step in range(5):
            trial.report(value + 1.0 / (step + 1), step)
            if trial.should_prune():
                raise module.TrialPruned()
        return value

    return objective


# --- one library's side ---------------------------------------------------------------------
def _open(lib: str, url: str | None, counter: list[int]):
    """(module, study) for lib, counting SQL statements into counter[0]."""
    if lib == "optuna":
        import optuna
        import sqlalchemy as sa

        optuna.logging.set_verbosity(optuna.logging.ERROR)
        storage: Any = optuna.storages.InMemoryStorage()
        if url is not None:
            kwargs = {"connect_args": {"timeout": 60}} if url.startswith("sqlite") else {}
            storage = optuna.storages.RDBStorage(url, engine_kwargs=kwargs)
            sa.event.listen(storage.engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1))
        study = optuna.create_study(
            storage=storage,
            study_name=STUDY,
            load_if_exists=True,
            sampler=optuna.samplers.RandomSampler(seed=0),
            pruner=optuna.pruners.NopPruner(),
        )
        return optuna, study
    import logging

    import hpobench
    from hpobench.pruners import NopPruner
    from hpobench.samplers import RandomSampler

    logging.getLogger("hpobench").setLevel(logging.ERROR)
    storage = hpobench.InMemoryStorage() if url is None else hpobench.RDBStorage(url)
    study = hpobench.create_study(
        storage=storage, study_name=STUDY, load_if_exists=True, sampler=RandomSampler(seed=0), pruner=NopPruner()
    )
    return hpobench, study


def _statements(lib: str, study: Any, counter: list[int]) -> int:
    return counter[0] if lib == "optuna" else getattr(study.storage, "statement_count", 0)


def _worker(lib: str, url: str, n_trials: int, barrier: Any, results: Any) -> None:
    counter = [0]
    module, study = _open(lib, url, counter)
    barrier.wait()
    before = _statements(lib, study, counter)
    start = time.perf_counter()
    study.optimize(objective_for(module), n_trials=n_trials)
    end = time.perf_counter()
    results.put((start, end, _statements(lib, study, counter) - before))


def run_processes(lib: str, url: str, n_workers: int, n_trials: int) -> tuple[float, float]:
    """Trials per second and statements per trial of n_workers spawned processes."""
    _open(lib, url, [0])  # create the study (and the schema) before the workers start
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(n_workers), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(lib, url, n_trials, barrier, results)) for _ in range(n_workers)]
    for proc in procs:
        proc.start()
    rows = [results.get(timeout=1800) for _ in procs]
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"a {lib} worker exited with {proc.exitcode}")
    total = n_workers * n_trials
    wall = max(r[1] for r in rows) - min(r[0] for r in rows)
    return total / wall, sum(r[2] for r in rows) / total


def run_in_process(lib: str, n_trials: int) -> tuple[float, float]:
    counter = [0]
    module, study = _open(lib, None, counter)
    start = time.perf_counter()
    study.optimize(objective_for(module), n_trials=n_trials)
    return n_trials / (time.perf_counter() - start), float("nan")


def check_intact(url: str | None, total: int) -> str:
    """Every hpobench trial present once, numbered 0..total-1, COMPLETE."""
    import hpobench
    from hpobench.samplers import RandomSampler

    trials = hpobench.load_study(study_name=STUDY, storage=url, sampler=RandomSampler()).trials
    numbers_ok = [t.number for t in trials] == list(range(total))
    states_ok = all(t.state == hpobench.TrialState.COMPLETE and len(t.intermediate_values) == 5 for t in trials)
    return "ok" if numbers_ok and states_ok else f"BROKEN ({len(trials)} trials)"


# --- the table ----------------------------------------------------------------------------------
def _fmt(value: float, digits: int = 1) -> str:
    return "-" if value != value else f"{value:,.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer trials (a smoke run)")
    args = parser.parse_args()
    per_worker = 15 if args.quick else 50
    in_memory = 300 if args.quick else 2000
    warnings.simplefilter("ignore")

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        print(f"in memory, 1 process, {in_memory} trials ...", flush=True)
        ours, theirs = run_in_process("hpobench", in_memory), run_in_process("optuna", in_memory)
        rows.append(("in-memory", 1, in_memory, ours, theirs, "n/a"))
        for n_workers in (1, 8):
            total = n_workers * per_worker
            print(f"SQLite, {n_workers} worker process(es), {total} trials ...", flush=True)
            url = f"sqlite:///{tmp}/ours{n_workers}.db"
            ours = run_processes("hpobench", url, n_workers, per_worker)
            theirs = run_processes("optuna", f"sqlite:///{tmp}/optuna{n_workers}.db", n_workers, per_worker)
            rows.append(("SQLite file", n_workers, total, ours, theirs, check_intact(url, total)))
        rows.append(postgres_row(per_worker))

    print()
    print(f"# storage throughput, {datetime.date.today()}, {'--quick' if args.quick else 'full'}")
    print(
        "| storage | workers | trials | hpobench trials/s | Optuna trials/s | ratio "
        "| hpobench stmts/trial | Optuna stmts/trial | hpobench trials intact |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, workers, total, ours, theirs, intact in rows:
        if ours is None:
            print(f"| {name} | {workers} | - | - | - | - | - | - | {intact} |")
            continue
        print(
            f"| {name} | {workers} | {total} | {_fmt(ours[0])} | {_fmt(theirs[0])} | {ours[0] / theirs[0]:.1f}x "
            f"| {_fmt(ours[1])} | {_fmt(theirs[1])} | {intact} |"
        )


def postgres_row(per_worker: int) -> tuple:
    from tests.support.postgres_server import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        return ("PostgreSQL", 8, 0, None, None, "skipped: PostgreSQL server binaries not found")
    total = 8 * per_worker
    print(f"PostgreSQL, 8 worker processes, {total} trials ...", flush=True)
    server = PostgresServer(bindir).start()
    try:
        url = server.create_database()
        ours = run_processes("hpobench", url, 8, per_worker)
        theirs = run_processes("optuna", server.create_database(), 8, per_worker)
        return ("PostgreSQL", 8, total, ours, theirs, check_intact(url, total))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
