"""The suggest_* API shared by the live Trial and FrozenTrial (which answers from stored values)."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any

from hpobench.distributions import (
    CategoricalChoiceType,
    CategoricalDistribution,
    Distribution,
    FloatDistribution,
    IntDistribution,
)


class SuggestAPI(abc.ABC):
    """Optuna's suggest_* names; each builds its distribution (validated there) and calls _suggest."""

    __slots__ = ()  # FrozenTrial keeps its __slots__

    @abc.abstractmethod
    def _suggest(self, name: str, distribution: Distribution) -> Any:
        """The value of parameter name under distribution."""

    def suggest_float(
        self, name: str, low: float, high: float, *, step: float | None = None, log: bool = False
    ) -> float:
        """A float in [low, high]; log-scaled or on a grid of step."""
        return self._suggest(name, FloatDistribution(low, high, log=log, step=step))

    def suggest_int(self, name: str, low: int, high: int, step: int = 1, log: bool = False) -> int:
        """An int in [low, high]; log-scaled or on a grid of step (step and log also positional, as Optuna 3)."""
        return self._suggest(name, IntDistribution(low, high, log=log, step=step))

    def suggest_categorical(self, name: str, choices: Sequence[CategoricalChoiceType]) -> Any:
        """One of choices (None, bool, int, float, str, mixed)."""
        return self._suggest(name, CategoricalDistribution(choices))

    def suggest_uniform(self, name: str, low: float, high: float) -> float:  # Optuna < 3 names
        return self.suggest_float(name, low, high)

    def suggest_loguniform(self, name: str, low: float, high: float) -> float:
        return self.suggest_float(name, low, high, log=True)

    def suggest_discrete_uniform(self, name: str, low: float, high: float, q: float) -> float:
        return self.suggest_float(name, low, high, step=q)
