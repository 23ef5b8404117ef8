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
import numbers
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

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

    def _contains(self, internal: float) -> bool:
        """Optuna's name of contains(), for samplers written against Optuna."""
        return self.contains(internal)

    def _asdict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BaseDistribution) and type(self) is type(other) and self._asdict() == other._asdict()

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


def _warn_adjusted(low: float, high: float, step: float, new_high: float) -> None:
    warnings.warn(
        f"The distribution is specified by [{low}, {high}] and step={step}, but the range is not "
        f"divisible by `step`. It will be replaced with [{low}, {new_high}].",
        stacklevel=2,
    )


def _float_high_on_grid(low: float, high: float, step: float) -> float:
    """high lowered to the last grid point low + k * step (Optuna's rule, warned), computed in decimal."""
    d_low, d_step = decimal.Decimal(str(low)), decimal.Decimal(str(step))
    span = decimal.Decimal(str(high)) - d_low
    if span % d_step == 0:
        return high
    new_high = float((span // d_step) * d_step + d_low)
    _warn_adjusted(low, high, step, new_high)
    return new_high


def _int_high_on_grid(low: int, high: int, step: int) -> int:
    """high lowered to the last grid point low + k * step (Optuna's rule, warned)."""
    if (high - low) % step == 0:
        return high
    new_high = (high - low) // step * step + low
    _warn_adjusted(low, high, step, new_high)
    return new_high


def _numeric_internal(external: Any, dist: FloatDistribution | IntDistribution, kind: str) -> float:
    """external as a float; ValueError naming it if it is no number, NaN, or <= 0 on a log scale (as Optuna)."""
    try:
        value = float(external)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{external!r} is not a{'n' if kind == 'int' else ''} {kind} value of {dist}.") from err
    if math.isnan(value):
        raise ValueError(f"NaN is not a valid value of {dist}.")
    if dist.log and value <= 0:
        raise ValueError(f"{external!r} is not a valid value of the log-scaled {dist}: values must be > 0.")
    return value


class FloatDistribution(BaseDistribution):
    """Floats in [low, high], optionally log-scaled or on a grid low + k * step.

    A step that does not divide high - low lowers high to the last grid point,
    with a UserWarning (Optuna's rule): FloatDistribution(2, 7, step=2) is [2, 6].
    """

    def __init__(self, low: float, high: float, log: bool = False, step: float | None = None) -> None:
        _check_range(low, high, log, step)
        if step is not None:
            high = _float_high_on_grid(low, high, step)
        self.low = float(low)
        self.high = float(high)
        self.log = bool(log)
        self.step = None if step is None else float(step)

    def to_internal_repr(self, external: Any) -> float:
        return _numeric_internal(external, self, "float")

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
        # in decimal: 0.3 - 0.2 < 0.1 in binary floats, yet [0.2, 0.3] holds two grid points
        return decimal.Decimal(str(self.high)) - decimal.Decimal(str(self.low)) < decimal.Decimal(str(self.step))


class IntDistribution(BaseDistribution):
    """Integers in [low, high], optionally log-scaled or on a grid low + k * step.

    As for floats, a step that does not divide high - low lowers high to the
    last grid point, with a UserWarning.
    """

    def __init__(self, low: int, high: int, log: bool = False, step: int = 1) -> None:
        for name, value in (("low", low), ("high", high), ("step", step)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
                raise ValueError(f"{name} of an int distribution must be an integer, got {value!r}.")
        _check_range(low, high, log, None if step == 1 else step)
        if step <= 0:
            raise ValueError(f"step must be > 0, got step={step!r}.")
        self.low = int(low)
        self.high = _int_high_on_grid(int(low), int(high), int(step))
        self.log = bool(log)
        self.step = int(step)

    def to_internal_repr(self, external: Any) -> float:
        if isinstance(external, bool):
            raise ValueError(f"{external!r} is not an int value of {self}.")
        return _numeric_internal(external, self, "int")

    def to_external_repr(self, internal: float) -> int:
        return int(round(internal))

    def contains(self, internal: float) -> bool:
        if not (self.low <= internal <= self.high):
            return False
        return (round(internal) - self.low) % self.step == 0 and internal == round(internal)

    def single(self) -> bool:
        return self.high - self.low < self.step


def _choice_key(choice: Any) -> tuple[str, Any]:
    # True == 1 and 1.0 == 1 in Python; the type keeps them distinct choices. NaN != NaN (and hashes by
    # identity), so every NaN gets one key: NaN choices compare equal, as in Optuna.
    if _is_nan(choice):
        return (type(choice).__name__, "nan")
    return (type(choice).__name__, choice)


def _is_nan(value: Any) -> bool:
    return isinstance(value, numbers.Real) and math.isnan(float(value))


def _equal_choices(a: Any, b: Any) -> bool:
    """Optuna's equality of choices: ==, or both NaN."""
    try:
        if a == b:
            return True
    except (TypeError, ValueError):  # e.g. an array compared with a choice
        return False
    return _is_nan(a) and _is_nan(b)


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
        """The index of external among the choices.

        A choice of the same type wins (True and 1 are distinct choices here);
        otherwise the first equal one, as Optuna's ``choices.index`` finds it
        (1.0 for 1, numpy scalars, NaN for NaN).
        """
        key = _choice_key(external)
        for index, choice in enumerate(self.choices):
            if _choice_key(choice) == key:
                return float(index)
        for index, choice in enumerate(self.choices):
            if _equal_choices(external, choice):
                return float(index)
        raise ValueError(f"{external!r} is not one of the choices {list(self.choices)!r}.")

    def to_external_repr(self, internal: float) -> CategoricalChoiceType:
        return self.choices[int(internal)]

    def contains(self, internal: float) -> bool:
        index = int(internal)
        return index == internal and 0 <= index < len(self.choices)

    def single(self) -> bool:
        return len(self.choices) == 1


# The distributions a parameter can have. Samplers and storages type parameters with these unions:
# after ``isinstance(dist, CategoricalDistribution)`` is ruled out, a type checker knows that
# ``low``, ``high``, ``log`` and ``step`` exist, so no cast is needed.
NumericalDistribution: TypeAlias = FloatDistribution | IntDistribution
Distribution: TypeAlias = FloatDistribution | IntDistribution | CategoricalDistribution

_CLASSES: dict[str, type[Distribution]] = {
    cls.__name__: cls for cls in (FloatDistribution, IntDistribution, CategoricalDistribution)
}


def distribution_to_json(dist: BaseDistribution) -> str:
    """Serialise a distribution to a JSON string."""
    return json.dumps({"name": type(dist).__name__, "attributes": dist._asdict()})


# Optuna's pre-3.0 class names, still found in old JSON (e.g. Optuna databases, saved spaces).
_LEGACY: dict[str, Callable[[dict[str, Any]], Distribution]] = {
    "UniformDistribution": lambda a: FloatDistribution(a["low"], a["high"]),
    "LogUniformDistribution": lambda a: FloatDistribution(a["low"], a["high"], log=True),
    "DiscreteUniformDistribution": lambda a: FloatDistribution(a["low"], a["high"], step=a["q"]),
    "IntUniformDistribution": lambda a: IntDistribution(a["low"], a["high"], step=a.get("step", 1)),
    "IntLogUniformDistribution": lambda a: IntDistribution(a["low"], a["high"], log=True, step=a.get("step", 1)),
}


def json_to_distribution(text: str) -> Distribution:
    """Rebuild a distribution from JSON, in any of Optuna's forms.

    ``{"name": "FloatDistribution", "attributes": {...}}`` (what
    distribution_to_json writes; Optuna's pre-3.0 names such as
    UniformDistribution give the equivalent Float/IntDistribution), or the
    abbreviated ``{"type": "float" | "int", "low": ..., "high": ..., "step": ...,
    "log": ...}`` and ``{"type": "categorical", "choices": [...]}``.
    """
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"A distribution's JSON must be an object, got {text!r}.")
    if "name" in data:
        name, attributes = data["name"], data.get("attributes", {})
        if name in _CLASSES:
            return _CLASSES[name](**attributes)
        if name in _LEGACY:
            return _LEGACY[name](attributes)
        raise ValueError(f"Unknown distribution {name!r} in {text!r}.")
    kind = data.get("type")
    if kind == "categorical":
        return CategoricalDistribution(data["choices"])
    if kind == "float":
        return FloatDistribution(data["low"], data["high"], log=data.get("log", False), step=data.get("step"))
    if kind == "int":
        step = data.get("step")
        return IntDistribution(data["low"], data["high"], log=data.get("log", False), step=1 if step is None else step)
    raise ValueError(f"Unknown distribution type {kind!r} in {text!r}: expected 'float', 'int' or 'categorical'.")


def check_distribution_compatibility(dist_old: Distribution, dist_new: Distribution) -> None:
    """Raise ValueError unless two distributions can hold one parameter (Optuna's rule and order).

    Compatible: the same class, the same log flag for numbers, the same choices
    for categoricals; ranges and steps may differ (e.g. a range that grows
    between trials of a study).
    """
    if type(dist_old) is not type(dist_new):
        raise ValueError(f"Cannot use {dist_new!r} for a parameter that has {dist_old!r}: different kinds.")
    if isinstance(dist_old, FloatDistribution | IntDistribution) and dist_old.log != getattr(dist_new, "log", None):
        raise ValueError(f"Cannot use {dist_new!r} for a parameter that has {dist_old!r}: different log flags.")
    if isinstance(dist_old, CategoricalDistribution) and dist_old != dist_new:
        raise ValueError(f"Cannot use {dist_new!r} for a parameter that has {dist_old!r}: different choices.")


def check_same_distribution(name: str, old: BaseDistribution, new: BaseDistribution) -> None:
    """Raise ValueError if one parameter name is used with two different distributions within a trial.

    Stricter than Optuna, which returns the first value and ignores the second
    distribution (a silent configuration mistake); hpobench refuses it.
    """
    if old != new:
        raise ValueError(
            f"Parameter {name!r} was suggested with {old!r} and now with {new!r}: "
            "a parameter name must keep one distribution within a trial."
        )
