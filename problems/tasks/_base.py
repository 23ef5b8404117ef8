"""LearningCurveTask: a real training run that reports a validation error per step.

A task splits into two pure-ish parts so the same code serves the study, the
recorder (scripts/record_curves.py) and the tests:

- configure(trial): the define-by-run search space; returns the config dict.
- steps(config, seed): a generator that trains one step (epoch / boosting
  round) at a time and yields the validation error after each step.

objective(trial) glues them with report / should_prune; record(config, seed)
runs to the end and also measures the seconds each step took, as CPU time of
the training thread (training runs in one thread), so that other processes
on a shared machine do not inflate the recorded costs.

Seeding: the problem's seed fixes the data split and the model's initial
state, so every trial of a study sees the same split (common random numbers:
differences between trials come from the configuration, not from noise).
seed=None draws one seed from the OS at construction.
"""

from __future__ import annotations

import abc
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from hpobench.trial import Trial, report_curve
from hpobench.validation import check_int

from ..base import Problem


class LearningCurveTask(Problem):
    """Base of the real learning-curve tasks (validation error, minimized, in [0, 1])."""

    direction = "minimize"
    max_step: int
    seed: int  # drawn at construction when None is given

    def __init__(self, *, max_step: int, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        self.max_step = check_int("max_step", max_step, minimum=1)
        if seed is None:
            self.seed = int(np.random.default_rng().integers(2**31))  # seeded from the OS

    @abc.abstractmethod
    def configure(self, trial: Trial) -> dict[str, Any]:
        """Suggest the configuration on trial (define-by-run) and return it as a dict."""

    @abc.abstractmethod
    def steps(self, config: dict[str, Any], seed: int) -> Iterator[float]:
        """Train step by step; yield the validation error after each of max_step steps."""

    def objective(self, trial: Trial) -> float:
        config = self.configure(trial)
        # One thread: tiny data sets gain nothing from threads, and workers share the cores.
        with threadpool_limits(limits=1):
            return report_curve(trial, self.steps(config, self.seed))

    def record(self, config: dict[str, Any], seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Train to the end; return (errors, CPU seconds per step), each of length max_step."""
        seed = self.seed if seed is None else seed
        values, times = [], []
        with threadpool_limits(limits=1):
            start = time.thread_time()
            for value in self.steps(config, seed):
                now = time.thread_time()
                values.append(value)
                times.append(now - start)
                start = now
        return np.asarray(values, dtype=float), np.asarray(times, dtype=float)


def error_rate(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Fraction of wrong predictions."""
    return float(np.mean(np.asarray(y_true) != np.asarray(y_pred)))
