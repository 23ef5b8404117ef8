"""Worker processes for the multi-process and heartbeat tests (importable, so 'spawn' can run them).

Each trial records what it suggested in user attrs and reports values derived
from its own x, so the parent can check that every stored trial is intact:
params, attrs, intermediate values and value all agree.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from typing import Any

import hpobench
from hpobench.distributions import CategoricalDistribution, IntDistribution
from hpobench.interfaces import PrunerInterface, SamplerInterface
from hpobench.storages import RDBStorage, RetryFailedTrialCallback

N_REPORTS = 3


class RandomSampler(SamplerInterface):
    """A minimal uniform sampler seeded by (seed, trial number, name).

    The workers use it instead of samplers.RandomSampler so that a spawned
    process imports only hpobench (the plugin packages import scipy, Optuna...
    and would make these core tests measure import time).
    """

    def __init__(self, *, seed: int = 0) -> None:
        self.seed = seed

    def infer_relative_search_space(self, study: Any, trial: Any) -> dict:
        return {}

    def sample_relative(self, study: Any, trial: Any, search_space: dict) -> dict:
        return {}

    def sample_independent(self, study: Any, trial: Any, name: str, distribution: Any) -> Any:
        rng = random.Random(f"{self.seed}-{trial.number}-{name}")
        if isinstance(distribution, CategoricalDistribution):
            return rng.choice(distribution.choices)
        if isinstance(distribution, IntDistribution):
            return rng.randint(distribution.low, distribution.high)
        return rng.uniform(distribution.low, distribution.high)


class NopPruner(PrunerInterface):
    def prune(self, study: Any, trial: Any) -> bool:
        return False


def checked_objective(worker: int):
    """Objective whose stored trial can be verified from itself alone (see check_trial)."""
    counter = {"n": 0}

    def objective(trial):
        x = trial.suggest_float("x", 0.0, 1.0)
        k = trial.suggest_int("k", 0, 100)
        c = trial.suggest_categorical("c", ["a", "b", None])
        counter["n"] += 1
        trial.set_user_attr("run", [worker, counter["n"]])  # (worker, its n-th trial): unique per trial
        trial.set_user_attr("echo", {"x": x, "k": k, "c": c})
        for step in range(N_REPORTS):
            trial.report(x + step, step)
        return x + k

    return objective


def check_trial(trial) -> None:
    """Raise AssertionError unless the stored trial agrees with itself."""
    assert trial.state == hpobench.TrialState.COMPLETE, trial
    assert trial.params == trial.user_attrs["echo"], trial
    assert trial.intermediate_values == {s: trial.params["x"] + s for s in range(N_REPORTS)}, trial
    assert trial.value == trial.params["x"] + trial.params["k"], trial


def optimize_worker(url: str, study_name: str, n_trials: int, worker: int) -> None:
    study = hpobench.create_study(
        storage=url, study_name=study_name, load_if_exists=True, sampler=RandomSampler(seed=0), pruner=NopPruner()
    )
    study.optimize(checked_objective(worker), n_trials=n_trials)


def heartbeat_storage(url: str) -> RDBStorage:
    return RDBStorage(
        url, heartbeat_interval=0.2, grace_period=1.0, failed_trial_callback=RetryFailedTrialCallback(max_retry=2)
    )


def hanging_worker(url: str, study_name: str, marker: str) -> None:
    """Start one trial, report once, tell the parent (marker file), then hang until killed."""
    study = hpobench.load_study(
        study_name=study_name, storage=heartbeat_storage(url), sampler=RandomSampler(seed=7), pruner=NopPruner()
    )

    def objective(trial):
        x = trial.suggest_float("x", 0.0, 1.0)
        trial.suggest_categorical("c", ["a", "b", None])
        trial.report(x, 0)
        trial.set_user_attr("hung", True)
        Path(marker).write_text(str(trial.number))
        time.sleep(120)
        return x

    study.optimize(objective, n_trials=1)


def zombie_worker(url: str, study_name: str, marker: str, result: str) -> None:
    """Ask a trial, signal the parent, wait to be stopped and continued, then try to finish it."""
    study = hpobench.load_study(
        study_name=study_name, storage=heartbeat_storage(url), sampler=RandomSampler(seed=3), pruner=NopPruner()
    )
    trial = study.ask()
    trial.suggest_float("x", 0.0, 1.0)
    Path(marker).write_text(str(os.getpid()))
    while not Path(marker + ".continue").exists():  # the parent SIGSTOPs us here, fails the trial, SIGCONTs us
        time.sleep(0.05)
    outcomes = []
    for attempt in (
        lambda: trial.report(0.5, 1),
        lambda: trial.set_user_attr("late", 1),
        lambda: study.tell(trial, 0.5),
    ):
        try:
            attempt()
            outcomes.append("stored")
        except Exception as err:  # noqa: BLE001 - the parent checks which error it was
            outcomes.append(type(err).__name__)
    # optimize() in a zombie-prone worker goes on with new trials
    study.optimize(lambda t: t.suggest_float("x", 0.0, 1.0), n_trials=1)
    Path(result).write_text(",".join(outcomes))
