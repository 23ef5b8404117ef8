"""The Parzen estimator core as pure functions on arrays (no Study)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from hpobench.samplers._parzen import (
    GridDim,
    NumericalDim,
    build_mixture,
    build_mixtures,
    categorical_kernels,
    clip_count,
    default_gamma,
    default_weights,
    grid_kernels,
    log_gauss_mass,
    log_truncation_mass,
    sample_truncnorm,
    uniform_weights,
    univariate_sigmas,
    upper_tail,
)


@pytest.mark.parametrize(
    "a, b", [(-1.0, 2.0), (3.0, 4.0), (10.0, 11.0), (-11.0, -10.0), (-40.0, -39.5), (0.0, 0.0 + 1e-3)]
)
def test_log_gauss_mass_matches_scipy_in_both_tails(a, b):
    if a > 0:  # right tail: mirror
        la, lb = stats.norm.logcdf(-b), stats.norm.logcdf(-a)
    else:
        la, lb = stats.norm.logcdf(a), stats.norm.logcdf(b)
    expected = lb + math.log1p(-math.exp(la - lb))
    assert log_gauss_mass(np.array([a]), np.array([b]))[0] == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_upper_tail_and_truncation_mass_are_accurate():
    t = np.linspace(0, 12, 2001)
    assert np.max(np.abs(upper_tail(t) - stats.norm.sf(t))) < 1e-7
    mu, sigma = np.array([0.0, 0.3, 1.0]), np.array([0.2, 1.0, 0.5])
    expected = np.log(stats.norm.cdf((1 - mu) / sigma) - stats.norm.cdf((0 - mu) / sigma))
    assert np.allclose(log_truncation_mass(mu, sigma, 0.0, 1.0), expected, atol=1e-6)


@pytest.mark.parametrize("mu, sigma, low, high", [(0.5, 0.3, 0.0, 1.0), (0.0, 0.1, 0.0, 1.0), (5.0, 1.0, 0.0, 1.0)])
def test_sample_truncnorm_follows_the_truncated_normal(mu, sigma, low, high):
    rng = np.random.default_rng(0)
    x = sample_truncnorm(np.full(4000, mu), np.full(4000, sigma), low, high, rng)
    assert np.all((x >= low) & (x <= high))
    reference = stats.truncnorm((low - mu) / sigma, (high - mu) / sigma, loc=mu, scale=sigma)
    assert stats.kstest(x, reference.cdf).pvalue > 1e-3


def test_univariate_sigmas_are_the_larger_neighbour_gap():
    # sorted [1, 2, 9] inside [0, 10]: 2 -> max(1, 7); the end kernels use the inner gap only
    sigmas = univariate_sigmas(np.array([2.0, 9.0, 1.0]), 0.0, 10.0)
    assert sigmas.tolist() == [7.0, 7.0, 1.0]
    # columns are handled independently, all at once
    obs = np.random.default_rng(0).uniform(0, 10, size=(30, 3))
    both = univariate_sigmas(obs, np.zeros(3), np.full(3, 10.0))
    assert np.array_equal(both, np.column_stack([univariate_sigmas(obs[:, j], 0.0, 10.0) for j in range(3)]))


def _continuous_mixture(dim, obs):
    return build_mixture(obs[:, None], [dim], np.ones(len(obs)), bandwidth="gaps", prior_weight=1.0)


def test_continuous_density_integrates_to_one():
    dim = NumericalDim(-2.0, 3.0)
    mix = _continuous_mixture(dim, np.array([-1.9, 0.0, 0.1, 2.9]))
    grid = np.linspace(-2.0, 3.0, 20001)
    density = np.exp(mix.log_pdf(grid[:, None]))
    assert np.trapezoid(density, grid) == pytest.approx(1.0, abs=1e-4)


def test_multivariate_density_integrates_to_one():
    dims = [NumericalDim(0.0, 1.0), NumericalDim(-1.0, 1.0)]
    obs = np.array([[0.1, 0.9], [0.5, -0.2], [0.95, 0.0]])
    mix = build_mixture(obs, dims, np.ones(3), bandwidth="scott", prior_weight=1.0)
    g0, g1 = np.linspace(0, 1, 401), np.linspace(-1, 1, 801)
    xx, yy = np.meshgrid(g0, g1, indexing="ij")
    density = np.exp(mix.log_pdf(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    assert np.trapezoid(np.trapezoid(density, g1, axis=1), g0) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("kernel", ["grid", "rounded"])
def test_discrete_masses_sum_to_one_and_samples_follow_them(kernel):
    step = NumericalDim(-0.25, 2.25, "step", 0.5, 0.0, 2.0)  # grid 0, 0.5, ..., 2
    log_int = NumericalDim(math.log(0.5), math.log(100.5), "log_int", 1, 1, 100)
    for dim, grid, obs in (
        (step, np.arange(0, 2.01, 0.5), [0.5, 2.0]),
        (log_int, np.log(np.arange(1, 101)), np.log([3.0, 50.0])),
    ):
        mix = build_mixture(
            np.array(obs)[:, None], [dim], np.ones(2), bandwidth="gaps", prior_weight=1.0, discrete_kernel=kernel
        )
        masses = np.exp(mix.log_pdf(grid[:, None]))
        assert masses.sum() == pytest.approx(1.0, abs=1e-6)  # upper_tail is 1e-7 exact
        draws = mix.sample(4000, np.random.default_rng(1))[:, 0]
        index = np.searchsorted(np.round(grid, 9), np.round(draws, 9))
        assert np.array_equal(np.round(grid[index], 9), np.round(draws, 9))  # every draw is a grid value
        assert np.abs(np.bincount(index, minlength=len(grid)) / 4000 - masses).max() < 0.03


def test_grid_kernels_are_normal_weights_on_the_grid_with_their_own_clip():
    dim = GridDim(NumericalDim(-0.5, 7.5, "step", 1.0, 0.0, 7.0))  # integers 0..7, span 8
    obs = np.array([3.0, 3.0, 3.0, 6.0])
    table = grid_kernels(obs, dim)
    assert table.shape == (5, 8) and np.allclose(table.sum(axis=1), 1.0)
    assert np.allclose(table[-1], 1 / 8)  # the prior row
    # the repeated 3s have gap 0: their sigma is the clip of 4 observations, 8 / 6
    weights = np.exp(-0.5 * ((np.arange(8) - 3.0) / (8 / 6)) ** 2)
    assert np.allclose(table[0], weights / weights.sum())
    assert np.array_equal(dim.index_of(np.array([0.0, 3.2, 9.0])), [0, 3, 7])


def test_clip_count_rules():
    assert clip_count("split", 8, 80, 4) == 8
    assert clip_count("joint", 8, 80, 4) == 80
    assert clip_count("per_dim", 8, 80, 4) == 8 + 72 / 4
    assert clip_count("per_dim", 8, 80, 1) == 80  # one dimension: the joint count
    # joint: l's kernels may be narrower than with its own count
    dims = [NumericalDim(0.0, 1.0)]
    below, above = np.array([[0.5], [0.5001]]), np.random.default_rng(0).uniform(size=(40, 1))
    kw = {"bandwidth": "gaps", "prior_weight": 1.0}
    split = build_mixtures([below, above], dims, [np.ones(2), np.ones(40)], min_bandwidth="split", **kw)
    joint = build_mixtures([below, above], dims, [np.ones(2), np.ones(40)], min_bandwidth="joint", **kw)
    assert split.sigma[0, 0] == pytest.approx(1 / 4) and joint.sigma[0, 0] == pytest.approx(1 / 44)


def test_geometric_clip_count_lies_between_split_and_per_dim():
    assert clip_count("geometric", 8, 80, 1) == pytest.approx(80)  # one dimension: joint
    assert clip_count("geometric", 8, 80, 10) == pytest.approx(8 * 10**0.1)  # ~10.07
    assert 8 < clip_count("geometric", 8, 80, 10) < clip_count("per_dim", 8, 80, 10)
    assert clip_count("geometric", 0, 80, 3) == 0.0
    # counts and n_dims override the rows and len(dims): 2 of 42 observations in a 1-d block of a 4-d trial
    dims = [NumericalDim(0.0, 1.0)]
    below, above = np.array([[0.5], [0.5001]]), np.random.default_rng(0).uniform(size=(40, 1))
    kw = {"bandwidth": "gaps", "prior_weight": 1.0, "min_bandwidth": "geometric"}
    mix = build_mixtures([below, above], dims, [np.ones(2), np.ones(40)], n_dims=4, **kw)
    assert mix.sigma[0, 0] == pytest.approx(1 / (2 * 21**0.25 + 2))
    half = build_mixtures([below, above], dims, [np.ones(2), np.ones(40)], counts=[1.0, 41.0], n_dims=1, **kw)
    assert half.sigma[0, 0] == pytest.approx(1 / 44)  # joint in one dimension: the counts' sum, 42


def test_categorical_kernels_and_masses():
    probs = categorical_kernels(np.array([0, 0, 2]), 3, prior_weight=1.0)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert np.allclose(probs[0], np.array([1 + 1 / 4, 1 / 4, 1 / 4]) / (1 + 3 / 4))  # prior_weight / K, K = 4
    assert np.allclose(probs[-1], [1 / 3] * 3)  # the prior row
    mix = build_mixture(np.array([[0.0], [0.0], [2.0]]), [3], np.ones(3), bandwidth="scott", prior_weight=1.0)
    masses = np.exp(mix.log_pdf(np.array([[0.0], [1.0], [2.0]])))
    assert masses.sum() == pytest.approx(1.0)
    assert masses[0] > masses[2] > masses[1]
    draws = mix.sample(3000, np.random.default_rng(0))[:, 0]
    assert np.allclose(np.bincount(draws.astype(int), minlength=3) / 3000, masses, atol=0.03)


def test_samples_follow_the_density():
    dim = NumericalDim(0.0, 10.0)
    mix = _continuous_mixture(dim, np.array([2.0, 2.5, 8.0]))
    draws = mix.sample(20000, np.random.default_rng(2))[:, 0]
    grid = np.linspace(0, 10, 4001)
    density = np.exp(mix.log_pdf(grid[:, None]))
    assert draws.mean() == pytest.approx(np.trapezoid(grid * density, grid), abs=0.05)


def test_segments_evaluate_like_separate_mixtures():
    dims = [NumericalDim(0.0, 1.0), NumericalDim(-0.5, 4.5, "step", 1.0, 0.0, 4.0), 3]
    rng = np.random.default_rng(3)
    below = np.column_stack([rng.uniform(size=4), rng.integers(0, 5, 4), rng.integers(0, 3, 4)]).astype(float)
    above = np.column_stack([rng.uniform(size=9), rng.integers(0, 5, 9), rng.integers(0, 3, 9)]).astype(float)
    kw = {"bandwidth": "gaps", "prior_weight": 1.0}
    both = build_mixtures([below, above], dims, [np.ones(4), np.arange(1.0, 10.0)], **kw)
    l_mix = build_mixture(below, dims, np.ones(4), **kw)
    g_mix = build_mixture(above, dims, np.arange(1.0, 10.0), **kw)
    x = l_mix.sample(50, np.random.default_rng(0))
    assert np.allclose(both.log_pdf(x), np.column_stack([l_mix.log_pdf(x), g_mix.log_pdf(x)]))
    assert np.array_equal(both.sample(50, np.random.default_rng(0), segment=0), x)


def test_gamma_and_weights():
    assert np.array_equal(uniform_weights(7), np.ones(7))
    assert [default_gamma(n) for n in (0, 1, 10, 11, 100, 1000)] == [0, 1, 1, 2, 10, 25]
    assert default_weights(0).shape == (0,)
    assert np.all(default_weights(24) == 1.0)
    w = default_weights(100)
    assert w.shape == (100,) and w[0] == pytest.approx(0.01) and np.all(w[-25:] == 1.0) and np.all(np.diff(w) >= 0)
