"""BruteForceSampler: every combination of a discrete define-by-run space once (Optuna's algorithm).

The trials seen so far form a tree: each node is a suggested parameter, each
edge one of its values (category index, int, or float grid point), each
finished trial a leaf. A new value is drawn among the children that still
hold unexplored combinations, weighted half by how many they hold and half
uniformly, so conditional spaces (a parameter that exists only under some
values of another) are covered too. RUNNING trials count as explored unless
``avoid_premature_stop=True``. Once a finished trial leaves nothing
unexplored, after_trial calls ``study.stop()``; trials asked after that draw
a value uniformly.

Every distribution must be discrete: a FloatDistribution needs a step. The
space must be consistent: at one point of the tree, the same parameter with
the same values (ValueError otherwise, as in Optuna).
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Sequence
from typing import Any

import numpy as np

from hpobench.distributions import CategoricalDistribution, Distribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState

from .base import BaseSampler, stop_study

_SEEN = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING, TrialState.FAIL)
# (low, high, step) of the candidate values; (0, n - 1, 1) for categories; step None: continuous (refused)
Grid = tuple[float, float, float | None]


@functools.lru_cache(maxsize=1024)
def candidates(low: float, high: float, step: float | None) -> tuple[float, ...]:
    """Every value low, low + step, ..., high (computed in decimal for floats)."""
    if step is None:
        raise ValueError(
            "BruteForceSampler needs discrete distributions: give FloatDistribution a step "
            f"(got a continuous range [{low}, {high}])."
        )
    if isinstance(low, int) and isinstance(high, int) and isinstance(step, int):
        return tuple(range(low, high + 1, step))
    value, end, d_step = (decimal.Decimal(str(v)) for v in (low, high, step))
    values = []
    while value <= end:
        values.append(float(value))
        value += d_step
    return tuple(values)


def grid_of(distribution: Distribution) -> Grid:
    if isinstance(distribution, CategoricalDistribution):
        return (0, len(distribution.choices) - 1, 1)
    return (distribution.low, distribution.high, distribution.step)


class _Node:
    """A tree node: the parameter suggested here and its children by value (None: unexplored)."""

    __slots__ = ("param_name", "grid", "children", "running")

    def __init__(self) -> None:
        self.param_name: str | None = None
        self.grid: Grid | None = None
        self.children: dict[float, _Node | None] | None = None  # None: not expanded; {}: a finished leaf
        self.running = False

    def expand(self, param_name: str | None, grid: Grid | None) -> None:
        if self.children is None:
            self.param_name, self.grid = param_name, grid
            self.children = dict.fromkeys(candidates(*grid), None)  # type: ignore[misc]
        elif (param_name, grid) != (self.param_name, self.grid):
            raise ValueError(
                f"BruteForceSampler needs one search space per branch: after the same values, one trial "
                f"suggested {self.param_name!r} on {self.grid} and another {param_name!r} on {grid}."
            )

    def add_path(self, path: list[tuple[str, Grid, float]]) -> _Node | None:
        """The node at the end of path, created as needed; None if a value lies off the grid."""
        node = self
        for param_name, grid, value in path:
            node.expand(param_name, grid)
            if not node.children or value not in node.children:
                return None
            if node.children[value] is None:
                node.children[value] = _Node()
            node = node.children[value]  # type: ignore[assignment]
        return node

    def set_leaf(self) -> None:
        if self.children:  # another trial went on from here: the space is not a tree
            self.expand(None, None)
        self.children = {}

    def count_unexplored(self, exclude_running: bool) -> int:
        if self.children is None:
            return 0 if exclude_running and self.running else 1
        return sum(1 if c is None else c.count_unexplored(exclude_running) for c in self.children.values())

    def sample_child(self, rng: np.random.Generator, exclude_running: bool) -> float:
        """A value whose subtree is unexplored: weighted half by its unexplored count, half uniformly."""
        children = self.children or {}
        counts = np.array([1 if c is None else c.count_unexplored(exclude_running) for c in children.values()], float)
        weights = 0.5 * counts / counts.sum() + 0.5 * (counts > 0) / np.count_nonzero(counts)
        running = np.array([c is not None and c.running for c in children.values()])
        if (weights[~running] > 0).any():  # prefer values no running trial is exploring
            weights[running] = 0.0
        return list(children)[int(rng.choice(len(children), p=weights / weights.sum()))]


def _path(trial: FrozenTrial, skip: dict[str, Any]) -> list[tuple[str, Grid, float]]:
    """The trial's (parameter, grid, value) steps in suggestion order, without the parameters in skip."""
    path = []
    for name, distribution in trial.distributions.items():
        if name in skip:
            continue
        value = trial.params[name]
        if isinstance(distribution, CategoricalDistribution):
            value = distribution.to_internal_repr(value)
        path.append((name, grid_of(distribution), value))
    return path


