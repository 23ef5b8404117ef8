"""Ctrl-C that always stops a run, even when an objective swallows KeyboardInterrupt.

scikit-learn's MLP fit catches KeyboardInterrupt ("Training interrupted by
user") and returns normally, so a Ctrl-C that lands inside a trial of
mlp_digits would be lost. CtrlC remembers the key press and, used as a runner
callback, raises KeyboardInterrupt again in the main process after the next
finished trial.
"""

from __future__ import annotations

import signal
import threading
from typing import Any


class CtrlC:
    """Context manager + runner callback: SIGINT raises KeyboardInterrupt now and after the next trial."""

    def __init__(self) -> None:
        self.pressed = False
        self._previous: Any = None

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is threading.main_thread():  # signal handlers live in the main thread
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: Any) -> None:
        self.pressed = True
        raise KeyboardInterrupt

    def __call__(self, study: Any, trial: Any) -> None:
        if self.pressed:
            raise KeyboardInterrupt
