"""The one sampler base class.

Every sampler takes a ``seed`` (positional where Optuna's sampler takes it
so, e.g. ``RandomSampler(42)``) and owns its randomness: the generator of a
trial is derived from (seed, trial.number), so a sampler gives the same
parameters to the same trial number whatever process runs it, and parallel
workers that share a seed never draw the same stream. ``reseed_rng()``
(Optuna's method) replaces the seed by fresh entropy.
"""

from __future__ import annotations

import contextlib
import zlib
from typing import Any

import numpy as np

from hpobench.distributions import Distribution
from hpobench.interfaces import PluginStudy, SamplerInterface
from hpobench.trial import FrozenTrial
from hpobench.validation import check_int


def _entropy(seed: int | None) -> int:
    """The root entropy of a seed's streams (drawn from the OS for None)."""
    entropy = np.random.SeedSequence(seed).entropy
    if not isinstance(entropy, int):  # only a sequence seed gives a sequence back; seeds are ints here
        raise TypeError(f"seed must be an int or None, got {seed!r}.")
    return entropy


class BaseSampler(SamplerInterface):
    """Base of every sampler. Subclasses implement the three sampling methods."""

    def __init__(self, seed: int | None = None) -> None:
        self.seed = None if seed is None else check_int("seed", seed, minimum=0)
        self._entropy = _entropy(self.seed)

    def reseed_rng(self) -> None:
        """Draw fresh entropy: from now on the draws no longer follow the seed (which becomes None)."""
        self.seed = None
        self._entropy = _entropy(None)

    def rng_for(self, trial: FrozenTrial, *stream: int) -> np.random.Generator:
        """A generator for this trial (and optional sub-stream), reproducible from seed."""
        return np.random.default_rng(np.random.SeedSequence([self._entropy, trial.number, *stream]))

    def rng_for_param(self, trial: FrozenTrial, param_name: str, *stream: int) -> np.random.Generator:
        """A generator for one parameter of this trial: draws do not depend on suggestion order."""
        # crc32, not hash(): Python salts str hashes per process, and streams must agree across workers.
        return self.rng_for(trial, *stream, zlib.crc32(param_name.encode()))

    def infer_relative_search_space(self, study: PluginStudy, trial: FrozenTrial) -> dict[str, Distribution]:
        return {}

    def sample_relative(
        self, study: PluginStudy, trial: FrozenTrial, search_space: dict[str, Distribution]
    ) -> dict[str, Any]:
        return {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(seed={self.seed})"


def stop_study(study: PluginStudy) -> None:
    """study.stop() where an optimization loop runs (a sampler that has run out of points calls this).

    Outside optimize() and the runners (ask/tell by hand) there is no loop to
    stop and stop() raises RuntimeError; the caller then simply keeps sampling.
    """
    with contextlib.suppress(RuntimeError):
        study.stop()
