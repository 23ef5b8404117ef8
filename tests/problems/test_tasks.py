"""Real learning-curve tasks: real training under the study API (report / should_prune)."""

from __future__ import annotations

import numpy as np
import pytest

import hpobench
from hpobench.problems import get_problem
from hpobench.problems.tasks import HGBBreastCancer, LinearSGD, MLPDigits
from hpobench.pruners.base import BasePruner
from hpobench.pruners.nop import NopPruner
from hpobench.samplers.random import RandomSampler
from hpobench.trial import TrialState

# Short trainings keep the suite fast; the defaults are exercised by the recorder.
SHORT = {"mlp_digits": 6, "hgb_breast_cancer": 8, "linear_sgd": 6}

# A reasonable configuration per task: it should learn.
GOOD = {
    "mlp_digits": {
        "learning_rate_init": 3e-3,
        "alpha": 1e-4,
        "n_layers": 1,
        "n_units_l0": 32,
        "batch_size": 32,
        "activation": "relu",
        "optimizer": "adam",
    },
    "hgb_breast_cancer": {
        "learning_rate": 0.1,
        "max_leaf_nodes": 8,
        "min_samples_leaf": 10,
        "l2_regularization": 1e-3,
        "max_features": 0.8,
        "limit_depth": False,
    },
    "linear_sgd": {
        "loss": "log_loss",
        "alpha": 1e-3,
        "penalty": "l2",
        "schedule": "constant",
        "eta0": 1e-4,
    },
}
CHANCE = {"mlp_digits": 0.9, "hgb_breast_cancer": 0.37, "linear_sgd": 0.5}


class PruneAtStep2(BasePruner):
    def prune(self, study, trial):
        return trial.last_step is not None and trial.last_step >= 2


@pytest.mark.parametrize("name", sorted(SHORT))
def test_task_prunes_at_step_2_under_the_study_api(name):
    problem = get_problem(name, max_step=SHORT[name], seed=0)
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=PruneAtStep2())
    study.optimize(problem.objective, n_trials=2)
    for trial in study.get_trials(deepcopy=False):
        assert trial.state == TrialState.PRUNED
        assert sorted(trial.intermediate_values) == [1, 2]
        assert all(0.0 <= v <= 1.0 for v in trial.intermediate_values.values())


@pytest.mark.parametrize("name", sorted(SHORT))
def test_task_completes_with_a_curve_of_max_step_errors(name):
    problem = get_problem(name, max_step=SHORT[name], seed=0)
    study = hpobench.create_study(sampler=RandomSampler(seed=1), pruner=NopPruner())
    study.optimize(problem.objective, n_trials=1)
    trial = study.trials[0]
    assert trial.state == TrialState.COMPLETE
    assert sorted(trial.intermediate_values) == list(range(1, SHORT[name] + 1))
    assert trial.value == trial.intermediate_values[SHORT[name]]
    assert set(trial.params) <= set(trial.distributions)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_configuration_improves_with_steps_and_beats_chance(name):
    problem = get_problem(name, seed=0)
    values, seconds = problem.record(GOOD[name])
    assert values.shape == seconds.shape == (problem.max_step,)
    assert values[-1] < values[0]
    assert values[-1] < 0.5 * CHANCE[name]
    assert np.all(seconds > 0)


@pytest.mark.parametrize("name", sorted(GOOD))
def test_same_seed_and_params_give_the_same_curve(name):
    first, _ = get_problem(name, max_step=SHORT[name], seed=3).record(GOOD[name])
    again, _ = get_problem(name, max_step=SHORT[name], seed=3).record(GOOD[name])
    other, _ = get_problem(name, max_step=SHORT[name], seed=4).record(GOOD[name])
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)  # another seed = another split


def test_conditional_parameters_appear_only_when_active():
    problem = MLPDigits(max_step=1, seed=0)
    study = hpobench.create_study(sampler=RandomSampler(seed=2), pruner=NopPruner())
    study.optimize(problem.objective, n_trials=12)
    for trial in study.trials:
        layers = trial.params["n_layers"]
        assert {f"n_units_l{i}" for i in range(layers)} <= set(trial.params)
        assert f"n_units_l{layers}" not in trial.params
        assert ("momentum" in trial.params) == (trial.params["optimizer"] == "sgd")


@pytest.mark.parametrize("cls", [MLPDigits, HGBBreastCancer, LinearSGD])
@pytest.mark.parametrize("bad, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError)])
def test_bad_max_step_is_rejected_naming_the_value(cls, bad, error):
    with pytest.raises(error, match=repr(bad)):
        cls(max_step=bad, seed=0)


def test_registered_names():
    assert {"mlp_digits", "hgb_breast_cancer", "linear_sgd"} <= set(hpobench.problems.list_problems())
