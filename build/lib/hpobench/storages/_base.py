"""The storage interface: every backend (in-memory, SQL) implements it.

Contract shared by all backends:
- trial numbers are unique and dense per study (0, 1, 2, ...), in creation order;
- finished trials (COMPLETE, PRUNED, FAIL) are immutable: any write raises
  TrialFinishedError and leaves the stored trial unchanged;
- values are stored as JSON, never pickled;
- get_all_trials returns trials sorted by number.
"""

from __future__ import annotations

import abc
from typing import Any, Container

from hpobench.distributions import BaseDistribution
from hpobench.direction import StudyDirection
from hpobench.trial._frozen import FrozenTrial
from hpobench.trial._state import TrialState


class BaseStorage(abc.ABC):
    """Where studies and trials live. One API, several backends."""

    # --- studies -----------------------------------------------------------
    @abc.abstractmethod
    def create_new_study(self, directions: list[StudyDirection], study_name: str) -> int:
        """Create a study; raise DuplicatedStudyError if the name is taken. Returns its id."""

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
    def create_new_trial(
        self,
        study_id: int,
        *,
        state: TrialState = TrialState.RUNNING,
        system_attrs: dict[str, Any] | None = None,
        user_attrs: dict[str, Any] | None = None,
    ) -> int:
        """Create a RUNNING (or WAITING, for enqueue) trial with the next number; return its id."""

    @abc.abstractmethod
    def claim_waiting_trial(self, study_id: int) -> int | None:
        """Atomically move the oldest WAITING trial to RUNNING and return its id (None if none)."""

    @abc.abstractmethod
    def set_trial_param(self, trial_id: int, name: str, internal: float, distribution: BaseDistribution) -> None: ...

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
        params: dict[str, tuple[float, BaseDistribution]] | None = None,
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
    def start_heartbeat(self, trial_id: int) -> None:
        """Begin stamping this running trial every heartbeat_interval seconds."""

    def stop_heartbeat(self, trial_id: int) -> None:
        """Stop stamping it (the trial finished)."""

    heartbeat_interval: float | None = None
    grace_period: float | None = None

    def record_heartbeat(self, trial_id: int) -> None:
        """Mark the trial's worker as alive now."""

    def fail_stale_trials(self, study_id: int) -> list[int]:
        """Mark RUNNING trials whose heartbeat is older than the grace period FAIL; return their ids."""
        return []

    def get_n_trials(self, study_id: int, states: Container[TrialState] | None = None) -> int:
        return len(self.get_all_trials(study_id, deepcopy=False, states=states))


def check_attr_kind(kind: str) -> str:
    if kind not in ("user", "system"):
        raise ValueError(f"attribute kind must be 'user' or 'system', got {kind!r}.")
    return kind
