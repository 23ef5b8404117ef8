"""Many processes on one storage: nothing lost or duplicated; dead and frozen workers handled by the heartbeat.

The workers live in tests/support/core_workers.py and run as real processes
('spawn': fresh interpreters, as on a cluster), on a real SQLite file and on
the real PostgreSQL test server.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

import hpobench
from hpobench.exceptions import TrialFinishedError
from tests.support import core_workers
from tests.support.core_workers import NopPruner, RandomSampler

N_WORKERS = 8
N_TRIALS = 50


def _spawn(target, *args) -> multiprocessing.Process:
    process = multiprocessing.get_context("spawn").Process(target=target, args=args, daemon=True)
    process.start()
    return process


def _wait_for(path: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.02)


def _run_workers(url: str) -> list:
    processes = [_spawn(core_workers.optimize_worker, url, "shared", N_TRIALS, w) for w in range(N_WORKERS)]
    for process in processes:
        process.join(timeout=240)
        assert process.exitcode == 0, f"worker exited with {process.exitcode}"
    return hpobench.load_study(study_name="shared", storage=url, sampler=RandomSampler()).trials


def _check_all_trials(trials: list) -> None:
    total = N_WORKERS * N_TRIALS
    assert [t.number for t in trials] == list(range(total))
    for trial in trials:
        core_workers.check_trial(trial)
    runs = Counter(tuple(t.user_attrs["run"]) for t in trials)
    assert set(runs.values()) == {1}, "a trial was stored twice"
    assert sorted(runs) == [(w, n) for w in range(N_WORKERS) for n in range(1, N_TRIALS + 1)]
    assert len({t.trial_id for t in trials}) == total


@pytest.mark.slow
def test_eight_processes_on_one_sqlite_file(sqlite_url):
    _check_all_trials(_run_workers(sqlite_url))


@pytest.mark.slow
def test_eight_processes_on_postgresql(postgres_url):
    _check_all_trials(_run_workers(postgres_url))


# --- heartbeat ---------------------------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", "postgres"])
def rdb_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hb.db'}"
    return request.getfixturevalue("postgres_url")


def _heartbeat_study(url: str):
    return hpobench.create_study(
        storage=core_workers.heartbeat_storage(url),
        study_name="hb",
        load_if_exists=True,
        sampler=RandomSampler(seed=0),
        pruner=NopPruner(),
    )


@pytest.mark.slow
def test_killed_worker_fails_its_trial_and_the_retry_runs_its_params(rdb_url, tmp_path):
    study = _heartbeat_study(rdb_url)
    study.optimize(core_workers.checked_objective(worker=99), n_trials=2)
    before = study.get_trials(deepcopy=True)
    marker = tmp_path / "started"
    hung = _spawn(core_workers.hanging_worker, rdb_url, "hb", str(marker))
    _wait_for(marker)
    killed_number = int(marker.read_text())
    os.kill(hung.pid, signal.SIGKILL)
    killed_at = time.time()
    hung.join()

    # This worker keeps optimizing; one of its ask() calls finds the stale trial.
    study.optimize(
        lambda t: time.sleep(0.1) or core_workers.checked_objective(worker=98)(t),
        n_trials=25,
        callbacks=[lambda s, _: s.trials[killed_number].state.is_finished() and s.stop()],
    )
    trials = study.trials
    killed = trials[killed_number]
    assert killed.state == hpobench.TrialState.FAIL
    assert "heartbeat" in killed.system_attrs["fail_reason"]
    assert killed.user_attrs == {"hung": True} and killed.intermediate_values == {0: killed.params["x"]}
    # failed once the grace period passed, not long after (reaper runs at each ask, at most every interval)
    assert 1.0 - 0.2 <= killed.datetime_complete.timestamp() - killed_at < 1.0 + 5.0

    retries = [t for t in trials if t.system_attrs.get("retried_from") == [killed_number]]
    assert len(retries) == 1
    retry = retries[0]
    assert retry.system_attrs["retry_count"] == 1
    assert hpobench.RetryFailedTrialCallback.retried_trial_number(retry) == killed_number
    assert retry.state == hpobench.TrialState.COMPLETE
    # same x and c; k is sampled anew (the killed trial never reached it)
    assert {name: retry.params[name] for name in killed.params} == killed.params and set(retry.params) == {
        "x",
        "k",
        "c",
    }
    assert trials[: len(before)] == before
    for trial in trials:
        if trial.number not in (killed_number, retry.number):
            core_workers.check_trial(trial)
    assert [t.number for t in trials] == list(range(len(trials)))


@pytest.mark.slow
def test_zombie_worker_cannot_overwrite_a_reaped_trial(rdb_url, tmp_path):
    study = _heartbeat_study(rdb_url)
    marker, result = tmp_path / "asked", tmp_path / "result"
    zombie = _spawn(core_workers.zombie_worker, rdb_url, "hb", str(marker), str(result))
    _wait_for(marker)
    os.kill(zombie.pid, signal.SIGSTOP)  # frozen: no heartbeats, but alive
    try:
        time.sleep(1.5)
        trial = study.ask()  # reaps the frozen worker's trial, then claims its retry
        study.tell(trial, 0.0)
    finally:
        Path(str(marker) + ".continue").write_text("")
        os.kill(zombie.pid, signal.SIGCONT)
    zombie.join(timeout=60)
    assert zombie.exitcode == 0
    assert result.read_text() == "TrialFinishedError,TrialFinishedError,TrialFinishedError"
    reaped = study.trials[0]
    assert reaped.state == hpobench.TrialState.FAIL and reaped.value is None
    assert reaped.intermediate_values == {} and reaped.user_attrs == {}
    assert study.trials[1].system_attrs["retried_from"] == [0] and study.trials[1].state == hpobench.TrialState.COMPLETE
    assert study.trials[2].state == hpobench.TrialState.COMPLETE  # the zombie's optimize() went on


def test_writes_to_a_finished_trial_raise(storage):
    study = hpobench.create_study(storage=storage, sampler=RandomSampler(seed=0), pruner=NopPruner())
    trial = study.ask()
    trial.suggest_float("x", 0, 1)
    study.tell(trial, 1.0)
    stored = study.trials[0]
    with pytest.raises(TrialFinishedError, match="Trial 0 is already COMPLETE"):
        trial.report(0.5, 1)
    with pytest.raises(TrialFinishedError):
        trial.set_user_attr("late", 1)
    with pytest.raises(TrialFinishedError):
        study._storage.set_trial_state_values(stored.trial_id, hpobench.TrialState.FAIL)
    assert study.trials[0] == stored


def test_retries_stop_at_max_retry(rdb_url):
    storage = hpobench.RDBStorage(
        rdb_url,
        heartbeat_interval=0.1,
        grace_period=0.3,
        failed_trial_callback=hpobench.RetryFailedTrialCallback(max_retry=1),
    )
    study = hpobench.create_study(storage=storage, sampler=RandomSampler(seed=0), pruner=NopPruner())

    def ask_and_die():
        trial = study.ask()
        trial.suggest_float("x", 0, 1)
        storage.stop_heartbeat(trial._trial_id)  # what a dead worker does: no more stamps
        time.sleep(0.5)
        return trial

    original = ask_and_die()
    retry = ask_and_die()  # this ask() reaped the original and claimed its retry
    assert retry.number == 1 and retry.params == original.params
    last = study.ask()  # reaps the retry; max_retry=1: no second retry, a fresh trial
    trials = study.trials
    assert [t.state for t in trials] == [
        hpobench.TrialState.FAIL,
        hpobench.TrialState.FAIL,
        hpobench.TrialState.RUNNING,
    ]
    assert trials[1].system_attrs["retried_from"] == [0] and trials[1].system_attrs["retry_count"] == 1
    assert "retried_from" not in trials[2].system_attrs and last.number == 2


def _optimize_inherited(study, worker: int) -> None:
    study.optimize(core_workers.checked_objective(worker), n_trials=5)


def test_forked_workers_reuse_the_parents_study_object(rdb_url):
    """A Study (and its storage: engine, caches, locks) inherited through fork starts afresh in the child."""
    study = hpobench.create_study(storage=rdb_url, study_name="f", sampler=RandomSampler(seed=0), pruner=NopPruner())
    study.optimize(core_workers.checked_objective(0), n_trials=3)  # the parent's engine and cache are warm
    ctx = multiprocessing.get_context("fork")
    processes = [ctx.Process(target=_optimize_inherited, args=(study, w)) for w in range(1, 5)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    trials = study.trials
    assert [t.number for t in trials] == list(range(23))
    for trial in trials:
        core_workers.check_trial(trial)
