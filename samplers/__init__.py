"""Samplers: every sampler behind one base class (samplers.base.BaseSampler)."""

from samplers.base import BaseSampler
from samplers.random import RandomSampler
from samplers.tpe import TPESampler

__all__ = ["BaseSampler", "RandomSampler", "TPESampler"]
