"""The pruner base classes: BasePruner (prune(study, trial) -> bool) and StepPruner (the shared preamble)."""

from __future__ import annotations

import abc
import math
from typing import ClassVar

from hpobench.interfaces import PluginStudy, PrunerInterface
from hpobench.trial import FrozenTrial


class BasePruner(PrunerInterface):
    """Base of every pruner.

    Conventions shared by every pruner here (docs/pruners.md): the decision
    reads only what the study stores (trials from study.get_trials()); state
    kept between decisions lives in the storage too, as trial system attrs
    written with study.set_trial_system_attr (ASHA's rung values), never in
    the pruner object, so the decision is the same in every process; a trial
    whose latest value (at its deepest step) is NaN is pruned (ASHA and
    Hyperband at its next rung; never by NopPruner and WilcoxonPruner, as in
    Optuna; StepPruner does it for the others); NaN values of other trials are ignored;
    study.direction decides what "better" means. Pruners draw no random
    numbers, so they take no seed.
    """

    @abc.abstractmethod
    def prune(self, study: PluginStudy, trial: FrozenTrial) -> bool:
        """True to stop the trial now."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class StepPruner(BasePruner):
    """Base of the pruners that decide at the trial's latest step.

    prune() does what they share: a trial that has reported nothing yet is
    kept; one whose latest value (at its deepest step) is NaN has diverged
    and is pruned at once. Otherwise prune_step decides. Pruners that prune a
    NaN only at their next rung (ASHA, Hyperband) set ``prunes_nan = False``
    and see the NaN in prune_step.
    """

    prunes_nan: ClassVar[bool] = True

    def prune(self, study: PluginStudy, trial: FrozenTrial) -> bool:
        step = trial.last_step
        if step is None:
            return False
        value = trial.intermediate_values[step]
        if self.prunes_nan and math.isnan(value):
            return True
        return self.prune_step(study, trial, step, value)

    @abc.abstractmethod
    def prune_step(self, study: PluginStudy, trial: FrozenTrial, step: int, value: float) -> bool:
        """True to stop the trial, whose latest report is value at step."""
