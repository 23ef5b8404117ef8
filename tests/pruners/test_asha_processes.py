"""ASHA with 4 worker processes on one SQLite study prunes at the first rung before any trial completes.

Optuna's ASHA with min_resource='auto' prunes nothing until a trial has
completed; here 'auto' uses the deepest step reported so far (see
pruners.successive_halving), and rung values live in the storage, so workers
in other processes compete with each other from the first report on.
"""

from __future__ import annotations

import multiprocessing
import time

import hpobench
from hpobench.pruners import SuccessiveHalvingPruner
from hpobench.samplers import RandomSampler
from hpobench.trial import TrialState

N_WORKERS = 4
TRIALS_PER_WORKER = 4
N_STEPS = 30
STEP_SECONDS = 0.1


def _objective(trial: hpobench.Trial) -> float:
    trial.suggest_float("x", 0.0, 1.0)
    # Later trials are worse, so every rung has losers whatever order the workers report in.
    for step in range(1, N_STEPS + 1):
        time.sleep(STEP_SECONDS)
        trial.report(trial.number + 1.0 / step, step)
        if trial.should_prune():
            raise hpobench.TrialPruned()
    return trial.number + 1.0 / N_STEPS


def _worker(url: str, start: multiprocessing.synchronize.Barrier) -> None:
    study = hpobench.load_study(
        study_name="asha4", storage=url, sampler=RandomSampler(seed=0), pruner=SuccessiveHalvingPruner()
    )
    start.wait(timeout=60)  # all workers begin together, after opening the storage
    study.optimize(_objective, n_trials=TRIALS_PER_WORKER)


def test_asha_prunes_first_rung_before_any_completion(sqlite_url):
    # The parent opens the database only after the workers finish (forking a process that holds
    # SQLite connections is unsafe), so a child creates the study. fork keeps start-up short.
    context = multiprocessing.get_context("fork")
    creator = context.Process(target=hpobench.create_study, kwargs={"study_name": "asha4", "storage": sqlite_url})
    creator.start()
    creator.join(timeout=60)
    assert creator.exitcode == 0
    start = context.Barrier(N_WORKERS)
    workers = [context.Process(target=_worker, args=(sqlite_url, start)) for _ in range(N_WORKERS)]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
    finally:
        for worker in workers:
            if worker.is_alive():  # a hung worker must not outlive the test
                worker.terminate()
    assert [w.exitcode for w in workers] == [0] * N_WORKERS

    trials = hpobench.load_study(study_name="asha4", storage=sqlite_url).trials
    assert sorted(t.number for t in trials) == list(range(N_WORKERS * TRIALS_PER_WORKER))  # none lost or doubled
    completed = [t for t in trials if t.state == TrialState.COMPLETE]
    assert completed, "the best trials should run to the end"
    first_completion = min(t.datetime_complete for t in completed)
    early = [
        t
        for t in trials
        if t.state == TrialState.PRUNED and t.last_step == 1 and t.datetime_complete < first_completion
    ]
    assert len(early) >= 1, [(t.number, t.state.name, t.last_step) for t in trials]
    assert all("completed_rung_0" in t.system_attrs for t in early)
