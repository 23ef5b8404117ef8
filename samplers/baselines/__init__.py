"""Adaptors that run other libraries' methods behind our interfaces (baselines only).

Optuna (TPE, random, CMA-ES, GP), Hyperopt (TPE), SMAC3 (HPO facade;
Hyperband) and Syne Tune (ASHA, BOHB, Hyperband). Each library is imported
when an adaptor is constructed, never at import time; a missing library raises
ImportError naming the extra: pip install 'hpobench[baselines]'. SMACHyperband
and the Syne Tune schedulers are samplers that also prune (_tracking.SchedulerSampler).
"""

from ._hyperopt import HyperoptTPESampler
from ._imports import require
from ._optuna import OptunaCmaEsSampler, OptunaGPSampler, OptunaRandomSampler, OptunaTPESampler
from ._smac import SMACHyperband, SMACSampler
from ._synetune import SyneTuneASHA, SyneTuneBOHB, SyneTuneHyperband
from ._tracking import SchedulerSampler

__all__ = [
    "HyperoptTPESampler",
    "OptunaCmaEsSampler",
    "OptunaGPSampler",
    "OptunaRandomSampler",
    "OptunaTPESampler",
    "SMACHyperband",
    "SMACSampler",
    "SchedulerSampler",
    "SyneTuneASHA",
    "SyneTuneBOHB",
    "SyneTuneHyperband",
    "require",
]
