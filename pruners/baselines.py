"""Optuna's own pruners behind our PrunerInterface (baselines: ours meet Optuna's on the same trials).

Each adaptor keeps a private Optuna in-memory study per hpobench study, with
the same study name (Optuna's Hyperband picks a trial's bracket from a hash of
study name and trial number) and one mirror trial per trial of ours, in number
order. Before each decision the mirror catches up: new intermediate values,
finished states, and the system attrs that Optuna's pruners write (the rung
values of successive halving). Those writes are copied back into our storage
under the prefix ``optuna_pruner:``, so every process, whatever it mirrored
before, sees the same rungs and decides alike.

Cost: the catch-up reads every trial at each decision (O(trials) Python, fine
for a baseline). Only single-objective studies (as Optuna's pruners).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from hpobench.interfaces import PluginStudy
from hpobench.samplers.baselines import require
from hpobench.trial import FrozenTrial, TrialState

from .base import BasePruner

ATTR_PREFIX = "optuna_pruner:"


class _Mirror:
    """The Optuna study that shadows one of ours, and how far each mirror trial has caught up."""

    def __init__(self, optuna: Any, study: PluginStudy, pruner: Any) -> None:
        self.optuna = optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.storage = optuna.storages.InMemoryStorage()  # ours, so the mirror needs no private Optuna names
        self.study = optuna.create_study(
            storage=self.storage,
            study_name=study.study_name,
            direction=study.direction.name.lower(),
            pruner=pruner,
        )
        self.study_id = self.storage.get_study_id_from_name(study.study_name)
        self.trial_ids: list[int] = []  # our trial number -> mirror trial id
        self.n_values: dict[int, int] = {}  # our number -> intermediate values copied
        self.finished: set[int] = set()

    def catch_up(self, ours: list[FrozenTrial]) -> None:
        for trial in ours:
            while len(self.trial_ids) <= trial.number:
                self.trial_ids.append(self.storage.create_new_trial(self.study_id))
            if trial.number not in self.finished:
                self._update(trial)

    def _update(self, trial: FrozenTrial) -> None:
        tid = self.trial_ids[trial.number]
        values = sorted(trial.intermediate_values.items())
        for step, value in values[self.n_values.get(trial.number, 0) :]:
            self.storage.set_trial_intermediate_value(tid, step, value)
        self.n_values[trial.number] = len(values)
        for key, value in trial.system_attrs.items():
            if key.startswith(ATTR_PREFIX):
                self.storage.set_trial_system_attr(tid, key[len(ATTR_PREFIX) :], value)
        state = self.optuna.trial.TrialState
        if trial.state == TrialState.COMPLETE:
            self.storage.set_trial_state_values(tid, state.COMPLETE, [trial.value])
        elif trial.state in (TrialState.PRUNED, TrialState.FAIL):
            self.storage.set_trial_state_values(tid, state[trial.state.name])
        else:
            return
        self.finished.add(trial.number)


class _OptunaMirrorPruner(BasePruner):
    """Base of the adaptors; subclasses name Optuna's class and spell out its arguments (no **kwargs:
    the CLI passes seed to any target that accepts it, and pruners take none)."""

    _optuna_class = ""

    def __init__(self, **kwargs: Any) -> None:
        self._optuna = require("optuna", type(self).__name__)
        self.kwargs = dict(kwargs)
        self._make_pruner()  # fail now on a bad argument, naming it
        self._init_state()

    def _init_state(self) -> None:
        self._lock = threading.Lock()
        self._mirrors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_mirrors", "_optuna")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._optuna = require("optuna", type(self).__name__)
        self._init_state()

    def _make_pruner(self) -> Any:
        return getattr(self._optuna.pruners, self._optuna_class)(**self.kwargs)

    def prune(self, study: PluginStudy, trial: FrozenTrial) -> bool:
        with self._lock:
            mirror = self._mirrors.get(study)
            if mirror is None:
                mirror = self._mirrors[study] = _Mirror(self._optuna, study, self._make_pruner())
            others = [t for t in study.get_trials(deepcopy=False) if t.number != trial.number]
            mirror.catch_up(others + [trial])  # `trial` carries the value just reported
            tid = mirror.trial_ids[trial.number]
            before = mirror.storage.get_trial(tid)
            decision = bool(mirror.study.pruner.prune(mirror.study, before))
            after = mirror.storage.get_trial(tid).system_attrs
        for key, value in after.items():
            if before.system_attrs.get(key, object()) != value:
                study.set_trial_system_attr(trial.trial_id, ATTR_PREFIX + key, value)
        return decision

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"{type(self).__name__}({args})"


class OptunaSuccessiveHalvingPruner(_OptunaMirrorPruner):
    """optuna.pruners.SuccessiveHalvingPruner (asynchronous SHA), Optuna's arguments and defaults."""

    _optuna_class = "SuccessiveHalvingPruner"

    def __init__(
        self,
        min_resource: str | int = "auto",
        reduction_factor: int = 4,
        min_early_stopping_rate: int = 0,
        bootstrap_count: int = 0,
    ) -> None:
        super().__init__(
            min_resource=min_resource,
            reduction_factor=reduction_factor,
            min_early_stopping_rate=min_early_stopping_rate,
            bootstrap_count=bootstrap_count,
        )


class OptunaHyperbandPruner(_OptunaMirrorPruner):
    """optuna.pruners.HyperbandPruner, Optuna's arguments and defaults."""

    _optuna_class = "HyperbandPruner"

    def __init__(
        self,
        min_resource: int = 1,
        max_resource: str | int = "auto",
        reduction_factor: int = 3,
        bootstrap_count: int = 0,
    ) -> None:
        super().__init__(
            min_resource=min_resource,
            max_resource=max_resource,
            reduction_factor=reduction_factor,
            bootstrap_count=bootstrap_count,
        )


class OptunaMedianPruner(_OptunaMirrorPruner):
    """optuna.pruners.MedianPruner, Optuna's arguments and defaults."""

    _optuna_class = "MedianPruner"

    def __init__(
        self, n_startup_trials: int = 5, n_warmup_steps: int = 0, interval_steps: int = 1, *, n_min_trials: int = 1
    ) -> None:
        super().__init__(
            n_startup_trials=n_startup_trials,
            n_warmup_steps=n_warmup_steps,
            interval_steps=interval_steps,
            n_min_trials=n_min_trials,
        )
