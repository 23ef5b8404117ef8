"""What Hydra needs to find ``hydra/sweeper=hpobench``; the sweeper is :mod:`hpobench.sweeper`.

Hydra imports every module of the ``hydra_plugins`` namespace when any Hydra
app starts, and accepts only plugin classes defined there. So this module
stays small and never imports hpobench (about a second): it registers the
configs, read from files, and a Sweeper that imports hpobench.sweeper only
when a sweep starts.

Configs registered in Hydra's ConfigStore:

- ``hydra/sweeper/hpobench``: hpobench/sweeper/hpobench.yaml;
- ``hydra/sweeper/sampler/<name>`` and ``hydra/sweeper/pruner/<name>``:
  hpobench's own conf/sampler and conf/pruner files, unchanged except that
  their references to the root keys of conf/config.yaml (``${seed}``,
  ``${oc.select:problem.max_step,auto}``), which a user's app does not have,
  read the sweeper's keys instead (``hydra.sweeper.seed``; no problem there, so
  ASHA's max_resource is ``auto`` unless set).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

from hydra.core.config_store import ConfigStore
from hydra.plugins.sweeper import Sweeper
from omegaconf import OmegaConf

# Root keys of hpobench's conf/config.yaml that group files read -> the sweeper's key. `problem`
# has none: ${oc.select:problem.max_step,auto} then takes its default.
_ROOT_KEYS = {"seed": "seed", "n_trials": "n_trials", "n_workers": "n_jobs", "problem": "problem"}
_ROOT_REFERENCE = re.compile(r"\$\{(oc\.select:)?(" + "|".join(_ROOT_KEYS) + r")\b")


class HpobenchSweeper(Sweeper):
    """hydra/sweeper=hpobench; see hpobench.sweeper for what it does."""

    def __init__(self, **settings: Any) -> None:
        from hpobench.sweeper import HpobenchSweeperImpl

        self._impl = HpobenchSweeperImpl(**settings)

    def setup(self, *, hydra_context: Any, task_function: Any, config: Any) -> None:
        self._impl.setup(hydra_context=hydra_context, task_function=task_function, config=config)

    def sweep(self, arguments: list[str]) -> Any:
        return self._impl.sweep(arguments)


def _package_dir() -> Path:
    spec = importlib.util.find_spec("hpobench")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("hydra/sweeper=hpobench needs the hpobench package installed")
    return Path(list(spec.submodule_search_locations)[0])


def _conf_dir(package: Path) -> Path | None:
    """hpobench's conf/, shipped inside the package (in a checkout, hpobench/conf links to conf/).

    None where it is missing (a broken install): the groups are then missing, and
    Hydra's error on composing names them; other apps stay quiet.
    """
    candidate = package / "conf"
    return candidate if (candidate / "sampler").is_dir() else None


def _group_node(path: Path) -> Any:
    """The group file, its references to root keys pointed at hydra.sweeper (see _ROOT_KEYS)."""

    def to_sweeper(match: re.Match) -> str:
        return "${" + (match.group(1) or "") + "hydra.sweeper." + _ROOT_KEYS[match.group(2)]

    return OmegaConf.create(_ROOT_REFERENCE.sub(to_sweeper, path.read_text()))


def register_configs() -> None:
    store, package = ConfigStore.instance(), _package_dir()
    store.store(
        group="hydra/sweeper",
        name="hpobench",
        node=OmegaConf.load(package / "sweeper" / "hpobench.yaml"),
        provider="hpobench",
    )
    conf = _conf_dir(package)
    if conf is None:
        return
    for group in ("sampler", "pruner"):
        for path in sorted((conf / group).glob("*.yaml")):
            store.store(group=f"hydra/sweeper/{group}", name=path.stem, node=_group_node(path), provider="hpobench")


register_configs()
