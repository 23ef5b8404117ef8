"""A scikit-learn partial_fit loop that reports a validation score every epoch and prunes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import is_classifier

from hpobench.direction import StudyDirection
from hpobench.trial import report_and_prune
from hpobench.validation import check_int

Scorer = Callable[[Any, Any, Any], float]


def fit_with_pruning(
    trial: Any,
    estimator: Any,
    X_train: Any,
    y_train: Any,
    X_val: Any,
    y_val: Any,
    *,
    n_epochs: int,
    classes: Any = None,
    scoring: Scorer | None = None,
) -> float:
    """Train estimator with partial_fit for up to n_epochs epochs; report after each; prune when told.

    Args:
        trial: the running hpobench Trial.
        estimator: anything with partial_fit (SGDClassifier, MLPClassifier, ...), trained in place.
        X_train, y_train: one epoch = one partial_fit call on them.
        X_val, y_val: scored after every epoch.
        n_epochs: number of epochs.
        classes: every class label, for classifiers (partial_fit needs them on its first call);
            default: the labels found in y_train and y_val.
        scoring: scoring(estimator, X_val, y_val) -> the value to report, in the study's
            direction. Default: estimator.score (accuracy, R^2) when the study maximizes,
            1 - estimator.score (error rate, 1 - R^2) when it minimizes.

    Returns:
        The last reported value (return it from the objective).

    Raises:
        hpobench.TrialPruned: when the study's pruner stops the trial.
    """
    check_int("n_epochs", n_epochs, minimum=1)
    if not callable(getattr(estimator, "partial_fit", None)):
        raise TypeError(f"estimator must have partial_fit, got {type(estimator).__name__}.")
    scoring = scoring or _default_scoring(trial)
    fit_kwargs = _classes_kwargs(estimator, y_train, y_val, classes)
    value = float("nan")
    for epoch in range(1, n_epochs + 1):
        estimator.partial_fit(X_train, y_train, **fit_kwargs)
        value = float(scoring(estimator, X_val, y_val))
        report_and_prune(trial, value, epoch, "epoch")
    return value


def _default_scoring(trial: Any) -> Scorer:
    if trial.study.direction == StudyDirection.MAXIMIZE:
        return lambda est, x, y: est.score(x, y)
    return lambda est, x, y: 1.0 - est.score(x, y)


def _classes_kwargs(estimator: Any, y_train: Any, y_val: Any, classes: Any) -> dict[str, Any]:
    if not is_classifier(estimator):  # regressors' partial_fit takes no classes argument
        return {}
    if classes is None:
        classes = np.unique(np.concatenate([np.asarray(y_train), np.asarray(y_val)]))
    return {"classes": classes}
