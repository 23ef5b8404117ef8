"""Past trials as numpy columns, built incrementally (finished trials are immutable).

TPE needs, per trial, the internal value of every parameter and a rank key
(complete < pruned < running; then value, or for pruned trials the deepest
step reached and the value there). Looping over all past trials for each
parameter in Python would make a trial's cost grow fast with the history, so
``History`` converts each finished trial once, appends it to per-parameter
columns (NaN where the trial lacks the parameter), and afterwards only the few
running trials are converted on each refresh.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np

from hpobench.distributions import BaseDistribution, CategoricalDistribution
from hpobench.trial import FrozenTrial, TrialState

_FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)
COMPLETE, PRUNED, RUNNING = 0, 1, 2


def column_key(name: str, dist: BaseDistribution) -> tuple:
    """A cheap hashable key for (name, distribution); the type tags keep True, 1 and 1.0 apart."""
    if isinstance(dist, CategoricalDistribution):
        return (name, "C", *((type(c).__name__, c) for c in dist.choices))
    return (name, type(dist).__name__, dist.low, dist.high, dist.log, dist.step)


def rank_key(trial: FrozenTrial, sign: float) -> tuple[int, float, float]:
    """(class, -deepest step, signed value): smaller is better; Optuna's rule for pruned trials."""
    if trial.state == TrialState.COMPLETE:
        return COMPLETE, 0.0, sign * trial.value
    if trial.state == TrialState.PRUNED:
        if not trial.intermediate_values:
            return PRUNED, 1.0, math.inf
        step = max(trial.intermediate_values)
        value = trial.intermediate_values[step]
        return PRUNED, -float(step), sign * value if math.isfinite(value) else math.inf
    return RUNNING, 0.0, math.inf


class Snapshot:
    """The history seen by one trial: columns over finished + running rows.

    Attributes:
        numbers: trial number per row (n,).
        keys: rank key columns (cls, neg_step, value) each (n,).
        columns: column_key(name, distribution) -> internal values (n,), NaN where absent.
        param_sets: per finished row, the frozenset of (name, distribution) it holds.
        n_finished: rows [0, n_finished) are finished trials, the rest running.
    """

    def __init__(self, numbers, keys, columns, param_sets, n_finished):
        self.numbers = numbers
        self.keys = keys
        self.columns = columns
        self.param_sets = param_sets
        self.n_finished = n_finished

    def column(self, name: str, dist: BaseDistribution) -> np.ndarray:
        col = self.columns.get(column_key(name, dist))
        return np.full(len(self.numbers), np.nan) if col is None else col

    def order(self) -> np.ndarray:
        """Row indices from best to worst (ties by trial number)."""
        cls, neg_step, value = self.keys
        # Exact in float64: steps stay far below 2**31, and ties in value keep row (= age) order.
        return np.lexsort((value, cls * 2.0**31 + neg_step))


