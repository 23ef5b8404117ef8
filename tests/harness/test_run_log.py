"""The Hydra run's hpobench.log gets one line per finished trial, whichever runner ran it."""

from __future__ import annotations

import re

import pytest

from tests.harness.conftest import run_cli

TRIAL_LINE = re.compile(r"Trial (\d+) (finished with value .* and parameters \{.*\}\.|pruned\.)$")


# SimulatedRunner replays recorded curves, so it gets a recorded problem.
@pytest.mark.parametrize(
    "runner, problem", [("inprocess", "branin"), ("local", "branin"), ("simulated", "recorded_mlp_digits")]
)
def test_run_log_has_one_line_per_trial(paths, runner, problem):
    result = run_cli(f"problem={problem}", "n_trials=4", f"runner={runner}", *paths.overrides)
    assert result.returncode == 0, result.stderr
    log = (paths.root / "run" / "hpobench.log").read_text()
    numbers = [int(m.group(1)) for line in log.splitlines() if (m := TRIAL_LINE.search(line))]
    assert sorted(numbers) == [0, 1, 2, 3], log
