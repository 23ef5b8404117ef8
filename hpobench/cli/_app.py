"""python -m hpobench: compose the config, build everything with instantiate, run, summarize.

Data flow (docs/harness.md): Hydra composes conf/config.yaml and the chosen
groups; ``hydra.utils.instantiate`` builds the sampler, pruner, problem and
runner from their ``_target_`` (no if/elif over names); the study is created
or loaded in the storage under a deterministic name (same command = resume);
the MLflow parent run is found or created before the runner starts; the
runner fills the study up to n_trials finished trials while a background
thread mirrors finished trials into MLflow; a summary ends the run.
"""

from __future__ import annotations

import inspect
import logging
import sys
import time
from contextlib import nullcontext
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.errors import InstantiationException
from hydra.types import RunMode
from hydra.utils import get_object, instantiate
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

import hpobench
from hpobench.cli._config import PROJECT_ROOT, Settings, UsageError, check_settings, derive_study_name
from hpobench.cli._progress import TrialBar
from hpobench.cli._summary import Summary, summarize
from hpobench.exceptions import StorageError

_logger = logging.getLogger("hpobench.cli")
CONF_DIR = str(PROJECT_ROOT / "conf")


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="config")
def _hydra_main(cfg: DictConfig) -> dict[str, Any]:
    return run_study(cfg)


def main() -> None:
    """Console entry point; Hydra reads the overrides from sys.argv."""
    _hydra_main()


def run_study(cfg: DictConfig) -> dict[str, Any]:
    """Run (or resume) the study that cfg describes; print and return its summary.

    A bad value in cfg prints one line ``hpobench: error: ...`` and exits with status 2.
    """
    try:
        summary = _execute(cfg, *_build(cfg))
    except UsageError as error:
        print(f"hpobench: error: {error}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    print(summary, flush=True)
    return summary.as_dict()


# --- building ------------------------------------------------------------------------
def _build(cfg: DictConfig) -> tuple:
    settings = check_settings(cfg)
    sampler = _instantiate(cfg, "sampler", settings.seed)
    pruner = _instantiate(cfg, "pruner", settings.seed)
    problem = _instantiate(cfg, "problem", settings.seed)
    runner = _instantiate_runner(cfg)
    choices = _choices()
    name = derive_study_name(cfg, choices, problem.name, settings)
    try:
        study = hpobench.create_study(
            storage=settings.storage, sampler=sampler, pruner=pruner, study_name=name,
            direction=problem.direction, load_if_exists=True,
        )
    except (StorageError, ValueError) as error:
        raise UsageError(f"storage={settings.storage!r}: {error}") from None
    return settings, study, problem, runner, choices


def _instantiate(cfg: DictConfig, group: str, seed: int) -> Any:
    """instantiate(cfg[group]); the run's seed is passed unless the group sets its own."""
    node = cfg.get(group)
    if node is None or "_target_" not in node:
        raise UsageError(f"{group} needs a config with a _target_; choose one with {group}=<name>.")
    extra = {"seed": seed} if "seed" not in node and _takes_seed(node._target_) else {}
    try:
        return instantiate(node, **extra)
    except InstantiationException as error:
        cause = error.__cause__ or error
        raise UsageError(f"{group}: {cause}") from None
    except OmegaConfBaseException as error:
        raise UsageError(f"{group}: {error}".splitlines()[0]) from None


def _takes_seed(target: str) -> bool:
    """Whether the callable named target accepts a seed keyword (or **kwargs)."""
    try:
        params = inspect.signature(get_object(target)).parameters.values()
    except (ImportError, ValueError, TypeError, AttributeError):
        return False  # instantiate() will report an unknown target itself
    return any(p.name == "seed" or p.kind == p.VAR_KEYWORD for p in params)


def _instantiate_runner(cfg: DictConfig) -> Any:
    node = cfg.get("runner")
    if node is None:
        raise UsageError("runner needs a config; choose one with runner=<name>.")
    try:
        return instantiate(node)
    except InstantiationException as error:
        raise UsageError(f"runner: {error.__cause__ or error}") from None


def _choices() -> dict[str, str]:
    if not HydraConfig.initialized():
        return {}
    return {k: str(v) for k, v in HydraConfig.get().runtime.choices.items() if not k.startswith("hydra")}


def _is_multirun() -> bool:
    return HydraConfig.initialized() and HydraConfig.get().mode == RunMode.MULTIRUN


# --- running -------------------------------------------------------------------------
def _execute(cfg: DictConfig, settings: Settings, study: Any, problem: Any, runner: Any, choices: dict) -> Summary:
    tracker = _start_tracker(cfg, settings, study, problem, runner, choices)
    # The tracker reads through its own Study object (own DB connection), never the runner's.
    reader = study if settings.storage is None else hpobench.load_study(
        study_name=study.study_name, storage=settings.storage, sampler=study.sampler, pruner=study.pruner
    )
    bar = TrialBar(study, settings.n_trials, enabled=bool(cfg.get("progress_bar", True)) and not _is_multirun())
    interval = float(cfg.tracking.get("sync_interval", 5.0)) if tracker else 0.0
    sync = nullcontext() if tracker is None else _background_sync(tracker, reader, interval)
    start = time.perf_counter()
    interrupted = False
    try:
        with sync:
            runner.run(study, problem, n_trials=settings.n_trials, timeout=settings.timeout, callbacks=[bar])
    except KeyboardInterrupt:
        interrupted = True
    except (ValueError, TypeError) as error:  # runners reject bad input this way, before any trial
        if tracker is not None:
            tracker.client.set_terminated(tracker.run_id, status="FAILED")
        raise UsageError(f"runner: {error}") from None
    finally:
        bar.close()
    wall = time.perf_counter() - start
    if tracker is not None:
        tracker.finish(reader, wall_time=wall, status="KILLED" if interrupted else "FINISHED")
    where = {"interrupted": interrupted}
    if tracker is not None:
        where.update(tracking_uri=tracker.uri, experiment=tracker.experiment, run_id=tracker.run_id)
    summary = summarize(reader, n_trials=settings.n_trials, wall_time=wall, storage=settings.storage, **where)
    if interrupted:
        print(summary, flush=True)
        raise SystemExit(130)
    return summary


def _background_sync(tracker: Any, study: Any, interval: float) -> Any:
    from hpobench.tracking import BackgroundSync

    return BackgroundSync(tracker, study, interval=interval)


def _start_tracker(cfg, settings, study, problem, runner, choices) -> Any:
    tracking = cfg.get("tracking")
    if tracking is None or not tracking.get("enabled"):
        return None
    from hpobench.tracking import StudyTracker

    tags = {
        "sampler": choices.get("sampler", type(study.sampler).__name__),
        "pruner": choices.get("pruner", type(study.pruner).__name__),
        "problem": problem.name,
        "runner": choices.get("runner", type(runner).__name__),
        "seed": settings.seed,
        "n_workers": settings.n_workers,
        "storage": settings.storage or "memory",
    }
    tracker = StudyTracker(
        uri=str(tracking.uri), experiment=problem.name, study_name=study.study_name, tags=tags,
        log_trials=bool(tracking.get("log_trials", True)), artifacts=bool(tracking.get("artifacts", True)),
    )
    tracker.start()
    return tracker
