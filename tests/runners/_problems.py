"""Small problems for the runner tests (module-level so worker processes can unpickle them)."""

from __future__ import annotations

import numpy as np

from hpobench.problems.base import Problem, RecordedProblem
from hpobench.pruners.base import BasePruner
from hpobench.trial import FrozenTrial


class Quadratic(Problem):
    """(x - 2)^2; the trial numbered fail_number raises (to test failure handling)."""

    name = "test/quadratic"

    def __init__(self, *, fail_number: int | None = None, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        self.fail_number = fail_number

    def objective(self, trial) -> float:
        x = trial.suggest_float("x", -10.0, 10.0)
        if trial.number == self.fail_number:
            raise RuntimeError(f"planned failure in trial {trial.number}")
        trial.report(abs(x), 1)
        return (x - 2.0) ** 2


class SyntheticCurves(RecordedProblem):
    """Learning curves value_k = f(x) * (1 + 2/k) + noise; step time grows with `width`.

    configure() records how many trials were finished when the trial was asked
    (user attr 'seen_finished'), so tests can check what the sampler saw.
    """

    name = "test/synthetic_curves"
    direction = "minimize"
    max_step = 12

    def __init__(self, *, fail_number: int | None = None, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        self.fail_number = fail_number

    def configure(self, trial) -> dict:
        config = {"x": trial.suggest_float("x", 0.0, 1.0), "width": trial.suggest_int("width", 1, 8)}
        finished = [t for t in trial.study.get_trials(deepcopy=False) if t.state.is_finished()]
        trial.set_user_attr("seen_finished", len(finished))
        if trial.number == self.fail_number:
            raise RuntimeError(f"planned failure in trial {trial.number}")
        return config

    def curve(self, config: dict, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng([self.seed or 0, seed or 0])
        k = np.arange(1, self.max_step + 1)
        final = (config["x"] - 0.3) ** 2 + 0.1
        values = final * (1.0 + 2.0 / k) + 0.01 * rng.random(self.max_step)
        step_times = 0.5 * config["width"] * (1.0 + 0.2 * rng.random(self.max_step))
        return values, step_times


class ThresholdAfter(BasePruner):
    """Prunes a trial whose value at step >= 3 is above `threshold` (deterministic, for tests)."""

    def __init__(self, *, threshold: float) -> None:
        self.threshold = threshold

    def prune(self, study, trial: FrozenTrial) -> bool:
        step = trial.last_step
        return step is not None and step >= 3 and trial.intermediate_values[step] > self.threshold


class Crashing(Quadratic):
    """Kills its worker process (as SIGKILL or an OOM would) in the trial numbered crash_number."""

    name = "test/crashing"

    def __init__(self, *, crash_number: int) -> None:
        super().__init__()
        self.crash_number = crash_number

    def objective(self, trial) -> float:
        if trial.number == self.crash_number:
            import os

            os._exit(3)
        return super().objective(trial)
