"""The bookkeeping shared by the SMAC3 and Syne Tune adaptors: a library that owns the search.

SMAC3 and Syne Tune keep their own state (run history, rungs) and need the
whole search space up front. So, per hpobench study and per process:

- the space is fixed by the first trial that suggests parameters
  (``first_space``); that first trial is sampled at random, as is any
  parameter outside the space (conditional ones), and the library is then told
  about it like any other trial;
- before each ask and each pruning decision the library catches up with the
  study (``_catch_up``): trials it has not seen (another process asked them)
  are adopted with their parameters, new intermediate values are fed in step
  order, and finished trials are closed once. In one process (in-process and
  simulated runners) this is exactly the order in which results arrive, so
  under SimulatedRunner the library sees them in simulated-time order; local
  processes see each other's results at their next catch-up.

Subclasses implement the library hooks ``_open``, ``_ask``, ``_adopt``,
``_result`` and ``_close``. ``SchedulerSampler`` adds ``prune``: such a
method is both the study's sampler and its pruner (docs/samplers.md,
"Methods that sample and prune").
"""

from __future__ import annotations

import math
import threading
import weakref
from typing import Any

from hpobench.distributions import Distribution
from hpobench.interfaces import PluginStudy, PrunerInterface
from hpobench.trial import FrozenTrial, TrialState
from hpobench.validation import check_int

from ..base import BaseSampler
from ..random import RandomSampler
from ._space import covers, first_space, from_axis, to_axis

_FINISHED = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)


class _Book:
    """One study's library object and how far each trial has been told to it."""

    def __init__(self, space: dict[str, Distribution], backend: Any) -> None:
        self.space = space
        self.backend = backend
        self.handles: dict[int, Any] = {}  # trial number -> the library's handle of that trial
        self.n_fed: dict[int, int] = {}  # trial number -> intermediate values fed
        self.closed: set[int] = set()


class TrackingSampler(BaseSampler):
    """Base of the adaptors whose library owns the search (see the module docstring)."""

    def __init__(self, *, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        self._random = RandomSampler(seed=seed)
        self._init_state()

    def _init_state(self) -> None:
        self._lock = threading.RLock()
        self._books: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_books")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._init_state()

    # --- library hooks -----------------------------------------------------------------
    def _open(self, study: PluginStudy, space: dict[str, Distribution]) -> Any:
        raise NotImplementedError

    def _ask(self, book: _Book, study: PluginStudy, trial: FrozenTrial) -> tuple[Any, dict[str, float]]:
        """(handle, axis values of book.space) for a new trial."""
        raise NotImplementedError

    def _adopt(self, book: _Book, trial: FrozenTrial, axes: dict[str, float]) -> Any:
        """Tell the library about a trial it did not ask; return its handle."""
        raise NotImplementedError

    def _result(self, book: _Book, trial: FrozenTrial, step: int, value: float) -> bool:
        """Feed one intermediate value; True if the library says stop."""
        return False

    def _close(self, book: _Book, trial: FrozenTrial) -> None:
        """trial finished (COMPLETE, PRUNED or FAIL): tell the library."""

    # --- sampler interface ---------------------------------------------------------------
    def infer_relative_search_space(self, study: PluginStudy, trial: FrozenTrial) -> dict[str, Distribution]:
        book = self._book(study)
        return {} if book is None else dict(book.space)

    def sample_relative(
        self, study: PluginStudy, trial: FrozenTrial, search_space: dict[str, Distribution]
    ) -> dict[str, Any]:
        with self._lock:
            book = self._book(study)
            if book is None:  # no space yet: infer_relative_search_space returned {}
                return {}
            self._catch_up(book, study, skip=trial.number)
            handle, axes = self._ask(book, study, trial)
            book.handles[trial.number] = handle
            return {n: from_axis(axes[n], d) for n, d in book.space.items()}

    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        return self._random.sample_independent(study, trial, param_name, param_distribution)

    # --- catching up ---------------------------------------------------------------------
    def _book(self, study: PluginStudy) -> _Book | None:
        with self._lock:
            book = self._books.get(study)
            if book is None:
                space = first_space(study)
                if not space:
                    return None
                book = self._books[study] = _Book(space, self._open(study, space))
            return book

    def _catch_up(self, book: _Book, study: PluginStudy, skip: int) -> None:
        for trial in study.get_trials(deepcopy=False):
            if trial.number != skip and trial.number not in book.closed:
                self._track(book, trial)
                if trial.state in _FINISHED and trial.number in book.handles:
                    self._close(book, trial)
                    book.closed.add(trial.number)

    def _track(self, book: _Book, trial: FrozenTrial) -> bool:
        """Adopt trial if new, feed its new intermediate values; whether the last one fed said stop."""
        if trial.number not in book.handles:
            if not covers(trial, book.space):
                return False
            axes = {n: to_axis(trial.params[n], d) for n, d in book.space.items()}
            book.handles[trial.number] = self._adopt(book, trial, axes)
        values = sorted(trial.intermediate_values.items())
        stop = False
        for step, value in values[book.n_fed.get(trial.number, 0) :]:
            stop = self._result(book, trial, step, value)
        book.n_fed[trial.number] = len(values)
        return stop


class SchedulerSampler(TrackingSampler, PrunerInterface):
    """A method that is both sampler and pruner: create_study(sampler=it) prunes as it says.

    Args:
        seed: the study seed, passed to the library.
        max_step: the last step of a trial (the problem's max_step): the
            largest budget, and the step at which a trial completes, never pruned.
    """

    def __init__(self, *, seed: int | None = None, max_step: int) -> None:
        super().__init__(seed=seed)
        self.max_step = check_int("max_step", max_step, minimum=1)  # the problem's last step

    def prune(self, study: PluginStudy, trial: FrozenTrial) -> bool:
        with self._lock:
            book = self._book(study)
            if book is None:
                return False
            self._catch_up(book, study, skip=trial.number)
            stop = self._track(book, trial)
        step = max(trial.intermediate_values, default=0)
        return stop and step < self.max_step


def worst_if_nan(value: float | None, minimize: bool) -> float:
    """NaN (a diverged run), or no value, as the worst value: the libraries cannot rank NaN."""
    if value is None or math.isnan(value):
        return math.inf if minimize else -math.inf
    return value
