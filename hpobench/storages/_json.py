"""JSON helpers shared by the SQL storage: stored values are JSON text, never pickle."""

from __future__ import annotations

import functools
import json
from typing import Any

from hpobench.distributions import Distribution, distribution_to_json, json_to_distribution


def dumps(value: Any) -> str:
    """JSON text; NaN and inf are kept (Python's JSON dialect), key order kept (params stay in suggestion order)."""
    try:
        return json.dumps(value)
    except TypeError as err:
        raise ValueError(f"{value!r} cannot be stored: values must be JSON serialisable ({err}).") from None


loads = json.loads


@functools.lru_cache(maxsize=4096)
def distribution_from_json(text: str) -> Distribution:
    """Distributions are immutable, so equal JSON texts share one object."""
    return json_to_distribution(text)


def distributions_to_json(distributions: dict[str, Distribution]) -> str:
    return dumps({name: distribution_to_json(d) for name, d in distributions.items()})


def distributions_from_json(text: str) -> dict[str, Distribution]:
    return {name: distribution_from_json(d) for name, d in loads(text).items()}
