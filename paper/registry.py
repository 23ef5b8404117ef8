"""Build samplers and pruners by their config-group name (the names of conf/sampler, conf/pruner).

The harness's Hydra group files are the registry: ``build("sampler", "tpe",
seed=3)`` instantiates conf/sampler/tpe.yaml's ``_target_`` with seed=3. A
name without a group file is a ValueError naming the known files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hydra.utils import instantiate
from omegaconf import OmegaConf

from paper.budgets import CONF_DIR as DEFAULT_CONF_DIR

# Module global read at call time, so tests can point it at their own group files.
CONF_DIR = DEFAULT_CONF_DIR


def available(group: str, *, conf_dir: Path | None = None) -> list[str]:
    """Names with a group file under conf/<group>/."""
    return sorted(p.stem for p in ((conf_dir or CONF_DIR) / group).glob("*.yaml"))


def build(group: str, name: str, *, conf_dir: Path | None = None, **kwargs: Any) -> Any:
    """Instantiate conf/<group>/<name>.yaml with kwargs overriding its fields.

    Raises:
        ValueError: no such group file, or the file has no _target_.
        ImportError: the target's package is not installed (e.g. an optional baseline).
    """
    conf_dir = conf_dir or CONF_DIR
    path = conf_dir / group / f"{name}.yaml"
    if not path.is_file():
        raise ValueError(f"Unknown {group} {name!r}: no {path}; known: {available(group, conf_dir=conf_dir)}.")
    node = OmegaConf.load(path)
    if "_target_" not in node:
        raise ValueError(f"{path} has no _target_.")
    # Group files may interpolate global keys (e.g. ${seed}); paper/ passes them explicitly.
    fields = {k: v for k, v in OmegaConf.to_container(node, resolve=False).items() if not _is_interpolation(v)}
    fields.update(kwargs)
    return instantiate(fields)


def _is_interpolation(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("${")
