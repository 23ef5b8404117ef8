"""What the study needs from a sampler, a pruner and a problem.

hpobench never imports the plugin packages (samplers/, pruners/, problems/);
it types them by these small abstract classes, which the plugins' base.py
files build on.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from hpobench.distributions import BaseDistribution
from hpobench.exceptions import TrialPruned
from hpobench.trial import FrozenTrial, TrialState

if TYPE_CHECKING:
    from hpobench.study import Study
    from hpobench.trial import Trial


class SamplerInterface(abc.ABC):
    """Define-by-run sampling contract (same meaning as Optuna's BaseSampler).

    At a trial's first suggest, the study asks for a relative (joint) sample over
    the search space known from past trials; each parameter outside that space,
    or seen for the first time, gets an independent sample. Samplers return
    external values (the choice itself for categoricals).
    """

    @abc.abstractmethod
    def infer_relative_search_space(self, study: Study, trial: FrozenTrial) -> dict[str, BaseDistribution]:
        """The space to sample jointly for this trial (may be empty)."""

    @abc.abstractmethod
    def sample_relative(
        self, study: Study, trial: FrozenTrial, search_space: dict[str, BaseDistribution]
    ) -> dict[str, Any]:
        """A joint sample over search_space, keyed by parameter name."""

    @abc.abstractmethod
    def sample_independent(
        self, study: Study, trial: FrozenTrial, param_name: str, param_distribution: BaseDistribution
    ) -> Any:
        """A sample for one parameter outside the relative space."""

    def before_trial(self, study: Study, trial: FrozenTrial) -> None:
        """Hook called when a trial starts."""

    def after_trial(self, study: Study, trial: FrozenTrial, state: TrialState, values: Sequence[float] | None) -> None:
        """Hook called when a trial finishes, before its state is stored."""


class PrunerInterface(abc.ABC):
    """A pure decision from stored values: should this running trial stop now?"""

    @abc.abstractmethod
    def prune(self, study: Study, trial: FrozenTrial) -> bool:
        """True to prune. trial is the current trial with its reported values."""


class ProblemInterface(abc.ABC):
    """A benchmark problem: a define-by-run objective plus what is known about it.

    Attributes:
        name: unique name used by the CLI and configs.
        direction: 'minimize' or 'maximize'.
        optimal_value: known optimum, or None.
        max_step: number of steps (fidelity) of learning-curve tasks, None for black boxes.
    """

    name: str = ""
    direction: str = "minimize"
    optimal_value: float | None = None
    max_step: int | None = None

    @abc.abstractmethod
    def objective(self, trial: Trial) -> float:
        """Suggest parameters on trial, evaluate, report intermediate values, return the value."""


class RecordedProblemInterface(ProblemInterface):
    """A learning-curve task whose curves are known in advance (recorded or simulated).

    The simulated-time runner calls configure(trial) then curve(config, seed) and
    replays the curve on a virtual clock; objective() replays it in real time
    order with report / should_prune, so any runner can run it.
    """

    @abc.abstractmethod
    def configure(self, trial: Trial) -> dict[str, Any]:
        """Suggest the configuration (define-by-run) and return it."""

    @abc.abstractmethod
    def curve(self, config: dict[str, Any], seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Values at steps 1..max_step and the seconds each step took."""

    def objective(self, trial: Trial) -> float:
        values, _ = self.curve(self.configure(trial), seed=trial.number)
        for step, value in enumerate(values, start=1):
            trial.report(float(value), step)
            if trial.should_prune():
                raise TrialPruned(f"Pruned at step {step}.")
        return float(values[-1])
