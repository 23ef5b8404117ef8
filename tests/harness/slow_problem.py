"""A problem whose objective takes a while, so a SIGINT lands inside a trial (test_interrupted_trials)."""

from __future__ import annotations

import time

from hpobench.problems.synthetic.classic import Branin


class SlowBranin(Branin):
    """Branin that sleeps first: wall time spent in the objective, where Ctrl-C cuts the trial."""

    def objective(self, trial):  # type: ignore[no-untyped-def]
        time.sleep(1.0)  # long beside the poll interval of the test, so SIGINT lands here
        return super().objective(trial)
