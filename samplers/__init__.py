"""Samplers: every sampler behind one base class (samplers.base.BaseSampler).

Baselines from other libraries (samplers.baselines: Optuna's TPE, random,
CMA-ES and GP, Hyperopt's TPE, SMAC3, Syne Tune's schedulers) import their
library only when constructed; install them with ``pip install 'hpobench[baselines]'``.
"""

from samplers.base import BaseSampler
from samplers.baselines import (
    HyperoptTPESampler,
    OptunaCmaEsSampler,
    OptunaGPSampler,
    OptunaRandomSampler,
    OptunaTPESampler,
    SMACHyperband,
    SMACSampler,
    SyneTuneASHA,
    SyneTuneBOHB,
    SyneTuneHyperband,
)
from samplers.brute_force import BruteForceSampler
from samplers.grid import GridSampler
from samplers.partial_fixed import PartialFixedSampler
from samplers.qmc import QMCSampler
from samplers.random import RandomSampler
from samplers.tpe import TPESampler

__all__ = [
    "BaseSampler",
    "BruteForceSampler",
    "GridSampler",
    "HyperoptTPESampler",
    "OptunaCmaEsSampler",
    "OptunaGPSampler",
    "OptunaRandomSampler",
    "OptunaTPESampler",
    "PartialFixedSampler",
    "QMCSampler",
    "RandomSampler",
    "SMACHyperband",
    "SMACSampler",
    "SyneTuneASHA",
    "SyneTuneBOHB",
    "SyneTuneHyperband",
    "TPESampler",
]
