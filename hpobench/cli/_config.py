"""Reading the composed config: the root resolver, value checks, the study name.

Every check raises UsageError with one line that names the key and the bad
value, so the CLI can print it instead of a traceback from deep inside.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from hpobench.paths import checkout_root, results_root
from hpobench.storages import masked  # noqa: F401  (the CLI's name for it; the storages own it)

# The checkout's root (where conf/ and results/ live in the repository), or None when installed.
PROJECT_ROOT = checkout_root()


class UsageError(Exception):
    """A bad value in the command line or the config; the message is shown as is."""


def register_resolvers() -> None:
    """``${hpobench.root:}``: the folder that holds results/ (hpobench.paths.results_root: the
    checkout's root from inside it, else the current directory);
    ``${hpobench.mlflow_uri:<results_dir>}``: ``MLFLOW_TRACKING_URI`` when set, else
    ``<results_dir>/mlflow.db``."""
    if not OmegaConf.has_resolver("hpobench.root"):
        OmegaConf.register_new_resolver("hpobench.root", lambda: str(results_root()))
    if not OmegaConf.has_resolver("hpobench.mlflow_uri"):
        OmegaConf.register_new_resolver("hpobench.mlflow_uri", default_mlflow_uri)


def default_mlflow_uri(results_dir: str | None = None) -> str:
    """``MLFLOW_TRACKING_URI`` when set, else ``sqlite:///<results_dir>/mlflow.db``.

    The same rule as hpobench.tracking's default, without importing MLflow at startup.
    """
    folder = Path(results_dir) if results_dir else results_root() / "results"
    return os.environ.get("MLFLOW_TRACKING_URI", "").strip() or f"sqlite:///{folder.resolve() / 'mlflow.db'}"


@dataclass(frozen=True)
class Settings:
    """The checked top-level values of one run."""

    n_trials: int
    timeout: float | None
    n_workers: int
    seed: int
    storage: str | None


def _int(cfg: DictConfig, key: str, low: int) -> int:
    value = cfg.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise UsageError(f"{key} must be an integer >= {low}, got {key}={value!r}.")
    return value


def _timeout(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or math.isinf(value):
        raise UsageError(f"timeout must be a positive number of seconds or null, got timeout={value!r}.")
    return float(value)


def _storage(value: Any, results_dir: Path) -> str | None:
    if value is None or isinstance(value, str) and value.strip():
        _check_sqlite_folder(value, results_dir)
        return value
    raise UsageError(f"storage must be a database URL (sqlite:///... or postgresql://...) or null, got {value!r}.")


def _check_sqlite_folder(url: str | None, results_dir: Path) -> None:
    """A typo in an SQLite path must not create folders anywhere (even at /): only results/ is made on demand."""
    if not url or not url.startswith("sqlite:///") or url.startswith("sqlite:///:memory:"):
        return
    folder = Path(url[len("sqlite:///") :].partition("?")[0]).resolve().parent
    if folder.is_dir() or folder.is_relative_to(results_dir):
        return
    raise UsageError(f"storage={url!r}: folder {folder} does not exist; create it first (only results/ is created).")


def _results_dir(cfg: DictConfig) -> Path:
    value = cfg.get("results_dir")
    return Path(str(value)).resolve() if value else results_root() / "results"


def check_settings(cfg: DictConfig) -> Settings:
    """The top-level values of cfg, checked; raises UsageError naming the first bad one."""
    return Settings(
        n_trials=_int(cfg, "n_trials", 1),
        timeout=_timeout(cfg.get("timeout")),
        n_workers=_int(cfg, "n_workers", 1),
        seed=_int(cfg, "seed", 0),
        storage=_storage(cfg.get("storage"), _results_dir(cfg)),
    )


def config_digest(cfg: DictConfig, keys: tuple[str, ...]) -> str:
    """Six hex digits identifying the resolved config sections keys (order-independent)."""
    sections = {key: OmegaConf.to_container(cfg[key], resolve=True) for key in keys if key in cfg}
    return hashlib.sha1(json.dumps(sections, sort_keys=True, default=str).encode()).hexdigest()[:6]


def derive_study_name(cfg: DictConfig, choices: dict[str, str], problem_name: str, settings: Settings) -> str:
    """cfg.study_name, or a name that the same command always derives again (so it resumes).

    The readable part names the problem, sampler, pruner, runner, seed and
    workers; the digest covers every other setting of those groups (e.g.
    ``sampler.n_startup_trials=5``), so a changed algorithm never resumes
    another's study. n_trials and timeout are left out: raising n_trials
    extends the same study.
    """
    if cfg.get("study_name") is not None:
        if str(cfg.study_name) == "":  # '' would silently become the derived name otherwise
            raise UsageError("study_name must be a name or null (derive one), got study_name=''.")
        return str(cfg.study_name)
    parts = [problem_name] + [choices.get(group, "custom") for group in ("sampler", "pruner", "runner")]
    digest = config_digest(cfg, ("sampler", "pruner", "problem", "runner"))
    return "-".join(parts + [f"seed{settings.seed}", f"w{settings.n_workers}", digest])
