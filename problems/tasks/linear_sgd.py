"""linear_sgd: a linear classifier trained by SGD, epoch by epoch, on generated data.

Data: make_classification with a fixed seed (3,000 samples, 60 features, 20
informative, one cluster per class, 5 % label noise; the same data for every problem seed), split
2:1 into train / validation by the problem's seed and standardized on the
training part. One step = one epoch of SGDClassifier.partial_fit.
Value = validation error rate; a diverged run (non-finite weights) scores
chance-level error (0.5) for its remaining epochs.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from hpobench.trial import Trial

from ..base import register
from ._base import LearningCurveTask, error_rate

_DATA_SEED = 12345  # the data set itself never changes; only the split follows the seed
_CHANCE_ERROR = 0.5


@lru_cache(maxsize=8)
def _split(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x, y = make_classification(
        n_samples=3000,
        n_features=60,
        n_informative=20,
        n_redundant=10,
        n_clusters_per_class=1,
        flip_y=0.05,
        class_sep=0.7,
        random_state=_DATA_SEED,
    )
    x_train, x_valid, y_train, y_valid = train_test_split(x, y, test_size=1 / 3, stratify=y, random_state=seed)
    scaler = StandardScaler().fit(x_train)
    return scaler.transform(x_train), scaler.transform(x_valid), y_train, y_valid


@register("linear_sgd")
class LinearSGD(LearningCurveTask):
    """SGDClassifier on a generated binary problem; max_step epochs.

    Args:
        max_step: number of epochs (steps).
        seed: fixes the train/validation split and the shuffling of each epoch.
    """

    name = "linear_sgd"

    def __init__(self, *, max_step: int = 30, seed: int | None = None) -> None:
        super().__init__(max_step=max_step, seed=seed)

    def configure(self, trial: Trial) -> dict[str, Any]:
        config: dict[str, Any] = {
            "loss": trial.suggest_categorical("loss", ["hinge", "log_loss", "modified_huber"]),
            "alpha": trial.suggest_float("alpha", 1e-7, 1e-1, log=True),
            "penalty": trial.suggest_categorical("penalty", ["l2", "l1", "elasticnet"]),
        }
        if config["penalty"] == "elasticnet":
            config["l1_ratio"] = trial.suggest_float("l1_ratio", 0.0, 1.0)
        config["schedule"] = trial.suggest_categorical("schedule", ["optimal", "constant", "invscaling"])
        if config["schedule"] != "optimal":
            config["eta0"] = trial.suggest_float("eta0", 1e-5, 1.0, log=True)
        return config

    def steps(self, config: dict[str, Any], seed: int) -> Iterator[float]:
        x_train, x_valid, y_train, y_valid = _split(seed)
        model = SGDClassifier(
            loss=config["loss"],
            alpha=config["alpha"],
            penalty=config["penalty"],
            l1_ratio=config.get("l1_ratio", 0.15),
            learning_rate=config["schedule"],
            eta0=config.get("eta0", 0.01),  # unused by 'optimal', but sklearn wants eta0 > 0
            shuffle=True,
            random_state=seed,
        )
        classes = np.unique(y_train)
        diverged = False
        for _ in range(self.max_step):
            if not diverged:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    try:
                        model.partial_fit(x_train, y_train, classes=classes)
                        diverged = not np.isfinite(model.coef_).all()
                    except ValueError as error:  # sklearn stops on overflow; anything else is a bug
                        if "overflow" not in str(error):
                            raise
                        diverged = True
            yield _CHANCE_ERROR if diverged else error_rate(y_valid, model.predict(x_valid))
