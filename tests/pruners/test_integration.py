"""Pruning callbacks stop real training runs (LightGBM, XGBoost, scikit-learn partial_fit) on small data."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest
import xgboost as xgb
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import SGDClassifier, SGDRegressor
from sklearn.model_selection import train_test_split

import hpobench
from hpobench.pruners import NopPruner, ThresholdPruner
from hpobench.pruners.integration import LightGBMPruningCallback, XGBoostPruningCallback, fit_with_pruning
from hpobench.samplers import RandomSampler
from hpobench.trial import TrialState


@pytest.fixture(scope="module")
def cancer():
    x, y = load_breast_cancer(return_X_y=True)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    return train_test_split(x, y, test_size=0.3, random_state=0, stratify=y)


def _study(pruner, direction="minimize"):
    return hpobench.create_study(direction=direction, sampler=RandomSampler(seed=0), pruner=pruner)


# A log-loss of 0.2 is reached after several rounds at a small learning rate, so a
# threshold pruner with upper=0.2 and 3 warm-up rounds stops the run at round 3.
PRUNE_AT_ROUND_3 = ThresholdPruner(upper=0.2, n_warmup_steps=3)


def test_lightgbm_callback_prunes_a_real_training_run(cancer):
    x_train, x_valid, y_train, y_valid = cancer
    study = _study(PRUNE_AT_ROUND_3)

    def objective(trial):
        params = {"objective": "binary", "metric": "binary_logloss", "learning_rate": 0.05, "verbosity": -1}
        train, valid = lgb.Dataset(x_train, y_train), lgb.Dataset(x_valid, y_valid)
        booster = lgb.train(
            params,
            train,
            num_boost_round=50,
            valid_sets=[valid],
            callbacks=[LightGBMPruningCallback(trial, "binary_logloss")],
        )
        return float(booster.best_score["valid_0"]["binary_logloss"])

    study.optimize(objective, n_trials=1)
    trial = study.trials[0]
    assert trial.state == TrialState.PRUNED
    assert sorted(trial.intermediate_values) == [0, 1, 2, 3]
    assert all(v > 0.2 for v in trial.intermediate_values.values())  # the real log-losses of the first rounds


def test_lightgbm_callback_completes_without_pruner_and_checks_direction(cancer):
    x_train, x_valid, y_train, y_valid = cancer
    params = {"objective": "binary", "metric": "auc", "verbosity": -1}
    study = _study(NopPruner(), direction="maximize")
    trial = study.ask()
    lgb.train(
        params,
        lgb.Dataset(x_train, y_train),
        num_boost_round=5,
        valid_sets=[lgb.Dataset(x_valid, y_valid)],
        callbacks=[LightGBMPruningCallback(trial, "auc")],
    )
    assert sorted(trial._snapshot().intermediate_values) == [0, 1, 2, 3, 4]
    minimizing = _study(NopPruner()).ask()
    with pytest.raises(ValueError, match="'auc' is maximized"):
        lgb.train(
            params,
            lgb.Dataset(x_train, y_train),
            num_boost_round=2,
            valid_sets=[lgb.Dataset(x_valid, y_valid)],
            callbacks=[LightGBMPruningCallback(minimizing, "auc")],
        )
    with pytest.raises(ValueError, match="'error'"):
        lgb.train(
            params,
            lgb.Dataset(x_train, y_train),
            num_boost_round=2,
            valid_sets=[lgb.Dataset(x_valid, y_valid)],
            callbacks=[LightGBMPruningCallback(trial, "error")],
        )


def test_xgboost_callback_prunes_a_real_training_run(cancer):
    x_train, x_valid, y_train, y_valid = cancer
    study = _study(PRUNE_AT_ROUND_3)

    def objective(trial):
        model = xgb.XGBClassifier(
            n_estimators=50,
            learning_rate=0.05,
            eval_metric="logloss",
            n_jobs=1,
            callbacks=[XGBoostPruningCallback(trial, "validation_0-logloss")],
        )
        model.fit(x_train, y_train, eval_set=[(x_valid, y_valid)], verbose=False)
        return float(model.evals_result()["validation_0"]["logloss"][-1])

    study.optimize(objective, n_trials=1)
    trial = study.trials[0]
    assert trial.state == TrialState.PRUNED
    assert sorted(trial.intermediate_values) == [0, 1, 2, 3]


def test_xgboost_callback_names_a_missing_key(cancer):
    x_train, x_valid, y_train, y_valid = cancer
    trial = _study(NopPruner()).ask()
    dtrain, dvalid = xgb.DMatrix(x_train, y_train), xgb.DMatrix(x_valid, y_valid)
    with pytest.raises(ValueError, match="'valid-auc'.*valid-logloss"):
        xgb.train(
            {"objective": "binary:logistic", "eval_metric": "logloss", "nthread": 1},
            dtrain,
            3,
            evals=[(dvalid, "valid")],
            callbacks=[XGBoostPruningCallback(trial, "valid-auc")],
            verbose_eval=False,
        )


def test_partial_fit_helper_prunes_and_completes(cancer):
    x_train, x_valid, y_train, y_valid = cancer
    # Minimizing: the helper reports the validation error rate; no model is ever below 0.
    pruned = _study(ThresholdPruner(upper=0.0, n_warmup_steps=2))
    pruned.optimize(
        lambda t: fit_with_pruning(t, SGDClassifier(random_state=0), x_train, y_train, x_valid, y_valid, n_epochs=10),
        n_trials=1,
    )
    assert (pruned.trials[0].state, pruned.trials[0].last_step) == (TrialState.PRUNED, 2)

    done = _study(NopPruner(), direction="maximize")
    done.optimize(
        lambda t: fit_with_pruning(
            t, SGDClassifier(random_state=0), x_train, y_train, x_valid, y_valid, n_epochs=5, classes=np.array([0, 1])
        ),
        n_trials=1,
    )
    trial = done.trials[0]
    assert trial.state == TrialState.COMPLETE and sorted(trial.intermediate_values) == [1, 2, 3, 4, 5]
    assert 0.9 < trial.value <= 1.0  # validation accuracy of a linear model on breast cancer


def test_partial_fit_helper_regressor_and_bad_input():
    x, y = load_diabetes(return_X_y=True)
    study = _study(NopPruner(), direction="maximize")
    trial = study.ask()
    r2 = fit_with_pruning(trial, SGDRegressor(random_state=0), x[:300], y[:300], x[300:], y[300:], n_epochs=3)
    assert np.isfinite(r2) and sorted(trial._snapshot().intermediate_values) == [1, 2, 3]
    with pytest.raises(ValueError, match="n_epochs"):
        fit_with_pruning(trial, SGDRegressor(), x, y, x, y, n_epochs=0)
    with pytest.raises(TypeError, match="partial_fit"):
        fit_with_pruning(trial, object(), x, y, x, y, n_epochs=1)
