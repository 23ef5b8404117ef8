"""Asynchronous successive halving (ASHA; Li et al., MLSys 2020).

Rung k of a trial sits at step

    min_resource * reduction_factor ** (min_early_stopping_rate + k),  k = 0, 1, ...

When a trial's deepest reported step reaches its next rung, its value there is
recorded in the storage (trial system attr ``completed_rung_<k>``, so every
process sees it) and compared with the values every other trial recorded at
that rung so far, RUNNING trials included. The trial is promoted (continues)
iff its value is among the best ``max(n // reduction_factor, 1)`` of those n
values (its own included); otherwise it is pruned. Nothing waits for a rung to
fill: that is the asynchronous part. The first trial at a rung is always
promoted, as in Optuna (a trial cannot be paused and resumed later).

``min_resource='auto'`` (the default) fixes Optuna's cold start. Optuna
estimates it as ``max(last step of a COMPLETE trial // 100, 1)`` and prunes
nothing until a trial has completed; with 4 workers and long trainings that
is the whole first wave of trials. Here the estimate is, in order:
``max(max_resource // 100, 1)`` when ``max_resource`` is given; else Optuna's
rule when a trial has completed; else the same rule on the deepest step any
trial has reported so far. For curves shorter than 200 steps all three give
1, so rungs never move. For longer curves the last estimate can grow while
the first trials run (rung values then come from slightly different steps):
pass ``max_resource`` (the problem's ``max_step``) to pin the rungs.

A NaN value is pruned when it reaches a rung (Optuna's rule): a NaN reported
between rungs costs nothing yet, and the trial may still recover by the next
rung; at a rung it cannot be ranked.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState
from hpobench.validation import check_int

from ._util import check_resource, is_maximize, stored_version
from .base import StepPruner


def rung_key(rung: int) -> str:
    """Name of the trial system attr holding the trial's value at rung."""
    return f"completed_rung_{rung}"


def rung_step(rung: int, min_resource: int, reduction_factor: int, min_early_stopping_rate: int) -> int:
    """Step at which a trial at rung competes for promotion."""
    return min_resource * reduction_factor ** (min_early_stopping_rate + rung)


def rung_steps(min_resource: int, reduction_factor: int, min_early_stopping_rate: int, max_resource: int) -> list[int]:
    """Steps of every rung up to max_resource (inclusive)."""
    steps = []
    rung = 0
    while (step := rung_step(rung, min_resource, reduction_factor, min_early_stopping_rate)) <= max_resource:
        steps.append(step)
        rung += 1
    return steps


