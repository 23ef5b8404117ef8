"""Several processes, on one machine or many, sharing one study in PostgreSQL.

What it shows: every worker opens the same study by name
(``create_study(..., load_if_exists=True)``) in the same database and runs
its share of the trials; the storage hands out unique trial numbers, the
sampler sees every worker's finished and running trials, and the pruner
compares each learning curve with all the others. Each trial records the
host and process that ran it, and the end prints how the trials spread.

    # one machine, 4 processes:
    .venv/bin/python examples/distributed_postgres.py --storage postgresql://user:pw@dbhost/hpo --workers 4
    # several machines: start the same command on each (each adds its --workers processes)

Any storage URL works the same way; ``sqlite:///study.db`` shares a study
between the processes of one machine. PostgreSQL needs the ``postgres``
extra (psycopg). How long: 80 trials of an SGD classifier on digits, 15 s of
CPU in all with 4 processes (50 s wall on a busy 2-core machine).
``HPOBENCH_EXAMPLES_TINY=1`` runs 2 processes x 2 trials (the CI test, on the
test suite's PostgreSQL server).
"""

import argparse
import multiprocessing
import os
import socket
from collections import Counter

from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split

import hpobench
from hpobench.pruners import SuccessiveHalvingPruner
from hpobench.pruners.integration import fit_with_pruning

TINY = os.environ.get("HPOBENCH_EXAMPLES_TINY") == "1"
N_EPOCHS = 3 if TINY else 20
STUDY = "distributed-sgd-digits"


def objective(trial: hpobench.Trial) -> float:
    trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X / 16.0, y, random_state=0)
    model = SGDClassifier(
        alpha=trial.suggest_float("alpha", 1e-6, 1e-1, log=True),
        learning_rate="constant",
        eta0=trial.suggest_float("eta0", 1e-4, 1.0, log=True),
        random_state=trial.number,
    )
    return fit_with_pruning(trial, model, X_train, y_train, X_val, y_val, n_epochs=N_EPOCHS)


def open_study(storage: str) -> hpobench.Study:
    return hpobench.create_study(
        storage=storage, study_name=STUDY, load_if_exists=True, pruner=SuccessiveHalvingPruner(max_resource=N_EPOCHS)
    )


def work(storage: str, n_trials: int) -> None:
    """One worker process: its own connection to the shared study."""
    open_study(storage).optimize(objective, n_trials=n_trials)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--storage", required=True, help="database URL shared by every worker")
    parser.add_argument("--workers", type=int, default=2, help="worker processes on this machine")
    parser.add_argument("--trials", type=int, default=4 if TINY else 80, help="trials on this machine, in all")
    args = parser.parse_args()
    open_study(args.storage)  # created once here, before the workers race to open it
    share = -(-args.trials // args.workers)
    context = multiprocessing.get_context("spawn")  # fresh interpreters, each with its own connection
    workers = [context.Process(target=work, args=(args.storage, share)) for _ in range(args.workers)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if any(worker.exitcode != 0 for worker in workers):
        raise SystemExit(f"a worker failed (exit codes {[w.exitcode for w in workers]}); see its traceback above")
    study = open_study(args.storage)
    spread = Counter(t.user_attrs.get("worker") for t in study.trials)
    print(
        f"{len(study.trials)} trials in study {STUDY!r}, numbers {sorted(t.number for t in study.trials)[:3]}..., "
        f"from {len(spread)} processes: {dict(spread)}"
    )
    print(f"best validation error {study.best_value:.4f} with {study.best_params}")


if __name__ == "__main__":
    main()
