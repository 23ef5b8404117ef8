"""Our distributions as the plain axes other libraries understand, and back.

Every parameter becomes one axis: a categorical is a choice among its indices,
an int or a stepped float without log is an int index into its grid (so the
library never proposes an off-grid value), a log int or a log/plain float keeps
its own range. ``to_axis``/``from_axis`` convert a value both ways, clipping
what the library returns into range. Shared by the hyperopt, SMAC3 and Syne
Tune adaptors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hpobench.distributions import CategoricalDistribution, Distribution, IntDistribution, NumericalDistribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial


@dataclass(frozen=True)
class Axis:
    """kind: 'float', 'int' or 'cat' (low = 0, high = number of choices - 1); log: log scale."""

    kind: str
    low: float
    high: float
    log: bool = False


def n_values(dist: NumericalDistribution) -> int:
    """Number of grid points of a distribution with a step (every IntDistribution has one)."""
    if dist.step is None:
        raise ValueError(f"{dist!r} has no step, so no grid.")
    return int(round((dist.high - dist.low) / dist.step)) + 1


def axis_of(dist: Distribution) -> Axis:
    if isinstance(dist, CategoricalDistribution):
        return Axis("cat", 0, len(dist.choices) - 1)
    if dist.log:
        return Axis("int" if isinstance(dist, IntDistribution) else "float", dist.low, dist.high, log=True)
    if dist.step is not None:  # every IntDistribution has one
        return Axis("int", 0, n_values(dist) - 1)
    return Axis("float", dist.low, dist.high)


def to_axis(value: Any, dist: Distribution) -> float:
    """value (external) on dist's axis."""
    if isinstance(dist, CategoricalDistribution):
        return float(dist.to_internal_repr(value))
    if not dist.log and dist.step is not None:  # every IntDistribution has a step
        return float(round((value - dist.low) / dist.step))
    return float(value)


def from_axis(x: float, dist: Distribution) -> Any:
    """The external value of axis point x (clipped into dist)."""
    if isinstance(dist, CategoricalDistribution):
        return dist.choices[min(max(int(round(x)), 0), len(dist.choices) - 1)]
    if dist.log and isinstance(dist, IntDistribution):
        return int(min(max(round(x), dist.low), dist.high))
    if dist.log:
        return float(min(max(x, dist.low), dist.high))
    if dist.step is not None:  # every IntDistribution has one
        k = min(max(int(round(x)), 0), n_values(dist) - 1)
        value = dist.low + k * dist.step
        return int(value) if isinstance(dist, IntDistribution) else float(min(value, dist.high))
    return float(min(max(x, dist.low), dist.high))


def first_space(study: PluginStudy) -> dict[str, Distribution]:
    """The search space of the lowest-numbered trial that has suggested parameters ({} if none yet).

    SMAC3 and Syne Tune need the whole space up front, define-by-run gives it
    only once a trial has run its suggest calls; that first trial fixes it.
    Single-valued distributions are left out (nothing to choose).
    """
    for trial in study.get_trials(deepcopy=False):
        if trial.distributions:
            return {n: d for n, d in sorted(trial.distributions.items()) if not d.single()}
    return {}


def covers(trial: FrozenTrial, space: dict[str, Distribution]) -> bool:
    """Whether trial has a value for every parameter of space, from the same distribution."""
    return all(trial.distributions.get(n) == d for n, d in space.items())