class History:
    """Per-study cache of finished trials as columns; refresh() adds what is new."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: set[int] = set()
        self._watermark = 0  # trials below this number are finished and ingested
        self._numbers = np.empty(0)
        self._keys = [np.empty(0), np.empty(0), np.empty(0)]
        self._columns: dict[tuple, np.ndarray] = {}
        self.distributions: dict[tuple, tuple[str, BaseDistribution]] = {}  # column key -> (name, dist)
        self._param_sets: list[frozenset] = []
        self._distinct_sets: set[frozenset] = set()
        self.intersection: frozenset | None = None
        self.groups: list[frozenset] = []
        self.last: tuple[int, Snapshot] | None = None  # the snapshot of the trial being sampled

    def refresh(self, study: Any, current: int, constant_liar: bool) -> Snapshot:
        """Snapshot including all finished trials and (with constant liar) running ones but `current`."""
        sign = -1.0 if study.directions[0].name == "MAXIMIZE" else 1.0
        trials = study.get_trials(deepcopy=False)
        with self._lock:
            tail = trials[self._skip_count(trials):]
            new = [t for t in tail if t.state in _FINISHED and t.number not in self._seen]
            if new:
                self._append(new, sign)
            running = []
            if constant_liar:
                running = [t for t in tail if t.state == TrialState.RUNNING and t.number != current and t.params]
            return self._snapshot(running, sign)

    def _skip_count(self, trials: list[FrozenTrial]) -> int:
        """How many leading trials are finished and already ingested (so need no look).

        Trial numbers are dense (0, 1, ...; the storage contract), so trial k is
        at index k; if that ever fails, everything is scanned again.
        """
        w = self._watermark
        if w > len(trials) or (w > 0 and trials[w - 1].number != w - 1):
            w = 0
        while w < len(trials) and trials[w].state.is_finished() and trials[w].number == w:
            if trials[w].state in _FINISHED and w not in self._seen:
                break
            w += 1
        self._watermark = w
        return w

    def _append(self, trials: list[FrozenTrial], sign: float) -> None:
        n_old, n_new = len(self._numbers), len(trials)
        self._seen.update(t.number for t in trials)
        self._numbers = np.concatenate([self._numbers, [t.number for t in trials]])
        keys = np.array([rank_key(t, sign) for t in trials], dtype=float).reshape(n_new, 3)
        self._keys = [np.concatenate([old, keys[:, i]]) for i, old in enumerate(self._keys)]
        block = _columns_of(trials, self.distributions)
        for key in set(self._columns) | set(block):
            old = self._columns.get(key)
            old = np.full(n_old, np.nan) if old is None else old
            add = block.get(key)
            self._columns[key] = np.concatenate([old, np.full(n_new, np.nan) if add is None else add])
        for trial in trials:
            params = frozenset(column_key(n, d) for n, d in trial.distributions.items())
            self._param_sets.append(params)
            if params in self._distinct_sets:
                continue  # intersection and groups only change for a parameter set not seen before
            self._distinct_sets.add(params)
            self.intersection = params if self.intersection is None else self.intersection & params
            self.groups = split_groups(self.groups, params)

    def _snapshot(self, running: list[FrozenTrial], sign: float) -> Snapshot:
        if not running:
            return Snapshot(self._numbers, self._keys, dict(self._columns), self._param_sets, len(self._numbers))
        n_run = len(running)
        numbers = np.concatenate([self._numbers, [t.number for t in running]])
        keys = [np.concatenate([k, np.full(n_run, fill)]) for k, fill in zip(self._keys, (RUNNING, 0.0, math.inf))]
        block = _columns_of(running, {})
        columns = {}
        for key in set(self._columns) | set(block):
            old = self._columns.get(key)
            old = np.full(len(self._numbers), np.nan) if old is None else old
            add = block.get(key)
            columns[key] = np.concatenate([old, np.full(n_run, np.nan) if add is None else add])
        return Snapshot(numbers, keys, columns, self._param_sets, len(self._numbers))


def _columns_of(trials: list[FrozenTrial], seen: dict) -> dict[tuple, np.ndarray]:
    """Internal values of a batch of trials, one column per (name, distribution); new keys go to seen."""
    columns: dict[tuple, np.ndarray] = {}
    for row, trial in enumerate(trials):
        for name, dist in trial.distributions.items():
            key = column_key(name, dist)
            if key not in columns:
                columns[key] = np.full(len(trials), np.nan)
                seen.setdefault(key, (name, dist))
            columns[key][row] = dist.to_internal_repr(trial.params[name])
    return columns


def split_groups(groups: list[frozenset], params: frozenset) -> list[frozenset]:
    """Refine a partition so that every group is either inside params or disjoint from it.

    Applied to every trial's parameter set in turn, the groups end up as the
    largest sets of parameters that always occur together (Optuna's group
    decomposition).
    """
    out = []
    rest = set(params)
    for group in groups:
        inside, outside = group & params, group - params
        out.extend(g for g in (inside, outside) if g)
        rest -= group
    if rest:
        out.append(frozenset(rest))
    return out
