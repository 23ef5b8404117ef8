"""Pure statistics behind the paper's figures and tables (numpy / pandas only).

Everything here works on plain arrays or long-form DataFrames and is tested on
constructed data with known answers (tests/paper/test_stats.py). Values are
errors to minimize: callers negate maximized objectives before they get here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import mannwhitneyu, wilcoxon


def best_so_far(times: Sequence[float], values: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Running minimum of values ordered by time; NaN values (pruned, failed) are skipped.

    Returns:
        (times, best) sorted by time, one entry per finite value.
    """
    times = np.asarray(times, dtype=float)
    values = np.asarray(values, dtype=float)
    keep = np.isfinite(values) & np.isfinite(times)
    order = np.argsort(times[keep], kind="stable")
    return times[keep][order], np.minimum.accumulate(values[keep][order])


def step_on_grid(times: np.ndarray, best: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """The step function best(t) (right-continuous) at each grid point; NaN before the first event."""
    index = np.searchsorted(times, grid, side="right") - 1
    out = np.full(len(grid), np.nan)
    seen = index >= 0
    out[seen] = best[index[seen]]
    return out


def quantile_band(curves: np.ndarray, quantiles: Sequence[float] = (0.25, 0.5, 0.75)) -> np.ndarray:
    """Per-column quantiles over repeats (rows), shape (len(quantiles), n_grid).

    A column where some repeat has no value yet (NaN) has no quantile (NaN):
    the median of "nothing found yet" is not defined.
    """
    curves = np.asarray(curves, dtype=float)
    out = np.full((len(quantiles), curves.shape[1]), np.nan)
    complete = ~np.isnan(curves).any(axis=0)
    if complete.any():
        out[:, complete] = np.quantile(curves[:, complete], quantiles, axis=0)
    return out


def time_to_target(grid: np.ndarray, curve: np.ndarray, target: float) -> float:
    """First grid point where curve <= target (NaN if never reached)."""
    hit = np.flatnonzero(np.asarray(curve) <= target)
    return float(grid[hit[0]]) if len(hit) else float("nan")


def band_over_seeds(
    frame: pd.DataFrame, x: str, grid: np.ndarray, *, value: str = "value", seed: str = "seed"
) -> np.ndarray:
    """Quartile band (q25, median, q75) of best-so-far curves of one method over seeds.

    Args:
        frame: one row per trial of one method (all seeds), with columns x, value, seed.
        x: the column that orders trials ("sim_end" for time, "number" for trial count).
        grid: the x values at which to evaluate each seed's best-so-far curve.
    """
    curves = [step_on_grid(*best_so_far(g[x], g[value]), grid) for _, g in frame.groupby(seed)]
    return quantile_band(np.vstack(curves))


def event_grid(frame: pd.DataFrame, x: str, *, value: str = "value") -> np.ndarray:
    """Sorted unique x values of the finite results: the exact grid for step functions."""
    finite = frame[np.isfinite(frame[value].astype(float))]
    return np.unique(finite[x].astype(float).to_numpy())


def can_be_significant(n: int, m: int, alpha: float = 0.05) -> bool:
    """Whether a one-sided Mann-Whitney U test of n against m values can reach p < alpha at all.

    Its smallest p-value, with every value of one sample below every value of the other, is
    1 / C(n + m, n): 2 seeds against 4 can never be significant at 0.05 (1/15), 3 against 4 can (1/35).
    """
    return n > 0 and m > 0 and 1.0 / math.comb(n + m, n) < alpha


def mann_whitney_outcome(a: Sequence[float], b: Sequence[float], *, alpha: float = 0.05) -> int:
    """+1 if a is significantly smaller than b (one-sided Mann-Whitney U), -1 if larger, 0 otherwise.

    Identical samples (e.g. both always at the optimum) are a tie, not an error.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if np.array_equal(np.sort(a), np.sort(b)) or np.ptp(np.concatenate([a, b])) == 0:
        return 0
    if mannwhitneyu(a, b, alternative="less").pvalue < alpha:
        return 1
    if mannwhitneyu(a, b, alternative="greater").pvalue < alpha:
        return -1
    return 0


def wins_losses(
    finals: pd.DataFrame, a: str, b: str, *, alpha: float = 0.05, case: str = "case", method: str = "method"
) -> tuple[int, int, int]:
    """Count the cases where method a significantly beats / loses to / ties with method b.

    Args:
        finals: one row per (case, method, seed) with the final best value in column "value".
    """
    wins = losses = ties = 0
    for _, group in finals.groupby(case):
        sa = group.loc[group[method] == a, "value"].to_numpy()
        sb = group.loc[group[method] == b, "value"].to_numpy()
        if len(sa) == 0 or len(sb) == 0:
            continue
        outcome = mann_whitney_outcome(sa, sb, alpha=alpha)
        wins += outcome == 1
        losses += outcome == -1
        ties += outcome == 0
    return int(wins), int(losses), int(ties)


def bootstrap_mean_ci(
    values: Sequence[float], *, level: float = 0.95, n_boot: int = 2000, seed: int = 0
) -> tuple[float, float, float]:
    """(mean, low, high): the mean of values and its percentile bootstrap interval (NaN values dropped).

    Resamples the values (e.g. one per task) with replacement; the seed makes
    the interval reproducible, so a regenerated table does not flicker.
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return float("nan"), float("nan"), float("nan")
    draws = np.random.default_rng(seed).choice(values, size=(n_boot, len(values)), replace=True).mean(axis=1)
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(draws, [tail, 1.0 - tail])
    return float(values.mean()), float(low), float(high)


def wilcoxon_outcome(a: Sequence[float], b: Sequence[float], *, alpha: float = 0.05) -> tuple[int, float]:
    """Paired Wilcoxon signed-rank test of a against b (e.g. one value per task).

    Returns:
        (outcome, p): outcome +1 if a is significantly smaller (one-sided), -1 if
        larger, 0 otherwise; p the two-sided p-value (1.0 when all pairs are equal).
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    keep = np.isfinite(a) & np.isfinite(b)
    diff = a[keep] - b[keep]
    if len(diff) == 0 or np.all(diff == 0):
        return 0, 1.0
    p_two = float(wilcoxon(diff).pvalue)
    if wilcoxon(diff, alternative="less").pvalue < alpha:
        return 1, p_two
    if wilcoxon(diff, alternative="greater").pvalue < alpha:
        return -1, p_two
    return 0, p_two


def average_rank(values: pd.DataFrame) -> pd.Series:
    """Mean rank (1 = smallest value) of each column over the rows; ties share their mean rank."""
    return values.rank(axis=1, method="average").mean(axis=0)


def curves_on_grid(
    frame: pd.DataFrame, keys: list[str], x: str, value: str, grid: np.ndarray, *, before: float = np.nan
) -> tuple[pd.DataFrame, np.ndarray]:
    """Best-so-far curve of each study (one group of keys) evaluated on grid.

    Returns:
        (index, curves): a frame of the keys' values, one row per study, and an
        array (n_studies, len(grid)); `before` fills grid points before a study's first value.
    """
    index, rows = [], []
    for key, group in frame.groupby(keys, sort=False):
        curve = step_on_grid(*best_so_far(group[x], group[value]), grid)
        rows.append(np.where(np.isnan(curve), before, curve))
        index.append(key if isinstance(key, tuple) else (key,))
    return pd.DataFrame(index, columns=keys), np.vstack(rows) if rows else np.empty((0, len(grid)))
