"""Syne Tune's asynchronous schedulers (ASHA, BOHB, Hyperband) as sampler-and-pruner methods.

Stopping mode only: a trial runs from step 1 until the scheduler says STOP at
a rung (then it is PRUNED) or it reaches max_step (COMPLETE). The promotion
("pause and resume") variants are left out on purpose: a define-by-run
objective is one function call that cannot be paused at a rung and resumed
later from a checkpoint, which promotion needs. Syne Tune 0.16 itself ships
ASHA and BOHB as stopping schedulers; Hyperband is its ASHA with one bracket
per rung level (asynchronous Hyperband, Li et al. 2018).

The scheduler gets step as its time attribute (max_t = max_step) and the
objective as its metric. ASHA draws the bracket of a new trial from NumPy's
global generator; every call into the scheduler runs with that generator
seeded from the study seed and restored afterwards, so the same seed gives
the same trials and the caller's global NumPy state is left alone.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from hpobench.distributions import Distribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState

from ._imports import require
from ._space import axis_of
from ._tracking import SchedulerSampler, _Book, worst_if_nan

_METRIC, _TIME = "objective", "step"
# ASHA's constructor always passes points_to_evaluate twice and this logger warns about it each time.
_NOISY_LOGGER = "syne_tune.optimizer.schedulers.searchers.last_value_multi_fidelity_searcher"


def _domain(st: Any, dist: Distribution) -> Any:
    axis = axis_of(dist)
    if axis.kind == "cat":
        return st.choice(list(range(int(axis.high) + 1)))
    if axis.kind == "int":
        return (st.lograndint if axis.log else st.randint)(int(axis.low), int(axis.high))
    return (st.loguniform if axis.log else st.uniform)(axis.low, axis.high)


class _Backend:
    """The scheduler, the module to build its trials, and its private global-NumPy state."""

    def __init__(self, scheduler: Any, trial_class: Any, seed: int | None, minimize: bool) -> None:
        self.scheduler = scheduler
        self.trial_class = trial_class
        self.np_state = np.random.RandomState(seed).get_state()
        self.minimize = minimize

    @contextlib.contextmanager
    def numpy_global(self) -> Iterator[None]:
        outer = np.random.get_state()
        np.random.set_state(self.np_state)
        try:
            yield
        finally:
            self.np_state = np.random.get_state()
            np.random.set_state(outer)


class _SyneTuneScheduler(SchedulerSampler):
    """Base: subclasses name the scheduler class of syne_tune.optimizer.baselines and its arguments."""

    _class = ""

    def __init__(self, *, seed: int | None = None, max_step: int, **scheduler_kwargs: Any) -> None:
        super().__init__(seed=seed, max_step=max_step)
        require("syne_tune", type(self).__name__)
        self.scheduler_kwargs = dict(scheduler_kwargs)

    def _scheduler_kwargs(self) -> dict[str, Any]:
        return dict(self.scheduler_kwargs)

    def _open(self, study: PluginStudy, space: dict[str, Distribution]) -> _Backend:
        st = require("syne_tune.config_space", type(self).__name__)
        baselines = require("syne_tune.optimizer.baselines", type(self).__name__)
        trial_class = require("syne_tune.backend.trial_status", type(self).__name__).Trial
        logging.getLogger(_NOISY_LOGGER).setLevel(logging.ERROR)
        minimize = study.direction.name == "MINIMIZE"
        seed = (
            self.seed if self.seed is not None else int(np.random.SeedSequence(self._entropy).generate_state(1)[0] >> 1)
        )
        backend = _Backend(None, trial_class, seed, minimize)
        with backend.numpy_global():
            backend.scheduler = getattr(baselines, self._class)(
                {n: _domain(st, d) for n, d in space.items()},
                metric=_METRIC,
                time_attr=_TIME,
                max_t=self.max_step,
                do_minimize=minimize,
                random_seed=seed,
                **self._scheduler_kwargs(),
            )
        return backend

    def _new_trial(self, backend: _Backend, number: int, config: dict[str, Any]) -> Any:
        trial = backend.trial_class(trial_id=number, config=config, creation_time=datetime.datetime.now())
        with backend.numpy_global():
            backend.scheduler.on_trial_add(trial)
        return trial

    def _ask(self, book: _Book, study: PluginStudy, trial: FrozenTrial) -> tuple[Any, dict[str, float]]:
        backend = book.backend
        with backend.numpy_global():
            suggestion = backend.scheduler.suggest()
        config = dict(suggestion.config)
        return self._new_trial(backend, trial.number, config), {n: float(config[n]) for n in book.space}

    def _adopt(self, book: _Book, trial: FrozenTrial, axes: dict[str, float]) -> Any:
        config = {n: (axes[n] if axis_of(d).kind == "float" else int(axes[n])) for n, d in book.space.items()}
        return self._new_trial(book.backend, trial.number, config)

    def _result(self, book: _Book, trial: FrozenTrial, step: int, value: float) -> bool:
        backend = book.backend
        result = {_METRIC: worst_if_nan(value, backend.minimize), _TIME: step}
        with backend.numpy_global():
            decision = backend.scheduler.on_trial_result(book.handles[trial.number], result)
        return decision == "STOP"

    def _close(self, book: _Book, trial: FrozenTrial) -> None:
        backend, handle = book.backend, book.handles[trial.number]
        with backend.numpy_global():
            if handle.trial_id not in backend.scheduler.trial_info:
                return
            if trial.state == TrialState.COMPLETE:
                step = max(trial.intermediate_values, default=self.max_step)
                result = {_METRIC: worst_if_nan(trial.value, backend.minimize), _TIME: step}
                backend.scheduler.on_trial_complete(handle, result)
            elif trial.state == TrialState.FAIL:
                backend.scheduler.on_trial_error(handle)
                backend.scheduler.on_trial_remove(handle)
            else:  # stopped at a rung: the searcher keeps its results, the bracket forgets the trial
                backend.scheduler.on_trial_remove(handle)


class SyneTuneASHA(_SyneTuneScheduler):
    """Syne Tune's ASHA (random search, stopping at rungs); kwargs: grace_period, reduction_factor, ..."""

    _class = "ASHA"


class SyneTuneBOHB(_SyneTuneScheduler):
    """Syne Tune's BOHB (KDE searcher with asynchronous successive halving, stopping mode)."""

    _class = "BOHB"


class SyneTuneHyperband(_SyneTuneScheduler):
    """Syne Tune's ASHA with one bracket per rung level: asynchronous Hyperband, stopping mode.

    brackets defaults to the number of rungs, 1 + floor(log_rf(max_step / grace_period)).
    """

    _class = "ASHA"

    def _scheduler_kwargs(self) -> dict[str, Any]:
        kwargs = dict(self.scheduler_kwargs)
        if "brackets" not in kwargs:
            rf, grace = kwargs.get("reduction_factor", 3), kwargs.get("grace_period", 1)
            kwargs["brackets"] = 1 + int(math.floor(math.log(self.max_step / grace, rf) + 1e-9))
        return kwargs
