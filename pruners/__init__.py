"""Pruners: every pruner behind one base class (pruners.base.BasePruner)."""

from pruners.base import BasePruner
from pruners.nop import NopPruner

__all__ = ["BasePruner", "NopPruner"]
