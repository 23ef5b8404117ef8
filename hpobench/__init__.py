"""hpobench: a research suite for hyperparameter optimization.

The public API mirrors Optuna's, so ``import hpobench as optuna`` runs an
Optuna objective unchanged::

    import hpobench

    def objective(trial):
        x = trial.suggest_float("x", -10, 10)
        return (x - 2) ** 2

    study = hpobench.create_study(storage="sqlite:///results/example.db")
    study.optimize(objective, n_trials=50)
    print(study.best_params)

The plugin subpackages ``hpobench.samplers``, ``hpobench.pruners`` and
``hpobench.problems`` are loaded on first access, so ``hpobench.samplers.TPESampler``
works after ``import hpobench`` as in Optuna, while the core itself never
imports them at module level (see docs/architecture.md).
"""

from __future__ import annotations

import importlib
from typing import Any

from hpobench import distributions, exceptions, logging, storages, study, trial
from hpobench.exceptions import DuplicatedStudyError, StudyNotFoundError, TrialPruned
from hpobench.storages import InMemoryStorage, RDBStorage, RetryFailedTrialCallback
from hpobench.study import (
    Study,
    StudyDirection,
    copy_study,
    create_study,
    delete_study,
    get_all_study_names,
    get_all_study_summaries,
    load_study,
)
from hpobench.trial import FrozenTrial, Trial, TrialState, create_trial

__version__ = "0.1.0"

_PLUGINS = ("samplers", "pruners", "problems")


def __getattr__(name: str) -> Any:
    # Optuna spells optuna.samplers.TPESampler: the plugin subpackages load on first access.
    if name in _PLUGINS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'hpobench' has no attribute {name!r}")


__all__ = [
    "DuplicatedStudyError",
    "FrozenTrial",
    "InMemoryStorage",
    "RDBStorage",
    "RetryFailedTrialCallback",
    "Study",
    "StudyDirection",
    "StudyNotFoundError",
    "Trial",
    "TrialPruned",
    "TrialState",
    "copy_study",
    "create_study",
    "create_trial",
    "delete_study",
    "distributions",
    "exceptions",
    "get_all_study_names",
    "get_all_study_summaries",
    "load_study",
    "logging",
    "storages",
    "study",
    "trial",
]
