"""FrozenTrial: a read-only snapshot of a trial as stored."""

from __future__ import annotations

import copy
import datetime
import warnings
from typing import Any

from hpobench.distributions import (
    BaseDistribution,
)
from hpobench.trial._state import TrialState
from hpobench.trial._suggest import SuggestAPI


class FrozenTrial(SuggestAPI):
    """Snapshot of one trial. Samplers and pruners see the study through these.

    Attributes follow Optuna's FrozenTrial: number, state, value/values, params
    (external values), distributions, intermediate_values, user_attrs,
    system_attrs, datetime_start, datetime_complete, duration.
    """

    __slots__ = (
        "number", "state", "values", "params", "distributions", "intermediate_values",
        "user_attrs", "system_attrs", "datetime_start", "datetime_complete", "_trial_id",
    )

    def __init__(
        self,
        *,
        number: int,
        state: TrialState,
        values: list[float] | None,
        params: dict[str, Any],
        distributions: dict[str, BaseDistribution],
        intermediate_values: dict[int, float],
        user_attrs: dict[str, Any],
        system_attrs: dict[str, Any],
        datetime_start: datetime.datetime | None,
        datetime_complete: datetime.datetime | None,
        trial_id: int,
    ) -> None:
        self.number = number
        self.state = state
        self.values = values
        self.params = params
        self.distributions = distributions
        self.intermediate_values = intermediate_values
        self.user_attrs = user_attrs
        self.system_attrs = system_attrs
        self.datetime_start = datetime_start
        self.datetime_complete = datetime_complete
        self._trial_id = trial_id

    @property
    def trial_id(self) -> int:
        """Storage-wide id of the trial (number is per study)."""
        return self._trial_id

    @property
    def value(self) -> float | None:
        """The objective value (single-objective studies)."""
        return None if self.values is None else self.values[0]

    @property
    def duration(self) -> datetime.timedelta | None:
        if self.datetime_start is None or self.datetime_complete is None:
            return None
        return self.datetime_complete - self.datetime_start

    @property
    def last_step(self) -> int | None:
        """Deepest step reported, or None."""
        return max(self.intermediate_values) if self.intermediate_values else None

    # --- the Trial interface, answered from stored values: objective(study.best_trial) reruns
    #     the best configuration (as with Optuna) ---------------------------------------------
    def _suggest(self, name: str, distribution: BaseDistribution) -> Any:
        if name not in self.params:
            raise ValueError(f"Trial {self.number} has no parameter {name!r}; it has {sorted(self.params)}.")
        value = self.params[name]
        if not distribution.contains(distribution.to_internal_repr(value)):
            # a rerun with a changed range is legitimate: warn, as Optuna does
            warnings.warn(f"The stored value {value!r} of {name!r} lies outside {distribution!r}.")
        return value

    def report(self, value: float, step: int) -> None:
        """Does nothing: a stored trial is not pruned (as Optuna)."""

    def should_prune(self) -> bool:
        return False

    def set_user_attr(self, key: str, value: Any) -> None:
        """Changes this snapshot only, not the stored trial."""
        self.user_attrs[key] = value

    def set_system_attr(self, key: str, value: Any) -> None:
        self.system_attrs[key] = value

    def _replace(self, **changes: Any) -> "FrozenTrial":
        """A copy with some fields changed (trial_id spelled without the underscore)."""
        # Slot by slot, without __init__'s keyword call: every suggest pays this twice.
        new = object.__new__(FrozenTrial)
        for slot in _SLOTS:
            setattr(new, slot, getattr(self, slot))
        for name, value in changes.items():
            slot = _SLOT_OF.get(name)
            if slot is None:
                raise TypeError(f"FrozenTrial has no field {name!r}.")
            setattr(new, slot, value)
        return new

    def __deepcopy__(self, memo: dict) -> "FrozenTrial":
        # Distributions and the values in params / intermediate_values are immutable, so
        # only the containers are copied; attrs (any JSON) are copied deeply. Much cheaper
        # than the generic deepcopy, which every get_trials(deepcopy=True) pays per trial.
        return FrozenTrial(
            number=self.number, state=self.state, values=None if self.values is None else list(self.values),
            params=dict(self.params), distributions=dict(self.distributions),
            intermediate_values=dict(self.intermediate_values),
            user_attrs=copy.deepcopy(self.user_attrs, memo), system_attrs=copy.deepcopy(self.system_attrs, memo),
            datetime_start=self.datetime_start, datetime_complete=self.datetime_complete, trial_id=self._trial_id,
        )

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FrozenTrial) and self._fields() == other._fields()

    def __lt__(self, other: "FrozenTrial") -> bool:
        return self.number < other.number

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"FrozenTrial(number={self.number}, state={self.state!r}, values={self.values}, "
            f"params={self.params}, intermediate_values={self.intermediate_values}, "
            f"user_attrs={self.user_attrs})"
        )


_FIELDS = [(slot.lstrip("_"), slot) for slot in FrozenTrial.__slots__]
_SLOTS = FrozenTrial.__slots__
_SLOT_OF = dict(_FIELDS)
