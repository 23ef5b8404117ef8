"""In-memory storage: a dict of studies, one lock, copy-on-write trial snapshots.

Trials are kept as FrozenTrial objects and replaced (never mutated) on each
write, so a list handed out with deepcopy=False stays consistent.
"""

from __future__ import annotations

import copy
import datetime
import itertools
import threading
from collections.abc import Container
from typing import Any

from hpobench.direction import StudyDirection
from hpobench.distributions import Distribution, check_same_distribution
from hpobench.exceptions import DuplicatedStudyError, StudyNotFoundError, TrialFinishedError
from hpobench.storages import _json
from hpobench.storages._base import BaseStorage, check_attr_kind, check_study_name, new_study_name
from hpobench.trial import FrozenTrial, TrialState


class _Study:
    def __init__(self, name: str, directions: list[StudyDirection]) -> None:
        self.name = name
        self.directions = list(directions)
        self.attrs: dict[str, dict[str, Any]] = {"user": {}, "system": {}}
        self.trials: list[FrozenTrial] = []
        self.n_waiting = 0  # kept by _put, so ask() need not scan for enqueued trials


def _replace(trial: FrozenTrial, **changes: Any) -> FrozenTrial:
    return trial._replace(**changes)


def _as_stored(value: Any) -> Any:
    """What the SQL storage would give back: a JSON round trip (ValueError naming a non-JSON value)."""
    return _json.loads(_json.dumps(value))


def _now() -> datetime.datetime:
    return datetime.datetime.now()


def _running_trial() -> FrozenTrial:
    return FrozenTrial(number=-1, state=TrialState.RUNNING, datetime_start=_now(), trial_id=-1)


def _stored_copy(template: FrozenTrial) -> FrozenTrial:
    """The template as the SQL storage would give it back (params through their internal repr, attrs through JSON)."""
    values = None if template.values is None else [float(v) for v in template.values]
    dists = template.distributions
    return FrozenTrial(
        number=-1,
        state=template.state,
        values=values,
        params={n: d.to_external_repr(d.to_internal_repr(template.params[n])) for n, d in dists.items()},
        distributions=dict(template.distributions),
        intermediate_values={int(k): float(v) for k, v in template.intermediate_values.items()},
        user_attrs=_as_stored(template.user_attrs),
        system_attrs=_as_stored(template.system_attrs),
        datetime_start=template.datetime_start,
        datetime_complete=template.datetime_complete,
        trial_id=-1,
    )


