"""Nearest recorded configuration: the pure array core of the tabular problem.

Each parameter becomes one column of a normalized matrix:

- numeric (float / int): position in [0, 1] of its range, in log space when
  the distribution is log-scaled; NaN when the parameter is inactive;
- categorical: the choice's index (NaN when inactive).

Distance from a query to a recorded row is a sum over parameters:

- numeric, active in both: squared difference of the normalized positions
  (at most 1 per parameter);
- categorical, active in both: 0 when equal, else ``penalty``;
- active in one only: ``penalty``; inactive in both: 0.

``penalty`` is the number of numeric parameters plus one, so any categorical
or structural (active/inactive) mismatch outweighs all numeric differences
together: the nearest row matches the categoricals exactly whenever the
table holds such a row, and among those the numerically closest wins.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hpobench.distributions import CategoricalDistribution, Distribution


def normalize(internal: np.ndarray, dist: Distribution) -> np.ndarray:
    """Internal values -> normalized column (categorical indices pass through)."""
    internal = np.asarray(internal, dtype=float)
    if isinstance(dist, CategoricalDistribution):
        return internal
    low, high = float(dist.low), float(dist.high)
    if dist.log:
        with np.errstate(invalid="ignore", divide="ignore"):
            internal, low, high = np.log(internal), np.log(low), np.log(high)
    return (internal - low) / (high - low) if high > low else np.zeros_like(internal)


def prepare(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(filled, active): the matrix with NaN -> 0, and where it was not NaN (done once per table)."""
    active = ~np.isnan(matrix)
    return np.where(active, matrix, 0.0), active


def distances(matrix: np.ndarray, is_categorical: np.ndarray, query: np.ndarray, penalty: float) -> np.ndarray:
    """Distance of query (p,) to every row of matrix (n, p); NaN marks inactive."""
    return prepared_distances(*prepare(matrix), is_categorical, query, penalty)


def prepared_distances(
    filled: np.ndarray, active: np.ndarray, is_categorical: np.ndarray, query: np.ndarray, penalty: float
) -> np.ndarray:
    """distances() on prepare()'s output (the per-lookup work only)."""
    query_active = ~np.isnan(query)
    diff = filled - np.where(query_active, query, 0.0)
    cost = diff * diff
    cost[:, is_categorical] = penalty * (diff[:, is_categorical] != 0)
    cost[:, ~query_active] = 0.0
    cost[active != query_active] = penalty
    return cost @ np.ones(cost.shape[1])


def encode_query(config: dict[str, Any], names: list[str], distributions: dict[str, Distribution]) -> np.ndarray:
    """A configuration (external values) -> one normalized row; unknown names raise."""
    unknown = sorted(set(config) - set(names))
    if unknown:
        raise ValueError(f"Parameters {unknown!r} are not in the recorded table (known: {names!r}).")
    row = np.full(len(names), np.nan)
    for j, name in enumerate(names):
        if name in config:
            dist = distributions[name]
            row[j] = normalize(np.array([dist.to_internal_repr(config[name])]), dist)[0]
    return row
