"""The pure statistics behind the paper, on constructed data with known answers."""

import numpy as np
import pandas as pd
import pytest

from paper.stats import (
    band_over_seeds,
    best_so_far,
    can_be_significant,
    event_grid,
    mann_whitney_outcome,
    quantile_band,
    step_on_grid,
    time_to_target,
    wins_losses,
)


def test_best_so_far_orders_by_time_and_skips_nan():
    times, best = best_so_far([3.0, 1.0, 2.0, 4.0], [0.5, 0.9, np.nan, 0.7])
    assert times.tolist() == [1.0, 3.0, 4.0]
    assert best.tolist() == [0.9, 0.5, 0.5]


def test_step_on_grid_is_right_continuous_and_nan_before_first_event():
    out = step_on_grid(np.array([1.0, 3.0]), np.array([0.9, 0.5]), np.array([0.5, 1.0, 2.0, 3.0, 10.0]))
    assert np.isnan(out[0])
    assert out[1:].tolist() == [0.9, 0.9, 0.5, 0.5]


def test_quantile_band_is_nan_where_a_repeat_has_no_value_yet():
    curves = np.array([[np.nan, 1.0, 0.0], [2.0, 3.0, 4.0], [2.0, 5.0, 8.0]])
    band = quantile_band(curves, (0.0, 0.5, 1.0))
    assert np.isnan(band[:, 0]).all()
    assert band[:, 1].tolist() == [1.0, 3.0, 5.0]
    assert band[:, 2].tolist() == [0.0, 4.0, 8.0]


def test_time_to_target_first_hit_or_nan():
    grid = np.array([1.0, 2.0, 5.0, 9.0])
    assert time_to_target(grid, np.array([0.9, 0.6, 0.4, 0.3]), 0.5) == 5.0
    assert time_to_target(grid, np.array([0.9, 0.6, 0.4, 0.3]), 0.6) == 2.0  # reaching it exactly counts
    assert np.isnan(time_to_target(grid, np.array([0.9, 0.6, 0.4, 0.3]), 0.1))


def test_band_over_seeds_median_of_two_seeds_known_answer():
    frame = pd.DataFrame(
        {
            "seed": [0, 0, 1, 1],
            "t": [1.0, 4.0, 2.0, 3.0],
            "value": [0.8, 0.2, 0.6, 0.4],
        }
    )
    grid = event_grid(frame, "t")
    assert grid.tolist() == [1.0, 2.0, 3.0, 4.0]
    band = band_over_seeds(frame, "t", grid)
    # seed 0: 0.8 0.8 0.8 0.2; seed 1: nan 0.6 0.4 0.4
    assert np.isnan(band[1, 0])
    assert band[1, 1:].tolist() == pytest.approx([0.7, 0.6, 0.3])


def test_mann_whitney_outcome_clear_win_loss_and_tie():
    low, high = np.arange(10) * 0.1, 5 + np.arange(10) * 0.1
    assert mann_whitney_outcome(low, high) == 1
    assert mann_whitney_outcome(high, low) == -1
    assert mann_whitney_outcome(low, low[::-1]) == 0
    assert mann_whitney_outcome(np.zeros(5), np.zeros(5)) == 0  # all at the optimum: a tie, not an error
    # Overlapping samples are not significant.
    assert mann_whitney_outcome([1, 3, 5, 7, 9], [2, 4, 6, 8, 10]) == 0


def test_wins_losses_counts_cases():
    rng = np.random.default_rng(0)
    rows = []
    # case a: A clearly better; case b: A clearly worse; case c: same distribution (identical values).
    for case, shift in (("a", -10.0), ("b", 10.0), ("c", 0.0)):
        base = rng.normal(size=8)
        for seed in range(8):
            rows.append({"case": case, "method": "A", "seed": seed, "value": base[seed] + shift})
            rows.append({"case": case, "method": "B", "seed": seed, "value": base[seed]})
    finals = pd.DataFrame(rows)
    assert wins_losses(finals, "A", "B") == (1, 1, 1)
    assert wins_losses(finals, "B", "A") == (1, 1, 1)
    assert wins_losses(finals[finals.case != "b"], "A", "B") == (1, 0, 1)
    assert wins_losses(finals, "A", "missing") == (0, 0, 0)


def test_log_binned_median_groups_trials_in_log_bins():
    from paper.overhead import log_binned_median

    numbers = np.arange(1, 101)
    seconds = np.where(numbers % 10 == 0, 1.0, 0.01)  # spikes every 10th trial do not move the medians
    centres, medians = log_binned_median(numbers, seconds, n_bins=4)
    assert np.all(np.diff(centres) > 0) and centres[0] >= 1 and centres[-1] <= 101
    assert np.allclose(medians, 0.01)


def test_bootstrap_mean_ci_brackets_the_mean_and_is_reproducible():
    from paper.stats import bootstrap_mean_ci

    values = [0.0, 1.0, 2.0, 3.0, 4.0, float("nan")]
    mean, low, high = bootstrap_mean_ci(values, n_boot=500)
    assert mean == 2.0 and 0.0 <= low < 2.0 < high <= 4.0
    assert bootstrap_mean_ci(values, n_boot=500) == (mean, low, high)
    assert bootstrap_mean_ci([5.0, 5.0]) == (5.0, 5.0, 5.0)


def test_wilcoxon_outcome_sign_and_ties():
    from paper.stats import wilcoxon_outcome

    a = np.arange(10.0)
    assert wilcoxon_outcome(a, a + 1.0)[0] == 1
    assert wilcoxon_outcome(a + 1.0, a)[0] == -1
    assert wilcoxon_outcome(a, a) == (0, 1.0)
    assert wilcoxon_outcome([1.0, 2.0, 3.0], [1.1, 1.9, 3.05])[0] == 0


def test_average_rank_and_curves_on_grid():
    from paper.stats import average_rank, curves_on_grid

    ranks = average_rank(pd.DataFrame({"a": [1.0, 1.0], "b": [2.0, 1.0], "c": [3.0, 0.0]}))
    assert ranks.to_dict() == {"a": 1.75, "b": 2.25, "c": 2.0}
    frame = pd.DataFrame({"s": [0, 0, 1], "t": [1.0, 3.0, 2.0], "v": [0.5, 0.2, 0.9]})
    index, curves = curves_on_grid(frame, ["s"], "t", "v", np.array([0.5, 1.0, 2.5, 3.0]), before=1.0)
    assert index.s.tolist() == [0, 1]
    assert curves.tolist() == [[1.0, 0.5, 0.5, 0.2], [1.0, 1.0, 0.9, 0.9]]


def test_can_be_significant_knows_the_smallest_attainable_p():
    assert not can_be_significant(2, 4)  # 1/15
    assert can_be_significant(3, 4)  # 1/35
    assert not can_be_significant(3, 3)  # 1/20 is not < 0.05
    assert can_be_significant(2, 30)  # 1/496
    assert not can_be_significant(0, 30)
