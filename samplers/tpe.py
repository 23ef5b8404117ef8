"""TPESampler: the Tree-structured Parzen Estimator (Bergstra et al. 2011; Watanabe 2023).

How a trial is sampled:

1. The finished trials (COMPLETE and PRUNED; FAIL ignored) and, with constant
   liar, the RUNNING ones are ranked: complete trials by value, then running
   trials, which therefore always count as bad ("constant liar", so parallel
   workers do not pile onto the same point). Once trials were pruned, the
   default pruned_ranking='bohb' ranks the trials at the deepest budget
   enough trials reached by their value there and leaves shallower pruned
   ones out (BOHB; Snapshot.budget_split); 'depth' is Optuna's rule (pruned
   trials after complete ones, by deepest step, then value there).
2. The best gamma(n) of the n finished trials are "below", the rest "above".
   Each set becomes a Parzen estimator (samplers/_parzen.py): one truncated
   kernel per observation plus a prior kernel, weighted by weights(n).
3. n_ei_candidates points are drawn from l (below); the one maximising
   l(x) / g(x) is returned.

Multivariate (default): the intersection search space (parameters every
finished trial has, with one distribution) is sampled jointly; any other
parameter (conditional, or new) falls back to a one-dimensional TPE over the
trials that have it. group=True samples each group of co-occurring parameters
jointly instead of only the intersection.

Cost: past trials are converted to numpy columns once (samplers/_history.py);
a trial then costs a few vectorised operations over (candidates x trials).

Randomness: each trial's generator is BaseSampler.rng_for(trial, stream), so
the same seed and the same history give the same parameters in any process.
"""

from __future__ import annotations

import functools
import logging
import math
import threading
import warnings
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from hpobench.distributions import CategoricalDistribution, Distribution, FloatDistribution, IntDistribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial
from hpobench.validation import check_float, check_int

from ._history import PRUNED_RANKINGS, History, Snapshot, column_key
from ._parzen import MIN_BANDWIDTHS, NumericalDim, build_mixtures, default_gamma, default_weights, uniform_weights
from ._uniform import sample_uniform
from .base import BaseSampler

_logger = logging.getLogger("hpobench")


def _check_int(name: str, value: Any, minimum: int) -> int:
    return check_int(name, value, minimum=minimum)


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, one of {choices}, got {value!r}.")
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}.")
    return value


