"""Past trials as numpy columns, built incrementally (finished trials are immutable).

TPE needs, per trial, the internal value of every parameter and a rank key
(complete < pruned < running; then value, or for pruned trials the deepest
step reached and the value there). Looping over all past trials for each
parameter in Python would make a trial's cost grow fast with the history, so
``History`` converts each finished trial once, appends it to per-parameter
columns (NaN where the trial lacks the parameter), and afterwards only the few
running trials are converted on each refresh.

For TPESampler(pruned_ranking='budget' or 'bohb') it also keeps each finished
trial's deepest step (inf for a complete trial) and its learning curve, so a
snapshot can rank trials by their value at one budget (``budget_split``).
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np

from hpobench.distributions import CategoricalDistribution, Distribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState

_FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)
COMPLETE, PRUNED, RUNNING = 0, 1, 2
PRUNED_RANKINGS = ("depth", "budget", "bohb")


def column_key(name: str, dist: Distribution) -> tuple:
    """A cheap hashable key for (name, distribution); the type tags keep True, 1 and 1.0 apart."""
    if isinstance(dist, CategoricalDistribution):
        return (name, "C", *((type(c).__name__, c) for c in dist.choices))
    return (name, type(dist).__name__, dist.low, dist.high, dist.log, dist.step)


def rank_key(trial: FrozenTrial, sign: float) -> tuple[int, float, float]:
    """(class, -deepest step, signed value): smaller is better; Optuna's rule for pruned trials."""
    if trial.state == TrialState.COMPLETE:
        assert trial.value is not None  # FrozenTrial's rule: a COMPLETE trial has a value
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
        trial_dims: the most parameters one finished trial holds (the dimension D
            of the trial, whatever block TPE samples; min_bandwidth='geometric').
    """

    def __init__(self, numbers, keys, columns, param_sets, n_finished, depths=None, curves=None, trial_dims=1):
        self.trial_dims = trial_dims
        self.numbers = numbers
        self.keys = keys
        self.columns = columns
        self.param_sets = param_sets
        self.n_finished = n_finished
        self.depths = depths  # (n_finished,) deepest step reached, inf for complete trials
        self.curves = curves  # per finished row: (sorted steps, signed values), shared append-only list

    def column(self, name: str, dist: Distribution) -> np.ndarray:
        col = self.columns.get(column_key(name, dist))
        return np.full(len(self.numbers), np.nan) if col is None else col

    def order(self) -> np.ndarray:
        """Row indices from best to worst (ties by trial number)."""
        cls, neg_step, value = self.keys
        # Exact in float64: steps stay far below 2**31, and ties in value keep row (= age) order.
        return np.lexsort((value, cls * 2.0**31 + neg_step))

    def split(self, n_best: int) -> np.ndarray:
        """Boolean mask (n,) of the n_best first rows of order(), without sorting everything.

        When every row is a complete trial (no pruned or running ones: the
        common case) only the value counts: one partition finds the n_best-th
        value, and ties at it go to the oldest rows, as order() has them.
        """
        return self._best_rows(n_best)[0]

    def _best_rows(self, n_best: int) -> tuple[np.ndarray, int]:
        """split()'s mask and the row that took its last place (-1 when the mask is empty or full)."""
        cls, neg_step, value = self.keys
        n = len(value)
        mask = np.zeros(n, dtype=bool)
        if n_best <= 0:
            return mask, -1
        if n_best >= n:
            mask[:] = True
            return mask, -1
        threshold = np.partition(value, n_best - 1)[n_best - 1]
        if cls.any() or np.isnan(threshold):  # general case (lexsort puts NaN last)
            best = self.order()[:n_best]
            mask[best] = True
            return mask, int(best[-1])
        np.less(value, threshold, out=mask)
        ties = np.flatnonzero(value == threshold)[: n_best - int(mask.sum())]
        mask[ties] = True
        return mask, int(ties[-1])

    def shared_split(self, n_best: int) -> np.ndarray:
        """Each row's share (n,) of the n_best "below" places: 1 inside, 0 outside, k / t at the boundary.

        The t rows tied with the n_best-th (same rank key) share the k places
        left for them, instead of the oldest taking them all (split()). Why:
        an objective with a coarse output (a validation accuracy over a small
        set, evalset's `_res10` cases) ties many trials at the best level;
        giving the places to the oldest of them makes l(x) the startup design's
        region and ignores the equally good trials found later.
        """
        mask, last = self._best_rows(n_best)
        shares = mask.astype(float)
        if last < 0:
            return shares
        cls, neg_step, value = self.keys
        tied = (cls == cls[last]) & (neg_step == neg_step[last]) & (value == value[last])
        n_tied = int(tied.sum())
        if n_tied > 1:
            shares[tied] = 0.0
            shares[tied] = (n_best - shares.sum()) / n_tied
        return shares

    def budget_split(self, n_min: int, gamma: Any, bohb: bool) -> tuple[np.ndarray, np.ndarray] | None:
        """(below, above) masks from the trials' values at one budget; None when nothing was pruned.

        The budget b is the deepest step that at least n_min finished trials
        reached (BOHB's "highest budget with enough observations"; a complete
        trial counts as reaching every budget). Those trials are ranked by
        their value at b (at the last step they reported up to b), and the
        best gamma(count) of them are below. Why: ranking by depth first
        (Optuna's rule) puts every trial that survived a rung above all that
        did not, and LCBench's curves cross, so early-good losers and a
        shallow rung's luck then dominate l(x). The rest are above; with
        bohb=True only the trials at b are (a model per budget, as BOHB
        fits it), the shallower pruned ones being left out; running rows (in
        the snapshot only with constant liar) stay above, so parallel
        workers still spread.
        """
        cls = self.keys[0]
        if self.depths is None or not (cls[: self.n_finished] == PRUNED).any():
            return None
        depths = self.depths
        n_min = min(max(n_min, 1), len(depths))
        budget = np.partition(depths, len(depths) - n_min)[len(depths) - n_min]
        at_budget = np.flatnonzero(depths >= budget)
        values = np.array([self._value_at(int(row), budget) for row in at_budget])
        n_below = min(max(int(gamma(len(at_budget))), 0), len(at_budget))
        order = at_budget[np.argsort(values, kind="stable")]  # ties: oldest first, as order() has them
        below = np.zeros(len(self.numbers), dtype=bool)
        below[order[:n_below]] = True
        if bohb:
            above = np.zeros(len(self.numbers), dtype=bool)
            above[order[n_below:]] = True
            above[self.n_finished :] = True  # running rows: constant liar's "bad" guesses
        else:
            above = ~below
        return below, above

    def _value_at(self, row: int, budget: float) -> float:
        """Row's signed value at the last step it reported up to budget; a complete trial's final
        value at an infinite budget or when it reported nothing up to budget; else inf."""
        steps, values = self.curves[row]
        index = int(np.searchsorted(steps, budget, side="right")) - 1
        complete = self.keys[0][row] == COMPLETE
        if complete and (index < 0 or not math.isfinite(budget)):
            return float(self.keys[2][row])
        return float(values[index]) if index >= 0 else math.inf


