"""Parzen estimators of truncated kernels: the numerical core of TPE, on plain arrays.

A mixture has K components (one per observation, plus a prior component) with
weights ``w`` (K,). Each component is a product of one-dimensional kernels:

- numerical dimensions live in an *internal* space (log of the value for
  log-scaled parameters) and use a normal kernel truncated to ``[low, high]``;
- discrete numerical dimensions (int, or float with step) integrate that kernel
  over the bin ``[lo_edge, hi_edge]`` of each grid value: the probability of a
  grid value is the kernel's mass on its bin, and a sample is a continuous draw
  rounded to its bin;
- categorical dimensions use a table ``probs`` (K, n_choices): each observation
  puts mass 1 on its choice plus ``prior_weight / n_choices`` on every choice.

Everything here is a pure function of numpy arrays (no Study, no trials) so it
can be tested on its own; samplers/tpe.py is the glue.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy.special import log_ndtr, logsumexp, ndtri_exp

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

    def bin_edges(self, internal: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Internal-space edges of the bins holding the given (grid) internal values."""
        if self.kind == "step":
            return internal - 0.5 * self.step, internal + 0.5 * self.step
        value = np.rint(np.exp(internal))  # log_int: bins [k - 0.5, k + 0.5] mapped to log space
        return np.log(np.maximum(value - 0.5, _EPS)), np.log(value + 0.5)

    def snap(self, internal: np.ndarray) -> np.ndarray:
        """Round continuous internal draws to the internal value of their grid point."""
        if self.kind == "step":
            k = np.rint((internal - self.grid_low) / self.step)
            return np.clip(self.grid_low + k * self.step, self.grid_low, self.grid_high)
        if self.kind == "log_int":
            return np.log(np.clip(np.rint(np.exp(internal)), self.grid_low, self.grid_high))
        return np.clip(internal, self.low, self.high)


