"""Parzen estimators of truncated kernels: the numerical core of TPE, on plain arrays.

A mixture has K components (one per observation, plus a prior component) with
weights ``w`` (K,). Each component is a product of one-dimensional kernels:

- numerical dimensions live in an *internal* space (log of the value for
  log-scaled parameters) and use a normal kernel truncated to ``[low, high]``;
- discrete numerical dimensions (int, or float with step) either use a kernel
  of their own over the grid (``discrete_kernel="grid"``, the default: a
  table (K, G) of normal weights at the G grid values, its magic clip always
  counted per estimator, see ``grid_kernels``), or, as in Optuna, integrate the
  continuous kernel over the bin ``[lo_edge, hi_edge]`` of each grid value
  (``"rounded"``: a sample is a continuous draw rounded to its bin);
- categorical dimensions use a table ``probs`` (K, n_choices): each observation
  puts mass 1 on its choice plus ``prior_weight / n_choices`` on every choice.

Everything here is a pure function of numpy arrays (no Study, no trials) so it
can be tested on its own; samplers/tpe.py is the glue.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy.special import log_ndtr, ndtr, ndtri, ndtri_exp

_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)
_EPS = 1e-12


@dataclasses.dataclass(frozen=True)
class NumericalDim:
    """A numerical dimension in internal space.

    Attributes:
        low, high: truncation bounds in internal space (bin edges included for discrete dims).
        kind: 'float', 'log_float', 'step' (linear grid of width step) or 'log_int' (integers, log space).
        step: grid width in external space for 'step'; 1 for 'log_int'; None otherwise.
        grid_low, grid_high: the first and last grid value (external space) of discrete dims.
    """

    low: float
    high: float
    kind: str = "float"
    step: float | None = None
    grid_low: float | None = None
    grid_high: float | None = None

    @property
    def discrete(self) -> bool:
        return self.kind in ("step", "log_int")

    def grid(self) -> tuple[float, float, float]:
        """(step, grid_low, grid_high) of a discrete dim, which always has them."""
        if self.step is None or self.grid_low is None or self.grid_high is None:
            raise ValueError(f"{self} is not discrete: it has no grid.")
        return self.step, self.grid_low, self.grid_high

    def bin_edges(self, internal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Internal-space edges of the bins holding the given (grid) internal values."""
        if self.kind == "step":
            step = self.grid()[0]
            return internal - 0.5 * step, internal + 0.5 * step
        value = np.rint(np.exp(internal))  # log_int: bins [k - 0.5, k + 0.5] mapped to log space
        return np.log(np.maximum(value - 0.5, _EPS)), np.log(value + 0.5)

    def snap(self, internal: np.ndarray) -> np.ndarray:
        """Round continuous internal draws to the internal value of their grid point."""
        if not self.discrete:
            return _clip(internal, self.low, self.high)
        step, grid_low, grid_high = self.grid()
        if self.kind == "step":
            k = np.rint((internal - grid_low) / step)
            return _clip(grid_low + k * step, grid_low, grid_high)
        return np.log(_clip(np.rint(np.exp(internal)), grid_low, grid_high))

    def grid_size(self) -> int:
        """Number of grid values of a discrete dim."""
        step, grid_low, grid_high = self.grid()
        return int(round((grid_high - grid_low) / step)) + 1


MAX_GRID = 256  # larger grids keep the rounded kernel: a (K, G) table per dim would cost more than it saves


@dataclasses.dataclass(frozen=True)
class GridDim:
    """A discrete numerical dimension whose kernels are tables over its grid (``discrete_kernel="grid"``).

    Points hold the grid value in internal space (as for NumericalDim); the
    tables are indexed by grid position.
    """

    dim: NumericalDim

    @property
    def values(self) -> np.ndarray:
        """Internal-space grid values, ascending."""
        k = np.arange(self.dim.grid_size())
        step, grid_low, _ = self.dim.grid()
        if self.dim.kind == "step":
            return grid_low + k * step
        return np.log(grid_low + k)

    def index_of(self, internal: np.ndarray) -> np.ndarray:
        """Grid position of internal values (off-grid values go to the nearest one)."""
        step, grid_low, _ = self.dim.grid()
        k = np.rint((internal - grid_low) / step) if self.dim.kind == "step" else np.rint(np.exp(internal)) - grid_low
        return _clip(k, 0, self.dim.grid_size() - 1).astype(int)