def n_promotable(n_competing: int, reduction_factor: int) -> int:
    """How many of n values recorded at a rung are promoted: the top 1/eta, at least one."""
    return max(n_competing // reduction_factor, 1)


def is_promotable(value: float, others: Sequence[float], reduction_factor: int, maximize: bool) -> bool:
    """True if value is among the best n_promotable of others + [value]. NaNs in others are ignored."""
    competing = np.asarray(others, dtype=float)
    competing = np.append(competing[~np.isnan(competing)], value)
    ordered = np.sort(-competing if maximize else competing)
    cutoff = ordered[n_promotable(competing.size, reduction_factor) - 1]
    return bool((-value if maximize else value) <= cutoff)


def promotions(arrivals: Sequence[float], reduction_factor: int, maximize: bool = False) -> list[bool]:
    """Promotion decisions at one rung for values arriving in this order (for tables and tests)."""
    return [is_promotable(v, arrivals[:i], reduction_factor, maximize) for i, v in enumerate(arrivals)]


def estimate_min_resource(max_step: int | None) -> int | None:
    """Optuna's rule: a hundredth of the longest curve, at least 1 (None if nothing is known)."""
    return None if max_step is None else max(max_step // 100, 1)


class SuccessiveHalvingPruner(StepPruner):
    """Asynchronous successive halving (ASHA), Optuna's defaults and semantics.

    Args:
        min_resource: steps of the first rung's unit r, or 'auto' (see the module docstring).
        reduction_factor: eta; the top 1/eta of a rung is promoted. At least 2.
        min_early_stopping_rate: s; the first rung sits at r * eta**s.
        bootstrap_count: prune every trial at a rung until more than this many values
            are recorded there (Optuna's meaning). Needs an int min_resource.
        max_resource: the longest curve (the problem's max_step), or 'auto' (None too). Only
            used to resolve min_resource='auto' before any trial completes.
    """

    def __init__(
        self,
        min_resource: int | str = "auto",
        reduction_factor: int = 4,
        min_early_stopping_rate: int = 0,
        bootstrap_count: int = 0,
        *,
        max_resource: int | str | None = "auto",
    ) -> None:
        max_resource = "auto" if max_resource is None else max_resource  # null in a config = unknown
        if min_resource != "auto":
            check_resource("min_resource", min_resource)
        if max_resource != "auto":
            check_resource("max_resource", max_resource)
        self._min_resource = min_resource
        self._max_resource = max_resource
        self._reduction_factor = check_int("reduction_factor", reduction_factor, 2)
        self._min_early_stopping_rate = check_int("min_early_stopping_rate", min_early_stopping_rate, 0)
        self._bootstrap_count = check_int("bootstrap_count", bootstrap_count, 0)
        if bootstrap_count > 0 and min_resource == "auto":
            raise ValueError(f"bootstrap_count={bootstrap_count} needs an int min_resource, got min_resource='auto'.")

    prunes_nan = False  # a NaN is pruned at the trial's next rung (Optuna's rule)

    def prune_step(self, study: PluginStudy, trial: FrozenTrial, step: int, value: float) -> bool:
        return self.prune_among(study, trial, study.get_trials(deepcopy=False))

    def prune_among(self, study: PluginStudy, trial: FrozenTrial, trials: list[FrozenTrial]) -> bool:
        """The decision with the competing trials given (HyperbandPruner passes one bracket)."""
        step = trial.last_step
        min_resource = self.resolve_min_resource(trials)
        if step is None or min_resource is None:
            return False
        value = trial.intermediate_values[step]
        recorded = stored_version(trial, trials).system_attrs
        rung = _current_rung(recorded)
        while step >= rung_step(rung, min_resource, self._reduction_factor, self._min_early_stopping_rate):
            if math.isnan(value):
                return True
            key = rung_key(rung)
            study.set_trial_system_attr(trial.trial_id, key, value)
            others = [t.system_attrs[key] for t in trials if t.trial_id != trial.trial_id and key in t.system_attrs]
            if len(others) + 1 <= self._bootstrap_count:
                return True
            if not is_promotable(value, others, self._reduction_factor, is_maximize(study)):
                return True
            rung += 1
        return False

    def resolve_min_resource(self, trials: list[FrozenTrial]) -> int | None:
        """min_resource, or its 'auto' estimate from max_resource or the stored curves."""
        if self._min_resource != "auto":
            return int(self._min_resource)
        if self._max_resource != "auto":
            return estimate_min_resource(int(self._max_resource))
        completed = [t.last_step for t in trials if t.state == TrialState.COMPLETE and t.last_step is not None]
        reported = [t.last_step for t in trials if t.last_step is not None]
        return estimate_min_resource(max(completed or reported, default=None))

    def __repr__(self) -> str:
        return (
            f"SuccessiveHalvingPruner(min_resource={self._min_resource!r}, reduction_factor={self._reduction_factor}, "
            f"min_early_stopping_rate={self._min_early_stopping_rate}, bootstrap_count={self._bootstrap_count}, "
            f"max_resource={self._max_resource!r})"
        )


def _current_rung(system_attrs: dict[str, Any]) -> int:
    rung = 0
    while rung_key(rung) in system_attrs:
        rung += 1
    return rung


__all__ = [
    "SuccessiveHalvingPruner",
    "estimate_min_resource",
    "is_promotable",
    "n_promotable",
    "promotions",
    "rung_key",
    "rung_step",
    "rung_steps",
]
