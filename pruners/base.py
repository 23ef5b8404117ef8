"""The one pruner base class: prune(study, trial) -> bool, a pure decision from stored values."""

from __future__ import annotations

import abc
from typing import Any

from hpobench.interfaces import PrunerInterface
from hpobench.trial import FrozenTrial


class BasePruner(PrunerInterface):
    """Base of every pruner."""

    @abc.abstractmethod
    def prune(self, study: Any, trial: FrozenTrial) -> bool:
        """True to stop the trial now."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"
