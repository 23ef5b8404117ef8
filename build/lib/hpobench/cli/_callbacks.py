"""Hydra callback: create the MLflow store before a sweep's jobs start.

A fresh SQLite MLflow database migrates its schema on first open; parallel
jobs (hydra/launcher=joblib) must not race on that. on_multirun_start runs
once in the launching process, before any job. Experiments are then created
by the jobs with a race-tolerant get-or-create (hpobench.tracking._store).
"""

from __future__ import annotations

from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig


class PrepareTracking(Callback):
    """Opens (and if needed creates) the sweep's MLflow store once, before the jobs."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        tracking = config.get("tracking")
        if tracking is None or not tracking.get("enabled"):
            return
        from hpobench.tracking import ensure_store

        ensure_store(str(tracking.uri))
