"""Parameter importances: impurity importances of a random forest fitted to (params -> value).

This is the fANOVA idea's cheap cousin: a forest of regression trees predicts
the objective from the parameters of the complete trials, and each parameter's
importance is its share of the forest's total impurity decrease (scikit-learn's
``feature_importances_``). Log-scaled parameters are encoded as log10,
categoricals by their choice index; a parameter missing from a trial
(conditional spaces) is encoded as -1 below its range so trees can split on
"absent".
"""

from __future__ import annotations

import math

import numpy as np

from hpobench.distributions import CategoricalDistribution
from hpobench.trial import FrozenTrial, TrialState


def forest_importances(x: np.ndarray, y: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """Normalized impurity importances (sum 1) of the columns of x for predicting y."""
    from sklearn.ensemble import RandomForestRegressor

    forest = RandomForestRegressor(n_estimators=64, min_samples_leaf=2, random_state=seed)
    forest.fit(x, y)
    importances = forest.feature_importances_
    total = importances.sum()
    return importances / total if total > 0 else importances


def encode(trials: list[FrozenTrial]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(parameter names, design matrix, values) of the complete trials with finite values."""
    scored = [t for t in trials if t.state == TrialState.COMPLETE and t.value is not None and math.isfinite(t.value)]
    names = sorted({name for t in scored for name in t.params})
    x = np.empty((len(scored), len(names)))
    for row, trial in enumerate(scored):
        for col, name in enumerate(names):
            x[row, col] = _encode_one(trial, name)
    for col in range(x.shape[1]):
        present = x[~np.isnan(x[:, col]), col]
        x[np.isnan(x[:, col]), col] = (present.min() - 1.0) if present.size else -1.0
    return names, x, np.array([t.value for t in scored], dtype=float)


def _encode_one(trial: FrozenTrial, name: str) -> float:
    if name not in trial.params:
        return math.nan
    dist = trial.distributions[name]
    value = trial.params[name]
    if isinstance(dist, CategoricalDistribution):
        return float(dist.choices.index(value))
    if getattr(dist, "log", False) and value > 0:
        return math.log10(value)
    return float(value)


def param_importances(trials: list[FrozenTrial], *, seed: int = 0) -> dict[str, float]:
    """Importance of each parameter, largest first; empty with fewer than 4 complete trials."""
    names, x, y = encode(trials)
    if len(y) < 4 or not names:
        return {}
    scores = forest_importances(x, y, seed=seed)
    return dict(sorted(zip(names, map(float, scores), strict=False), key=lambda item: -item[1]))
