"""Optimization direction."""

import enum


class StudyDirection(enum.IntEnum):
    NOT_SET = 0
    MINIMIZE = 1
    MAXIMIZE = 2

    @classmethod
    def parse(cls, direction: "str | StudyDirection") -> "StudyDirection":
        """Accept 'minimize' / 'maximize' (any case) or a StudyDirection."""
        if isinstance(direction, StudyDirection) and direction != cls.NOT_SET:
            return direction
        if isinstance(direction, str) and direction.upper() in ("MINIMIZE", "MAXIMIZE"):
            return cls[direction.upper()]
        raise ValueError(f"direction must be 'minimize' or 'maximize', got {direction!r}.")
