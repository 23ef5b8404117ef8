"""InProcessRunner: plain study.optimize in this process (the reference runner)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hpobench.interfaces import ProblemInterface
from hpobench.runners.base import Callback, Runner

if TYPE_CHECKING:
    from hpobench.study import Study


class InProcessRunner(Runner):
    """Runs the trials one after another in this process; works with every storage."""

    n_workers = 1

    def _run_missing(
        self,
        study: Study,
        problem: ProblemInterface,
        missing: int,
        timeout: float | None,
        callbacks: Sequence[Callback],
    ) -> None:
        # catch=Exception: a failing objective fails its trial and the run goes on, as in every runner.
        study.optimize(
            problem.objective, n_trials=missing, timeout=timeout, catch=(Exception,), callbacks=list(callbacks)
        )
