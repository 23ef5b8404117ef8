"""Search-space distributions: float, int and categorical.

Each distribution validates its arguments on construction (a ValueError names the
bad value), maps external values (what the objective sees) to an internal float
representation (what samplers and storages handle) and back, and serialises to
JSON. Storages never pickle.
"""

from __future__ import annotations

import abc
import decimal
import json
import math
from typing import Any, Sequence

CategoricalChoiceType = None | bool | int | float | str


class BaseDistribution(abc.ABC):
    """A one-dimensional search-space distribution."""

    @abc.abstractmethod
    def to_internal_repr(self, external: Any) -> float:
        """Map a user-facing value to the float stored and seen by samplers."""

    @abc.abstractmethod
    def to_external_repr(self, internal: float) -> Any:
        """Map a stored float back to the user-facing value."""

    @abc.abstractmethod
    def contains(self, internal: float) -> bool:
        """Whether an internal value lies in the distribution's support."""

    @abc.abstractmethod
    def single(self) -> bool:
        """Whether the distribution has exactly one possible value."""

    def _asdict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._asdict() == other._asdict()  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash((type(self).__name__, json.dumps(self._asdict(), sort_keys=True, default=str)))

    def __repr__(self) -> str:
        kwargs = ", ".join(f"{k}={v!r}" for k, v in self._asdict().items())
        return f"{type(self).__name__}({kwargs})"


