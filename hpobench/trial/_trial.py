"""Trial: the object an objective receives (define-by-run, Optuna's names and meaning)."""

from __future__ import annotations

import datetime
import numbers
import warnings
from typing import TYPE_CHECKING, Any

from hpobench.distributions import Distribution, check_distribution_compatibility, check_same_distribution
from hpobench.trial._frozen import FrozenTrial
from hpobench.trial._suggest import SuggestAPI

if TYPE_CHECKING:
    from hpobench.storages import BaseStorage
    from hpobench.study import Study


class Trial(SuggestAPI):
    """A running trial. Writes go to the storage; reads come from a local copy.

    The local copy is exact because only this worker writes a running trial
    (the heartbeat reaper may fail it, after which writes raise).
    """

    def __init__(self, study: Study, frozen: FrozenTrial) -> None:
        self.study = study
        self._trial_id = frozen.trial_id
        self._frozen = frozen
        self._relative_params: dict[str, Any] | None = None
        self._relative_space: dict[str, Distribution] = {}

    # --- read-only views -------------------------------------------------------
    @property
    def number(self) -> int:
        return self._frozen.number

    @property
    def storage(self) -> BaseStorage:
        """The study's storage (Optuna's attribute)."""
        return self.study.storage

    @property
    def params(self) -> dict[str, Any]:
        return dict(self._frozen.params)

    @property
    def distributions(self) -> dict[str, Distribution]:
        return dict(self._frozen.distributions)

    @property
    def user_attrs(self) -> dict[str, Any]:
        return dict(self._frozen.user_attrs)

    @property
    def system_attrs(self) -> dict[str, Any]:
        return dict(self._frozen.system_attrs)

    @property
    def datetime_start(self) -> datetime.datetime | None:
        return self._frozen.datetime_start

    @property
    def relative_params(self) -> dict[str, Any]:
        self._ensure_relative()
        return dict(self._relative_params or {})

    def _snapshot(self) -> FrozenTrial:
        """A FrozenTrial of the current local state (what samplers and pruners see)."""
        return self._frozen

    def _update(self, **changes: Any) -> None:
        self._frozen = self._frozen._replace(**changes)

    # --- suggest ----------------------------------------------------------------
    def _suggest(self, name: str, distribution: Distribution) -> Any:
        if not isinstance(name, str) or not name:
            raise ValueError(f"A parameter name must be a non-empty string, got {name!r}.")
        if name in self._frozen.distributions:
            check_same_distribution(name, self._frozen.distributions[name], distribution)
            return self._frozen.params[name]
        external = self._choose_value(name, distribution)
        internal = distribution.to_internal_repr(external)
        self.study.storage.set_trial_param(self._trial_id, name, internal, distribution)
        external = distribution.to_external_repr(internal)
        self._update(
            params={**self._frozen.params, name: external},
            distributions={**self._frozen.distributions, name: distribution},
        )
        return external

    def _choose_value(self, name: str, distribution: Distribution) -> Any:
        fixed = self._frozen.system_attrs.get("fixed_params", {})
        if name in fixed:
            value = fixed[name]
            if not distribution.contains(distribution.to_internal_repr(value)):
                warnings.warn(
                    f"Enqueued value {value!r} of {name!r} lies outside {distribution!r}; using it anyway.",
                    stacklevel=2,
                )
            return value
        if distribution.single():
            return distribution.to_external_repr(distribution.low if hasattr(distribution, "low") else 0)
        self._ensure_relative()
        if self._is_relative_param(name, distribution):
            return self._relative_params[name]  # type: ignore[index]
        return self.study.sampler.sample_independent(self.study, self._snapshot(), name, distribution)

    def _is_relative_param(self, name: str, distribution: Distribution) -> bool:
        """Whether the relative sample's value of name is used (Optuna's rule).

        It is when the sampler returned one, its space's distribution is
        compatible (same kind, log flag and choices) and the value lies in the
        distribution suggested now, even if that has another range: a sampler
        may sample a wider or older range than the objective asks today.
        """
        if name not in (self._relative_params or {}):
            return False
        if name not in self._relative_space:
            raise ValueError(
                f"The sampler's sample_relative returned {name!r}, which is not in its relative search space "
                f"{sorted(self._relative_space)}."
            )
        check_distribution_compatibility(self._relative_space[name], distribution)
        value = self._relative_params[name]  # type: ignore[index]
        return distribution.contains(distribution.to_internal_repr(value))

    def _ensure_relative(self) -> None:
        if self._relative_params is not None:
            return
        sampler = self.study.sampler
        self._relative_space = sampler.infer_relative_search_space(self.study, self._snapshot())
        self._relative_params = (
            sampler.sample_relative(self.study, self._snapshot(), self._relative_space) if self._relative_space else {}
        )

    # --- pruning ----------------------------------------------------------------
    def report(self, value: float, step: int) -> None:
        """Report an intermediate objective value at step (a non-negative int).

        Raises:
            NotImplementedError: the study has several objectives (as Optuna: pruners rank one value).
        """
        self._check_single_objective("report")
        try:  # the value first, then the step (Optuna's order of checks)
            value = float(value)
        except (TypeError, ValueError):
            raise TypeError(f"report() needs a number as value, got {value!r} ({type(value).__name__}).") from None
        if isinstance(step, numbers.Integral) and not isinstance(step, bool):
            step = int(step)  # numpy integers too
        elif isinstance(step, float) and float(step).is_integer():
            step = int(step)
        else:
            raise TypeError(f"step must be a non-negative integer, got {step!r} ({type(step).__name__}).")
        if step < 0:
            raise ValueError(f"step must be a non-negative integer, got {step}.")
        if step in self._frozen.intermediate_values:
            warnings.warn(
                f"Trial {self.number}: step {step} was already reported; the new value {value} is ignored.",
                stacklevel=2,
            )
            return
        self.study.storage.set_trial_intermediate_value(self._trial_id, step, value)
        self._update(intermediate_values={**self._frozen.intermediate_values, step: value})

    def should_prune(self) -> bool:
        """Ask the study's pruner whether to stop this trial now (single-objective studies, as Optuna)."""
        self._check_single_objective("should_prune")
        return bool(self.study.pruner.prune(self.study, self._snapshot()))

    def _check_single_objective(self, method: str) -> None:
        if len(self.study.directions) > 1:
            raise NotImplementedError(f"Trial.{method} is not supported for multi-objective optimization.")

    # --- attributes ---------------------------------------------------------------
    def set_user_attr(self, key: str, value: Any) -> None:
        """Attach a JSON-serialisable value to the trial."""
        self.study.storage.set_trial_attr(self._trial_id, "user", key, value)
        self._update(user_attrs={**self._frozen.user_attrs, key: value})

    def set_system_attr(self, key: str, value: Any) -> None:
        self.study.storage.set_trial_attr(self._trial_id, "system", key, value)
        self._update(system_attrs={**self._frozen.system_attrs, key: value})

    def __repr__(self) -> str:
        return f"Trial(number={self.number}, params={self._frozen.params})"
