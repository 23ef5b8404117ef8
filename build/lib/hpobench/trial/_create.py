"""create_trial(): a FrozenTrial built by hand, to add to a study with Study.add_trial (Optuna's meaning)."""

from __future__ import annotations

import datetime
import math
from typing import Any, Sequence

from hpobench.distributions import BaseDistribution
from hpobench.trial._frozen import FrozenTrial
from hpobench.trial._state import TrialState


def create_trial(
    *,
    state: TrialState = TrialState.COMPLETE,
    value: float | None = None,
    values: Sequence[float] | None = None,
    params: dict[str, Any] | None = None,
    distributions: dict[str, BaseDistribution] | None = None,
    user_attrs: dict[str, Any] | None = None,
    system_attrs: dict[str, Any] | None = None,
    intermediate_values: dict[int, float] | None = None,
) -> FrozenTrial:
    """A trial to add with study.add_trial(), e.g. results known from elsewhere (warm start).

    Raises:
        ValueError: value and values both given, params without their distributions
            (or a value outside its distribution), COMPLETE without a finite value,
            FAIL with a value.
    """
    if value is not None and values is not None:
        raise ValueError(f"Give value or values, not both (got value={value!r}, values={values!r}).")
    vals = [float(value)] if value is not None else (None if values is None else [float(v) for v in values])
    params, distributions = dict(params or {}), dict(distributions or {})
    if set(params) != set(distributions):
        raise ValueError(f"params {sorted(params)} and distributions {sorted(distributions)} name different parameters.")
    for name, external in params.items():
        if not distributions[name].contains(distributions[name].to_internal_repr(external)):
            raise ValueError(f"The value {external!r} of parameter {name!r} is not in {distributions[name]!r}.")
    if state == TrialState.COMPLETE and (vals is None or not all(math.isfinite(v) for v in vals)):
        raise ValueError(f"A COMPLETE trial needs finite values, got {vals!r}.")
    if state == TrialState.FAIL and vals is not None:
        raise ValueError(f"A FAIL trial has no values, got {vals!r}.")
    now = datetime.datetime.now()
    return FrozenTrial(
        number=-1, state=state, values=vals, params=params, distributions=distributions,
        intermediate_values=dict(intermediate_values or {}), user_attrs=dict(user_attrs or {}),
        system_attrs=dict(system_attrs or {}), datetime_start=None if state == TrialState.WAITING else now,
        datetime_complete=now if state.is_finished() else None, trial_id=-1,
    )
