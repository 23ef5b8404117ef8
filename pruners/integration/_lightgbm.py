"""LightGBM pruning callback (lightgbm.train / lightgbm.cv / LGBMModel.fit callbacks)."""

from __future__ import annotations

from typing import Any

from hpobench.direction import StudyDirection
from hpobench.trial import report_and_prune
from hpobench.validation import check_int


class LightGBMPruningCallback:
    """Report `metric` on `valid_name` after every report_interval-th boosting round; prune when told.

    Args:
        trial: the running hpobench Trial.
        metric: an evaluation metric LightGBM computes, e.g. 'binary_logloss' or 'auc'.
        valid_name: the validation set's name ('valid_0' is LightGBM's default; 'valid' for lgb.cv).
        report_interval: report every this many rounds.

    Raises:
        ValueError: at the first report, if the metric is not computed on valid_name, or if its
            direction (LightGBM's is_higher_better) disagrees with the study's direction.
    """

    def __init__(self, trial: Any, metric: str, valid_name: str = "valid_0", report_interval: int = 1) -> None:
        check_int("report_interval", report_interval, minimum=1)
        self._trial = trial
        self._metric = metric
        self._valid_name = valid_name
        self._report_interval = report_interval

    def __call__(self, env: Any) -> None:
        if (env.iteration + 1) % self._report_interval != 0:
            return
        for entry in env.evaluation_result_list or []:
            data_name, metric, value, higher_is_better = entry[:4]
            if data_name == self._valid_name and metric.split(" ")[-1] == self._metric:
                self._check_direction(higher_is_better)
                report_and_prune(self._trial, value, env.iteration, "boosting round")
                return
        found = [f"{e[0]}:{e[1]}" for e in env.evaluation_result_list or []]
        raise ValueError(
            f"metric {self._metric!r} on {self._valid_name!r} is not evaluated; LightGBM computes {found}."
        )

    def _check_direction(self, higher_is_better: bool) -> None:
        maximize = self._trial.study.direction == StudyDirection.MAXIMIZE
        if higher_is_better != maximize:
            raise ValueError(
                f"metric {self._metric!r} is {'maximized' if higher_is_better else 'minimized'} by LightGBM "
                f"but the study direction is {self._trial.study.direction.name}."
            )
