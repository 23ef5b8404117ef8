"""mlp_digits: a multi-layer perceptron on scikit-learn's digits, trained epoch by epoch.

Data: the 1,797 8x8 digit images bundled with scikit-learn (no download),
scaled to [0, 1], split 2:1 into train / validation by the seed (stratified).
One step = one epoch of MLPClassifier.partial_fit (one shuffled pass in
mini-batches). Value = validation error rate. A diverged run (non-finite
weights) scores chance-level error for its remaining epochs.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

from hpobench.trial import Trial

from ..base import register
from ._base import LearningCurveTask, error_rate

_CHANCE_ERROR = 0.9  # ten balanced classes


@lru_cache(maxsize=8)
def _split(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x, y = load_digits(return_X_y=True)
    return tuple(train_test_split(x / 16.0, y, test_size=1 / 3, stratify=y, random_state=seed))


@register("mlp_digits")
class MLPDigits(LearningCurveTask):
    """MLP on digits; max_step epochs; log-scaled and conditional parameters.

    Args:
        max_step: number of epochs (steps).
        seed: fixes the train/validation split and the network's initialisation.
    """

    name = "mlp_digits"

    def __init__(self, *, max_step: int = 30, seed: int | None = None) -> None:
        super().__init__(max_step=max_step, seed=seed)

    def configure(self, trial: Trial) -> dict[str, Any]:
        config: dict[str, Any] = {
            "learning_rate_init": trial.suggest_float("learning_rate_init", 1e-4, 1e-1, log=True),
            "alpha": trial.suggest_float("alpha", 1e-6, 1e-1, log=True),
            "n_layers": trial.suggest_int("n_layers", 1, 3),
        }
        for i in range(config["n_layers"]):
            config[f"n_units_l{i}"] = trial.suggest_int(f"n_units_l{i}", 8, 128, log=True)
        config["batch_size"] = trial.suggest_categorical("batch_size", [16, 32, 64, 128])
        config["activation"] = trial.suggest_categorical("activation", ["relu", "tanh", "logistic"])
        config["optimizer"] = trial.suggest_categorical("optimizer", ["adam", "sgd"])
        if config["optimizer"] == "sgd":
            config["momentum"] = trial.suggest_float("momentum", 0.0, 0.99)
        return config

    def steps(self, config: dict[str, Any], seed: int) -> Iterator[float]:
        x_train, x_valid, y_train, y_valid = _split(seed)
        model = _model(config, seed)
        classes = np.unique(y_train)
        diverged = False
        for _ in range(self.max_step):
            if not diverged:
                diverged = not _fit_epoch(model, x_train, y_train, classes)
            yield _CHANCE_ERROR if diverged else error_rate(y_valid, model.predict(x_valid))


def _model(config: dict[str, Any], seed: int) -> MLPClassifier:
    sgd = config["optimizer"] == "sgd"
    return MLPClassifier(
        hidden_layer_sizes=tuple(config[f"n_units_l{i}"] for i in range(config["n_layers"])),
        activation=config["activation"],
        solver=config["optimizer"],
        alpha=config["alpha"],
        batch_size=config["batch_size"],
        learning_rate_init=config["learning_rate_init"],
        momentum=config.get("momentum", 0.9) if sgd else 0.9,
        nesterovs_momentum=sgd,
        shuffle=True,
        random_state=seed,
    )


def _fit_epoch(model: MLPClassifier, x: np.ndarray, y: np.ndarray, classes: np.ndarray) -> bool:
    """One epoch; False when training diverged (non-finite loss or weights)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            model.partial_fit(x, y, classes=classes)
        except ValueError as error:  # sklearn refuses non-finite weights; anything else is a bug
            if "non-finite" not in str(error):
                raise
            return False
    return bool(np.isfinite(model.loss_)) and all(np.isfinite(w).all() for w in model.coefs_)
