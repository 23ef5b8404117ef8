"""XGBoost pruning callback (an xgboost.callback.TrainingCallback)."""

from __future__ import annotations

from typing import Any

import xgboost

from hpobench.trial import report_and_prune


class XGBoostPruningCallback(xgboost.callback.TrainingCallback):
    """Report the metric named observation_key after every boosting round; prune when told.

    Args:
        trial: the running hpobench Trial.
        observation_key: '<evaluation set name>-<metric>', e.g. 'validation_0-logloss' for the
            scikit-learn API's first eval_set, or 'valid-auc' for xgboost.train(evals=[(d, 'valid')]).

    Raises:
        ValueError: after the first round, if no evaluation set / metric matches observation_key.
    """

    def __init__(self, trial: Any, observation_key: str) -> None:
        super().__init__()
        self._trial = trial
        self._observation_key = observation_key

    def after_iteration(self, model: Any, epoch: int, evals_log: dict) -> bool:
        for data_name, metrics in evals_log.items():
            for metric, history in metrics.items():
                if f"{data_name}-{metric}" == self._observation_key:
                    latest = history[-1]
                    value = latest[0] if isinstance(latest, tuple) else latest  # xgboost.cv logs (mean, std)
                    report_and_prune(self._trial, value, epoch, "boosting round")
                    return False  # False: keep training
        found = [f"{d}-{m}" for d, metrics in evals_log.items() for m in metrics]
        raise ValueError(f"observation_key {self._observation_key!r} is not evaluated; XGBoost logs {found}.")
