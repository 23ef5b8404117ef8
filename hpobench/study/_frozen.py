"""FrozenStudy: a study's name, directions and attributes as stored (what storage.get_all_studies returns)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hpobench.direction import StudyDirection


def _directions_of(
    direction: StudyDirection | None, directions: Sequence[StudyDirection] | None
) -> list[StudyDirection]:
    """Optuna's rule for the (direction, directions) pair: exactly one of them."""
    if direction is None and directions is None:
        raise ValueError("Specify one of direction and directions.")
    if direction is not None and directions is not None:
        raise ValueError(f"Specify only one of direction and directions, got {direction!r} and {directions!r}.")
    return [direction] if direction is not None else list(directions)  # type: ignore[arg-type]


class _HasDirections:
    """direction / directions as Optuna's FrozenStudy and StudySummary have them; ordered by study id."""

    _directions: list[StudyDirection]
    _study_id: int

    @property
    def direction(self) -> StudyDirection:
        if len(self._directions) > 1:
            raise RuntimeError("This study has several objectives; use directions.")
        return self._directions[0]

    @property
    def directions(self) -> list[StudyDirection]:
        return list(self._directions)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __lt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._study_id < other._study_id

    def __le__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._study_id <= other._study_id

    __hash__ = None  # type: ignore[assignment]


class FrozenStudy(_HasDirections):
    """A stored study without its trials (Optuna's arguments and attributes)."""

    def __init__(
        self,
        study_name: str,
        direction: StudyDirection | None,
        user_attrs: dict[str, Any],
        system_attrs: dict[str, Any],
        study_id: int,
        *,
        directions: Sequence[StudyDirection] | None = None,
    ) -> None:
        self.study_name = study_name
        self._directions = _directions_of(direction, directions)
        self.user_attrs = user_attrs
        self.system_attrs = system_attrs
        self._study_id = study_id

    def __repr__(self) -> str:
        return f"FrozenStudy(study_name={self.study_name!r}, directions={self._directions}, study_id={self._study_id})"
