"""Ctrl-C'd trials are stored as interrupted (FAIL + system attr) and re-run on resume, not counted."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

import hpobench
from hpobench.cli import PROJECT_ROOT
from hpobench.trial import TrialState
from tests.harness.conftest import run_cli

N_TRIALS = 6


def _trials(storage: str) -> list:
    try:
        (name,) = hpobench.get_all_study_names(storage)
    except Exception:  # noqa: BLE001  (the database may not exist yet)
        return []
    return hpobench.load_study(study_name=name, storage=storage, sampler=None).get_trials(deepcopy=False)


@pytest.mark.parametrize("runner", ["runner=inprocess", "runner=local n_workers=1"])
def test_ctrl_c_trial_is_marked_interrupted_and_rerun_on_resume(tmp_path, runner):
    # runner=local: the trial runs in a worker process; the driver marks it from its run token.
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    command = [
        "problem=branin",
        "++problem._target_=tests.harness.slow_problem.SlowBranin",
        *runner.split(),
        "pruner=nop",
        f"storage={storage}",
        "tracking.enabled=false",
        f"hydra.run.dir={tmp_path / 'hydra'}",
        f"n_trials={N_TRIALS}",
        "progress_bar=false",
    ]
    process = subprocess.Popen(
        [sys.executable, "-m", "hpobench", *command],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        # wait until a trial is running after at least one finished: the objective sleeps, so SIGINT lands in it
        while (
            time.monotonic() < deadline
            and process.poll() is None
            and not (
                any(t.state == TrialState.COMPLETE for t in _trials(storage))
                and any(t.state == TrialState.RUNNING for t in _trials(storage))
            )
        ):
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, out + err
    interrupted = [t for t in _trials(storage) if t.system_attrs.get("interrupted")]
    assert len(interrupted) == 1 and interrupted[0].state == TrialState.FAIL, out + err

    result = run_cli(*command)
    assert result.returncode == 0, result.stderr
    trials = _trials(storage)
    counted = [t for t in trials if t.state.is_finished() and not t.system_attrs.get("interrupted")]
    assert len(counted) == N_TRIALS
    assert f"{N_TRIALS}/{N_TRIALS} finished: {N_TRIALS} complete, 0 pruned, 0 failed" in result.stdout
