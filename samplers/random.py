"""RandomSampler: independent uniform draws."""

from __future__ import annotations

from typing import Any

from hpobench.distributions import Distribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial

from ._uniform import sample_uniform
from .base import BaseSampler


class RandomSampler(BaseSampler):
    """Draw every parameter independently and uniformly (log-uniformly for log=True)."""

    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        return sample_uniform(param_distribution, self.rng_for_param(trial, param_name))
