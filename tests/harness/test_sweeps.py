"""Sweeps with the joblib launcher, and an interrupted sweep re-run: every study once, in storage and MLflow."""

from __future__ import annotations

import collections
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest
from mlflow import MlflowClient

import hpobench
from hpobench.cli import PROJECT_ROOT
from hpobench.study import INTERRUPTED_ATTR
from hpobench.trial import TrialState
from tests.harness.conftest import CHEAP, run_cli

FINISHED = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)


def _finished_per_study(storage: str) -> dict[str, list[int]]:
    return {
        name: [
            t.number
            for t in hpobench.load_study(study_name=name, storage=storage, sampler=None).get_trials(
                deepcopy=False, states=FINISHED
            )
        ]
        for name in hpobench.get_all_study_names(storage)
    }


def _mlflow_trials_per_study(uri: str) -> dict[str, list[int]]:
    """study_name -> trial numbers of its child runs; fails on a duplicated parent run."""
    client = MlflowClient(tracking_uri=uri)
    ids = [e.experiment_id for e in client.search_experiments()]
    runs = client.search_runs(ids, max_results=5000)
    parents = {r.info.run_id: r.data.tags["study_name"] for r in runs if "hpobench.study_key" in r.data.tags}
    names = collections.Counter(parents.values())
    assert all(n == 1 for n in names.values()), f"duplicated parent runs: {names}"
    children: dict[str, list[int]] = {name: [] for name in names}
    for run in runs:
        parent = run.data.tags.get("hpobench.study_run_id")
        if parent is not None:
            children[parents[parent]].append(int(run.data.tags["trial_number"]))
    return {name: sorted(numbers) for name, numbers in children.items()}


@pytest.mark.slow
def test_joblib_sweep_runs_every_study_exactly_once(paths):
    result = run_cli(
        "-m",
        "sampler=tpe,random",
        "pruner=asha,nop",
        "seed=0,1,2",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        *CHEAP,
        "n_trials=4",
        "tracking.artifacts=false",
        *paths.overrides,
    )
    assert result.returncode == 0, result.stderr
    studies = _finished_per_study(paths.storage)
    assert len(studies) == 12
    assert all(numbers == [0, 1, 2, 3] for numbers in studies.values())
    assert _mlflow_trials_per_study(paths.tracking) == studies
    names = "\n".join(sorted(studies))
    for sampler in ("tpe", "random"):
        for pruner in ("asha", "nop"):
            for seed in range(3):
                assert f"branin-{sampler}-{pruner}-inprocess-seed{seed}-" in names


@pytest.mark.slow
def test_killed_sweep_rerun_finishes_without_duplicates(paths):
    # Real training steps so the kill lands mid-study (each trial takes a fraction of a second).
    command = [
        "-m",
        "seed=0,1,2",
        "problem=mlp_digits",
        "++problem.max_step=4",
        "runner=inprocess",
        "pruner=nop",
        "n_trials=6",
        "tracking.sync_interval=0.2",
        "tracking.artifacts=false",
        *paths.overrides,
    ]
    process = subprocess.Popen(
        [sys.executable, "-m", "hpobench", *command],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.3)
            if _n_finished(paths.storage) >= 7:  # the first study done, the second under way
                break
        assert process.poll() is None, "the sweep ended before it could be interrupted"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait()
    before = _finished_per_study(paths.storage)
    assert sum(map(len, before.values())) < 18

    result = run_cli(*command)
    assert result.returncode == 0, result.stderr
    studies = _finished_per_study(paths.storage)
    assert len(studies) == 3 and all(numbers == list(range(6)) for numbers in studies.values())
    assert _mlflow_trials_per_study(paths.tracking) == studies


def _n_finished(storage: str) -> int:
    try:
        return sum(map(len, _finished_per_study(storage).values()))
    except Exception:  # noqa: BLE001  (the database may not exist yet)
        return 0


@pytest.mark.slow
def test_ctrl_c_ends_with_a_summary_and_the_next_run_resumes(paths):
    command = ["problem=mlp_digits", "++problem.max_step=4", "runner=inprocess", "pruner=nop", *paths.overrides]
    with open(paths.root / "stderr.txt", "w+") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "hpobench", *command, "n_trials=500", "progress_bar=false"],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and process.poll() is None and _n_finished(paths.storage) < 3:
                time.sleep(0.3)
            process.send_signal(signal.SIGINT)
            out, _ = process.communicate(timeout=120)
        finally:
            process.kill()
    assert process.returncode == 130, out + (paths.root / "stderr.txt").read_text()
    assert "interrupted after" in out and "resume:      run the same command again" in out
    (done,) = _finished_per_study(paths.storage).values()
    parent = _parent_runs(paths.tracking)
    assert [run.info.status for run in parent] == ["KILLED"]

    # Where SIGINT lands decides whether a trial was cut (FAIL + interrupted, not counted, run again)
    # or the run stopped after a finished trial (sklearn's fit swallows KeyboardInterrupt): count them.
    (name,) = hpobench.get_all_study_names(paths.storage)
    stored = hpobench.load_study(study_name=name, storage=paths.storage, sampler=None).trials
    cut = sum(bool(t.system_attrs.get(INTERRUPTED_ATTR)) for t in stored)
    result = run_cli(*command, f"n_trials={len(done) - cut + 2}")
    assert result.returncode == 0, result.stderr
    (numbers,) = _finished_per_study(paths.storage).values()
    assert numbers == list(range(len(done) + 2))
    assert [run.info.status for run in _parent_runs(paths.tracking)] == ["FINISHED"]
    assert list(_mlflow_trials_per_study(paths.tracking).values()) == [numbers]


def _parent_runs(uri: str) -> list:
    client = MlflowClient(tracking_uri=uri)
    runs = client.search_runs([e.experiment_id for e in client.search_experiments()], max_results=5000)
    return [r for r in runs if "hpobench.study_key" in r.data.tags]


def test_sweep_shows_progress_and_ends_with_one_combined_table(paths):
    result = run_cli(
        "-m",
        "sampler=tpe,random",
        "seed=0,1",
        *CHEAP,
        "n_trials=3",
        "tracking.artifacts=false",
        *paths.overrides,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("sweep: ")]
    assert progress[-1] == "sweep: 4/4 jobs done, 12 trials"
    csv = paths.root / "multirun-summary.csv"  # beside the multirun folder
    table = pd.read_csv(csv)
    assert list(table.columns[:4]) == ["sampler", "pruner", "seed", "best_value"]
    jobs, medians = table[table["seed"] != "median"], table[table["seed"] == "median"]
    assert len(jobs) == 4 and sorted(medians["sampler"]) == ["random", "tpe"]
    studies = _finished_per_study(paths.storage)
    best = {
        name: hpobench.load_study(study_name=name, storage=paths.storage, sampler=None).best_value for name in studies
    }
    assert sorted(jobs["best_value"]) == pytest.approx(sorted(best.values()))
    tpe = jobs[jobs["sampler"] == "tpe"]["best_value"].median()
    assert medians[medians["sampler"] == "tpe"]["best_value"].item() == pytest.approx(tpe)
    assert f"saved: {csv}" in result.stdout and "median" in result.stdout
    client = MlflowClient(tracking_uri=paths.tracking)
    (run,) = client.search_runs([client.get_experiment_by_name("branin/sweeps").experiment_id])
    assert [a.path for a in client.list_artifacts(run.info.run_id)] == ["multirun-summary.csv"]
