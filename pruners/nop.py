"""NopPruner: never prunes."""

from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial

from .base import BasePruner


class NopPruner(BasePruner):
    """Never prune (the no-pruning baseline)."""

    def prune(self, study: PluginStudy, trial: FrozenTrial) -> bool:
        return False
