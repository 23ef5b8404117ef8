"""Samplers: every sampler behind one base class (hpobench.samplers.base.BaseSampler).

Baselines from other libraries (hpobench.samplers.baselines: Optuna's TPE, random,
CMA-ES and GP, Hyperopt's TPE, SMAC3, Syne Tune's schedulers) import their
library only when constructed; install them with ``pip install 'hpobench[baselines]'``.
"""

from ._uniform import sample_uniform
from .base import BaseSampler
from .baselines import (
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
from .brute_force import BruteForceSampler
from .grid import GridSampler
from .partial_fixed import PartialFixedSampler
from .qmc import QMCSampler
from .random import RandomSampler
from .tpe import TPESampler

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
    "sample_uniform",
]
