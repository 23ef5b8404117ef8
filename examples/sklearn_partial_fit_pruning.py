"""Pruning an epoch loop of scikit-learn's partial_fit: a linear SGD classifier on digits.

What it shows: ``pruners.integration.fit_with_pruning`` trains any estimator
that has ``partial_fit`` one epoch at a time, reports the validation error
after each epoch and raises ``hpobench.TrialPruned`` when the pruner (here
ASHA) stops the trial; the study records it as PRUNED with its curve.

How long: 60 trials of up to 40 epochs, 6 s of CPU (15 s wall on a busy machine);
ASHA stopped 51 of the 60 trials early.
``HPOBENCH_EXAMPLES_TINY=1`` runs 4 trials of up to 4 epochs (the CI test).

    .venv/bin/python examples/sklearn_partial_fit_pruning.py
"""

import os

from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import hpobench
from hpobench.pruners import SuccessiveHalvingPruner
from hpobench.pruners.integration import fit_with_pruning

TINY = os.environ.get("HPOBENCH_EXAMPLES_TINY") == "1"
N_TRIALS, N_EPOCHS = (4, 4) if TINY else (60, 40)
X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(StandardScaler().fit_transform(X), y, random_state=0)


def objective(trial: hpobench.Trial) -> float:
    model = SGDClassifier(
        loss=trial.suggest_categorical("loss", ["hinge", "log_loss", "modified_huber"]),
        alpha=trial.suggest_float("alpha", 1e-6, 1e-1, log=True),
        learning_rate="constant",
        eta0=trial.suggest_float("eta0", 1e-4, 1e-1, log=True),
        random_state=0,
    )
    return fit_with_pruning(trial, model, X_train, y_train, X_val, y_val, n_epochs=N_EPOCHS)  # validation error


if __name__ == "__main__":
    study = hpobench.create_study(
        sampler=hpobench.samplers.TPESampler(seed=0), pruner=SuccessiveHalvingPruner(max_resource=N_EPOCHS)
    )
    study.optimize(objective, n_trials=N_TRIALS)
    pruned = sum(t.state == hpobench.TrialState.PRUNED for t in study.trials)
    print(f"best validation error {study.best_value:.4f} with {study.best_params}; {pruned}/{N_TRIALS} pruned")
