"""One rule for argument checks: the wrong type is a TypeError, a wrong value a ValueError.

Every constructor and public function of hpobench and its plugins checks its
arguments with these helpers, so the same mistake gets the same exception
everywhere, with a message that names the argument and the value::

    self.n_startup_trials = check_int("n_startup_trials", n_startup_trials, minimum=0)
    self.percentile = check_float("percentile", percentile, 0.0, 100.0)   # [minimum, maximum]
    self.kind = check_choice("kind", kind, ("sobol", "halton"))

bool is not accepted as a number (``True`` for ``n_trials`` is a mistake);
numpy integers and floats are, and come back as Python int / float.

Two kinds of checks keep their own exception on purpose: where hpobench mirrors
an Optuna API that raises a specific type (distributions; a pruner's
min_resource, which Optuna refuses with ValueError whatever its type;
tests/test_optuna_api_compat.py compares them), and the config checks of the
CLI and the Hydra sweeper, which report a bad config value as one line naming
the key (hpobench.cli's UsageError).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection
from typing import Any, TypeVar

T = TypeVar("T")


def check_int(name: str, value: Any, minimum: int | None = None, maximum: int | None = None) -> int:
    """value as an int in [minimum, maximum] (either bound optional).

    Raises:
        TypeError: value is not an integer (bool included).
        ValueError: value lies outside the bounds.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__}).")
    number = int(value)
    _check_bounds(name, number, minimum, maximum)
    return number


def check_float(
    name: str,
    value: Any,
    minimum: float | None = None,
    maximum: float | None = None,
    *,
    above: float | None = None,
    finite: bool = False,
) -> float:
    """value as a float in [minimum, maximum] and > above (each optional); never NaN, and finite if finite=True.

    Raises:
        TypeError: value is not a real number (bool included).
        ValueError: value is NaN, infinite (with finite=True) or outside the bounds.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} ({type(value).__name__}).")
    number = float(value)
    if math.isnan(number) or (finite and math.isinf(number)):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    if above is not None and not number > above:
        raise ValueError(f"{name} must be > {above}, got {value!r}.")
    _check_bounds(name, number, minimum, maximum)
    return number


def check_choice(name: str, value: T, choices: Collection[T]) -> T:
    """value itself, if it is one of choices.

    Raises:
        ValueError: value is not one of choices (whatever its type: a choice is a value).
    """
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(map(repr, choices))}, got {value!r}.")
    return value


def _check_bounds(name: str, value: float, minimum: float | None, maximum: float | None) -> None:
    if minimum is not None and maximum is not None and not minimum <= value <= maximum:
        raise ValueError(f"{name} must lie in [{minimum}, {maximum}], got {value!r}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value!r}.")
