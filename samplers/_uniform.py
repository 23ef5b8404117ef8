"""Uniform draws from a distribution (respecting log scale and steps), on plain arrays."""

from __future__ import annotations

from typing import Any

import numpy as np

from hpobench.distributions import CategoricalDistribution, Distribution, FloatDistribution, IntDistribution


def sample_uniform(distribution: Distribution, rng: np.random.Generator) -> Any:
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


def from_unit(u: float, distribution: Distribution) -> Any:
    """The external value at position u in [0, 1) of a distribution (its inverse CDF under uniform sampling)."""
    u = min(max(float(u), 0.0), np.nextafter(1.0, 0.0))
    if isinstance(distribution, CategoricalDistribution):
        return distribution.choices[int(u * len(distribution.choices))]
    if isinstance(distribution, IntDistribution):
        if distribution.log:
            low, high = np.log(distribution.low - 0.5), np.log(distribution.high + 0.5)
            return int(np.clip(np.round(np.exp(low + u * (high - low))), distribution.low, distribution.high))
        n_values = (distribution.high - distribution.low) // distribution.step + 1
        return distribution.low + distribution.step * int(u * n_values)
    if isinstance(distribution, FloatDistribution):
        if distribution.log:
            low, high = np.log(distribution.low), np.log(distribution.high)
            return float(min(max(np.exp(low + u * (high - low)), distribution.low), distribution.high))
        if distribution.step is not None:
            n_values = int(round((distribution.high - distribution.low) / distribution.step)) + 1
            return float(min(distribution.low + distribution.step * int(u * n_values), distribution.high))
        return float(distribution.low + u * (distribution.high - distribution.low))
    raise ValueError(f"Unsupported distribution {distribution!r}.")
