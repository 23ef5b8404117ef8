"""The storage interface: every backend (in-memory, SQL) implements it.

Contract shared by all backends:
- trial numbers are unique and dense per study (0, 1, 2, ...), in creation order;
- finished trials (COMPLETE, PRUNED, FAIL) are immutable: any write raises
  TrialFinishedError and leaves the stored trial unchanged;
- values are stored as JSON, never pickled;
- get_all_trials returns trials sorted by number;
- close() releases what the storage holds (connections, file descriptors,
  threads); a closed storage reconnects on its next use. A storage is also
  released when it is dropped, and works as a context manager.

Backends implement the abstract methods; the rest of Optuna's storage API
(set_study_user_attr, get_trial_params, get_best_trial, ...) is built here on
top of them, so code written against Optuna's BaseStorage runs on both.
"""

from __future__ import annotations

import abc
import copy
import uuid
from collections.abc import Container
from typing import TYPE_CHECKING, Any

from hpobench.direction import StudyDirection
from hpobench.distributions import Distribution
from hpobench.exceptions import TrialFinishedError
from hpobench.trial import FrozenTrial, TrialState

if TYPE_CHECKING:
    from hpobench.study import FrozenStudy

DEFAULT_STUDY_NAME_PREFIX = "no-name-"


def new_study_name() -> str:
    """A unique name for a study created without one (Optuna's form: no-name-<uuid4>)."""
    return DEFAULT_STUDY_NAME_PREFIX + str(uuid.uuid4())


# The column length of the SQL storage; every backend enforces it, so a name that works
# in memory also works on PostgreSQL.
MAX_STUDY_NAME_LENGTH = 512


