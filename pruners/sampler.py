"""SamplerPruner: the pruner of a method that is both sampler and pruner (SMAC3 Hyperband, Syne Tune).

Such a sampler implements PrunerInterface itself; ``create_study(sampler=it)``
already uses it as the pruner. This class is the same choice as a config:
``conf/pruner/scheduler.yaml``, which the sampler configs of those methods
select in their defaults list, so ``python -m hpobench sampler=synetune_asha``
prunes as the scheduler says. With a sampler that does not prune, the study
refuses it (hpobench.study._study.pair_pruner).
"""

from __future__ import annotations

from hpobench.interfaces import PluginStudy, PrunerInterface
from hpobench.trial import FrozenTrial

from .base import BasePruner


class SamplerPruner(BasePruner):
    """Asks study.sampler.prune(study, trial): the scheduler decides."""

    defers_to_sampler = True  # read by the study: this pruner pairs only with a sampler that prunes

    def prune(self, study: PluginStudy, trial: FrozenTrial) -> bool:
        sampler = study.sampler
        if not isinstance(sampler, PrunerInterface):
            raise TypeError(f"SamplerPruner needs a sampler that prunes, got {type(sampler).__name__}.")
        return bool(sampler.prune(study, trial))