def _check_finite(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")


def _check_range(low: float, high: float, log: bool, step: float | None) -> None:
    _check_finite("low", low)
    _check_finite("high", high)
    if low > high:
        raise ValueError(f"low must be <= high, got low={low!r} > high={high!r}.")
    if log and step is not None:
        raise ValueError(f"step={step!r} and log=True cannot be used together.")
    if log and low <= 0:
        raise ValueError(f"log=True needs low > 0, got low={low!r}.")
    if step is not None:
        _check_finite("step", step)
        if step <= 0:
            raise ValueError(f"step must be > 0, got step={step!r}.")


def _steps_fit(low: float, high: float, step: float) -> bool:
    """Whether (high - low) is a whole multiple of step, computed exactly in decimal."""
    span = decimal.Decimal(str(high)) - decimal.Decimal(str(low))
    return span % decimal.Decimal(str(step)) == 0


class FloatDistribution(BaseDistribution):
    """Floats in [low, high], optionally log-scaled or on a grid low + k * step."""

    def __init__(self, low: float, high: float, log: bool = False, step: float | None = None) -> None:
        _check_range(low, high, log, step)
        if step is not None and not _steps_fit(low, high, step):
            raise ValueError(
                f"step={step!r} does not fit the range [{low!r}, {high!r}]: "
                f"high - low = {high - low!r} is not a multiple of step."
            )
        self.low = float(low)
        self.high = float(high)
        self.log = bool(log)
        self.step = None if step is None else float(step)

    def to_internal_repr(self, external: Any) -> float:
        try:
            value = float(external)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{external!r} is not a float value of {self}.") from err
        if math.isnan(value):
            raise ValueError(f"NaN is not a valid value of {self}.")
        return value

    def to_external_repr(self, internal: float) -> float:
        return float(internal)

    def contains(self, internal: float) -> bool:
        if not (self.low <= internal <= self.high):
            return False
        if self.step is None:
            return True
        k = (internal - self.low) / self.step
        return abs(k - round(k)) < 1e-8

    def single(self) -> bool:
        if self.step is None:
            return self.low == self.high
        return self.high - self.low < self.step


class IntDistribution(BaseDistribution):
    """Integers in [low, high], optionally log-scaled or on a grid low + k * step."""

    def __init__(self, low: int, high: int, log: bool = False, step: int = 1) -> None:
        for name, value in (("low", low), ("high", high), ("step", step)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
                raise ValueError(f"{name} of an int distribution must be an integer, got {value!r}.")
        _check_range(low, high, log, None if step == 1 else step)
        if step <= 0:
            raise ValueError(f"step must be > 0, got step={step!r}.")
        if (high - low) % step != 0:
            raise ValueError(
                f"step={step!r} does not fit the range [{low!r}, {high!r}]: "
                f"high - low = {high - low!r} is not a multiple of step."
            )
        self.low = int(low)
        self.high = int(high)
        self.log = bool(log)
        self.step = int(step)

    def to_internal_repr(self, external: Any) -> float:
        if isinstance(external, bool):
            raise ValueError(f"{external!r} is not an int value of {self}.")
        try:
            value = float(external)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{external!r} is not an int value of {self}.") from err
        if math.isnan(value):
            raise ValueError(f"NaN is not a valid value of {self}.")
        return value

    def to_external_repr(self, internal: float) -> int:
        return int(round(internal))

    def contains(self, internal: float) -> bool:
        if not (self.low <= internal <= self.high):
            return False
        return (round(internal) - self.low) % self.step == 0 and internal == round(internal)

    def single(self) -> bool:
        return self.high - self.low < self.step


def _choice_key(choice: Any) -> tuple[str, Any]:
    # True == 1 and 1.0 == 1 in Python; the type keeps them distinct choices.
    return (type(choice).__name__, choice)


class CategoricalDistribution(BaseDistribution):
    """One of a fixed tuple of choices (None, bool, int, float, str, mixed).

    The internal representation is the index of the choice.
    """

    def __init__(self, choices: Sequence[CategoricalChoiceType]) -> None:
        if isinstance(choices, (str, bytes)) or not isinstance(choices, Sequence):
            raise ValueError(f"choices must be a sequence (list or tuple), got {choices!r}.")
        if len(choices) == 0:
            raise ValueError("choices must contain at least one element, got an empty sequence.")
        for choice in choices:
            if choice is not None and not isinstance(choice, (bool, int, float, str)):
                raise ValueError(
                    f"choice {choice!r} of type {type(choice).__name__} is not supported: "
                    "choices must be None, bool, int, float or str."
                )
        keys = [_choice_key(c) for c in choices]
        if len(set(keys)) != len(keys):
            raise ValueError(f"choices must be unique, got duplicates in {list(choices)!r}.")
        self.choices = tuple(choices)

    def _asdict(self) -> dict[str, Any]:
        return {"choices": list(self.choices)}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CategoricalDistribution):
            return False
        return [_choice_key(c) for c in self.choices] == [_choice_key(c) for c in other.choices]

    def __hash__(self) -> int:
        return hash(("CategoricalDistribution", tuple(_choice_key(c) for c in self.choices)))

    def to_internal_repr(self, external: Any) -> float:
        key = _choice_key(external)
        for index, choice in enumerate(self.choices):
            if _choice_key(choice) == key or (
                isinstance(external, float) and isinstance(choice, float) and math.isnan(external) and math.isnan(choice)
            ):
                return float(index)
        raise ValueError(f"{external!r} is not one of the choices {list(self.choices)!r}.")

    def to_external_repr(self, internal: float) -> CategoricalChoiceType:
        return self.choices[int(internal)]

    def contains(self, internal: float) -> bool:
        index = int(internal)
        return index == internal and 0 <= index < len(self.choices)

    def single(self) -> bool:
        return len(self.choices) == 1


_CLASSES = {cls.__name__: cls for cls in (FloatDistribution, IntDistribution, CategoricalDistribution)}


def distribution_to_json(dist: BaseDistribution) -> str:
    """Serialise a distribution to a JSON string."""
    return json.dumps({"name": type(dist).__name__, "attributes": dist._asdict()})


def json_to_distribution(text: str) -> BaseDistribution:
    """Rebuild a distribution from :func:`distribution_to_json` output."""
    data = json.loads(text)
    cls = _CLASSES.get(data.get("name"))
    if cls is None:
        raise ValueError(f"Unknown distribution {data.get('name')!r} in {text!r}.")
    return cls(**data["attributes"])


def check_distribution_compatibility(name: str, old: BaseDistribution, new: BaseDistribution) -> None:
    """Raise ValueError if one parameter name is used with two different distributions."""
    if old != new:
        raise ValueError(
            f"Parameter {name!r} was suggested with {old!r} and now with {new!r}: "
            "a parameter name must keep one distribution within a study's trial."
        )
