"""Uniform draws from a distribution (respecting log scale and steps), on plain arrays."""

from __future__ import annotations

from typing import Any

import numpy as np

from hpobench.distributions import BaseDistribution, CategoricalDistribution, FloatDistribution, IntDistribution


def sample_uniform(distribution: BaseDistribution, rng: np.random.Generator) -> Any:
    """One external value drawn uniformly (log-uniformly when log=True)."""
    if isinstance(distribution, CategoricalDistribution):
        return distribution.choices[int(rng.integers(len(distribution.choices)))]
    if isinstance(distribution, IntDistribution):
        if distribution.log:
            # Uniform in log space over [low - 0.5, high + 0.5], then rounded: every int reachable.
            low, high = np.log(distribution.low - 0.5), np.log(distribution.high + 0.5)
            return int(np.clip(np.round(np.exp(rng.uniform(low, high))), distribution.low, distribution.high))
        n_steps = (distribution.high - distribution.low) // distribution.step
        return distribution.low + distribution.step * int(rng.integers(n_steps + 1))
    if isinstance(distribution, FloatDistribution):
        if distribution.log:
            return float(np.exp(rng.uniform(np.log(distribution.low), np.log(distribution.high))))
        if distribution.step is not None:
            n_steps = int(round((distribution.high - distribution.low) / distribution.step))
            value = distribution.low + distribution.step * int(rng.integers(n_steps + 1))
            return float(min(value, distribution.high))
        return float(rng.uniform(distribution.low, distribution.high))
    raise ValueError(f"Unsupported distribution {distribution!r}.")
