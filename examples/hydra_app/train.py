"""A Hydra application tuned by hydra/sweeper=hpobench, with pruning: an MLP on digits.

What it shows: an ordinary ``@hydra.main`` training script. Run alone, it
trains once with the values of conf/config.yaml; run with ``-m``, the
sweeper (chosen in conf/config.yaml) draws the parameters of
``hydra.sweeper.params`` with TPE, launches one job per trial, and ASHA stops
the jobs whose validation error lags: the job gets its trial from
``hpobench.sweeper.current_trial()``, reports after every epoch, and raises
``hpobench.TrialPruned``. Trials go to ``hpobench.db`` and MLflow to
``mlflow.db`` in the directory you start from; the same command again
resumes the same study.

    cd examples/hydra_app
    ../../.venv/bin/python train.py                      # one training run
    ../../.venv/bin/python train.py -m                   # the sweep: 30 trials, 19 s of CPU
    ../../.venv/bin/python train.py -m hydra/launcher=joblib hydra.launcher.n_jobs=2   # jobs in 2 processes
    ../../.venv/bin/python train.py -m hydra/sweeper/sampler=random 'hidden=choice(16, 32)'

The CI test runs 2 trials of 2 epochs (``hydra.sweeper.n_trials=2 epochs=2``).
"""

import warnings

import hydra
from omegaconf import DictConfig
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

import hpobench
from hpobench.sweeper import current_trial


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def train(cfg: DictConfig) -> float:
    X, y = load_digits(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X / 16.0, y, random_state=cfg.seed)
    model = MLPClassifier(
        hidden_layer_sizes=(cfg.hidden,),
        learning_rate_init=cfg.lr,
        alpha=cfg.alpha,
        batch_size=cfg.batch_size,
        random_state=cfg.seed,
    )
    trial = current_trial()  # None in a plain run
    error = 1.0
    for epoch in range(cfg.epochs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.partial_fit(X_train, y_train, classes=list(range(10)))
        error = 1.0 - model.score(X_val, y_val)
        if trial is not None:
            trial.report(error, epoch)
            if trial.should_prune():
                raise hpobench.TrialPruned()
    print(f"validation error {error:.4f}")
    return error


if __name__ == "__main__":
    train()
