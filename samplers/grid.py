"""GridSampler: every point of a Cartesian grid once, across processes.

Grid point ids run over the product of the value lists (names sorted, mixed
radix). At trial start (before_trial) the sampler reads which ids the study's
trials already hold (system attribute ``grid_id``, any state, failed included)
and takes:

- id = trial number, when that id is free: trial numbers are unique across
  processes, so parallel workers on one storage take distinct points without
  any lock (the usual case: a fresh study runs ids 0, 1, 2, ... in order);
- otherwise a free id drawn with the trial's generator (resumed studies, or
  when enqueued/failed trials shifted the numbers);
- when no id is free (grid exhausted): a random id again (a duplicate);
- for an enqueued (or retried) trial, the id its fixed parameters name, or
  none if they are off the grid (Optuna's rule: it runs as enqueued).

Exhaustion: after_trial calls ``study.stop()`` once every id is taken, so
``optimize()`` ends after the running trials; other worker processes stop
when their own next trial finishes. Trials asked after that re-sample a
random point, as above. (With ask/tell outside optimize() there is nothing
to stop: unlike Optuna's GridSampler, no RuntimeError.)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from hpobench.distributions import CategoricalDistribution, Distribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState

from .base import BaseSampler, stop_study

_ATTR = "grid_id"
_ABSENT = object()


def _index_of(values: list, value: Any) -> int | None:
    """The index of value among values (same type, or both NaN), else None."""
    for index, candidate in enumerate(values):
        nan = [isinstance(v, float) and v != v for v in (candidate, value)]
        if all(nan) or (not any(nan) and type(candidate) is type(value) and candidate == value):
            return index
    return None


def _check_space(search_space: Any) -> dict[str, list]:
    if not isinstance(search_space, Mapping) or not search_space:
        raise ValueError(f"search_space must be a non-empty dict of name -> list of values, got {search_space!r}.")
    checked = {}
    for name, values in search_space.items():
        if not isinstance(name, str) or not name:
            raise ValueError(f"Grid parameter names must be non-empty strings, got {name!r}.")
        if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or len(values) == 0:
            raise ValueError(f"Grid values of {name!r} must be a non-empty list, got {values!r}.")
        CategoricalDistribution(values)  # rejects unsupported types and duplicates, naming the value
        checked[name] = list(values)  # also turns a Hydra ListConfig into a plain list
    return checked


class GridSampler(BaseSampler):
    """Try every combination of the given values once (see the module docstring for parallel runs).

    Args:
        search_space: parameter name -> list of values (None, bool, int, float, str).
        seed: seeds the draw of a free point when the trial number's point is taken.
    """

    def __init__(self, search_space: dict[str, Sequence[Any]], seed: int | None = None) -> None:
        super().__init__(seed=seed)
        space = _check_space(search_space)
        self.search_space = {name: space[name] for name in sorted(space)}
        self.n_grids = math.prod(len(v) for v in self.search_space.values())
        self._local_ids: dict[int, int] = {}  # trial_id -> grid id, for trials started in this process

    def grid_point(self, grid_id: int) -> dict[str, Any]:
        """The parameters of grid point grid_id (0 <= grid_id < n_grids)."""
        if not 0 <= grid_id < self.n_grids:
            raise ValueError(f"grid_id must be in [0, {self.n_grids}), got {grid_id!r}.")
        point = {}
        for name in reversed(list(self.search_space)):
            values = self.search_space[name]
            grid_id, index = divmod(grid_id, len(values))
            point[name] = values[index]
        return dict(sorted(point.items()))

    def _taken(self, study: PluginStudy, exclude: int | None = None) -> set[int]:
        return {
            t.system_attrs[_ATTR]
            for t in study.get_trials(deepcopy=False)
            if _ATTR in t.system_attrs and t.number != exclude
        }

    def point_id(self, params: dict[str, Any]) -> int | None:
        """The grid id of params if they name one value of every grid parameter, else None."""
        grid_id = 0
        for name, values in self.search_space.items():
            index = _index_of(values, params.get(name, _ABSENT))
            if index is None:
                return None
            grid_id = grid_id * len(values) + index
        return grid_id

    def is_exhausted(self, study: PluginStudy) -> bool:
        """Whether every grid point is held by a trial (Optuna's method)."""
        return len(self._taken(study)) >= self.n_grids

    def before_trial(self, study: PluginStudy, trial: FrozenTrial) -> None:
        if "fixed_params" in trial.system_attrs:
            # enqueue_trial or a retry: the point is the one its parameters name (none if they are off the
            # grid; an incomplete point then fails at sample_independent, as in Optuna).
            grid_id = self.point_id(trial.system_attrs["fixed_params"])
            if grid_id is not None:
                study.set_trial_system_attr(trial.trial_id, _ATTR, grid_id)
                self._local_ids[trial.trial_id] = grid_id
            return
        taken = self._taken(study, exclude=trial.number)
        rng = self.rng_for(trial)
        if trial.number < self.n_grids and trial.number not in taken:
            grid_id = trial.number
        elif len(taken) < self.n_grids:
            free = [i for i in range(self.n_grids) if i not in taken]
            grid_id = free[int(rng.integers(len(free)))]
        else:
            grid_id = int(rng.integers(self.n_grids))
        study.set_trial_system_attr(trial.trial_id, _ATTR, grid_id)
        self._local_ids[trial.trial_id] = grid_id

    def _grid_id_of(self, study: PluginStudy, trial: FrozenTrial) -> int:
        if trial.trial_id in self._local_ids:
            return self._local_ids[trial.trial_id]
        if _ATTR in trial.system_attrs:
            return trial.system_attrs[_ATTR]
        stored = [t for t in study.get_trials(deepcopy=False) if t.number == trial.number]
        if stored and _ATTR in stored[0].system_attrs:
            return stored[0].system_attrs[_ATTR]
        if "fixed_params" in trial.system_attrs:
            raise ValueError(
                f"Trial {trial.number} was enqueued with {trial.system_attrs['fixed_params']!r}, not a point of the "
                f"grid {list(self.search_space)}: with GridSampler, enqueue_trial must give every grid parameter."
            )
        raise RuntimeError(f"Trial {trial.number} has no grid point: was before_trial called?")

    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        if param_name not in self.search_space:
            raise ValueError(f"Parameter {param_name!r} is not in the grid's search space {list(self.search_space)}.")
        value = self.grid_point(self._grid_id_of(study, trial))[param_name]
        try:
            inside = param_distribution.contains(param_distribution.to_internal_repr(value))
        except ValueError:
            inside = False
        if not inside:
            raise ValueError(f"Grid value {value!r} of {param_name!r} lies outside {param_distribution!r}.")
        return value

    def after_trial(self, study: PluginStudy, trial: FrozenTrial, state: TrialState, values: Any) -> None:
        self._local_ids.pop(trial.trial_id, None)
        if len(self._taken(study)) >= self.n_grids:
            stop_study(study)

    def __repr__(self) -> str:
        return f"GridSampler(search_space={self.search_space!r}, seed={self.seed})"
