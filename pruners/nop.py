"""NopPruner: never prunes."""

from typing import Any

from hpobench.trial import FrozenTrial

from .base import BasePruner


class NopPruner(BasePruner):
    """Never prune (the no-pruning baseline)."""

    def prune(self, study: Any, trial: FrozenTrial) -> bool:
        return False