def _matches(trial: FrozenTrial, params: dict[str, Any]) -> bool:
    return all(name in trial.params and _same(trial.params[name], value) for name, value in params.items())


def _same(a: Any, b: Any) -> bool:
    nan = [isinstance(v, float) and v != v for v in (a, b)]
    return all(nan) or (not any(nan) and type(a) is type(b) and a == b)


def _tree(trials: list[FrozenTrial], params: dict[str, Any], root: _Node | None = None) -> _Node:
    """The tree of the trials that share params, over their other parameters."""
    root = root or _Node()
    for trial in trials:
        if not _matches(trial, params):
            continue
        leaf = root.add_path(_path(trial, params))
        if leaf is None:
            continue  # a value off the grid (e.g. enqueued): no combination of ours
        if trial.state.is_finished():
            leaf.set_leaf()
        else:
            leaf.running = True
    return root


class BruteForceSampler(BaseSampler):
    """Try every combination of a discrete search space once (see the module docstring).

    Args:
        seed: seeds the choice among unexplored values.
        avoid_premature_stop: count RUNNING trials as unexplored, so that parallel
            workers stop only once every combination has finished (some may then
            run twice).
    """

    def __init__(self, seed: int | None = None, avoid_premature_stop: bool = False) -> None:
        super().__init__(seed=seed)
        self.avoid_premature_stop = bool(avoid_premature_stop)

    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        exclude_running = not self.avoid_premature_stop
        others = [t for t in study.get_trials(deepcopy=False, states=_SEEN) if t.number != trial.number]
        grid = grid_of(param_distribution)
        root = _Node()
        root.expand(param_name, grid)  # first, so that trials without this parameter cannot expand it otherwise
        tree = _tree(others, trial.params, root)
        rng = self.rng_for_param(trial, param_name)
        if tree.count_unexplored(exclude_running) > 0:
            value = tree.sample_child(rng, exclude_running)
        else:
            values = candidates(*grid)
            value = values[int(rng.integers(len(values)))]
        return param_distribution.to_external_repr(value)

    def after_trial(
        self, study: PluginStudy, trial: FrozenTrial, state: TrialState, values: Sequence[float] | None
    ) -> None:
        exclude_running = not self.avoid_premature_stop
        finished = trial._replace(state=state)
        trials = [finished if t.number == trial.number else t for t in study.get_trials(deepcopy=False, states=_SEEN)]
        # Cheapest first (Optuna's order): the trials that share all but this trial's last parameter,
        # then all but the last two, ...; the whole tree only if every narrower one is explored.
        params = dict(trial.params)
        for name in reversed(list(trial.params)):
            del params[name]
            if _tree(trials, params).count_unexplored(exclude_running) > 0:
                return
        stop_study(study)

    def __repr__(self) -> str:
        return f"BruteForceSampler(seed={self.seed}, avoid_premature_stop={self.avoid_premature_stop})"