class InMemoryStorage(BaseStorage):
    """Storage for one process (threads share it safely)."""

    def __init__(self) -> None:
        self._studies: dict[int, _Study] = {}
        self._trial_index: dict[int, tuple[int, int]] = {}  # trial_id -> (study_id, number)
        self._next_study_id = itertools.count()
        self._next_trial_id = itertools.count()
        self._lock = threading.RLock()

    # --- pickling: a copy of the studies (e.g. joblib.dump(study, ...), as with Optuna's) --------
    def __getstate__(self) -> dict[str, Any]:
        with self._lock:
            state = {k: v for k, v in self.__dict__.items() if k != "_lock"}
            state["_next_study_id"] = next(self._next_study_id)  # counters as ints (skipping one id is harmless)
            state["_next_trial_id"] = next(self._next_trial_id)
            return copy.deepcopy(state)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._next_study_id = itertools.count(state["_next_study_id"])
        self._next_trial_id = itertools.count(state["_next_trial_id"])
        self._lock = threading.RLock()

    # --- studies -----------------------------------------------------------
    def create_new_study(self, directions: list[StudyDirection], study_name: str | None = None) -> int:
        study_name = new_study_name() if study_name is None else check_study_name(study_name)
        with self._lock:
            if any(s.name == study_name for s in self._studies.values()):
                raise DuplicatedStudyError(f"A study named {study_name!r} already exists.")
            study_id = next(self._next_study_id)
            self._studies[study_id] = _Study(study_name, directions)
            return study_id

    def delete_study(self, study_id: int) -> None:
        with self._lock:
            study = self._study(study_id)
            for trial in study.trials:
                del self._trial_index[trial.trial_id]
            del self._studies[study_id]

    def _study(self, study_id: int) -> _Study:
        try:
            return self._studies[study_id]
        except KeyError:
            raise StudyNotFoundError(f"No study with id {study_id}.") from None

    def get_study_id_from_name(self, study_name: str) -> int:
        with self._lock:
            for study_id, study in self._studies.items():
                if study.name == study_name:
                    return study_id
        raise StudyNotFoundError(f"No study named {study_name!r}. Known studies: {sorted(self.get_all_study_names())}.")

    def get_study_name(self, study_id: int) -> str:
        return self._study(study_id).name

    def get_study_directions(self, study_id: int) -> list[StudyDirection]:
        return list(self._study(study_id).directions)

    def get_all_study_names(self) -> list[str]:
        with self._lock:
            return [s.name for s in self._studies.values()]

    def set_study_attr(self, study_id: int, kind: str, key: str, value: Any) -> None:
        with self._lock:
            self._study(study_id).attrs[check_attr_kind(kind)][key] = _as_stored(value)

    def get_study_attrs(self, study_id: int, kind: str) -> dict[str, Any]:
        with self._lock:
            return copy.deepcopy(self._study(study_id).attrs[check_attr_kind(kind)])

    # --- trials ------------------------------------------------------------
    def create_new_trial(self, study_id: int, template_trial: FrozenTrial | None = None) -> int:
        with self._lock:
            study = self._study(study_id)
            trial_id = next(self._next_trial_id)
            number = len(study.trials)
            trial = _running_trial() if template_trial is None else _stored_copy(template_trial)
            study.trials.append(trial._replace(number=number, trial_id=trial_id))
            study.n_waiting += trial.state == TrialState.WAITING
            self._trial_index[trial_id] = (study_id, number)
            return trial_id

    def claim_waiting_trial(self, study_id: int) -> int | None:
        with self._lock:
            study = self._study(study_id)
            if study.n_waiting == 0:  # the usual case: no scan
                return None
            for trial in study.trials:
                if trial.state == TrialState.WAITING:
                    self._put(trial, state=TrialState.RUNNING, datetime_start=_now())
                    return trial.trial_id
        return None

    def _locate(self, trial_id: int) -> FrozenTrial:
        try:
            study_id, number = self._trial_index[trial_id]
        except KeyError:
            raise KeyError(f"No trial with id {trial_id}.") from None
        return self._studies[study_id].trials[number]

    def _running(self, trial_id: int) -> FrozenTrial:
        trial = self._locate(trial_id)
        if trial.state.is_finished():
            raise TrialFinishedError(
                f"Trial {trial.number} is already {trial.state.name}; finished trials cannot be changed."
            )
        return trial

    def _put(self, trial: FrozenTrial, **changes: Any) -> None:
        study_id, number = self._trial_index[trial.trial_id]
        study = self._studies[study_id]
        new = _replace(trial, **changes)
        study.n_waiting += (new.state == TrialState.WAITING) - (trial.state == TrialState.WAITING)
        study.trials[number] = new

    def set_trial_param(self, trial_id: int, name: str, internal: float, distribution: Distribution) -> None:
        with self._lock:
            trial = self._running(trial_id)
            if name in trial.distributions:
                check_same_distribution(name, trial.distributions[name], distribution)
            self._put(
                trial,
                params={**trial.params, name: distribution.to_external_repr(internal)},
                distributions={**trial.distributions, name: distribution},
            )

    def set_trial_intermediate_value(self, trial_id: int, step: int, value: float) -> None:
        with self._lock:
            trial = self._running(trial_id)
            self._put(trial, intermediate_values={**trial.intermediate_values, step: value})

    def set_trial_attr(self, trial_id: int, kind: str, key: str, value: Any) -> None:
        field = check_attr_kind(kind) + "_attrs"
        with self._lock:
            trial = self._running(trial_id)
            self._put(trial, **{field: {**getattr(trial, field), key: _as_stored(value)}})

    def set_trial_state_values(
        self, trial_id: int, state: TrialState, values: list[float] | None = None
    ) -> FrozenTrial:
        with self._lock:
            trial = self._running(trial_id)
            changes: dict[str, Any] = {"state": state, "values": None if values is None else list(values)}
            if state.is_finished():
                changes["datetime_complete"] = _now()
            if state == TrialState.RUNNING and trial.datetime_start is None:
                changes["datetime_start"] = _now()
            self._put(trial, **changes)
            return copy.deepcopy(self._locate(trial_id))

    def start_trial(self, study_id: int) -> FrozenTrial:
        with self._lock:
            trial_id = self.claim_waiting_trial(study_id)
            if trial_id is None:
                trial_id = self.create_new_trial(study_id)
            return copy.deepcopy(self._locate(trial_id))

    def update_trial(
        self,
        trial_id: int,
        *,
        params: dict[str, tuple[float, Distribution]] | None = None,
        intermediate_values: dict[int, float] | None = None,
        user_attrs: dict[str, Any] | None = None,
        system_attrs: dict[str, Any] | None = None,
        state: TrialState | None = None,
        values: list[float] | None = None,
    ) -> FrozenTrial | None:
        """All writes under one lock: atomic, as in the SQL storage."""
        with self._lock:
            trial = self._running(trial_id)
            for name, (_, distribution) in (params or {}).items():
                if name in trial.distributions:
                    check_same_distribution(name, trial.distributions[name], distribution)
            changes: dict[str, Any] = {}
            if params:
                changes["params"] = {**trial.params, **{n: d.to_external_repr(v) for n, (v, d) in params.items()}}
                changes["distributions"] = {**trial.distributions, **{n: d for n, (_, d) in params.items()}}
            if intermediate_values:
                changes["intermediate_values"] = {**trial.intermediate_values, **intermediate_values}
            for field, attrs in (("user_attrs", user_attrs), ("system_attrs", system_attrs)):
                if attrs:
                    changes[field] = {**getattr(trial, field), **_as_stored(attrs)}
            if changes:
                self._put(trial, **changes)
            if state is None:
                return None
            return self.set_trial_state_values(trial_id, state, values)

    def get_trial(self, trial_id: int) -> FrozenTrial:
        with self._lock:
            return copy.deepcopy(self._locate(trial_id))

    def get_all_trials(
        self, study_id: int, deepcopy: bool = True, states: Container[TrialState] | None = None
    ) -> list[FrozenTrial]:
        with self._lock:
            trials = self._study(study_id).trials
            selected = list(trials) if states is None else [t for t in trials if t.state in states]
        return copy.deepcopy(selected) if deepcopy else selected
