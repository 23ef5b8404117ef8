"""InProcessRunner, LocalRunner and DaskRunner on real SQLite files (and PostgreSQL): exact counts, resume, failures."""

from __future__ import annotations

import contextlib
import logging

import pytest
from joblib.externals.loky import BrokenProcessPool

import hpobench
from hpobench.pruners import NopPruner
from hpobench.runners import DaskRunner, InProcessRunner, LocalRunner
from hpobench.runners.base import ORPHAN_REASON
from hpobench.samplers import RandomSampler
from hpobench.trial import TrialState
from tests.runners._problems import Crashing, Quadratic


@pytest.fixture(scope="module")
def dask_address():
    """One 2-worker LocalCluster shared by the Dask tests (starting one takes seconds)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as cluster:
        yield cluster.scheduler_address


RUNNERS = [
    pytest.param(lambda request: InProcessRunner(), id="inprocess"),
    pytest.param(lambda request: LocalRunner(n_workers=2), id="local"),
    pytest.param(
        lambda request: DaskRunner(n_workers=2, address=request.getfixturevalue("dask_address")),
        id="dask",
        marks=pytest.mark.slow,
    ),
]


def _study(url: str, name: str = "s") -> hpobench.Study:
    return hpobench.create_study(
        storage=url, study_name=name, sampler=RandomSampler(seed=0), pruner=NopPruner(), load_if_exists=True
    )


@pytest.mark.parametrize("make_runner", RUNNERS)
def test_exact_count_then_resume_without_duplicates(make_runner, sqlite_url, request):
    runner = make_runner(request)
    seen = []
    runner.run(_study(sqlite_url), Quadratic(), n_trials=4)
    resumed = _study(sqlite_url)  # a new process would load the study like this
    runner.run(resumed, Quadratic(), n_trials=7, callbacks=[lambda study, trial: seen.append(trial.number)])
    trials = _study(sqlite_url).trials
    assert [t.number for t in trials] == list(range(7))
    assert all(t.state == TrialState.COMPLETE for t in trials)
    assert len({t.params["x"] for t in trials}) == 7  # distinct samples: no trial ran twice
    assert all(t.value == pytest.approx((t.params["x"] - 2) ** 2) for t in trials)
    assert sorted(seen) == [4, 5, 6]  # callbacks ran here, once per new trial
    runner.run(resumed, Quadratic(), n_trials=7)  # nothing missing: nothing runs
    assert len(_study(sqlite_url).trials) == 7


@pytest.mark.parametrize("make_runner", RUNNERS)
def test_failing_objective_fails_only_its_trial(make_runner, sqlite_url, caplog, request):
    with caplog.at_level(logging.WARNING, logger="hpobench"):
        make_runner(request).run(_study(sqlite_url), Quadratic(fail_number=1), n_trials=4)
    trials = _study(sqlite_url).trials
    assert [t.state for t in trials] == [TrialState.COMPLETE, TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE]
    assert "planned failure in trial 1" in trials[1].system_attrs["fail_reason"]
    assert any("Trial 1 failed" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("make_runner", RUNNERS[:2])
def test_trial_left_running_by_a_killed_run_is_failed_and_counted(make_runner, sqlite_url, request):
    study = _study(sqlite_url)
    study._storage.create_new_trial(study._study_id)  # what a killed worker leaves behind
    make_runner(request).run(study, Quadratic(), n_trials=3)
    trials = _study(sqlite_url).trials
    assert [t.state for t in trials] == [TrialState.FAIL, TrialState.COMPLETE, TrialState.COMPLETE]
    assert trials[0].system_attrs["fail_reason"] == ORPHAN_REASON


@pytest.mark.parametrize("make_runner", RUNNERS[:2])
def test_timeout_and_stop(make_runner, sqlite_url, request):
    runner = make_runner(request)
    runner.run(_study(sqlite_url), Quadratic(), n_trials=5, timeout=0)
    assert _study(sqlite_url).trials == []
    runner.run(_study(sqlite_url), Quadratic(), n_trials=50, callbacks=[lambda study, trial: study.stop()])
    # stop() lets the trials already in flight finish: at most one per worker.
    assert 1 <= len(_study(sqlite_url).trials) <= runner.n_workers


def test_local_runner_on_postgres(postgres_url):
    LocalRunner(n_workers=2).run(_study(postgres_url), Quadratic(), n_trials=6)
    trials = _study(postgres_url).trials
    assert [t.number for t in trials] == list(range(6))
    assert all(t.state == TrialState.COMPLETE for t in trials)


@pytest.mark.slow
def test_dask_runner_starts_its_own_local_cluster(sqlite_url):
    DaskRunner(n_workers=2).run(_study(sqlite_url), Quadratic(), n_trials=6)
    trials = _study(sqlite_url).trials
    assert [t.number for t in trials] == list(range(6))
    assert all(t.state == TrialState.COMPLETE for t in trials)


@pytest.mark.slow
def test_dask_runner_on_postgres(postgres_url, dask_address):
    DaskRunner(n_workers=2, address=dask_address).run(_study(postgres_url), Quadratic(), n_trials=6)
    trials = _study(postgres_url).trials
    assert [t.number for t in trials] == list(range(6))
    assert all(t.state == TrialState.COMPLETE for t in trials)


def test_in_memory_study_needs_one_local_worker():
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=NopPruner())
    with pytest.raises(ValueError, match="n_workers=2"):
        LocalRunner(n_workers=2).run(study, Quadratic(), n_trials=3)
    with pytest.raises(ValueError, match="in-memory"):
        DaskRunner().run(study, Quadratic(), n_trials=3)
    LocalRunner(n_workers=1).run(study, Quadratic(), n_trials=3)  # runs here: nobody else could see the trials
    assert len(study.trials) == 3


@pytest.mark.parametrize(
    "bad, error", [(0, ValueError), (-1, ValueError), (1.5, TypeError), (True, TypeError), ("2", TypeError)]
)
def test_bad_n_workers_is_named(bad, error):
    with pytest.raises(error, match=repr(bad).replace(".", r"\.")):
        LocalRunner(n_workers=bad)
    with pytest.raises(error, match="n_workers"):
        DaskRunner(n_workers=bad)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"n_trials": -1}, "n_trials"),
        ({"n_trials": 2.0}, "n_trials"),
        ({"n_trials": 3, "timeout": -1}, "timeout"),
        ({"n_trials": 3, "callbacks": [1]}, "callbacks"),
    ],
)
def test_bad_run_arguments_are_named(kwargs, match):
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=NopPruner())
    with pytest.raises((ValueError, TypeError), match=match):
        InProcessRunner().run(study, Quadratic(), **kwargs)
    with pytest.raises(TypeError, match="objective"):
        InProcessRunner().run(study, object(), n_trials=1)


@pytest.mark.slow
def test_local_run_killed_by_a_dead_worker_resumes_to_the_exact_count(sqlite_url):
    with pytest.raises(BrokenProcessPool):  # loky reports the dead worker; the driver stops the run
        LocalRunner(n_workers=2).run(_study(sqlite_url), Crashing(crash_number=2), n_trials=6)
    left = _study(sqlite_url).trials
    assert left[2].state == TrialState.RUNNING  # what the dead worker left behind
    LocalRunner(n_workers=2).run(_study(sqlite_url), Quadratic(), n_trials=6)
    trials = _study(sqlite_url).trials
    assert len(trials) == 6 and all(t.state.is_finished() for t in trials)
    assert trials[2].state == TrialState.FAIL and trials[2].system_attrs["fail_reason"] == ORPHAN_REASON


def _listening_addresses() -> set[tuple[str, int]]:
    """(ip, port) of every TCP socket this process and its children listen on."""
    psutil = pytest.importorskip("psutil")
    processes = [psutil.Process(), *psutil.Process().children(recursive=True)]
    found = set()
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):  # a worker that just exited
            found |= {
                (c.laddr.ip, c.laddr.port)
                for c in process.net_connections(kind="inet")
                if c.status == psutil.CONN_LISTEN
            }
    return found


@pytest.mark.slow
@pytest.mark.parametrize("dashboard_address", [None, "127.0.0.1:{port}"])
def test_dask_local_cluster_listens_on_loopback_only(sqlite_url, dashboard_address):
    import socket

    with socket.socket() as probe:  # a port that is free now, for the configured case
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    kwargs = {} if dashboard_address is None else {"dashboard_address": dashboard_address.format(port=port)}
    before = _listening_addresses()  # e.g. another test's cluster in this process
    seen: set[tuple[str, int]] = set()
    DaskRunner(n_workers=1, **kwargs).run(
        _study(sqlite_url),
        Quadratic(),
        n_trials=2,
        callbacks=[lambda study, trial: seen.update(_listening_addresses())],
    )
    seen -= before
    assert seen, "the cluster listened on nothing"
    assert {ip for ip, _ in seen} <= {"127.0.0.1", "::1"}, seen  # scheduler, its HTTP server, the worker
    if dashboard_address is not None:
        assert ("127.0.0.1", port) in seen


def test_bad_dask_dashboard_address_is_named():
    with pytest.raises(ValueError, match="dashboard_address.*got 8787"):
        DaskRunner(dashboard_address=8787)
