"""The one pruner base class: prune(study, trial) -> bool, a pure decision from stored values."""

from __future__ import annotations

import abc

from hpobench.interfaces import PluginStudy, PrunerInterface
from hpobench.trial import FrozenTrial


class BasePruner(PrunerInterface):
    """Base of every pruner.

    Conventions shared by every pruner here (docs/pruners.md): the decision
    reads only what the study stores (trials from study.get_trials(), shared
    state written with study.set_trial_system_attr), so it is the same in
    every process; a trial whose latest value (at its deepest step) is NaN is
    pruned (ASHA and Hyperband at its next rung; never by NopPruner and
    WilcoxonPruner, as in Optuna); NaN values of other trials are ignored;
    study.direction decides what "better" means. Pruners draw no random
    numbers, so they take no seed.
    """

    @abc.abstractmethod
    def prune(self, study: PluginStudy, trial: FrozenTrial) -> bool:
        """True to stop the trial now."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
