"""A user's Hydra app for the sweeper tests: a learning curve that reports every epoch.

The error after each epoch decays towards a floor set by x (best at x = 0.3);
the job reports it and stops when the pruner says so. Writes one line per
epoch (trial, epoch, process id) to the file named by cfg.log, so tests can
count the work done and where it ran.
"""

import os
import time

import hydra
from omegaconf import DictConfig

import hpobench
from hpobench.sweeper import current_trial


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def main(cfg: DictConfig) -> float:
    if cfg.fail_above is not None and cfg.x > cfg.fail_above:
        raise RuntimeError(f"x={cfg.x} is too large")
    trial = current_trial()
    # define-by-run inside the job: a parameter the sweep config does not declare
    depth = trial.suggest_int("depth", 1, 3) if trial is not None and cfg.suggest_in_job else 1
    error = 1.0
    for epoch in range(cfg.epochs):
        error = (cfg.x - 0.3) ** 2 + 1.0 / (epoch + 1) + 0.01 * cfg.width + 0.001 * depth
        time.sleep(cfg.sleep)
        if cfg.log:
            with open(cfg.log, "a") as log:
                log.write(f"{trial.number if trial else -1} {epoch} {os.getpid()}\n")
        if trial is not None:
            trial.report(error, epoch)
            if trial.should_prune():
                raise hpobench.TrialPruned()
    return error


if __name__ == "__main__":
    main()