def _exp_neg(x: np.ndarray) -> np.ndarray:
    """exp(x) for x <= 0, floored at exp(-700).

    exp of very negative numbers takes a slow path (10x), and of numbers that
    land on denormals a very slow one (100x); terms below e^-700 do not matter here.
    """
    return np.exp(_clip(x, -700.0, 0.0))


def _clip(x: np.ndarray, low: np.ndarray | float, high: np.ndarray | float) -> np.ndarray:
    # np.clip carries a fixed cost of several microseconds; this runs many times per trial.
    return np.minimum(np.maximum(x, low), high)


def log_gauss_mass(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """log(Phi(b) - Phi(a)) for a <= b elementwise, accurate in both tails."""
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    out = np.empty(a.shape)
    left = b <= 0  # both in the left tail: log Phi(b) + log(1 - Phi(a)/Phi(b))
    right = a >= 0  # both in the right tail: mirror to the left tail
    middle = ~(left | right)
    la, lb = log_ndtr(a[left]), log_ndtr(b[left])
    out[left] = lb + np.log1p(-_exp_neg(la - lb))
    ra, rb = log_ndtr(-b[right]), log_ndtr(-a[right])
    out[right] = rb + np.log1p(-_exp_neg(ra - rb))
    out[middle] = np.log1p(-_exp_neg(log_ndtr(a[middle])) - _exp_neg(log_ndtr(-b[middle])))
    return out


def sample_truncnorm(
    mu: np.ndarray, sigma: np.ndarray, low: np.ndarray | float, high: np.ndarray | float, rng: np.random.Generator
) -> np.ndarray:
    """One draw per (mu, sigma) from N(mu, sigma) truncated to [low, high] (broadcast), by inverse CDF.

    Kernels centred inside [low, high] (all of TPE's) take the cheap path:
    their truncation interval straddles the mean, so plain ndtr/ndtri are
    accurate. Others are drawn in log space from the nearer tail.
    """
    a, b = (low - mu) / sigma, (high - mu) / sigma
    u = rng.uniform(size=np.shape(mu))
    if np.all(a <= 0) and np.all(b >= 0):
        pa = ndtr(a)
        z = ndtri(pa + u * (ndtr(b) - pa))
        return _clip(mu + sigma * z, low, high)
    flip = a > 0  # sample in the left tail, where log_ndtr is accurate, then mirror back
    a2, b2 = np.where(flip, -b, a), np.where(flip, -a, b)
    log_p = np.logaddexp(log_ndtr(a2), np.log(u + 1e-300) + log_gauss_mass(a2, b2))
    z = ndtri_exp(np.minimum(log_p, 0.0))
    z = np.where(flip, -z, z)
    return _clip(mu + sigma * z, low, high)


def upper_tail(t: np.ndarray) -> np.ndarray:
    """1 - Phi(t) for t >= 0, absolute error < 1e-7 (Abramowitz & Stegun 26.2.17).

    About four times cheaper than scipy's ndtr, which dominated the cost of a
    trial: every kernel needs its truncation mass in every dimension.
    """
    k = 1.0 / (1.0 + 0.2316419 * t)
    poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937 + k * (-1.821255978 + k * 1.330274429))))
    return np.exp(-0.5 * t * t - _LOG_SQRT_2PI) * poly


