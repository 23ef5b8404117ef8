"""Pruning XGBoost boosting rounds: a gradient-boosted classifier on breast cancer data.

What it shows: ``pruners.integration.XGBoostPruningCallback`` reports the
validation log-loss after every boosting round of ``xgboost.train`` and stops
unpromising trials (median rule after 5 complete trials); a pruned trial keeps
its curve and its last value in the study.

How long: 50 trials of up to 200 rounds, 7 s of CPU (20 s wall on a busy machine);
23 of the 50 trials pruned.
``HPOBENCH_EXAMPLES_TINY=1`` runs 3 trials of 5 rounds (the CI test).
Needs the ``tasks`` extra (``pip install 'hpobench[tasks]'``).

    .venv/bin/python examples/xgboost_pruning.py
"""

import os

try:
    import xgboost as xgb
except ImportError:
    raise SystemExit("examples/xgboost_pruning.py needs xgboost: pip install 'hpobench[tasks]'") from None
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

import hpobench
from hpobench.pruners import MedianPruner
from hpobench.pruners.integration import XGBoostPruningCallback

TINY = os.environ.get("HPOBENCH_EXAMPLES_TINY") == "1"
N_TRIALS, N_ROUNDS = (3, 5) if TINY else (50, 200)
X, y = load_breast_cancer(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, random_state=0)
TRAIN, VALID = xgb.DMatrix(X_train, label=y_train), xgb.DMatrix(X_val, label=y_val)


def objective(trial: hpobench.Trial) -> float:
    params = {
        "objective": "binary:logistic",
        "eval_metric": "logloss",
        "nthread": 1,
        "eta": trial.suggest_float("eta", 1e-3, 0.5, log=True),
        "max_depth": trial.suggest_int("max_depth", 1, 9),
        "lambda": trial.suggest_float("lambda", 1e-8, 1.0, log=True),
        "subsample": trial.suggest_float("subsample", 0.4, 1.0),
    }
    booster = xgb.train(
        params,
        TRAIN,
        num_boost_round=N_ROUNDS,
        evals=[(VALID, "validation")],
        callbacks=[XGBoostPruningCallback(trial, "validation-logloss")],
        verbose_eval=False,
    )
    return float(booster.eval(VALID).split(":")[1])  # the last round's validation log-loss


if __name__ == "__main__":
    study = hpobench.create_study(
        sampler=hpobench.samplers.TPESampler(seed=0), pruner=MedianPruner(n_startup_trials=5, n_warmup_steps=10)
    )
    study.optimize(objective, n_trials=N_TRIALS)
    pruned = sum(t.state == hpobench.TrialState.PRUNED for t in study.trials)
    print(f"best validation log-loss {study.best_value:.4f} with {study.best_params}; {pruned}/{N_TRIALS} pruned")
