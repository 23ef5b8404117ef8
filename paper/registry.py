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


def build(
    group: str, name: str, *, conf_dir: Path | None = None, context: dict[str, Any] | None = None, **kwargs: Any
) -> Any:
    """Instantiate conf/<group>/<name>.yaml with kwargs overriding its fields.

    Args:
        context: the global keys the group file may interpolate, e.g.
            ``{"seed": 0, "problem": {"max_step": 20}}`` for ``${oc.select:problem.max_step,auto}``.
            A field whose interpolation cannot be resolved is left to the class default.

    Raises:
        ValueError: no such group file, or the file has no _target_.
        hydra.errors.InstantiationException: the target cannot be imported or built
            (e.g. an optional baseline's package is missing).
    """
    conf_dir = conf_dir or CONF_DIR
    path = conf_dir / group / f"{name}.yaml"
    if not path.is_file():
        raise ValueError(f"Unknown {group} {name!r}: no {path}; known: {available(group, conf_dir=conf_dir)}.")
    root = OmegaConf.create({**(context or {}), "_node": OmegaConf.load(path)})
    if "_target_" not in root._node:
        raise ValueError(f"{path} has no _target_.")
    fields = {}
    for key in root._node:
        if key == "defaults":  # Hydra's defaults list (e.g. a scheduler's pruner=scheduler), not an argument
            continue
        try:
            fields[key] = OmegaConf.to_container(OmegaConf.create({"v": root._node[key]}), resolve=True)["v"]
        except Exception:  # noqa: BLE001  (an unresolvable ${...}: leave the default)
            continue
    fields.update(kwargs)
    return instantiate(fields)
