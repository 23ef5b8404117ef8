"""RandomSampler: independent uniform draws."""

from __future__ import annotations

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
        # One sub-stream per parameter name keeps draws independent of suggestion order.
        stream = int.from_bytes(param_name.encode()[:8].ljust(8, b"\0"), "little") % (2**32)
        return sample_uniform(param_distribution, self.rng_for(trial, stream))
