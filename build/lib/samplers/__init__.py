"""Samplers: every sampler behind one base class (samplers.base.BaseSampler).

Baselines from other libraries (OptunaTPESampler, OptunaRandomSampler,
HyperoptTPESampler) import their library only when constructed; install them
with ``pip install 'hpobench[baselines]'``.
"""

from samplers.base import BaseSampler
from samplers.baselines import HyperoptTPESampler, OptunaRandomSampler, OptunaTPESampler
from samplers.grid import GridSampler
from samplers.qmc import QMCSampler
from samplers.random import RandomSampler
from samplers.tpe import TPESampler

__all__ = [
    "BaseSampler", "GridSampler", "HyperoptTPESampler", "OptunaRandomSampler", "OptunaTPESampler",
    "QMCSampler", "RandomSampler", "TPESampler",
]
