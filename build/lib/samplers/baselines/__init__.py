"""Adaptors that run other libraries' samplers behind our SamplerInterface (baselines only).

optuna and hyperopt are imported when an adaptor is constructed, never at
import time; a missing library raises ImportError with the install command.
"""

from samplers.baselines._hyperopt import HyperoptTPESampler
from samplers.baselines._optuna import OptunaRandomSampler, OptunaTPESampler

__all__ = ["HyperoptTPESampler", "OptunaRandomSampler", "OptunaTPESampler"]
