"""Budgets of the paper's experiments, read from conf/experiment/<name>.yaml (one source of truth).

Each experiment file is a Hydra ``# @package _global_`` file whose ``paper:``
node holds the paper's sweep: ``paper.full`` (the committed figures) and
``paper.quick`` (overrides of full for ``python -m paper --quick``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from omegaconf import OmegaConf

CONF_DIR = Path(__file__).resolve().parent.parent / "conf"
MODES = ("full", "quick")


def load_budget(experiment: str, mode: str, *, conf_dir: Path = CONF_DIR) -> dict[str, Any]:
    """The budget of one experiment as a plain dict (quick = full updated by quick).

    Raises:
        ValueError: unknown mode, or no conf/experiment/<experiment>.yaml with a paper.full node.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}.")
    path = conf_dir / "experiment" / f"{experiment}.yaml"
    if not path.is_file():
        raise ValueError(f"No budget file for experiment {experiment!r}: {path} does not exist.")
    node = OmegaConf.load(path).get("paper")
    if node is None or "full" not in node:
        raise ValueError(f"{path} has no 'paper.full' node.")
    budget = OmegaConf.to_container(node.full, resolve=True)
    if mode == "quick":
        budget.update(OmegaConf.to_container(node.get("quick", {}), resolve=True))
    return budget


def seed_count(budget: dict[str, Any], name: str, field: str) -> int:
    """Seeds of one sampler or method: budget[field][name] if set (slow peers get fewer), else budget['seeds'].

    Seeds are always 0..n-1, a prefix, so a cache computed with fewer seeds stays valid.
    """
    return int((budget.get(field) or {}).get(name, budget["seeds"]))
