"""GridSampler and QMCSampler specifics."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import qmc

import hpobench
from hpobench.pruners import NopPruner
from hpobench.samplers import GridSampler, QMCSampler
from hpobench.trial import TrialState


def _grid_study(space, **kwargs):
    return hpobench.create_study(sampler=GridSampler(space, seed=0), pruner=NopPruner(), **kwargs)


def test_grid_visits_every_point_once_then_stops():
    study = _grid_study({"x": [1, 2, 3], "c": ["a", None, True]})
    study.optimize(
        lambda t: t.suggest_int("x", 0, 5) + (t.suggest_categorical("c", ["a", None, True]) == "a"), n_trials=50
    )
    points = [(t.params["x"], t.params["c"]) for t in study.trials]
    assert len(points) == 9 and len(set(points)) == 9


def test_grid_resamples_after_exhaustion_with_ask_tell():
    study = _grid_study({"x": [0.0, 1.0]})
    values = []
    for _ in range(4):
        trial = study.ask()
        values.append(trial.suggest_float("x", 0.0, 1.0))
        study.tell(trial, 0.0)
    assert sorted(values[:2]) == [0.0, 1.0] and set(values[2:]) <= {0.0, 1.0}


def test_grid_rejects_unknown_parameters_and_values_outside_the_distribution():
    study = _grid_study({"x": [0.0, 5.0]})
    with pytest.raises(ValueError, match="'y'"):
        study.optimize(lambda t: t.suggest_float("y", 0, 1), n_trials=1)
    study = _grid_study({"x": [0.0, 5.0]})
    with pytest.raises(ValueError, match="5.0"):
        study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)


@pytest.mark.parametrize("space", [{}, {"x": []}, {"x": "abc"}, {"x": [1, 1]}, {"x": [[1]]}, [("x", [1])]])
def test_grid_bad_search_space(space):
    with pytest.raises(ValueError):
        GridSampler(space)


def test_qmc_trial_k_takes_point_k_of_the_sequence():
    study = hpobench.create_study(sampler=QMCSampler(seed=7), pruner=NopPruner())
    study.optimize(lambda t: t.suggest_float("a", 0, 1) + t.suggest_float("b", 0, 1), n_trials=12)
    assert all(t.state == TrialState.COMPLETE for t in study.trials)
    sampler = study.sampler
    for trial in study.trials[1:]:  # trial 0 ran before the space was known: uniform random
        assert [trial.params["a"], trial.params["b"]] == pytest.approx(sampler._point(2, trial.number).tolist())
    # The points are those of one scrambled Sobol sequence: low discrepancy, better than random.
    pts = np.array([[t.params["a"], t.params["b"]] for t in study.trials[1:]])
    rand = np.random.default_rng(0).uniform(size=pts.shape)
    assert qmc.discrepancy(pts) < qmc.discrepancy(rand)


def test_qmc_bad_type():
    with pytest.raises(ValueError, match="'lattice'"):
        QMCSampler(qmc_type="lattice")
