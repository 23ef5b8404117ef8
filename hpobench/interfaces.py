"""The plugin boundary: what the study needs from a sampler, a pruner and a problem,
and what they may use of the study.

hpobench's core never imports the plugin packages (hpobench.samplers, hpobench.pruners,
hpobench.problems) at module level; it types them by these small abstract classes,
which the plugins' base.py files build on. In the other direction, a plugin sees
the study only through :class:`PluginStudy` (hpobench.study.Study implements it),
so a sampler or pruner written against it runs in every runner and process.
"""

from __future__ import annotations

import abc
from collections.abc import Container, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from hpobench.distributions import Distribution
from hpobench.trial import FrozenTrial, TrialState, report_curve

if TYPE_CHECKING:
    from hpobench.direction import StudyDirection
    from hpobench.trial import Trial


class PluginStudy(Protocol):
    """What samplers, pruners and problems may use of a study.

    Reads: the name, directions, trials (from the storage, so every process
    sees the same) and the best trial. Writes: a trial's system attrs (shared
    state such as ASHA's rung values, stored with the trial) and stop(). The
    study's sampler and pruner are visible so a pruner can defer to a sampler
    that prunes (hpobench.pruners.SamplerPruner).
    """

    @property
    def study_name(self) -> str: ...

    @property
    def direction(self) -> StudyDirection: ...

    @property
    def directions(self) -> list[StudyDirection]: ...

    @property
    def best_trial(self) -> FrozenTrial: ...

    @property
    def sampler(self) -> SamplerInterface: ...

    @property
    def pruner(self) -> PrunerInterface: ...

    def get_trials(self, deepcopy: bool = True, states: Container[TrialState] | None = None) -> list[FrozenTrial]:
        """Trials sorted by number; samplers and pruners pass deepcopy=False and must not mutate them."""
        ...

    def set_trial_system_attr(self, trial_id: int, key: str, value: Any) -> None:
        """Store a JSON value with a trial (state a plugin shares across processes)."""
        ...

    def stop(self) -> None:
        """Ask the running loop to start no new trial (e.g. a sampler whose grid is exhausted)."""
        ...


class SamplerInterface(abc.ABC):
    """Define-by-run sampling contract (same meaning as Optuna's BaseSampler).

    At a trial's first suggest, the study asks for a relative (joint) sample over
    the search space known from past trials; each parameter outside that space,
    or seen for the first time, gets an independent sample. Samplers return
    external values (the choice itself for categoricals).
    """

    @abc.abstractmethod
    def infer_relative_search_space(self, study: PluginStudy, trial: FrozenTrial) -> dict[str, Distribution]:
        """The space to sample jointly for this trial (may be empty)."""

    @abc.abstractmethod
    def sample_relative(
        self, study: PluginStudy, trial: FrozenTrial, search_space: dict[str, Distribution]
    ) -> dict[str, Any]:
        """A joint sample over search_space, keyed by parameter name."""

    @abc.abstractmethod
    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        """A sample for one parameter outside the relative space."""

    def before_trial(self, study: PluginStudy, trial: FrozenTrial) -> None:  # noqa: B027  (an optional hook: a no-op unless overridden)
        """Hook called when a trial starts."""

    def after_trial(  # noqa: B027  (an optional hook: a no-op unless overridden)
        self, study: PluginStudy, trial: FrozenTrial, state: TrialState, values: Sequence[float] | None
    ) -> None:
        """Hook called when a trial finishes, before its state is stored."""


class PrunerInterface(abc.ABC):
    """Should this running trial stop now? A decision from what the storage holds.

    The decision reads the study's trials (study.get_trials) and the current
    trial, so it is the same in every process. A pruner may keep state between
    calls, but only in the storage, as system attrs of trials
    (study.set_trial_system_attr): ASHA records the rung values a trial
    reached there, so that later decisions, in any worker, rank against them.
    It keeps no state in the pruner object, which each worker process holds
    its own copy of.
    """

    @abc.abstractmethod
    def prune(self, study: PluginStudy, trial: FrozenTrial) -> bool:
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
        return report_curve(trial, values)
