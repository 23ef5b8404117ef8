"""hgb_breast_cancer: histogram gradient boosting on breast cancer, round by round.

Data: scikit-learn's bundled Wisconsin breast cancer set (569 samples, 30
features), split 2:1 into train / validation by the seed (stratified).
One step = one more boosting round: HistGradientBoostingClassifier with
warm_start, max_iter raised by one per step, early stopping off.
Value = validation error rate.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import train_test_split

from hpobench.trial import Trial
from problems.base import register
from problems.tasks._base import LearningCurveTask, error_rate


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
        super().__init__(seed=seed)
        if isinstance(max_step, bool) or not isinstance(max_step, int) or max_step < 1:
            raise ValueError(f"max_step must be a positive int, got {max_step!r}.")
        self.max_step = max_step

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
        x_train, x_valid, y_train, y_valid = _split(seed)
        model = HistGradientBoostingClassifier(
            learning_rate=config["learning_rate"],
            max_leaf_nodes=config["max_leaf_nodes"],
            min_samples_leaf=config["min_samples_leaf"],
            l2_regularization=config["l2_regularization"],
            max_features=config["max_features"],
            max_depth=config.get("max_depth") if config["limit_depth"] else None,
            max_iter=1,
            early_stopping=False,
            warm_start=True,
            random_state=seed,
        )
        for rounds in range(1, self.max_step + 1):
            model.set_params(max_iter=rounds)
            model.fit(x_train, y_train)
            yield error_rate(y_valid, model.predict(x_valid))
