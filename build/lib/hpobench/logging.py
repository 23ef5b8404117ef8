"""Optuna's logging helpers (``optuna.logging.set_verbosity(optuna.logging.WARNING)`` and co.).

hpobench logs through the standard ``logging`` module under the name
"hpobench" and adds no handler of its own, so these only set that logger's
level and propagation; they exist so that Optuna scripts run unchanged.
"""

from __future__ import annotations

import logging as _logging

CRITICAL = _logging.CRITICAL
FATAL = _logging.FATAL
ERROR = _logging.ERROR
WARNING = _logging.WARNING
WARN = _logging.WARN
INFO = _logging.INFO
DEBUG = _logging.DEBUG

_LOGGER_NAME = "hpobench"


def get_logger(name: str = _LOGGER_NAME) -> _logging.Logger:
    """The logger of name (hpobench's own by default)."""
    return _logging.getLogger(name)


def set_verbosity(verbosity: int) -> None:
    """Set the level of hpobench's logger, e.g. hpobench.logging.WARNING."""
    if isinstance(verbosity, bool) or not isinstance(verbosity, int):
        raise TypeError(f"verbosity must be a logging level (an int such as logging.WARNING), got {verbosity!r}.")
    get_logger().setLevel(verbosity)


def get_verbosity() -> int:
    """The effective level of hpobench's logger."""
    return get_logger().getEffectiveLevel()


def disable_default_handler() -> None:
    """No-op: hpobench installs no handler (kept for Optuna scripts)."""


def enable_default_handler() -> None:
    """No-op: hpobench installs no handler (kept for Optuna scripts)."""


def disable_propagation() -> None:
    get_logger().propagate = False


def enable_propagation() -> None:
    get_logger().propagate = True