class History:
    """Per-study cache of finished trials as columns; refresh() adds what is new.

    Rows live in buffers that double when full, so adding a trial writes a
    few numbers in place; a Snapshot holds views of the first n rows, which
    later appends never touch.
    """

    def __init__(self, keep_curves: bool = False) -> None:
        self._lock = threading.Lock()
        self._keep_curves = keep_curves  # for budget_split: depths and curves of finished trials
        self._depths = np.empty(64)
        self._curves: list[tuple[np.ndarray, np.ndarray]] = []
        self._seen: set[int] = set()
        self._watermark = 0  # trials below this number are finished and ingested
        self._n = 0
        self._meta = np.empty((4, 64))  # rows: trial number, then the three rank-key columns
        self._data = np.empty((0, 64))  # one row per column key, NaN where a trial lacks the parameter
        self._col_index: dict[tuple, int] = {}
        self.distributions: dict[tuple, tuple[str, Distribution]] = {}  # column key -> (name, dist)
        self._param_sets: list[frozenset] = []
        self._distinct_sets: set[frozenset] = set()
        self._max_params = 1
        self.intersection: frozenset | None = None
        self.groups: list[frozenset] = []
        self.last: tuple[int, Snapshot] | None = None  # the snapshot of the trial being sampled
        self.space_cache: tuple | None = None  # (what the space was derived from, the space), for TPESampler

    def refresh(self, study: PluginStudy, current: int, constant_liar: bool) -> Snapshot:
        """Snapshot including all finished trials and (with constant liar) running ones but `current`."""
        sign = -1.0 if study.directions[0].name == "MAXIMIZE" else 1.0
        trials = study.get_trials(deepcopy=False)
        with self._lock:
            tail = trials[self._skip_count(trials) :]
            for trial in tail:
                if trial.state in _FINISHED and trial.number not in self._seen:
                    self._append(trial, sign)
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

    def _append(self, trial: FrozenTrial, sign: float) -> None:
        row = self._n
        if row == self._meta.shape[1]:
            self._meta = _grow(self._meta, 2 * row)
            self._data = _grow(self._data, 2 * row)
        self._seen.add(trial.number)
        self._meta[:, row] = (trial.number, *rank_key(trial, sign))
        if self._keep_curves:
            self._keep_curve(trial, sign, row)
        self._data[:, row] = np.nan
        keys = []
        for name, dist in trial.distributions.items():
            key = column_key(name, dist)
            keys.append(key)
            index = self._column(key, name, dist)  # may replace self._data: look it up first
            self._data[index, row] = dist.to_internal_repr(trial.params[name])
        self._n = row + 1
        params = frozenset(keys)
        self._param_sets.append(params)
        if params not in self._distinct_sets:  # intersection and groups only change for a new parameter set
            self._distinct_sets.add(params)
            self._max_params = max(self._max_params, len(params))
            self.intersection = params if self.intersection is None else self.intersection & params
            self.groups = split_groups(self.groups, params)

    def _keep_curve(self, trial: FrozenTrial, sign: float, row: int) -> None:
        if row == len(self._depths):
            self._depths = np.concatenate([self._depths, np.empty(row)])
        steps = np.array(sorted(trial.intermediate_values), dtype=float)
        values = np.array([trial.intermediate_values[int(k)] for k in steps], dtype=float) * sign
        values[~np.isfinite(values)] = math.inf
        if trial.state == TrialState.COMPLETE:
            self._depths[row] = math.inf
        else:
            self._depths[row] = steps[-1] if len(steps) else 0.0
        self._curves.append((steps, values))

    def _column(self, key: tuple, name: str, dist: Distribution) -> int:
        index = self._col_index.get(key)
        if index is None:
            index = self._col_index[key] = len(self._data)
            self.distributions[key] = (name, dist)
            self._data = np.vstack([self._data, np.full((1, self._data.shape[1]), np.nan)])
        return index

    def _snapshot(self, running: list[FrozenTrial], sign: float) -> Snapshot:
        n = self._n
        numbers, keys = self._meta[0, :n], [self._meta[i, :n] for i in (1, 2, 3)]
        columns = {key: self._data[i, :n] for key, i in self._col_index.items()}
        depths, curves = (self._depths[:n], self._curves) if self._keep_curves else (None, None)
        extra = {"depths": depths, "curves": curves, "trial_dims": self._max_params}
        if not running:
            return Snapshot(numbers, keys, columns, self._param_sets, n, **extra)
        n_run = len(running)
        numbers = np.concatenate([numbers, [t.number for t in running]])
        keys = [
            np.concatenate([k, np.full(n_run, fill)]) for k, fill in zip(keys, (RUNNING, 0.0, math.inf), strict=False)
        ]
        block = _columns_of(running, {})
        for key in set(columns) | set(block):
            old = columns.get(key)
            old = np.full(n, np.nan) if old is None else old
            add = block.get(key)
            columns[key] = np.concatenate([old, np.full(n_run, np.nan) if add is None else add])
        return Snapshot(numbers, keys, columns, self._param_sets, n, **extra)


def _grow(buffer: np.ndarray, capacity: int) -> np.ndarray:
    bigger = np.empty((buffer.shape[0], capacity))
    bigger[:, : buffer.shape[1]] = buffer
    return bigger


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
    out: list[frozenset] = []
    rest = set(params)
    for group in groups:
        inside, outside = group & params, group - params
        out.extend(g for g in (inside, outside) if g)
        rest -= group
    if rest:
        out.append(frozenset(rest))
    return out
