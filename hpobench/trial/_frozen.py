"""FrozenTrial: a read-only snapshot of a trial as stored."""

from __future__ import annotations

import copy
import datetime
import math
import warnings
from collections.abc import Sequence
from typing import Any

from hpobench.distributions import Distribution, check_distribution_compatibility
from hpobench.trial._state import TrialState
from hpobench.trial._suggest import SuggestAPI


class FrozenTrial(SuggestAPI):
    """Snapshot of one trial. Samplers and pruners see the study through these.

    The constructor takes Optuna's arguments in Optuna's order (value or the
    keyword values, not both), and the attributes follow Optuna's FrozenTrial:
    number, state, value/values, params (external values), distributions,
    intermediate_values, user_attrs, system_attrs, datetime_start,
    datetime_complete, duration, trial_id. Like Optuna's, instances are
    mutable, but what the storages hand out with deepcopy=False is shared:
    change only copies. Unlike Optuna, every argument after state has a
    default (empty, None, trial_id -1), and value is the first objective's
    value even in a multi-objective study (Optuna raises there).
    """

    __slots__ = (
        "number",
        "state",
        "_values",
        "params",
        "distributions",
        "intermediate_values",
        "user_attrs",
        "system_attrs",
        "datetime_start",
        "datetime_complete",
        "_trial_id",
    )

    def __init__(
        self,
        number: int,
        state: TrialState,
        value: float | None = None,
        datetime_start: datetime.datetime | None = None,
        datetime_complete: datetime.datetime | None = None,
        params: dict[str, Any] | None = None,
        distributions: dict[str, Distribution] | None = None,
        user_attrs: dict[str, Any] | None = None,
        system_attrs: dict[str, Any] | None = None,
        intermediate_values: dict[int, float] | None = None,
        trial_id: int = -1,
        *,
        values: Sequence[float] | None = None,
    ) -> None:
        if value is not None and values is not None:
            raise ValueError(f"Give value or values, not both (got value={value!r}, values={values!r}).")
        self.number = number
        self.state = state
        self._values = [value] if value is not None else (None if values is None else list(values))
        self.params = {} if params is None else params
        self.distributions = {} if distributions is None else distributions
        self.intermediate_values = {} if intermediate_values is None else intermediate_values
        self.user_attrs = {} if user_attrs is None else user_attrs
        self.system_attrs = {} if system_attrs is None else system_attrs
        self.datetime_start = datetime_start
        self.datetime_complete = datetime_complete
        self._trial_id = trial_id

    @property
    def trial_id(self) -> int:
        """Storage-wide id of the trial (number is per study)."""
        return self._trial_id

    @property
    def values(self) -> list[float] | None:
        """The objective values (a list), or None."""
        return self._values

    @values.setter
    def values(self, values: Sequence[float] | None) -> None:
        self._values = None if values is None else list(values)

    @property
    def value(self) -> float | None:
        """The objective value (single-objective studies)."""
        return None if self._values is None else self._values[0]

    @value.setter
    def value(self, value: float | None) -> None:
        if self._values is not None and len(self._values) > 1:
            raise RuntimeError(f"Trial {self.number} has {len(self._values)} values; set values instead of value.")
        self._values = None if value is None else [value]

    def _validate(self) -> None:
        """Raise ValueError if the fields contradict each other (Optuna's checks, run by add_trial)."""
        if self.state != TrialState.WAITING and self.datetime_start is None:
            raise ValueError(f"A {self.state.name} trial needs datetime_start; only a WAITING one has none.")
        if self.state.is_finished() and self.datetime_complete is None:
            raise ValueError(f"A finished ({self.state.name}) trial needs datetime_complete.")
        if not self.state.is_finished() and self.datetime_complete is not None:
            raise ValueError(
                f"An unfinished ({self.state.name}) trial has no datetime_complete, got {self.datetime_complete!r}."
            )
        if self.state == TrialState.FAIL and self._values is not None:
            raise ValueError(f"A FAIL trial has no values, got {self._values!r}.")
        if self.state == TrialState.COMPLETE:
            if self._values is None:
                raise ValueError("A COMPLETE trial needs a value (or values).")
            if any(math.isnan(v) for v in self._values):
                raise ValueError(f"The values of a COMPLETE trial must not be NaN, got {self._values!r}.")
        if set(self.params) != set(self.distributions):
            raise ValueError(
                f"params {sorted(self.params)} and distributions {sorted(self.distributions)} "
                "name different parameters."
            )
        for name, external in self.params.items():
            distribution = self.distributions[name]
            if not distribution.contains(distribution.to_internal_repr(external)):
                raise ValueError(f"The value {external!r} of parameter {name!r} is not in {distribution!r}.")

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
    def _suggest(self, name: str, distribution: Distribution) -> Any:
        if name not in self.params:
            raise ValueError(f"Trial {self.number} has no parameter {name!r}; it has {sorted(self.params)}.")
        value = self.params[name]
        if not distribution.contains(distribution.to_internal_repr(value)):
            # a rerun with a changed range is legitimate: warn, as Optuna does
            warnings.warn(f"The stored value {value!r} of {name!r} lies outside {distribution!r}.", stacklevel=2)
        if name in self.distributions:  # another kind (int for a float, ...) is a mistake: refuse, as Optuna
            check_distribution_compatibility(self.distributions[name], distribution)
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

    def _replace(self, **changes: Any) -> FrozenTrial:
        """A copy with some fields changed (trial_id spelled without the underscore)."""
        # Slot by slot, without __init__'s keyword call: every suggest pays this twice.
        new = object.__new__(FrozenTrial)
        for slot in _SLOTS:
            setattr(new, slot, getattr(self, slot))
        for name, value in changes.items():
            target = _SLOT_OF.get(name)
            if target is None:
                raise TypeError(f"FrozenTrial has no field {name!r}.")
            setattr(new, target, value)
        return new

    def __deepcopy__(self, memo: dict) -> FrozenTrial:
        # Distributions and the values in params / intermediate_values are immutable, so
        # only the containers are copied; attrs (any JSON) are copied deeply. Much cheaper
        # than the generic deepcopy, which every get_trials(deepcopy=True) pays per trial.
        return FrozenTrial(
            number=self.number,
            state=self.state,
            values=self._values,
            params=dict(self.params),
            distributions=dict(self.distributions),
            intermediate_values=dict(self.intermediate_values),
            user_attrs=copy.deepcopy(self.user_attrs, memo),
            system_attrs=copy.deepcopy(self.system_attrs, memo),
            datetime_start=self.datetime_start,
            datetime_complete=self.datetime_complete,
            trial_id=self._trial_id,
        )

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FrozenTrial) and self._fields() == other._fields()

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FrozenTrial):
            return NotImplemented  # a TypeError for `trial < 1`, as in Optuna
        return self.number < other.number

    def __le__(self, other: object) -> bool:
        if not isinstance(other, FrozenTrial):
            return NotImplemented
        return self.number <= other.number

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
