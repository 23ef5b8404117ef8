"""hgb_breast_cancer: histogram gradient boosting on breast cancer, round by round.

Data: scikit-learn's bundled Wisconsin breast cancer set (569 samples, 30
features), split 2:1 into train / validation by the seed (stratified).
Model: LightGBM's histogram gradient boosting (the "tasks" extra), driven
one round per step through Booster.update(); the validation error comes from
LightGBM's own binary_error metric (threshold 0.5), so a step costs one
round, not a refit. (scikit-learn's HistGradientBoostingClassifier with
warm_start refits the bins every round and was ten times slower.)
Parameter names follow scikit-learn's: max_leaf_nodes = num_leaves,
min_samples_leaf = min_data_in_leaf, l2_regularization = lambda_l2,
max_features = feature_fraction_bynode.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

from hpobench.trial import Trial

from ..base import register
from ._base import LearningCurveTask


@lru_cache(maxsize=8)
def _split(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x, y = load_breast_cancer(return_X_y=True)
    return tuple(train_test_split(x, y, test_size=1 / 3, stratify=y, random_state=seed))


@register("hgb_breast_cancer")
class HGBBreastCancer(LearningCurveTask):
    """Gradient boosting on breast cancer; max_step boosting rounds.

    Args:
        max_step: number of boosting rounds (steps).
        seed: fixes the train/validation split and the booster's random state.
    """

    name = "hgb_breast_cancer"

    def __init__(self, *, max_step: int = 50, seed: int | None = None) -> None:
        super().__init__(max_step=max_step, seed=seed)

    def configure(self, trial: Trial) -> dict[str, Any]:
        config: dict[str, Any] = {
            "learning_rate": trial.suggest_float("learning_rate", 1e-3, 1.0, log=True),
            "max_leaf_nodes": trial.suggest_int("max_leaf_nodes", 2, 64, log=True),
            "min_samples_leaf": trial.suggest_int("min_samples_leaf", 1, 64, log=True),
            "l2_regularization": trial.suggest_float("l2_regularization", 1e-6, 10.0, log=True),
            "max_features": trial.suggest_float("max_features", 0.1, 1.0),
            "limit_depth": trial.suggest_categorical("limit_depth", [False, True]),
        }
        if config["limit_depth"]:
            config["max_depth"] = trial.suggest_int("max_depth", 1, 8)
        return config

    def steps(self, config: dict[str, Any], seed: int) -> Iterator[float]:
        try:
            import lightgbm as lgb
        except ImportError as error:  # optional dependency: pip install hpobench[tasks]
            raise ImportError("hgb_breast_cancer needs lightgbm: pip install 'hpobench[tasks]'.") from error
        x_train, x_valid, y_train, y_valid = _split(seed)
        train = lgb.Dataset(x_train, y_train, params={"verbosity": -1})
        booster = lgb.Booster(params=_lgb_params(config, seed), train_set=train)
        booster.add_valid(lgb.Dataset(x_valid, y_valid, reference=train), "valid")
        for _ in range(self.max_step):
            booster.update()
            yield float(booster.eval_valid()[0][2])


def _lgb_params(config: dict[str, Any], seed: int) -> dict[str, Any]:
    return {
        "objective": "binary",
        "metric": "binary_error",
        "learning_rate": config["learning_rate"],
        "num_leaves": config["max_leaf_nodes"],
        "min_data_in_leaf": config["min_samples_leaf"],
        "lambda_l2": config["l2_regularization"],
        "feature_fraction_bynode": config["max_features"],
        "max_depth": config["max_depth"] if config["limit_depth"] else -1,
        "num_threads": 1,  # tiny data; workers share the cores
        "deterministic": True,
        "force_row_wise": True,
        "seed": seed,
        "verbosity": -1,
    }
