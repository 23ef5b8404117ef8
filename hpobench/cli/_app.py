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
import os
import sys
import time
import warnings
from contextlib import nullcontext
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.errors import InstantiationException
from hydra.types import RunMode
from hydra.utils import get_object, instantiate
from omegaconf import DictConfig
from omegaconf.errors import OmegaConfBaseException

import hpobench
from hpobench import paths
from hpobench.cli._config import Settings, UsageError, check_settings, derive_study_name
from hpobench.cli._interrupt import CtrlC
from hpobench.cli._progress import TrialBar
from hpobench.cli._summary import Summary, summarize
from hpobench.exceptions import StorageError
from hpobench.storages import masked
from hpobench.study import pair_pruner

CONF_DIR = str(paths.CONF_DIR)  # shipped in the package (in a checkout: a link to the repository's conf/)
_QUIET_MODULES = (r"mlflow(\.|$)", r"sklearn(\.|$)", r"sqlalchemy(\.|$)", r"alembic(\.|$)", r"distributed(\.|$)")
GROUPS = ("sampler", "pruner", "problem", "runner")


@hydra.main(version_base="1.3", config_path=CONF_DIR, config_name="config")
def _hydra_main(cfg: DictConfig) -> dict[str, Any]:
    return run_study(cfg)


def main() -> None:
    """Console entry point; Hydra reads the overrides from sys.argv.

    The console shows the progress bar and errors only: MLflow's INFO lines
    ("Creating initial MLflow database tables...") are off unless MLFLOW_LOGGING_LEVEL
    says otherwise (the variable also reaches worker processes), and third-party
    warnings are off unless -W or PYTHONWARNINGS asks for them.
    """
    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
    if not sys.warnoptions:
        for module in _QUIET_MODULES:
            warnings.filterwarnings("ignore", module=module)
    _hydra_main()