def log_gauss_mass(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """log(Phi(b) - Phi(a)) for a <= b elementwise, accurate in both tails."""
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    out = np.empty(a.shape)
    left = b <= 0  # both in the left tail: log Phi(b) + log(1 - Phi(a)/Phi(b))
    right = a >= 0  # both in the right tail: mirror to the left tail
    middle = ~(left | right)
    la, lb = log_ndtr(a[left]), log_ndtr(b[left])
    out[left] = lb + np.log1p(-np.exp(np.minimum(la - lb, 0.0)) + 0.0)
    ra, rb = log_ndtr(-b[right]), log_ndtr(-a[right])
    out[right] = rb + np.log1p(-np.exp(np.minimum(ra - rb, 0.0)) + 0.0)
    out[middle] = np.log1p(-np.exp(log_ndtr(a[middle])) - np.exp(log_ndtr(-b[middle])))
    return out


def sample_truncnorm(
    mu: np.ndarray, sigma: np.ndarray, low: float, high: float, rng: np.random.Generator
) -> np.ndarray:
    """One draw per (mu, sigma) from N(mu, sigma) truncated to [low, high], by inverse CDF in log space."""
    a, b = (low - mu) / sigma, (high - mu) / sigma
    flip = a > 0  # sample in the left tail, where log_ndtr is accurate, then mirror back
    a2, b2 = np.where(flip, -b, a), np.where(flip, -a, b)
    log_u = np.log(rng.uniform(size=np.shape(mu)) + 1e-300)
    log_p = np.logaddexp(log_ndtr(a2), log_u + log_gauss_mass(a2, b2))
    z = ndtri_exp(np.minimum(log_p, 0.0))
    z = np.where(flip, -z, z)
    return np.clip(mu + sigma * z, low, high)


def numerical_log_pdf(x: np.ndarray, mu: np.ndarray, sigma: np.ndarray, dim: NumericalDim) -> np.ndarray:
    """log density (continuous) or log mass (discrete) of points x (n,) under kernels (K,): shape (n, K)."""
    log_norm = log_gauss_mass((dim.low - mu) / sigma, (dim.high - mu) / sigma)  # (K,)
    if dim.discrete:
        lo, hi = dim.bin_edges(x)
        mass = log_gauss_mass((lo[:, None] - mu) / sigma, (hi[:, None] - mu) / sigma)
        return mass - log_norm
    z = (x[:, None] - mu) / sigma
    return -0.5 * z * z - _LOG_SQRT_2PI - np.log(sigma) - log_norm


def univariate_sigmas(mus: np.ndarray, low: float, high: float) -> np.ndarray:
    """Bandwidths of Bergstra et al. (2011): the larger gap to a sorted neighbour (prior mean included).

    Returns one sigma per observation (the prior's is set by the caller).
    """
    with_prior = np.append(mus, 0.5 * (low + high))
    order = np.argsort(with_prior, kind="stable")
    padded = np.concatenate([[low], with_prior[order], [high]])
    gaps = np.maximum(padded[1:-1] - padded[:-2], padded[2:] - padded[1:-1])
    if len(padded) >= 4:  # endpoints are not observations: use the inner gap only
        gaps[0] = padded[2] - padded[1]
        gaps[-1] = padded[-2] - padded[-3]
    sigmas = np.empty_like(gaps)
    sigmas[order] = gaps
    return sigmas[:-1]


def multivariate_sigma(n_obs: int, n_dims: int, low: float, high: float) -> float:
    """Scott-like bandwidth of the multivariate TPE (Falkner et al. 2018; Optuna's choice)."""
    return 0.2 * max(n_obs, 1) ** (-1.0 / (n_dims + 4)) * (high - low)


def numerical_kernels(
    obs: np.ndarray, dim: NumericalDim, *, multivariate: bool, n_dims: int, prior_weight: float
) -> tuple[np.ndarray, np.ndarray]:
    """Means and bandwidths (K = n_obs + 1, the last one the prior) for one numerical dimension."""
    span = dim.high - dim.low
    n = len(obs)
    if multivariate:
        sigmas = np.full(n, multivariate_sigma(n, n_dims, dim.low, dim.high))
    else:
        sigmas = univariate_sigmas(obs, dim.low, dim.high)
    # "Magic clip": no kernel narrower than span / min(100, K + 1), none wider than the span.
    n_kernels = n + (prior_weight > 0)
    sigmas = np.clip(sigmas, span / min(100.0, 1.0 + n_kernels), span)
    mus = np.append(obs, 0.5 * (dim.low + dim.high))
    return mus, np.append(sigmas, span)


def categorical_kernels(obs: np.ndarray, n_choices: int, prior_weight: float) -> np.ndarray:
    """Kernel tables (K = n_obs + 1, n_choices); the last row is the uniform prior."""
    n = len(obs)
    probs = np.full((n + 1, n_choices), prior_weight / n_choices)
    probs[np.arange(n), obs.astype(int)] += 1.0
    probs[n] = 1.0 / n_choices
    return probs / probs.sum(axis=1, keepdims=True)


@dataclasses.dataclass
class Mixture:
    """A Parzen estimator: component weights plus per-dimension kernel parameters.

    ``dims`` holds, per dimension, either a NumericalDim or an int (number of
    categorical choices); ``params`` holds (mus, sigmas) or a probs table.
    """

    log_weights: np.ndarray
    dims: list
    params: list

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """n points (n, D) in internal space (category indices for categorical dims)."""
        comp = rng.choice(len(self.log_weights), size=n, p=np.exp(self.log_weights))
        out = np.empty((n, len(self.dims)))
        for d, (dim, par) in enumerate(zip(self.dims, self.params)):
            if isinstance(dim, NumericalDim):
                mus, sigmas = par
                draw = sample_truncnorm(mus[comp], sigmas[comp], dim.low, dim.high, rng)
                out[:, d] = dim.snap(draw)
            else:
                cdf = np.cumsum(par[comp], axis=1)
                u = rng.uniform(size=(n, 1)) * cdf[:, -1:]
                out[:, d] = np.minimum((u > cdf).sum(axis=1), dim - 1)
        return out

    def log_pdf(self, x: np.ndarray) -> np.ndarray:
        """log density of points x (n, D) in internal space: shape (n,)."""
        total = np.tile(self.log_weights, (len(x), 1))
        for d, (dim, par) in enumerate(zip(self.dims, self.params)):
            if isinstance(dim, NumericalDim):
                total += numerical_log_pdf(x[:, d], par[0], par[1], dim)
            else:
                total += np.log(par[:, x[:, d].astype(int)].T)
        return logsumexp(total, axis=1)


def build_mixture(
    obs: np.ndarray,
    dims: list,
    weights: np.ndarray,
    *,
    multivariate: bool,
    prior_weight: float,
) -> Mixture:
    """The Parzen estimator of observations obs (n, D) with per-observation weights (n,).

    The prior component (uniform-ish: centre of the range, bandwidth the span;
    uniform over choices) gets weight prior_weight before normalisation.
    """
    w = np.append(np.asarray(weights, float), prior_weight)
    log_w = np.log(np.maximum(w, 0.0) / w.sum() + 1e-300)
    params = []
    for d, dim in enumerate(dims):
        if isinstance(dim, NumericalDim):
            params.append(
                numerical_kernels(obs[:, d], dim, multivariate=multivariate, n_dims=len(dims), prior_weight=prior_weight)
            )
        else:
            params.append(categorical_kernels(obs[:, d], dim, prior_weight))
    return Mixture(log_w, list(dims), params)


def default_gamma(n: int) -> int:
    """Number of 'good' trials among n: min(ceil(0.1 n), 25) (Optuna's default)."""
    return min(int(math.ceil(0.1 * n)), 25)


def default_weights(n: int) -> np.ndarray:
    """Observation weights, oldest first: flat for the last 25, a ramp from 1/n before them."""
    if n == 0:
        return np.empty(0)
    if n < 25:
        return np.ones(n)
    return np.concatenate([np.linspace(1.0 / n, 1.0, num=n - 25), np.ones(25)])


def select_best(log_l: np.ndarray, log_g: np.ndarray) -> int:
    """Index of the candidate maximising the acquisition log l(x) - log g(x) (expected improvement)."""
    return int(np.argmax(log_l - log_g))
