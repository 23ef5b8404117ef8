"""Optuna's logging helpers (``optuna.logging.set_verbosity(optuna.logging.WARNING)`` and co.).

hpobench logs through the standard ``logging`` module under the name
"hpobench". Unlike Optuna it installs no handler on import (a library leaves
that to the application; the CLI prints its own summary), so by default only
warnings reach stderr, through Python's last-resort handler, and the logger
propagates to the root logger. ``enable_default_handler()`` installs a stderr
handler with Optuna's line format, after which ``set_verbosity(INFO)`` shows
Optuna's per-trial lines; ``disable_default_handler()`` removes it.
"""

from __future__ import annotations

import logging as _logging

from hpobench.validation import check_int

CRITICAL = _logging.CRITICAL
FATAL = _logging.FATAL
ERROR = _logging.ERROR
WARNING = _logging.WARNING
WARN = _logging.WARN
INFO = _logging.INFO
DEBUG = _logging.DEBUG

_LOGGER_NAME = "hpobench"
_default_handler: _logging.Handler | None = None


def get_logger(name: str = _LOGGER_NAME) -> _logging.Logger:
    """The logger of name (hpobench's own by default)."""
    return _logging.getLogger(name)


def set_verbosity(verbosity: int) -> None:
    """Set the level of hpobench's logger, e.g. hpobench.logging.WARNING."""
    get_logger().setLevel(check_int("verbosity", verbosity))  # a logging level such as logging.WARNING


def get_verbosity() -> int:
    """The effective level of hpobench's logger."""
    return get_logger().getEffectiveLevel()


def create_default_formatter() -> _logging.Formatter:
    """Optuna's line format: ``[I 2024-01-01 12:00:00,000] message``."""
    return _logging.Formatter("[%(levelname)1.1s %(asctime)s] %(message)s")


def enable_default_handler() -> None:
    """Show hpobench's log records on the current stderr (at the level set by set_verbosity)."""
    global _default_handler
    disable_default_handler()  # a fresh handler: it binds sys.stderr as it is now (e.g. captured)
    _default_handler = _logging.StreamHandler()
    _default_handler.setFormatter(create_default_formatter())
    get_logger().addHandler(_default_handler)


def disable_default_handler() -> None:
    """Remove the handler of enable_default_handler (nothing to do if none was installed)."""
    if _default_handler is not None:
        get_logger().removeHandler(_default_handler)


def disable_propagation() -> None:
    """Stop hpobench's records from reaching the root logger's handlers."""
    get_logger().propagate = False


def enable_propagation() -> None:
    """Let hpobench's records reach the root logger's handlers (the default)."""
    get_logger().propagate = True
