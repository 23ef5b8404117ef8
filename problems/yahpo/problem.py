"""YahpoProblem: one instance of a YAHPO Gym scenario as a recorded learning-curve problem.

Choices (docs/problems.md, "YAHPO Gym surrogates"):

- **Objective**, always minimized: a target YAHPO minimizes as it is (mmce,
  logloss, ...); one it maximizes as an error, ``1 - value`` (accuracies,
  AUC, F1 in [0, 1]) or ``1 - value / 100`` for LCBench's ``val_accuracy``,
  which is in percent. Defaults: LCBench ``val_accuracy`` (validation
  error), rbv2_xgboost ``acc`` (misclassification error), iaml_glmnet ``mmce``
  (LCBench's and rbv2's are the targets of YAHPO Gym's single-objective suite).
- **Steps.** An integer fidelity (LCBench's ``epoch`` 1..52) has one step per
  value; ``max_step`` < 52 stops at epoch max_step. A continuous fidelity
  (rbv2's and iaml's ``trainsize`` in [0.03, 1]) is cut into ``max_step``
  equal steps ending at full data, ``trainsize = k / max_step`` at step k
  (default 20: 0.05, 0.10, ..., 1.0; at most 33, so that step 1 stays in
  range). Other fidelities stay at their highest value (rbv2's ``repl`` = 10).
- **Step cost.** The runtime target is read as the cumulative seconds to reach
  a step (LCBench's ``time`` is cumulative over epochs; for ``trainsize``, the
  seconds of one training at that size, as if a run grew its data). The
  surrogate's runtime is not always monotone in the fidelity, nor always >= 0,
  so the costs are the increments of its running maximum (clipped at 0): a step
  the surrogate calls cheaper than the one before costs 0 s, and the total is
  the largest predicted runtime up to that step.
- **Seeds.** The surrogate is deterministic, so ``seed`` (kept for the common
  interface) changes nothing.
- **best_value / worst_value**: the objective at the best and worst value of
  the target over YAHPO Gym's 0.5M random evaluations of this instance
  (global_statistics), for ``normalized_regret``; None where the statistics
  file has no row. They are empirical, so an optimizer may beat best_value
  (negative regret); ``optimal_value`` stays None.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from hpobench.trial import Trial
from hpobench.validation import check_int

from ..base import RecordedProblem
from ._data import target_range
from .surrogate import Fidelity, Surrogate

DEFAULT_TARGETS = {"lcbench": "val_accuracy", "rbv2_xgboost": "acc", "iaml_glmnet": "mmce"}
PERCENT_TARGETS = {("lcbench", "val_accuracy")}
DEFAULT_CONTINUOUS_STEPS = 20


class YahpoProblem(RecordedProblem):
    """One YAHPO Gym instance replayed from its surrogate (a RecordedProblemInterface).

    Args:
        scenario: 'lcbench', 'rbv2_xgboost' or 'iaml_glmnet'.
        task_id: the instance id (OpenML task id for LCBench, data set id for
            rbv2/iaml), as str or int.
        target: the YAHPO target to optimize; None = the scenario's default
            (DEFAULT_TARGETS).
        max_step: number of steps of each curve (see the module docstring);
            None = every epoch, or 20 steps of a continuous fidelity.
        seed: kept for the common problem interface; the surrogate is deterministic.
        data_path: a yahpo_data folder; None = $YAHPO_DATA, else the shipped copy.

    Attributes:
        name: '<scenario>/<task_id>', e.g. 'lcbench/3945'.
        surrogate: the scenario's Surrogate.
        fidelities: the fidelity value at each step (array of max_step values).
        best_value, worst_value: the objective's empirical range on this instance, or None.
    """

    direction = "minimize"

    def __init__(
        self,
        *,
        scenario: str,
        task_id: str | int,
        target: str | None = None,
        max_step: int | None = None,
        seed: int | None = None,
        data_path: str | os.PathLike | None = None,
    ) -> None:
        super().__init__(seed=seed)
        self.surrogate = Surrogate(scenario, data_path)
        self.scenario = scenario
        self.task_id = self.surrogate.instance_id(task_id)
        self.name = f"{scenario}/{self.task_id}"
        self.target = DEFAULT_TARGETS[scenario] if target is None else target
        if self.target not in self.surrogate.targets:
            raise ValueError(f"Unknown {scenario} target {target!r}; targets: {', '.join(self.surrogate.targets)}.")
        self.fidelities = fidelity_steps(self.surrogate.fidelity, max_step)
        self.max_step = len(self.fidelities)
        self._fixed = {self.surrogate.instance_param: self.task_id, **self.surrogate.fixed_fidelities}
        self._columns = [self.surrogate.targets.index(t) for t in (self.target, self.surrogate.runtime_target)]
        self.best_value, self.worst_value = self._objective_range()

    def configure(self, trial: Trial) -> dict[str, Any]:
        """Suggest the scenario's hyperparameters define-by-run (conditional ones only when active)."""
        return self.surrogate.suggest(trial)

    def curve(self, config: dict[str, Any], seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The objective at each step and the seconds each step took, from one model call.

        Raises:
            ValueError: config is outside the space (the message names the parameter).
        """
        outputs = self.predict_steps(config)
        raw, runtime = outputs[:, self._columns[0]], outputs[:, self._columns[1]]
        return self.to_objective(raw.astype(np.float64)), step_costs(runtime.astype(np.float64))

    def predict_steps(self, config: dict[str, Any]) -> np.ndarray:
        """Every target (``surrogate.targets`` order) at each step: float32 (max_step, n_targets)."""
        return self.surrogate.predict_curve({**config, **self._fixed}, self.fidelities)

    def to_objective(self, raw: np.ndarray) -> np.ndarray:
        """Target values -> objective values (minimized), as the module docstring says."""
        if self.surrogate.minimize[self.target]:
            return raw
        scale = 100.0 if (self.scenario, self.target) in PERCENT_TARGETS else 1.0
        return 1.0 - raw / scale

    def normalized_regret(self, value: float) -> float:
        """(value - best_value) / (worst_value - best_value): 0 at YAHPO's best, 1 at its worst."""
        if self.best_value is None or self.worst_value is None:
            raise ValueError(f"{self.name}: no statistics for target {self.target!r}, so no normalized regret.")
        return (float(value) - self.best_value) / (self.worst_value - self.best_value)

    def _objective_range(self) -> tuple[float | None, float | None]:
        found = target_range(self.surrogate.directory.parent, self.scenario, self.task_id, self.target)
        if found is None:
            return None, None
        low, high = (float(v) for v in self.to_objective(np.array(found, dtype=np.float64)))
        return min(low, high), max(low, high)


def fidelity_steps(fidelity: Fidelity, max_step: int | None) -> np.ndarray:
    """The fidelity value at each step 1..max_step (rules in the module docstring)."""
    if fidelity.is_int:
        limit: float = int(fidelity.high - fidelity.low + 1)
        default = limit
    else:
        # step 1 (high / max_step) must stay in range
        limit = math.floor(fidelity.high / fidelity.low) if fidelity.low > 0 else math.inf
        default = min(DEFAULT_CONTINUOUS_STEPS, limit)
    steps = default if max_step is None else max_step
    steps = check_int("max_step", steps)
    if not 1 <= steps <= limit:
        raise ValueError(f"max_step must be an int in [1, {limit}] for fidelity {fidelity.name!r}, got {max_step!r}.")
    if fidelity.is_int:
        return fidelity.low + np.arange(steps, dtype=np.float64)
    return fidelity.high * np.arange(1, steps + 1, dtype=np.float64) / steps


def step_costs(cumulative: np.ndarray) -> np.ndarray:
    """Seconds per step from cumulative runtimes: increments of the running maximum, clipped at 0."""
    return np.diff(np.maximum.accumulate(np.maximum(cumulative, 0.0)), prepend=0.0)
