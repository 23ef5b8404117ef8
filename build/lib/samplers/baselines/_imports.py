"""Lazy imports of the baseline libraries, with the install hint."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, sampler: str) -> ModuleType:
    """Import module or raise ImportError naming the sampler and the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ImportError(
            f"{sampler} needs the '{module.split('.')[0]}' package: pip install 'hpobench[baselines]'"
        ) from err