def log_truncation_mass(mu: np.ndarray, sigma: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """log of each kernel's mass on [low, high].

    Kernels centred inside keep a mass of at least ~0.38 (the prior's), so
    1 - tail(left) - tail(right) with a 1e-7 accurate tail is accurate too;
    kernels more than 7 sigmas from both bounds (most of them, once there are
    many trials) lose less than 1e-12 and are given mass 1 without computing.
    """
    inv = 1.0 / sigma
    t_low, t_high = (mu - low) * inv, (high - mu) * inv
    t_near = np.minimum(t_low, t_high)
    if t_near.size and t_near.min() < 0:  # a kernel centred outside (e.g. an enqueued out-of-range value)
        return log_gauss_mass(-t_low, t_high)
    out = np.zeros(np.shape(t_near))
    near = np.flatnonzero(t_near < 7.0)
    if near.size:
        # The far bound is usually >= 7 sigmas away too: its tail (< 1e-12) is computed only where it is not.
        # take/put: several times cheaper than .flat indexing.
        t_far = np.maximum(t_low.take(near), t_high.take(near))
        mass = 1.0 - upper_tail(t_near.take(near))
        both = np.flatnonzero(t_far < 7.0)
        if both.size:
            mass[both] -= upper_tail(t_far[both])
        np.put(out, near, np.log(mass))
    return out


def univariate_sigmas(mus: np.ndarray, low: np.ndarray | float, high: np.ndarray | float) -> np.ndarray:
    """Bandwidths of Bergstra et al. (2011): the larger gap to a sorted neighbour or bound.

    The prior's mean is not a neighbour (as in Optuna 4-5; including it made
    no difference we could measure, see docs/samplers.md). mus is (n,) or
    (n, D) (one column per dimension, all at once); returns the same shape,
    one sigma per observation (the prior's is set by the caller).
    """
    obs = np.asarray(mus, dtype=float)
    flat = obs.ndim == 1
    obs = obs[:, None] if flat else obs
    n, d = obs.shape
    low, high = np.asarray(low, dtype=float).reshape(-1), np.asarray(high, dtype=float).reshape(-1)
    rows = np.ascontiguousarray(obs.T)  # (D, n): sorting along contiguous rows is fast (no copy if obs is one's .T)
    # Flat indices of each row's sorted order (cheaper than take/put_along_axis for our sizes).
    index = (rows.argsort(axis=1) + (np.arange(d) * n)[:, None]).ravel()
    padded = np.empty((d, n + 2))
    padded[:, 0], padded[:, -1] = low, high
    padded[:, 1:-1] = rows.ravel().take(index).reshape(d, n)
    step = np.diff(padded, axis=1)  # (D, n + 1): gap i lies between sorted points i - 1 and i
    gaps = np.maximum(step[:, :-1], step[:, 1:])
    if n >= 2:  # endpoints are not observations: the end kernels use their inner gap only
        gaps[:, 0] = step[:, 1]
        gaps[:, -1] = step[:, -2]
    sigmas = np.empty(d * n)
    sigmas[index] = gaps.ravel()
    return sigmas if flat else sigmas.reshape(d, n).T


def numerical_kernels(
    obs: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    *,
    bandwidth: str,
    n_dims: int,
    prior_weight: float,
    n_clip: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Means and bandwidths (K = n_obs + 1, Dn), the last row the prior, for numerical dims.

    obs is (n_obs, Dn); low/high (Dn,) are the internal truncation bounds.
    bandwidth 'scott': 0.2 n^(-1/(D+4)) x span for every kernel (Falkner et
    al. 2018; Optuna 2-3's multivariate rule); 'gaps': Bergstra's neighbour gaps
    per dimension (Optuna 4-5 use these in the multivariate TPE too). Then the
    "magic clip": no kernel narrower than span / min(100, n_clip + 2), none
    wider than the span. n_clip is the number of observations the clip counts:
    this estimator's (None; Optuna's rule) or those of l and g together (see
    TPESampler's min_bandwidth).
    """
    n = len(obs)
    span = high - low
    if bandwidth == "scott":
        sigmas = np.broadcast_to(0.2 * max(n, 1) ** (-1.0 / (n_dims + 4)) * span, obs.shape)
    else:
        sigmas = univariate_sigmas(obs, low, high)
    sigmas = _clip(sigmas, magic_clip_floor(span, n if n_clip is None else n_clip), span)
    mus = np.vstack([obs, 0.5 * (low + high)])
    return mus, np.vstack([sigmas.reshape(n, len(low)), span])


def magic_clip_floor(span: np.ndarray | float, n_obs: float) -> np.ndarray | float:
    """Smallest bandwidth with n_obs observations: span / min(100, n_obs + 2) (Optuna's "magic clip")."""
    return span / min(100.0, n_obs + 2.0)


def grid_kernels(obs: np.ndarray, dim: GridDim) -> np.ndarray:
    """Kernel tables (K = n_obs + 1, G) over a discrete dim's grid; the last row is the uniform prior.

    Observation i weighs grid value v by exp(-(v - obs_i)^2 / (2 sigma_i^2)),
    sigma_i = Bergstra's neighbour gap clipped to [span / min(100, n_obs + 2),
    span]: the magic clip of this estimator's own observations, whatever
    TPESampler's min_bandwidth. Why (docs/samplers.md, issue 18): on a grid
    the same value recurs, and its gap is 0, so the clip sets the kernel. With
    the joint count (all trials) l becomes point masses on the good values
    already seen and TPE repeats one point (pinter_2_int0-1: stuck on one
    grid point for 40 trials, worse than random); with its own count l (few
    observations) stays a cell or more wide, and g (many) stays sharp, so a
    value already tried scores low and its neighbours high.
    """
    grid, base = dim.values, dim.dim
    span = base.high - base.low
    sigmas = _clip(univariate_sigmas(obs, base.low, base.high), magic_clip_floor(span, len(obs)), span)
    z = (grid[None, :] - obs[:, None]) / sigmas[:, None]
    table = np.empty((len(obs) + 1, len(grid)))
    table[:-1] = _exp_neg(-0.5 * z * z)
    table[-1] = 1.0
    return table / table.sum(axis=1, keepdims=True)


def categorical_kernels(obs: np.ndarray, n_choices: int, prior_weight: float) -> np.ndarray:
    """Kernel tables (K = n_obs + 1, n_choices); the last row is the uniform prior.

    Each observation puts mass 1 on its choice plus prior_weight / K on every
    choice (Optuna 4-5's rule): kernels sharpen as observations accumulate,
    where a prior_weight / n_choices floor would keep every category's
    density flat however much evidence there is.
    """
    n = len(obs)
    probs = np.full((n + 1, n_choices), prior_weight / (n + 1))
    probs[np.arange(n), obs.astype(int)] += 1.0
    probs[n] = 1.0 / n_choices
    return probs / probs.sum(axis=1, keepdims=True)


_MATMUL_CHUNK = 1024


def _matmul(x: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x @ b for a thin b (D, K), in column chunks.

    Past a size, OpenBLAS splits a product over threads; for these small
    products that costs 100x on a busy machine (threads waiting for cores),
    so each chunk stays below that size.
    """
    if b.shape[1] <= _MATMUL_CHUNK:
        return x @ b
    out = np.empty((x.shape[0], b.shape[1]))
    for start in range(0, b.shape[1], _MATMUL_CHUNK):
        np.matmul(x, b[:, start : start + _MATMUL_CHUNK], out=out[:, start : start + _MATMUL_CHUNK])
    return out


def logsumexp_rows(a: np.ndarray) -> np.ndarray:
    """log(sum(exp(a), axis=1)), stable; overwrites a (no large temporaries: they cost page faults)."""
    top = a.max(axis=1, keepdims=True)  # finite: every row holds the prior's finite term
    a -= top
    np.maximum(a, -700.0, out=a)  # exp of very negative numbers is slow; such terms do not matter
    np.exp(a, out=a)
    return top[:, 0] + np.log(a.sum(axis=1))


class Mixture:
    """A Parzen estimator: K weighted components, each a product of one-dimensional kernels.

    Continuous numerical dimensions are evaluated together with matrix
    products (the Gaussian exponent expands into x^2 A - 2 x (mu A) + mu^2 A),
    so a density costs little more than one (n, D) x (D, K) product.

    Several estimators over the same dims can share one Mixture as
    consecutive segments of kernels (TPE's l and g): they are then built and
    evaluated with one set of array operations instead of two.

    Args:
        log_weights: (K,) log weights, normalised within each segment.
        dims: per dimension a NumericalDim, a GridDim or an int (number of categorical choices).
        mu, sigma: (K, Dn) kernel means and bandwidths of the NumericalDim dims, in order.
        probs: per table dim (categorical or GridDim), in order, a (K, n_choices) table.
        segments: kernel index boundaries (0, K1, K1 + K2, ..., K); None for one estimator.
    """

    def __init__(
        self,
        log_weights: np.ndarray,
        dims: list,
        mu: np.ndarray,
        sigma: np.ndarray,
        probs: list,
        segments: tuple[int, ...] | None = None,
    ) -> None:
        self.segments = (0, len(log_weights)) if segments is None else tuple(segments)
        self.log_weights, self.dims = log_weights, dims
        self.mu, self.sigma, self.probs = mu, sigma, probs
        self._num = [d for d, dim in enumerate(dims) if isinstance(dim, NumericalDim)]
        self._cat = [d for d, dim in enumerate(dims) if not isinstance(dim, NumericalDim)]
        self._log_probs = [np.log(p) for p in probs]
        self._const = np.array(log_weights, dtype=float)
        if self._num:
            self._low = np.array([dims[d].low for d in self._num])
            self._high = np.array([dims[d].high for d in self._num])
            self._log_norm = log_truncation_mass(mu, sigma, self._low, self._high)
        cont = [j for j, d in enumerate(self._num) if not dims[d].discrete]
        self._cont = (cont, [self._num[j] for j in cont])
        if cont:
            every = len(cont) == mu.shape[1]  # all numerical dims continuous: no column copies
            m, s = (mu, sigma) if every else (mu[:, cont], sigma[:, cont])
            log_norm = self._log_norm if every else self._log_norm[:, cont]
            a = 1.0 / (s * s)  # (K, Dc)
            mu_a = m * a
            terms = 0.5 * m * mu_a + np.log(s) + log_norm
            # Row sums as a product: sum(axis=1) over a few columns runs a slow short inner loop.
            self._const -= terms @ np.ones(len(cont)) + len(cont) * _LOG_SQRT_2PI
            # (2 Dc, K) contiguous, [mu a; -a / 2]: log_pdf's exponent is then one plain small GEMM of [x, x^2].
            self._w_t = np.concatenate([mu_a.T, -0.5 * a.T])

    def sample(self, n: int, rng: np.random.Generator, segment: int = 0) -> np.ndarray:
        """n points (n, D) from one segment, in internal space (category indices for categorical dims)."""
        start, end = self.segments[segment], self.segments[segment + 1]
        cum = np.cumsum(np.exp(self.log_weights[start:end]))
        comp = start + np.minimum(np.searchsorted(cum, rng.uniform(size=n) * cum[-1], side="right"), len(cum) - 1)
        out = np.empty((n, len(self.dims)))
        if self._num:
            draw = sample_truncnorm(self.mu[comp], self.sigma[comp], self._low, self._high, rng)
            out[:, self._num] = draw  # continuous draws are final (already clipped to the bounds)
            for j, d in enumerate(self._num):
                if self.dims[d].discrete:
                    out[:, d] = self.dims[d].snap(draw[:, j])
        for probs, d in zip(self.probs, self._cat, strict=False):
            cdf = np.cumsum(probs[comp], axis=1)
            u = rng.uniform(size=(n, 1)) * cdf[:, -1:]
            index = np.minimum((u > cdf).sum(axis=1), probs.shape[1] - 1)
            dim = self.dims[d]
            out[:, d] = dim.values[index] if isinstance(dim, GridDim) else index
        return out

    def log_pdf(self, x: np.ndarray) -> np.ndarray:
        """log density (log mass for discrete dims) of points x (n, D) in internal space.

        Shape (n,) for one segment, (n, n_segments) for several.
        """
        if self._cont[0]:
            xc = x[:, self._cont[1]]
            total = _matmul(np.hstack([xc, xc * xc]), self._w_t)
            total += self._const
        else:
            total = np.broadcast_to(self._const, (len(x), len(self._const))).copy()
        for j, d in enumerate(self._num):
            dim = self.dims[d]
            if dim.discrete:
                mu, sigma = self.mu[:, j], self.sigma[:, j]
                lo, hi = dim.bin_edges(x[:, d])
                total += log_gauss_mass((lo[:, None] - mu) / sigma, (hi[:, None] - mu) / sigma) - self._log_norm[:, j]
        for log_probs, d in zip(self._log_probs, self._cat, strict=False):
            dim = self.dims[d]
            index = dim.index_of(x[:, d]) if isinstance(dim, GridDim) else x[:, d].astype(int)
            total += log_probs[:, index].T
        if len(self.segments) == 2:
            return logsumexp_rows(total)
        bounds = zip(self.segments[:-1], self.segments[1:], strict=False)
        return np.column_stack([logsumexp_rows(total[:, start:end]) for start, end in bounds])


def build_mixture(
    obs: np.ndarray,
    dims: list,
    weights: np.ndarray,
    *,
    bandwidth: str,
    prior_weight: float,
    discrete_kernel: str = "grid",
) -> Mixture:
    """The Parzen estimator of observations obs (n, D) with per-observation weights (n,).

    The prior component (centre of the range with the span as bandwidth;
    uniform over choices and grids) gets weight prior_weight before normalisation.
    """
    return build_mixtures(
        [obs], dims, [weights], bandwidth=bandwidth, prior_weight=prior_weight, discrete_kernel=discrete_kernel
    )


def build_mixtures(
    obs_sets: list[np.ndarray],
    dims: list,
    weight_sets: list[np.ndarray],
    *,
    bandwidth: str,
    prior_weight: float,
    discrete_kernel: str = "grid",
    min_bandwidth: str = "split",
    counts: list[float] | None = None,
    n_dims: int | None = None,
) -> Mixture:
    """Several Parzen estimators (one per observation set, each with its prior) as segments of one Mixture.

    discrete_kernel: 'grid' turns discrete NumericalDims of at most MAX_GRID
    values into GridDims (tables over the grid), 'rounded' keeps the rounded
    continuous kernel. min_bandwidth: which observations the magic clip of
    continuous dims counts (clip_count), with counts the size of each set
    (default: its rows; TPE passes the summed shares of tied rows) and n_dims
    the dimension D (default: len(dims)).
    """
    counts = [float(len(obs)) for obs in obs_sets] if counts is None else counts
    n_dims = len(dims) if n_dims is None else n_dims
    dims = [as_grid_dim(dim) if discrete_kernel == "grid" else dim for dim in dims]
    num = [d for d, dim in enumerate(dims) if isinstance(dim, NumericalDim)]
    low = np.array([dims[d].low for d in num])
    high = np.array([dims[d].high for d in num])
    log_ws, mus, sigmas, probs, segments = [], [], [], [], [0]
    for obs, weights, count in zip(obs_sets, weight_sets, counts, strict=True):
        w = np.append(np.asarray(weights, float), prior_weight)
        log_ws.append(np.log(np.maximum(w, 0.0) / w.sum() + 1e-300))
        segments.append(segments[-1] + len(w))
        clip = clip_count(min_bandwidth, count, sum(counts), n_dims)
        if num:
            columns = obs if len(num) == len(dims) else obs[:, num]
            mu, sigma = numerical_kernels(
                columns, low, high, bandwidth=bandwidth, n_dims=len(dims), prior_weight=prior_weight, n_clip=clip
            )
            mus.append(mu)
            sigmas.append(sigma)
        probs.append(
            [
                grid_kernels(obs[:, d], dim)
                if isinstance(dim, GridDim)
                else categorical_kernels(obs[:, d], dim, prior_weight)
                for d, dim in enumerate(dims)
                if d not in num
            ]
        )
    if num:
        mu, sigma = np.vstack(mus), np.vstack(sigmas)
    else:
        mu = sigma = np.empty((segments[-1], 0))
    tables = [np.vstack(tables) for tables in zip(*probs, strict=False)]
    return Mixture(np.concatenate(log_ws), dims, mu, sigma, tables, segments=tuple(segments))


MIN_BANDWIDTHS = ("geometric", "per_dim", "joint", "split")


def clip_count(rule: str, n_own: float, n_all: float, n_dims: int) -> float:
    """Number of observations the magic clip counts for an estimator of n_own of n_all observations.

    'split': its own (Optuna's); 'joint': all of them (l and g together), so
    l's kernels may be as narrow as the whole history warrants; 'per_dim':
    its own plus the others divided among the n_dims dimensions, i.e. joint
    in one dimension and close to split in many, where narrow kernels in
    every dimension at once over-exploit (ackley_11, docs/samplers.md);
    'geometric' (TPE's default): n_own (n_all / n_own)^(1/D), the same two
    ends (joint in one dimension, split in many), but between them the
    geometric mean, which stays closer to split: with D = 10, 8 of 80
    observations count as 10 where 'per_dim' counts 15.2.
    """
    if rule == "split":
        return n_own
    if rule == "joint":
        return n_all
    if rule == "geometric":
        return n_own * (n_all / n_own) ** (1.0 / max(n_dims, 1)) if n_own > 0 else 0.0
    return n_own + (n_all - n_own) / max(n_dims, 1)


def as_grid_dim(dim: NumericalDim | int) -> NumericalDim | GridDim | int:
    """A discrete NumericalDim of at most MAX_GRID values as a GridDim; any other dim unchanged."""
    if isinstance(dim, NumericalDim) and dim.discrete and dim.grid_size() <= MAX_GRID:
        return GridDim(dim)
    return dim


def default_gamma(n: int) -> int:
    """Number of 'good' trials among n: min(ceil(0.1 n), 25) (Optuna's default)."""
    return min(int(math.ceil(0.1 * n)), 25)


def uniform_weights(n: int) -> np.ndarray:
    """Every observation weighs the same (our default; see TPESampler's docstring)."""
    return np.ones(n)


def default_weights(n: int) -> np.ndarray:
    """Optuna's observation weights, oldest first: flat for the last 25, a ramp from 1/n before them."""
    if n == 0:
        return np.empty(0)
    if n < 25:
        return np.ones(n)
    return np.concatenate([np.linspace(1.0 / n, 1.0, num=n - 25), np.ones(25)])
