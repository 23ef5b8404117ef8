"""QMCSampler: scrambled Sobol or Halton points (scipy.stats.qmc), one point per trial number.

The search space is fixed from the first finished trial (every parameter it
used, sorted by name); its dimension is the QMC dimension. Trial k takes point
k of the seeded, scrambled sequence, so parallel workers that share the seed
never take the same point and a study is reproducible from its seed whatever
process runs each trial. Parameters outside that space (and every parameter
before a trial has finished) are drawn uniformly at random.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from scipy.stats import qmc

from hpobench.distributions import Distribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState

from ._uniform import from_unit, sample_uniform
from .base import BaseSampler

_KINDS = ("sobol", "halton")


class QMCSampler(BaseSampler):
    """Quasi-Monte Carlo sampler.

    Args:
        seed: seeds the scrambling; None draws entropy once per instance (copies sent to workers share it).
        qmc_type: 'sobol' or 'halton'.
        scramble: scramble the sequence (recommended; unscrambled Sobol starts at the corner 0).
    """

    def __init__(self, *, seed: int | None = None, qmc_type: str = "sobol", scramble: bool = True) -> None:
        super().__init__(seed=seed)
        if qmc_type not in _KINDS:
            raise ValueError(f"qmc_type must be one of {_KINDS}, got {qmc_type!r}.")
        self.qmc_type = qmc_type
        self.scramble = bool(scramble)

    def infer_relative_search_space(self, study: PluginStudy, trial: FrozenTrial) -> dict[str, Distribution]:
        for past in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.PRUNED)):
            return {n: d for n, d in sorted(past.distributions.items()) if not d.single()}
        return {}

    def sample_relative(
        self, study: PluginStudy, trial: FrozenTrial, search_space: dict[str, Distribution]
    ) -> dict[str, Any]:
        if not search_space:
            return {}
        point = self._point(len(search_space), trial.number)
        return {name: from_unit(u, dist) for u, (name, dist) in zip(point, search_space.items(), strict=False)}

    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        return sample_uniform(param_distribution, self.rng_for_param(trial, param_name))

    def _point(self, dim: int, index: int) -> np.ndarray:
        """Point `index` of the seeded sequence in [0, 1)^dim."""
        seed = np.random.default_rng(np.random.SeedSequence([self._entropy, dim]))
        engine: qmc.QMCEngine
        if self.qmc_type == "sobol":
            engine = qmc.Sobol(dim, scramble=self.scramble, rng=seed)
        else:
            engine = qmc.Halton(dim, scramble=self.scramble, rng=seed)
        if index:
            engine.fast_forward(index)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Sobol's balance warning concerns non-power-of-2 batches
            return engine.random(1)[0]

    def __repr__(self) -> str:
        return f"QMCSampler(seed={self.seed}, qmc_type={self.qmc_type!r}, scramble={self.scramble})"