def run_study(cfg: DictConfig) -> dict[str, Any]:
    """Run (or resume) the study that cfg describes; print and return its summary.

    A bad value in cfg, or a storage that fails during the run (deleted, full, server gone),
    prints one line ``hpobench: error: ...`` (passwords masked) and exits with status 2.
    """
    try:
        summary = _execute(cfg, *_build(cfg))
    except (UsageError, StorageError) as error:
        print(f"hpobench: error: {error}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    print(summary, flush=True)
    return summary.as_dict()


# --- building ------------------------------------------------------------------------
def _build(cfg: DictConfig) -> tuple:
    settings = check_settings(cfg)
    sampler, pruner, problem, runner = (_instantiate(cfg, group, settings.seed) for group in GROUPS)
    choices = _choices()
    try:  # a sampler that prunes (smac_hyperband, synetune_*) with another pruner: say which group is wrong
        pair_pruner(sampler, pruner)
    except ValueError as error:
        raise UsageError(f"pruner={choices.get('pruner', type(pruner).__name__)}: {error}") from None
    name = derive_study_name(cfg, choices, problem.name, settings)
    try:
        study = hpobench.create_study(
            storage=settings.storage,
            sampler=sampler,
            pruner=pruner,
            study_name=name,
            direction=problem.direction,
            load_if_exists=True,
        )
    except (StorageError, ValueError) as error:
        raise UsageError(f"storage={masked(settings.storage)!r}: {error}") from None
    return settings, study, problem, runner, choices


def _instantiate(cfg: DictConfig, group: str, seed: int) -> Any:
    """instantiate(cfg[group]); the run's seed goes to a target that takes one, unless the group sets it."""
    node = cfg.get(group)
    if node is None or "_target_" not in node:
        raise UsageError(f"{group} needs a config with a _target_; choose one with {group}=<name>.")
    extra = {"seed": seed} if "seed" not in node and _takes_seed(node._target_) else {}
    try:
        return instantiate(node, **extra)
    except InstantiationException as error:
        raise UsageError(f"{group}: {_one_line(error.__cause__ or error)}") from None
    except OmegaConfBaseException as error:
        raise UsageError(f"{group}: {_one_line(error)}") from None


def _one_line(error: BaseException) -> str:
    """error's message on one line (Hydra's and MLflow's messages span several)."""
    return " ".join(line.strip() for line in str(error).splitlines() if line.strip()) or type(error).__name__


def _takes_seed(target: str) -> bool:
    """Whether the callable named target accepts a seed keyword (or **kwargs)."""
    try:
        params = inspect.signature(get_object(target)).parameters.values()
    except (ImportError, ValueError, TypeError, AttributeError):
        return False  # instantiate() will report an unknown target itself
    return any(p.name == "seed" or p.kind == p.VAR_KEYWORD for p in params)


def _choices() -> dict[str, str]:
    if not HydraConfig.initialized():
        return {}
    return {k: str(v) for k, v in HydraConfig.get().runtime.choices.items() if not k.startswith("hydra")}


def _is_multirun() -> bool:
    return HydraConfig.initialized() and HydraConfig.get().mode == RunMode.MULTIRUN


# --- running -------------------------------------------------------------------------
def _execute(cfg: DictConfig, settings: Settings, study: Any, problem: Any, runner: Any, choices: dict) -> Summary:
    tracker = _start_tracker(cfg, settings, study, problem, runner, choices)
    # Tracking reads through its own Study object (own DB connection), never the runner's.
    reader = (
        study
        if settings.storage is None
        else hpobench.load_study(
            study_name=study.study_name, storage=settings.storage, sampler=study.sampler, pruner=study.pruner
        )
    )
    start = time.perf_counter()
    interrupted = _run(cfg, settings, study, problem, runner, tracker, reader)
    wall = time.perf_counter() - start
    where: dict[str, Any] = {"interrupted": interrupted}
    if tracker is not None:
        _finish_tracker(tracker, reader, wall, interrupted)
        where.update(tracking_uri=tracker.uri, experiment=tracker.experiment, run_id=tracker.run_id)
    summary = summarize(reader, n_trials=settings.n_trials, wall_time=wall, storage=masked(settings.storage), **where)
    if interrupted:
        print(summary, flush=True)
        raise SystemExit(130)
    return summary


def _run(cfg: DictConfig, settings: Settings, study: Any, problem: Any, runner: Any, tracker: Any, reader: Any) -> bool:
    """Run the runner with the progress bar and background MLflow sync; True if interrupted (Ctrl-C)."""
    bar = TrialBar(study, settings.n_trials, enabled=bool(cfg.get("progress_bar", True)) and not _is_multirun())
    sync = nullcontext() if tracker is None else _background_sync(tracker, reader, float(cfg.tracking.sync_interval))
    try:
        with CtrlC() as ctrl_c, sync:
            runner.run(study, problem, n_trials=settings.n_trials, timeout=settings.timeout, callbacks=[bar, ctrl_c])
    except BaseException as error:
        if _caused_by_ctrl_c(error):
            return True
        if tracker is not None:
            tracker.client.set_terminated(tracker.run_id, status="FAILED")
        if isinstance(error, StorageError):  # one line naming the storage (run_study prints it)
            raise
        if isinstance(error, (ValueError, TypeError)):  # runners reject bad input this way, before any trial
            raise UsageError(f"runner: {error}") from None
        raise
    finally:
        bar.close(reader)
    return False


def _caused_by_ctrl_c(error: BaseException | None) -> bool:
    """KeyboardInterrupt, or an error raised while cleaning up after one (e.g. a DB write it cut short)."""
    while error is not None:
        if isinstance(error, KeyboardInterrupt):
            return True
        error = error.__context__
    return False


def _finish_tracker(tracker: Any, reader: Any, wall: float, interrupted: bool) -> None:
    """Last sync, figures, parent run closed; a failure here never hides the study's summary."""
    try:
        tracker.finish(reader, wall_time=wall, status="KILLED" if interrupted else "FINISHED")
    except Exception as error:  # noqa: BLE001  (the trials are safe in the storage; the next run logs them)
        print(
            f"hpobench: warning: MLflow logging did not finish ({_one_line(error)}); "
            "running the same command again logs what is missing.",
            file=sys.stderr,
            flush=True,
        )


def _background_sync(tracker: Any, study: Any, interval: float) -> Any:
    from hpobench.tracking import BackgroundSync

    return BackgroundSync(tracker, study, interval=interval)


def _start_tracker(cfg, settings, study, problem, runner, choices) -> Any:
    tracking = cfg.get("tracking")
    if tracking is None or not tracking.get("enabled"):
        return None
    from mlflow.exceptions import MlflowException

    from hpobench.tracking import StudyTracker

    tags = {
        "sampler": choices.get("sampler", type(study.sampler).__name__),
        "pruner": choices.get("pruner", type(study.pruner).__name__),
        "problem": problem.name,
        "runner": choices.get("runner", type(runner).__name__),
        "seed": settings.seed,
        "n_workers": settings.n_workers,
        "storage": masked(settings.storage) or "memory",
    }
    tracker = StudyTracker(
        uri=str(tracking.uri),
        experiment=problem.name,
        study_name=study.study_name,
        storage=settings.storage,
        tags=tags,
        components={"sampler": study.sampler, "pruner": study.pruner, "problem": problem, "runner": runner},
        log_trials=bool(tracking.log_trials),
        artifacts=bool(tracking.artifacts),
    )
    try:
        tracker.start()
    except (MlflowException, ValueError, OSError) as error:
        raise UsageError(f"tracking.uri={tracking.uri!r}: {_one_line(error)}") from None
    return tracker
