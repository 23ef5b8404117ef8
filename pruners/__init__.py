"""Pruners: every pruner behind one base class (hpobench.pruners.base.BasePruner).

A trial whose latest reported value (the value at its deepest step) is NaN is
pruned at once by the percentile/median, threshold and patient pruners, at its
next rung by ASHA and Hyperband (Optuna's rule), never by NopPruner and
WilcoxonPruner (which warns, as Optuna's). Constructor arguments are Optuna's,
positional where Optuna's are. Algorithm cores are pure functions in each
module (rung arithmetic in hpobench.pruners.successive_halving, brackets in
hpobench.pruners.hyperband, ...); the classes only read the study and call them.
Framework callbacks (LightGBM, XGBoost, scikit-learn partial_fit) live in
hpobench.pruners.integration and import their framework only when used. Optuna's own
pruners (OptunaSuccessiveHalvingPruner, OptunaHyperbandPruner,
OptunaMedianPruner, in hpobench.pruners.baselines) import Optuna when constructed.
SamplerPruner defers to a sampler that prunes (SMAC3 Hyperband, Syne Tune).
"""

from .base import BasePruner, StepPruner
from .baselines import OptunaHyperbandPruner, OptunaMedianPruner, OptunaSuccessiveHalvingPruner
from .hyperband import HyperbandPruner
from .median import MedianPruner
from .nop import NopPruner
from .patient import PatientPruner
from .percentile import PercentilePruner
from .sampler import SamplerPruner
from .successive_halving import SuccessiveHalvingPruner
from .threshold import ThresholdPruner
from .wilcoxon import WilcoxonPruner

__all__ = [
    "BasePruner",
    "StepPruner",
    "HyperbandPruner",
    "MedianPruner",
    "NopPruner",
    "OptunaHyperbandPruner",
    "OptunaMedianPruner",
    "OptunaSuccessiveHalvingPruner",
    "PatientPruner",
    "PercentilePruner",
    "SamplerPruner",
    "SuccessiveHalvingPruner",
    "ThresholdPruner",
    "WilcoxonPruner",
]
