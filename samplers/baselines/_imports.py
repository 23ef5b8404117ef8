"""Lazy imports of the baseline libraries, with the install hint."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, user: str, extra: str = "baselines") -> ModuleType:
    """Import module or raise ImportError naming its user (a class) and the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise ImportError(
            f"{user} needs the '{module.split('.')[0]}' package: pip install 'hpobench[{extra}]'"
        ) from err
