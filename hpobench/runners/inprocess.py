"""InProcessRunner: plain study.optimize in this process (the reference runner)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from hpobench.interfaces import ProblemInterface
from hpobench.runners.base import Callback, Runner, check_run_args, n_missing

if TYPE_CHECKING:
    from hpobench.study import Study


class InProcessRunner(Runner):
    """Runs the trials one after another in this process; works with every storage."""

    n_workers = 1

    def run(
        self,
        study: "Study",
        problem: ProblemInterface,
        *,
        n_trials: int,
        timeout: float | None = None,
        callbacks: Sequence[Callback] = (),
    ) -> None:
        check_run_args(problem, n_trials, timeout, callbacks)
        missing = n_missing(study, n_trials)
        if missing == 0:
            return
        # catch=Exception: a failing objective fails its trial and the run goes on, as in every runner.
        study.optimize(problem.objective, n_trials=missing, timeout=timeout, catch=(Exception,), callbacks=list(callbacks))
