"""Define-by-run with a conditional space: SVC or random forest on digits, 3-fold cross-validated.

What it shows: the classifier is itself a parameter, and each branch suggests
only its own parameters (C and gamma for the SVC, depth and trees for the
forest), exactly as an Optuna objective would; ``import hpobench as optuna``
would leave the code unchanged.

How long: 20 trials, 8 s of CPU (30 s wall on a busy shared 2-core machine).
``HPOBENCH_EXAMPLES_TINY=1`` runs 3 small trials in a few seconds (the CI test).

    .venv/bin/python examples/sklearn_simple.py
"""

import os

from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score
from sklearn.svm import SVC

import hpobench

TINY = os.environ.get("HPOBENCH_EXAMPLES_TINY") == "1"
N_TRIALS = 3 if TINY else 20
X, y = load_digits(return_X_y=True)


def objective(trial: hpobench.Trial) -> float:
    classifier = trial.suggest_categorical("classifier", ["SVC", "RandomForest"])
    if classifier == "SVC":
        model = SVC(
            C=trial.suggest_float("svc_c", 1e-3, 1e3, log=True),
            gamma=trial.suggest_float("svc_gamma", 1e-5, 1e-1, log=True),
        )
    else:
        model = RandomForestClassifier(
            max_depth=trial.suggest_int("rf_max_depth", 2, 32, log=True),
            n_estimators=trial.suggest_int("rf_n_estimators", 5, 10 if TINY else 50),
            random_state=0,
        )
    return cross_val_score(model, X, y, cv=3).mean()


if __name__ == "__main__":
    study = hpobench.create_study(direction="maximize", sampler=hpobench.samplers.TPESampler(seed=0))
    study.optimize(objective, n_trials=N_TRIALS)
    print(f"best accuracy {study.best_value:.4f} with {study.best_params}")
