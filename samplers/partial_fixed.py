"""PartialFixedSampler: some parameters fixed to given values, the others from a base sampler (Optuna's)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from hpobench.distributions import Distribution
from hpobench.interfaces import PluginStudy, SamplerInterface
from hpobench.trial import FrozenTrial, TrialState

from .base import BaseSampler


class PartialFixedSampler(BaseSampler):
    """Fix the parameters named in fixed_params; sample every other one with base_sampler.

    A fixed value outside the distribution the objective suggests is used all
    the same, with a warning (Optuna's rule); fixed parameters are removed
    from the base sampler's relative (joint) search space.

    Args:
        fixed_params: parameter name -> value.
        base_sampler: any sampler (hpobench's, or one written against Optuna's interface).
    """

    def __init__(self, fixed_params: dict[str, Any], base_sampler: SamplerInterface) -> None:
        if not isinstance(fixed_params, dict):
            raise TypeError(f"fixed_params must be a dict of name -> value, got {fixed_params!r}.")
        if not callable(getattr(base_sampler, "sample_independent", None)):
            raise TypeError(f"base_sampler must be a sampler, got {base_sampler!r}.")
        super().__init__()
        self._fixed_params = dict(fixed_params)
        self._base_sampler = base_sampler

    def reseed_rng(self) -> None:
        self._base_sampler.reseed_rng()  # type: ignore[attr-defined]

    def infer_relative_search_space(self, study: PluginStudy, trial: FrozenTrial) -> dict[str, Distribution]:
        space = self._base_sampler.infer_relative_search_space(study, trial)
        return {name: dist for name, dist in space.items() if name not in self._fixed_params}

    def sample_relative(
        self, study: PluginStudy, trial: FrozenTrial, search_space: dict[str, Distribution]
    ) -> dict[str, Any]:
        return self._base_sampler.sample_relative(study, trial, search_space)

    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        if param_name not in self._fixed_params:
            return self._base_sampler.sample_independent(study, trial, param_name, param_distribution)
        value = self._fixed_params[param_name]
        if not param_distribution.contains(param_distribution.to_internal_repr(value)):
            warnings.warn(
                f"Fixed parameter {param_name!r} with value {value!r} is out of range for {param_distribution!r}.",
                stacklevel=2,
            )
        return value

    def before_trial(self, study: PluginStudy, trial: FrozenTrial) -> None:
        self._base_sampler.before_trial(study, trial)

    def after_trial(
        self, study: PluginStudy, trial: FrozenTrial, state: TrialState, values: Sequence[float] | None
    ) -> None:
        self._base_sampler.after_trial(study, trial, state, values)

    def __repr__(self) -> str:
        return f"PartialFixedSampler(fixed_params={self._fixed_params!r}, base_sampler={self._base_sampler!r})"
