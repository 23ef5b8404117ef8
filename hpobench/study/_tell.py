"""Turning what an objective returned into a trial state and a value."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any


def check_objective_value(value: Any, n_objectives: int = 1) -> tuple[list[float] | None, str | None]:
    """(values, None) if value is a usable objective value, else (None, reason).

    NaN, inf, None, strings and other non-numbers are rejected: a trial with
    such a value FAILs with the reason stored, and the study goes on.
    """
    items: Sequence[Any] = value if isinstance(value, (list, tuple)) else [value]
    if len(items) != n_objectives:
        return None, f"The objective returned {len(items)} values {value!r}; the study has {n_objectives} objective(s)."
    checked = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, numbers.Real):
            try:  # numpy scalars and 0-d arrays are Real-like but not always registered
                item = float(item.item()) if hasattr(item, "item") else None
            except (TypeError, ValueError):
                item = None
            if item is None:
                return None, f"The objective returned {value!r} of type {type(value).__name__}, not a number."
        number = float(item)
        if not math.isfinite(number):
            return None, f"The objective returned {number!r}, which is not a finite number."
        checked.append(number)
    return checked, None
