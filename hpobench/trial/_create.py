"""create_trial(): a FrozenTrial built by hand, to add to a study with Study.add_trial (Optuna's meaning)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from typing import Any

from hpobench.distributions import Distribution
from hpobench.trial._frozen import FrozenTrial
from hpobench.trial._state import TrialState


def create_trial(
    *,
    state: TrialState = TrialState.COMPLETE,
    value: float | None = None,
    values: Sequence[float] | None = None,
    params: dict[str, Any] | None = None,
    distributions: dict[str, Distribution] | None = None,
    user_attrs: dict[str, Any] | None = None,
    system_attrs: dict[str, Any] | None = None,
    intermediate_values: dict[int, float] | None = None,
) -> FrozenTrial:
    """A trial to add with study.add_trial(), e.g. results known from elsewhere (warm start).

    Raises:
        ValueError: value and values both given, params without their distributions
            (or a value outside its distribution), COMPLETE without a value or with
            a NaN or infinite one (an infinite value FAILs a trial in hpobench), FAIL
            with a value.
    """
    if value is not None and values is not None:
        raise ValueError(f"Give value or values, not both (got value={value!r}, values={values!r}).")
    floats = [float(value)] if value is not None else (None if values is None else [float(v) for v in values])
    now = datetime.datetime.now()
    trial = FrozenTrial(
        number=-1,
        state=state,
        values=floats,
        params=dict(params or {}),
        distributions=dict(distributions or {}),
        intermediate_values=dict(intermediate_values or {}),
        user_attrs=dict(user_attrs or {}),
        system_attrs=dict(system_attrs or {}),
        datetime_start=None if state == TrialState.WAITING else now,
        datetime_complete=now if state.is_finished() else None,
        trial_id=-1,
    )
    trial._validate()
    if state == TrialState.COMPLETE and not all(math.isfinite(v) for v in trial.values or []):
        raise ValueError(f"A COMPLETE trial needs finite values, got {trial.values!r}.")
    return trial
