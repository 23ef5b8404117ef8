"""Pruning callbacks for training libraries: report each iteration's validation metric, prune when told.

- LightGBMPruningCallback(trial, metric, valid_name="valid_0"): a ``callbacks=[...]`` entry of
  ``lightgbm.train`` / ``lightgbm.cv`` and of the scikit-learn API's ``fit``.
- XGBoostPruningCallback(trial, observation_key="validation_0-logloss"): an
  ``xgboost.callback.TrainingCallback`` for ``xgboost.train`` or ``XGBModel(callbacks=[...])``.
- fit_with_pruning(trial, estimator, X_train, y_train, X_val, y_val, n_epochs=..., classes=...):
  a scikit-learn ``partial_fit`` loop that reports a validation score every epoch.

Each raises hpobench.TrialPruned (the study then records the trial as PRUNED).
The libraries are imported only when the matching name is first used, so
``import pruners`` never needs LightGBM or XGBoost.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "LightGBMPruningCallback": "hpobench.pruners.integration._lightgbm",
    "XGBoostPruningCallback": "hpobench.pruners.integration._xgboost",
    "fit_with_pruning": "hpobench.pruners.integration._sklearn",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'hpobench.pruners.integration' has no attribute {name!r}")


__all__ = list(_WHERE)
