"""RandomSampler: independent uniform draws."""

from __future__ import annotations

import zlib
from typing import Any

from hpobench.distributions import BaseDistribution
from hpobench.trial import FrozenTrial
from samplers._uniform import sample_uniform
from samplers.base import BaseSampler


class RandomSampler(BaseSampler):
    """Draw every parameter independently and uniformly (log-uniformly for log=True)."""

    def sample_independent(
        self, study: Any, trial: FrozenTrial, param_name: str, param_distribution: BaseDistribution
    ) -> Any:
        # One sub-stream per parameter name keeps draws independent of suggestion order;
        # crc32 of the whole name (not a prefix) so 'n_units_l0' and 'n_units_l1' differ.
        stream = zlib.crc32(param_name.encode())
        return sample_uniform(param_distribution, self.rng_for(trial, stream))