class BaseStorage(abc.ABC):
    """Where studies and trials live. One API, several backends."""

    # --- lifetime ------------------------------------------------------------
    def close(self) -> None:  # noqa: B027  (an optional hook: a no-op unless overridden)
        """Release connections, file descriptors and threads; the next use reconnects."""

    def __enter__(self) -> BaseStorage:
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.close()

    # --- studies -----------------------------------------------------------
    @abc.abstractmethod
    def create_new_study(self, directions: list[StudyDirection], study_name: str | None = None) -> int:
        """Create a study (named by new_study_name() when study_name is None) and return its id.

        Raises DuplicatedStudyError if the name is taken.
        """

    @abc.abstractmethod
    def delete_study(self, study_id: int) -> None:
        """Delete a study and all its trials."""

    @abc.abstractmethod
    def get_study_id_from_name(self, study_name: str) -> int:
        """Raise StudyNotFoundError if no such study."""

    @abc.abstractmethod
    def get_study_name(self, study_id: int) -> str: ...

    @abc.abstractmethod
    def get_study_directions(self, study_id: int) -> list[StudyDirection]: ...

    @abc.abstractmethod
    def get_all_study_names(self) -> list[str]: ...

    @abc.abstractmethod
    def set_study_attr(self, study_id: int, kind: str, key: str, value: Any) -> None:
        """kind is 'user' or 'system'."""

    @abc.abstractmethod
    def get_study_attrs(self, study_id: int, kind: str) -> dict[str, Any]: ...

    # --- trials ------------------------------------------------------------
    @abc.abstractmethod
    def create_new_trial(self, study_id: int, template_trial: FrozenTrial | None = None) -> int:
        """Create a trial with the next number and return its id.

        Without a template the trial is RUNNING and empty; with one, it is a copy
        of the template (state, values, params, distributions, intermediate
        values, attrs, datetimes), written at once: how add_trial, enqueue_trial
        (a WAITING template) and copy_study store trials.
        """

    @abc.abstractmethod
    def claim_waiting_trial(self, study_id: int) -> int | None:
        """Atomically move the oldest WAITING trial to RUNNING and return its id (None if none)."""

    @abc.abstractmethod
    def set_trial_param(self, trial_id: int, name: str, internal: float, distribution: Distribution) -> None: ...

    @abc.abstractmethod
    def set_trial_intermediate_value(self, trial_id: int, step: int, value: float) -> None: ...

    @abc.abstractmethod
    def set_trial_attr(self, trial_id: int, kind: str, key: str, value: Any) -> None:
        """kind is 'user' or 'system'."""

    @abc.abstractmethod
    def set_trial_state_values(
        self, trial_id: int, state: TrialState, values: list[float] | None = None
    ) -> FrozenTrial:
        """Finish (or start) a trial and return it as stored. Raises TrialFinishedError if it already finished."""

    @abc.abstractmethod
    def get_trial(self, trial_id: int) -> FrozenTrial: ...

    @abc.abstractmethod
    def get_all_trials(
        self, study_id: int, deepcopy: bool = True, states: Container[TrialState] | None = None
    ) -> list[FrozenTrial]:
        """Trials sorted by number. With deepcopy=False, callers must not mutate them."""

    # --- batched writes (backends override these to save round trips) --------
    def start_trial(self, study_id: int) -> FrozenTrial:
        """Claim the oldest WAITING trial, or create a RUNNING one; return it as stored."""
        trial_id = self.claim_waiting_trial(study_id)
        if trial_id is None:
            trial_id = self.create_new_trial(study_id)
        return self.get_trial(trial_id)

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
        """Several writes to one running trial at once; params map name -> (internal value, distribution).

        With state, the trial is also finished (or started) and returned as stored;
        otherwise returns None. Raises TrialFinishedError if the trial already finished.
        """
        for name, (internal, distribution) in (params or {}).items():
            self.set_trial_param(trial_id, name, internal, distribution)
        for step, value in (intermediate_values or {}).items():
            self.set_trial_intermediate_value(trial_id, step, value)
        for kind, attrs in (("user", user_attrs), ("system", system_attrs)):
            for key, value in (attrs or {}).items():
                self.set_trial_attr(trial_id, kind, key, value)
        return None if state is None else self.set_trial_state_values(trial_id, state, values)

    # --- heartbeat (no-op where a dead worker cannot leave a RUNNING trial) --
    def start_heartbeat(self, trial_id: int) -> None:  # noqa: B027  (an optional hook: a no-op unless overridden)
        """Begin stamping this running trial every heartbeat_interval seconds."""

    def stop_heartbeat(self, trial_id: int) -> None:  # noqa: B027  (an optional hook: a no-op unless overridden)
        """Stop stamping it (the trial finished)."""

    heartbeat_interval: float | None = None
    grace_period: float | None = None

    def record_heartbeat(self, trial_id: int) -> None:  # noqa: B027  (an optional hook: a no-op unless overridden)
        """Mark the trial's worker as alive now."""

    def fail_stale_trials(self, study_id: int) -> list[int]:
        """Mark RUNNING trials whose heartbeat is older than the grace period FAIL; return their ids."""
        return []

    # --- Optuna's names, built on the methods above -----------------------------
    def get_study_name_from_id(self, study_id: int) -> str:
        return self.get_study_name(study_id)

    def set_study_user_attr(self, study_id: int, key: str, value: Any) -> None:
        self.set_study_attr(study_id, "user", key, value)

    def set_study_system_attr(self, study_id: int, key: str, value: Any) -> None:
        self.set_study_attr(study_id, "system", key, value)

    def get_study_user_attrs(self, study_id: int) -> dict[str, Any]:
        return self.get_study_attrs(study_id, "user")

    def get_study_system_attrs(self, study_id: int) -> dict[str, Any]:
        return self.get_study_attrs(study_id, "system")

    def get_all_studies(self) -> list[FrozenStudy]:
        """Every study as a FrozenStudy (name, directions, attrs, id), in creation order."""
        from hpobench.study import FrozenStudy  # here: hpobench.study imports the storages

        studies = []
        for name in self.get_all_study_names():
            study_id = self.get_study_id_from_name(name)
            studies.append(
                FrozenStudy(
                    study_name=name,
                    direction=None,
                    user_attrs=self.get_study_user_attrs(study_id),
                    system_attrs=self.get_study_system_attrs(study_id),
                    study_id=study_id,
                    directions=self.get_study_directions(study_id),
                )
            )
        return studies

    def get_trial_id_from_study_id_trial_number(self, study_id: int, trial_number: int) -> int:
        """Raises KeyError if the study has no trial of that number."""
        trials = self.get_all_trials(study_id, deepcopy=False)
        # Numbers are dense (the contract above), so trial k is at index k.
        known = isinstance(trial_number, int) and 0 <= trial_number < len(trials)
        if known and trials[trial_number].number == trial_number:
            return trials[trial_number].trial_id
        raise KeyError(f"No trial with number {trial_number!r} in study {study_id}.")

    def get_trial_number_from_id(self, trial_id: int) -> int:
        return self.get_trial(trial_id).number

    def get_trial_param(self, trial_id: int, param_name: str) -> float:
        """The internal (float) value of a parameter; KeyError if the trial has none of that name."""
        trial = self.get_trial(trial_id)
        return trial.distributions[param_name].to_internal_repr(trial.params[param_name])

    def get_trial_params(self, trial_id: int) -> dict[str, Any]:
        return self.get_trial(trial_id).params

    def get_trial_user_attrs(self, trial_id: int) -> dict[str, Any]:
        return self.get_trial(trial_id).user_attrs

    def get_trial_system_attrs(self, trial_id: int) -> dict[str, Any]:
        return self.get_trial(trial_id).system_attrs

    def set_trial_user_attr(self, trial_id: int, key: str, value: Any) -> None:
        self.set_trial_attr(trial_id, "user", key, value)

    def set_trial_system_attr(self, trial_id: int, key: str, value: Any) -> None:
        self.set_trial_attr(trial_id, "system", key, value)

    def get_n_trials(self, study_id: int, state: TrialState | Container[TrialState] | None = None) -> int:
        """Number of trials, of one state or of a collection of states (all if None)."""
        states = (state,) if isinstance(state, TrialState) else state
        return len(self.get_all_trials(study_id, deepcopy=False, states=states))

    def get_best_trial(self, study_id: int) -> FrozenTrial:
        """The best COMPLETE trial of a single-objective study.

        Raises:
            ValueError: no trial is complete.
            RuntimeError: the study has several objectives.
        """
        directions = self.get_study_directions(study_id)
        if len(directions) > 1:
            raise RuntimeError("Best trial can be obtained only for single-objective optimization.")
        complete = self.get_all_trials(study_id, deepcopy=False, states=(TrialState.COMPLETE,))
        if not complete:
            raise ValueError(f"No trials are completed yet in study {study_id}.")
        pick = max if directions[0] == StudyDirection.MAXIMIZE else min
        return copy.deepcopy(pick(complete, key=_complete_value))

    def check_trial_is_updatable(self, trial_id: int, trial_state: TrialState) -> None:
        """Raise TrialFinishedError (Optuna's UpdateFinishedTrialError) if the trial finished."""
        if trial_state.is_finished():
            number = self.get_trial_number_from_id(trial_id)
            raise TrialFinishedError(
                f"Trial {number} is already {trial_state.name}; finished trials cannot be changed."
            )

    def remove_session(self) -> None:  # noqa: B027  (an optional hook: a no-op unless overridden)
        """Nothing to do (Optuna's RDBStorage closes its SQLAlchemy session here)."""


def check_study_name(study_name: Any) -> str:
    """study_name itself if a storage can hold it (a str of at most 512 characters; '' is a name,
    as in Optuna); otherwise TypeError/ValueError naming it, before anything is written."""
    if not isinstance(study_name, str):
        raise TypeError(f"study_name must be a str, got {study_name!r} of type {type(study_name).__name__}.")
    if len(study_name) > MAX_STUDY_NAME_LENGTH:
        raise ValueError(
            f"study_name must have at most {MAX_STUDY_NAME_LENGTH} characters, got {len(study_name)}: "
            f"{study_name[:40]!r}..."
        )
    return study_name


def check_attr_kind(kind: str) -> str:
    if kind not in ("user", "system"):
        raise ValueError(f"attribute kind must be 'user' or 'system', got {kind!r}.")
    return kind


def _complete_value(trial: FrozenTrial) -> float:
    """A COMPLETE trial's value (FrozenTrial's validation makes sure it has one)."""
    if trial.value is None:
        raise ValueError(f"Trial {trial.number} is COMPLETE but has no value.")
    return trial.value
