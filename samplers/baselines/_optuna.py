"""Optuna's samplers behind our interface, by mirroring.

Each adaptor keeps a private Optuna in-memory study per hpobench study. Before
a trial starts, the finished trials (COMPLETE, PRUNED with their intermediate
values) that the mirror lacks are added with ``optuna.trial.create_trial``;
then a mirror trial is asked, and every ``suggest_*`` of our trial is
forwarded to it, so Optuna's own relative/independent logic decides.

Limitations: RUNNING trials of other processes are not mirrored (Optuna's
constant liar only sees this process's asked trials); the mirror trial is
closed as FAIL at the end (the real outcome arrives through the next sync, so
it appears twice, once as FAIL, which Optuna's samplers ignore); parameters
fixed by enqueue_trial reach Optuna only through that sync; only the first
objective of a multi-objective study is used.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from hpobench.distributions import CategoricalDistribution, Distribution, FloatDistribution, IntDistribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState

from ..base import BaseSampler
from ._imports import require

_FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)


def _to_optuna_distribution(optuna: Any, dist: Distribution) -> Any:
    if isinstance(dist, FloatDistribution):
        return optuna.distributions.FloatDistribution(dist.low, dist.high, log=dist.log, step=dist.step)
    if isinstance(dist, IntDistribution):
        return optuna.distributions.IntDistribution(dist.low, dist.high, log=dist.log, step=dist.step)
    if isinstance(dist, CategoricalDistribution):
        return optuna.distributions.CategoricalDistribution(dist.choices)
    raise ValueError(f"Unsupported distribution {dist!r}.")


def _to_optuna_trial(optuna: Any, trial: FrozenTrial) -> Any:
    state = optuna.trial.TrialState.COMPLETE if trial.state == TrialState.COMPLETE else optuna.trial.TrialState.PRUNED
    return optuna.trial.create_trial(
        state=state,
        value=trial.value if trial.state == TrialState.COMPLETE else None,
        params=dict(trial.params),
        distributions={n: _to_optuna_distribution(optuna, d) for n, d in trial.distributions.items()},
        intermediate_values=dict(trial.intermediate_values),
    )


class _OptunaMirrorSampler(BaseSampler):
    """Base of the Optuna adaptors; subclasses build the Optuna sampler."""

    _label = "Optuna sampler"

    def __init__(self, *, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        self._optuna = require("optuna", type(self).__name__)
        self._init_state()

    def _init_state(self) -> None:
        self._lock = threading.Lock()
        self._mirrors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._asked: dict[int, Any] = {}  # our trial_id -> (mirror study, optuna trial)

    def __getstate__(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_mirrors", "_asked", "_optuna")}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._optuna = require("optuna", type(self).__name__)
        self._init_state()

    def _make_sampler(self) -> Any:
        raise NotImplementedError

    def _sync(self, study: PluginStudy) -> Any:
        """The mirror study of `study`, with every finished trial added once."""
        entry = self._mirrors.get(study)
        if entry is None:
            optuna = self._optuna
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            direction = study.directions[0].name.lower()
            mirror = optuna.create_study(sampler=self._make_sampler(), direction=direction)
            done_numbers: set[int] = set()
            entry = self._mirrors[study] = (mirror, done_numbers)
        mirror, done = entry
        new = [t for t in study.get_trials(deepcopy=False, states=_FINISHED) if t.number not in done]
        if new:
            mirror.add_trials([_to_optuna_trial(self._optuna, t) for t in new])
            done.update(t.number for t in new)
        return mirror

    def before_trial(self, study: PluginStudy, trial: FrozenTrial) -> None:
        with self._lock:
            mirror = self._sync(study)
            self._asked[trial.trial_id] = (mirror, mirror.ask())

    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        if trial.trial_id not in self._asked:
            self.before_trial(study, trial)
        _, otrial = self._asked[trial.trial_id]
        dist = param_distribution
        if isinstance(dist, FloatDistribution):
            return otrial.suggest_float(param_name, dist.low, dist.high, log=dist.log, step=dist.step)
        if isinstance(dist, IntDistribution):
            return otrial.suggest_int(param_name, dist.low, dist.high, log=dist.log, step=dist.step)
        return otrial.suggest_categorical(param_name, list(dist.choices))

    def after_trial(self, study: PluginStudy, trial: FrozenTrial, state: TrialState, values: Any) -> None:
        entry = self._asked.pop(trial.trial_id, None)
        if entry is not None:
            mirror, otrial = entry
            with self._lock:
                mirror.tell(otrial, state=self._optuna.trial.TrialState.FAIL)


class OptunaTPESampler(_OptunaMirrorSampler):
    """Optuna's TPESampler (Optuna's defaults unless given) as a baseline.

    Args:
        seed: passed to optuna.samplers.TPESampler.
        **tpe_kwargs: any other argument of optuna.samplers.TPESampler.
    """

    def __init__(self, *, seed: int | None = None, **tpe_kwargs: Any) -> None:
        super().__init__(seed=seed)
        self.tpe_kwargs = dict(tpe_kwargs)
        self._make_sampler()  # fail now on a bad argument, naming it

    def _make_sampler(self) -> Any:
        return self._optuna.samplers.TPESampler(seed=self.seed, **self.tpe_kwargs)


class OptunaRandomSampler(_OptunaMirrorSampler):
    """Optuna's RandomSampler as a baseline (checks the adaptor against our RandomSampler)."""

    def _make_sampler(self) -> Any:
        return self._optuna.samplers.RandomSampler(seed=self.seed)


class _OptunaOptionsSampler(_OptunaMirrorSampler):
    """An Optuna sampler class built with the seed plus any of its own options.

    Subclasses name the Optuna class (``_optuna_class``) and the package it
    needs beyond Optuna (``_needs``); Optuna marks both classes below
    experimental, so their warnings are silenced when they are built.
    """

    _optuna_class: str
    _needs: str

    def __init__(self, *, seed: int | None = None, **options: Any) -> None:
        super().__init__(seed=seed)
        require(self._needs, type(self).__name__)
        self.options = dict(options)
        self._make_sampler()  # a bad option fails here, not at the first trial

    def _make_sampler(self) -> Any:
        import warnings

        with warnings.catch_warnings():  # Optuna flags these samplers (or some options) as experimental
            warnings.simplefilter("ignore")
            return getattr(self._optuna.samplers, self._optuna_class)(seed=self.seed, **self.options)


class OptunaCmaEsSampler(_OptunaOptionsSampler):
    """Optuna's CmaEsSampler (Optuna's defaults unless given) as a baseline.

    CMA-ES samples the float/int parameters jointly; Optuna hands categorical
    ones to its independent sampler (random), as it does on its own.

    Args:
        seed: passed to optuna.samplers.CmaEsSampler.
        **options: any other argument of optuna.samplers.CmaEsSampler.
    """

    _optuna_class, _needs = "CmaEsSampler", "cmaes"


class OptunaGPSampler(_OptunaOptionsSampler):
    """Optuna's GPSampler (Gaussian-process BO in the line of Spearmint; needs PyTorch).

    Args:
        seed: passed to optuna.samplers.GPSampler.
        **options: any other argument of optuna.samplers.GPSampler (n_startup_trials, ...).
    """

    _optuna_class, _needs = "GPSampler", "torch"
