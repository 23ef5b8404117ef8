"""Samplers in 4 worker processes sharing one SQLite study.

TPE with constant liar must never give two trials that ran at the same time
identical parameters; GridSampler must hand out every grid point exactly once.
"""

from __future__ import annotations

import itertools
import multiprocessing
import time

import pytest

import hpobench
from hpobench.pruners import NopPruner
from hpobench.samplers import GridSampler, TPESampler
from hpobench.trial import TrialState

N_WORKERS = 4
TRIALS_PER_WORKER = 8
GRID = {"a": [0, 1, 2], "b": ["x", "y", "z"], "c": [0.5, 1.5]}  # 18 points


def _objective(trial: hpobench.Trial) -> float:
    x = trial.suggest_float("x", -5.0, 5.0)
    n = trial.suggest_int("n", 0, 6)
    kind = trial.suggest_categorical("kind", ["p", "q"])
    time.sleep(0.15)  # long enough that the workers' trials overlap
    return (x - 1.0) ** 2 + abs(n - 2) + (kind == "q")


def _tpe_worker(url: str, start) -> None:
    sampler = TPESampler(seed=0, n_startup_trials=4, constant_liar=True)  # same seed in every worker
    study = hpobench.load_study(study_name="tpe4", storage=url, sampler=sampler, pruner=NopPruner())
    start.wait()
    study.optimize(_objective, n_trials=TRIALS_PER_WORKER)


def _grid_objective(trial: hpobench.Trial) -> float:
    a = trial.suggest_int("a", 0, 2)
    trial.suggest_categorical("b", ["x", "y", "z"])
    c = trial.suggest_float("c", 0.0, 2.0)
    time.sleep(0.05)
    return a + c


def _grid_worker(url: str, start) -> None:
    study = hpobench.load_study(study_name="grid4", storage=url, sampler=GridSampler(GRID, seed=0), pruner=NopPruner())
    start.wait()
    study.optimize(_grid_objective, n_trials=10)  # 4 x 10 > 18: the grid runs out first


def _run(target, url):
    context = multiprocessing.get_context("fork")
    start = context.Barrier(N_WORKERS)
    workers = [context.Process(target=target, args=(url, start)) for _ in range(N_WORKERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=180)
    assert [w.exitcode for w in workers] == [0] * N_WORKERS


@pytest.mark.slow
def test_tpe_workers_never_share_parameters_while_running(sqlite_url):
    hpobench.create_study(study_name="tpe4", storage=sqlite_url, pruner=NopPruner())
    _run(_tpe_worker, sqlite_url)
    trials = hpobench.load_study(study_name="tpe4", storage=sqlite_url, pruner=NopPruner()).trials
    assert len(trials) == N_WORKERS * TRIALS_PER_WORKER
    assert all(t.state == TrialState.COMPLETE for t in trials)
    overlapping = [
        (s, t)
        for s, t in itertools.combinations(trials, 2)
        if s.datetime_start < t.datetime_complete and t.datetime_start < s.datetime_complete
    ]
    assert len(overlapping) >= N_WORKERS * TRIALS_PER_WORKER // 2, "the workers should have run side by side"
    assert all(s.params != t.params for s, t in overlapping)


@pytest.mark.slow
def test_grid_workers_take_every_point_once(sqlite_url):
    hpobench.create_study(study_name="grid4", storage=sqlite_url, pruner=NopPruner())
    _run(_grid_worker, sqlite_url)
    trials = hpobench.load_study(study_name="grid4", storage=sqlite_url, pruner=NopPruner()).trials
    points = [tuple(sorted(t.params.items())) for t in trials]
    sampler = GridSampler(GRID)
    expected = {tuple(sorted(sampler.grid_point(i).items())) for i in range(sampler.n_grids)}
    assert set(points) == expected
    # Each worker stops once the grid is exhausted; at most one extra trial per worker may re-sample.
    assert len(points) - len(expected) <= N_WORKERS - 1
    first_18 = [tuple(sorted(t.params.items())) for t in sorted(trials, key=lambda t: t.number)[:18]]
    assert len(set(first_18)) == 18
