"""StudySummary and get_all_study_summaries(): one line per study of a storage (Optuna's API)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hpobench.direction import StudyDirection
from hpobench.storages import get_storage
from hpobench.study._frozen import _directions_of, _HasDirections
from hpobench.trial import FrozenTrial, TrialState

if TYPE_CHECKING:
    from hpobench.storages import BaseStorage


class StudySummary(_HasDirections):
    """A study's name, directions, best trial, attrs, number of trials and start time (Optuna's arguments)."""

    def __init__(
        self,
        study_name: str,
        direction: StudyDirection | None,
        best_trial: FrozenTrial | None,
        user_attrs: dict[str, Any],
        n_trials: int,
        datetime_start: datetime.datetime | None,
        study_id: int,
        *,
        directions: Sequence[StudyDirection] | None = None,
    ) -> None:
        self.study_name = study_name
        self._directions = _directions_of(direction, directions)
        self.best_trial = best_trial
        self.user_attrs = user_attrs
        self.n_trials = n_trials
        self.datetime_start = datetime_start
        self._study_id = study_id

    def __repr__(self) -> str:
        return f"StudySummary(study_name={self.study_name!r}, n_trials={self.n_trials}, study_id={self._study_id})"


def get_all_study_summaries(storage: str | BaseStorage, include_best_trial: bool = True) -> list[StudySummary]:
    """A StudySummary of every study in storage, in creation order.

    best_trial is the best COMPLETE trial of a single-objective study (None for
    several objectives, without completed trials, or with include_best_trial=False);
    datetime_start is the earliest start among the study's trials.
    """
    backend = get_storage(storage)
    return [_summary(backend, study, include_best_trial) for study in backend.get_all_studies()]


def _summary(backend: BaseStorage, study: Any, include_best_trial: bool) -> StudySummary:
    trials = backend.get_all_trials(study._study_id, deepcopy=False)
    single = len(study.directions) == 1
    best = None
    if single and include_best_trial and any(t.state == TrialState.COMPLETE for t in trials):
        best = backend.get_best_trial(study._study_id)
    starts = [t.datetime_start for t in trials if t.datetime_start is not None]
    return StudySummary(
        study_name=study.study_name,
        direction=study.directions[0] if single else None,
        best_trial=best,
        user_attrs=study.user_attrs,
        n_trials=len(trials),
        datetime_start=min(starts, default=None),
        study_id=study._study_id,
        directions=None if single else study.directions,
    )