class TPESampler(BaseSampler):
    """Tree-structured Parzen Estimator sampler.

    Defaults follow Optuna 5's TPE (multivariate, constant liar, 10 startup
    trials, 24 candidates, gamma(n) = min(ceil(0.1 n), 25), prior weight 1,
    per-kernel neighbour-gap bandwidths, categorical kernels with a
    prior_weight / K floor) except the observation weights (uniform, where
    Optuna ramps down trials older than the last 25), the magic clip's count
    (min_bandwidth) and the int/step kernels (discrete_kernel). Evidence, from
    benchmarks/sampler_quality.py's six problems, 100 trials x 10 seeds
    (docs/samplers.md has the tables): 'gaps' bandwidths beat the Scott-like
    rule of Optuna 2-3's multivariate TPE on Branin (median regret 0.019 vs
    0.074, Mann-Whitney p = 0.02) and Hartmann6 (0.155 vs 0.297, p = 0.045);
    uniform weights lowered the median regret on conditional_quadratic
    (0.019 vs 0.079) and changed no other problem by more than noise; with
    them our median regret is below Optuna's TPE on 5 of the 6 problems, and
    n_ei_candidates=48, prior_weight=0.5 or gamma = 0.15 n / 0.2 n did not help.
    min_bandwidth='geometric', discrete_kernel='grid' and ties='shared' come
    from the 56-case suite and a fresh set of 16 problems it does not contain
    (issue 18; benchmarks/tpe_suite.py, docs/samplers.md has the tables).

    Args (Optuna 4's positional order up to seed, keyword-only after it):
        consider_prior: kept for Optuna scripts; the prior kernel is always used
            (as in Optuna >= 4.3, where False falls back to True with a warning).
        prior_weight: weight of the prior kernel (> 0).
        consider_magic_clip: must be True: bandwidths are always clipped below at
            span / min(100, K + 1) (Optuna's "magic clip").
        consider_endpoints: must be False: the end kernels use their inner gap only.
        n_startup_trials: finished trials sampled uniformly before TPE starts.
        n_ei_candidates: candidates drawn from l(x) per sample.
        gamma: n finished trials -> number of "below" (good) trials.
        weights: n -> weights (n,) of observations ordered oldest first.
        seed: seed of the per-trial generators; None for fresh entropy.
        multivariate: sample the intersection search space jointly.
        group: with multivariate, sample each group of co-occurring parameters jointly.
        warn_independent_sampling: with multivariate, log a warning when a parameter
            seen before is sampled outside the joint space (Optuna's flag).
        constant_liar: count RUNNING trials as bad, to spread parallel workers.
        constraints_func, categorical_distance_func: Optuna's; not implemented here,
            so only None is accepted.
        bandwidth: 'scott' (one bandwidth per dimension, shrinking as n^(-1/(D+4)))
            or 'gaps' (Bergstra's per-kernel neighbour gaps).
        pruned_ranking: how pruned trials enter the good/bad split. 'bohb'
            (default): rank the trials that reached the deepest step at least
            max(n_startup_trials, D + 1) trials reached by their value there;
            gamma of that count are good, the others at that budget (and, with
            constant liar, running trials) bad; shallower pruned trials are
            left out (one model per budget, as BOHB fits it). 'budget': as
            'bohb', but every other trial is bad. 'depth' (Optuna's rule):
            complete trials by value, then pruned ones by deepest step, then
            value there. Without pruned trials all three are the same.
            docs/samplers.md ("TPE with pruning") has the LCBench numbers
            that made 'bohb' the default.
        min_bandwidth: the observations the magic clip (no kernel narrower than
            span / min(100, m + 2)) counts as m on continuous dims, for an estimator of
            n_own of n_all observations in a trial of D parameters: 'geometric' (default)
            n_own (n_all / n_own)^(1/D); 'per_dim' n_own + (n_all - n_own) / D with D the
            sampled block's dimension (issue 18's first round); 'joint' n_all; 'split'
            n_own (Optuna's). D is the trial's dimension, so a parameter sampled on its
            own (conditional, or multivariate=False) is not clipped as if it were 1-d.
        discrete_kernel: int/step dims of at most 256 values: 'grid' (default) a
            kernel table over the grid values, clipped by the estimator's own count;
            'rounded' (Optuna's) the continuous kernel integrated over each value's bin.
        ties: the trials tied (same value) at the boundary of the gamma(n) best:
            'shared' (default) all enter l and g, each with weight k / t in l and the
            rest in g (k places left for t tied trials); 'oldest' (Optuna's) the
            oldest k of them are below. Matters where outputs are coarse (an accuracy
            on a small validation set, evalset's `_res10` cases).
    """

    def __init__(
        self,
        consider_prior: bool = True,
        prior_weight: float = 1.0,
        consider_magic_clip: bool = True,
        consider_endpoints: bool = False,
        n_startup_trials: int = 10,
        n_ei_candidates: int = 24,
        gamma: Callable[[int], int] = default_gamma,
        weights: Callable[[int], np.ndarray] = uniform_weights,
        seed: int | None = None,
        *,
        multivariate: bool = True,
        group: bool = False,
        warn_independent_sampling: bool = False,
        constant_liar: bool = True,
        constraints_func: Callable | None = None,
        categorical_distance_func: dict | None = None,
        bandwidth: str = "gaps",
        pruned_ranking: str = "bohb",
        min_bandwidth: str = "geometric",
        discrete_kernel: str = "grid",
        ties: str = "shared",
    ) -> None:
        super().__init__(seed=seed)
        _check_optuna_only_arguments(
            consider_prior, consider_magic_clip, consider_endpoints, constraints_func, categorical_distance_func
        )
        self.warn_independent_sampling = bool(warn_independent_sampling)
        self.n_startup_trials = _check_int("n_startup_trials", n_startup_trials, 0)
        self.n_ei_candidates = _check_int("n_ei_candidates", n_ei_candidates, 1)
        for name, func in (("gamma", gamma), ("weights", weights)):
            if not callable(func):
                raise TypeError(f"{name} must be callable, got {func!r}.")
        check_float("prior_weight", prior_weight, above=0.0)
        if group and not multivariate:
            raise ValueError(f"group=True needs multivariate=True, got multivariate={multivariate!r}.")
        self.gamma, self.weights, self.prior_weight = gamma, weights, float(prior_weight)
        if bandwidth not in ("scott", "gaps"):
            raise ValueError(f"bandwidth must be 'scott' or 'gaps', got {bandwidth!r}.")
        self.multivariate, self.group, self.constant_liar = bool(multivariate), bool(group), bool(constant_liar)
        self.bandwidth = bandwidth
        self.pruned_ranking = _check_choice("pruned_ranking", pruned_ranking, PRUNED_RANKINGS)
        self.min_bandwidth = _check_choice("min_bandwidth", min_bandwidth, MIN_BANDWIDTHS)
        self.ties = _check_choice("ties", ties, ("shared", "oldest"))
        self.discrete_kernel = _check_choice("discrete_kernel", discrete_kernel, ("grid", "rounded"))
        self._init_cache()

    def _init_cache(self) -> None:
        self._lock = threading.Lock()
        self._histories: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __getstate__(self) -> dict[str, Any]:
        # The cache holds locks and weak references; a copy (e.g. in a worker process) rebuilds it.
        state = dict(self.__dict__)
        del state["_lock"], state["_histories"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._init_cache()

    # --- history ------------------------------------------------------------------
    def _history(self, study: PluginStudy) -> History:
        with self._lock:
            history = self._histories.get(study)
            if history is None:
                history = self._histories[study] = History(keep_curves=self.pruned_ranking != "depth")
            return history

    def _snapshot(self, study: PluginStudy, trial: FrozenTrial) -> tuple[History, Snapshot]:
        """One snapshot per trial, shared by its relative and independent samples."""
        history = self._history(study)
        cached = history.last
        if cached is not None and cached[0] == trial.number:
            return history, cached[1]
        snap = history.refresh(study, trial.number, self.constant_liar)
        history.last = (trial.number, snap)
        return history, snap

    # --- sampler interface ----------------------------------------------------------
    def infer_relative_search_space(self, study: PluginStudy, trial: FrozenTrial) -> dict[str, Distribution]:
        if not self.multivariate:
            return {}
        history, snap = self._snapshot(study, trial)
        if snap.n_finished < max(self.n_startup_trials, 1):
            return {}
        source = tuple(history.groups) if self.group else history.intersection
        if history.space_cache is None or history.space_cache[0] != (self.group, source):
            keys = set().union(*history.groups) if self.group else set(history.intersection or ())
            pairs = [history.distributions[key] for key in keys]
            names = [name for name, _ in pairs]
            space = {name: dist for name, dist in pairs if names.count(name) == 1 and not dist.single()}
            history.space_cache = ((self.group, source), dict(sorted(space.items())))
        return dict(history.space_cache[1])

    def sample_relative(
        self, study: PluginStudy, trial: FrozenTrial, search_space: dict[str, Distribution]
    ) -> dict[str, Any]:
        if not search_space:
            return {}
        history, snap = self._snapshot(study, trial)
        blocks = [search_space]
        if self.group:
            blocks = [{n: d for n, d in search_space.items() if column_key(n, d) in g} for g in history.groups]
        params: dict[str, Any] = {}
        for index, block in enumerate(b for b in blocks if b):
            params.update(self._sample_tpe(snap, block, self.rng_for(trial, 0, index)))
        return params

    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        history, snap = self._snapshot(study, trial)
        rng = self.rng_for_param(trial, param_name, 1)
        if snap.n_finished < self.n_startup_trials:
            return sample_uniform(param_distribution, rng)
        if self.warn_independent_sampling and self.multivariate:
            _warn_independent(history, trial, param_name)
        return self._sample_tpe(snap, {param_name: param_distribution}, rng)[param_name]

    # --- TPE --------------------------------------------------------------------------
    def _sample_tpe(self, snap: Snapshot, space: dict[str, Distribution], rng: np.random.Generator) -> dict:
        names = list(space)
        dims = [_dim_of(column_key(n, space[n])[1:], space[n]) for n in names]
        # (D, n): reductions and gathers over rows run along long contiguous rows (several times cheaper).
        xt = np.vstack([_to_kernel_space(snap.column(n, space[n]), space[n]) for n in names])
        has_all = ~np.isnan(xt).any(axis=0)
        share_below, share_above = self._split(snap, len(names))
        # Rows in row (= age) order: the weights ramp favours recent trials.
        rows = [np.flatnonzero((share > 0) & has_all) for share in (share_below, share_above)]
        shares = [share[r] for share, r in zip((share_below, share_above), rows, strict=True)]
        kw: dict[str, Any] = {
            "bandwidth": self.bandwidth,
            "prior_weight": self.prior_weight,
            "discrete_kernel": self.discrete_kernel,
            "min_bandwidth": self.min_bandwidth,
            # The clip counts observations by their shares; the trial's dimension, not the block's.
            "counts": [float(s.sum()) for s in shares],
            "n_dims": snap.trial_dims if self.min_bandwidth == "geometric" else len(names),
        }
        # l (segment 0) and g (segment 1) as one Mixture: one pass of array operations for both.
        obs = [xt.take(r, axis=1).T for r in rows]
        weights = [self._weights(len(r)) * s for r, s in zip(rows, shares, strict=True)]
        both = build_mixtures(obs, dims, weights, **kw)
        candidates = both.sample(self.n_ei_candidates, rng, segment=0)
        log_l, log_g = both.log_pdf(candidates).T
        best = candidates[int(np.argmax(log_l - log_g))]
        return {n: _to_external(v, space[n]) for n, v in zip(names, best, strict=False)}

    def _split(self, snap: Snapshot, n_dims: int) -> tuple[np.ndarray, np.ndarray]:
        """Each row's share (n,) of l (below) and of g (above), by pruned_ranking and ties (class docstring)."""
        if self.pruned_ranking != "depth":
            n_min = max(self.n_startup_trials, n_dims + 1)
            split = snap.budget_split(n_min, self.gamma, bohb=self.pruned_ranking == "bohb")
            if split is not None:
                return split[0].astype(float), split[1].astype(float)
        n_below = min(max(int(self.gamma(snap.n_finished)), 0), snap.n_finished)
        share = snap.shared_split(n_below) if self.ties == "shared" else snap.split(n_below).astype(float)
        return share, 1.0 - share

    def _weights(self, n: int) -> np.ndarray:
        if self.weights in (default_weights, uniform_weights):
            return _cached_weights(self.weights, n)
        weights = np.asarray(self.weights(n), dtype=float)
        if weights.shape != (n,) or not (weights >= 0).all():  # also rejects NaN
            raise ValueError(f"weights({n}) must return {n} finite non-negative numbers, got {weights!r}.")
        return weights

    @staticmethod
    def hyperopt_parameters() -> dict[str, Any]:
        """Hyperopt's TPE settings, for ``TPESampler(**TPESampler.hyperopt_parameters())`` (Optuna's method).

        20 startup trials, gamma(n) = min(ceil(0.25 sqrt(n)), 25) and Optuna's
        ramped observation weights; the other values are the defaults.
        """
        return {
            "consider_prior": True,
            "prior_weight": 1.0,
            "consider_magic_clip": True,
            "consider_endpoints": False,
            "n_startup_trials": 20,
            "n_ei_candidates": 24,
            "gamma": hyperopt_default_gamma,
            "weights": default_weights,
        }

    def __repr__(self) -> str:
        return (
            f"TPESampler(seed={self.seed}, n_startup_trials={self.n_startup_trials}, "
            f"n_ei_candidates={self.n_ei_candidates}, multivariate={self.multivariate}, "
            f"group={self.group}, constant_liar={self.constant_liar}, pruned_ranking={self.pruned_ranking!r}, "
            f"min_bandwidth={self.min_bandwidth!r}, ties={self.ties!r})"
        )


def hyperopt_default_gamma(n: int) -> int:
    """Hyperopt's number of 'good' trials among n: min(ceil(0.25 sqrt(n)), 25)."""
    return min(int(math.ceil(0.25 * n**0.5)), 25)


def _check_optuna_only_arguments(
    consider_prior: Any,
    consider_magic_clip: Any,
    consider_endpoints: Any,
    constraints_func: Any,
    categorical_distance_func: Any,
) -> None:
    """Optuna's TPE arguments that this TPE does not implement: only their defaults are accepted."""
    if not consider_prior:  # Optuna >= 4.3 also ignores it
        message = "consider_prior=False is ignored: the prior kernel is always used (as in Optuna >= 4.3)."
        warnings.warn(message, FutureWarning, stacklevel=2)
    refused = [
        ("consider_magic_clip", consider_magic_clip, not consider_magic_clip, "bandwidths are always clipped"),
        ("consider_endpoints", consider_endpoints, bool(consider_endpoints), "end kernels are never widened"),
        ("constraints_func", constraints_func, constraints_func is not None, "constraints are not implemented"),
        (
            "categorical_distance_func",
            categorical_distance_func,
            categorical_distance_func is not None,
            "categorical distances are not implemented",
        ),
    ]
    for name, value, bad, why in refused:
        if bad:
            raise ValueError(
                f"{name}={value!r} is not supported by hpobench's TPESampler ({why}; see OptunaTPESampler)."
            )


def _warn_independent(history: History, trial: FrozenTrial, param_name: str) -> None:
    """Optuna's warning: a parameter that past trials used is sampled on its own, not jointly."""
    if any(name == param_name for name, _ in history.distributions.values()):
        _logger.warning(
            "The parameter %r in trial #%d is sampled independently instead of jointly by the multivariate TPE "
            "(its distribution changed, or not every trial has it). Pass group=True for conditional spaces.",
            param_name,
            trial.number,
        )


@functools.lru_cache(maxsize=64)
def _cached_weights(func: Callable[[int], np.ndarray], n: int) -> np.ndarray:
    weights = func(n)
    weights.flags.writeable = False  # shared between calls
    return weights


_DIM_CACHE: dict[tuple, NumericalDim | int] = {}


def _dim_of(key: tuple, dist: Distribution) -> NumericalDim | int:
    """_dim_of_uncached, memoised by the distribution's cheap key (hashing a distribution costs a JSON dump)."""
    dim = _DIM_CACHE.get(key)
    if dim is None:
        if len(_DIM_CACHE) > 10_000:  # e.g. ranges that change every trial: stay bounded
            _DIM_CACHE.clear()
        dim = _DIM_CACHE[key] = _dim_of_uncached(dist)
    return dim


def _dim_of_uncached(dist: Distribution) -> NumericalDim | int:
    """Kernel-space description of a distribution (int = number of categorical choices)."""
    if isinstance(dist, CategoricalDistribution):
        return len(dist.choices)
    if isinstance(dist, IntDistribution) and dist.log:
        return NumericalDim(np.log(dist.low - 0.5), np.log(dist.high + 0.5), "log_int", 1, dist.low, dist.high)
    if isinstance(dist, FloatDistribution) and dist.log:
        return NumericalDim(np.log(dist.low), np.log(dist.high))
    step = dist.step  # an IntDistribution's is never None
    if step is not None:
        half = 0.5 * step
        return NumericalDim(dist.low - half, dist.high + half, "step", step, dist.low, dist.high)
    return NumericalDim(dist.low, dist.high)


def _to_kernel_space(internal: np.ndarray, dist: Distribution) -> np.ndarray:
    if getattr(dist, "log", False):
        return np.log(internal)
    return internal


def _to_external(value: float, dist: Distribution) -> Any:
    if isinstance(dist, CategoricalDistribution):
        return dist.choices[int(value)]
    if dist.log:
        value = float(np.exp(value))
    if isinstance(dist, IntDistribution):
        return int(min(max(round(value), dist.low), dist.high))
    if dist.step is not None:
        k = round((value - dist.low) / dist.step)
        value = round(dist.low + k * dist.step, 12)  # 0.1 * 3 is 0.30000000000000004
    return float(min(max(value, dist.low), dist.high))
