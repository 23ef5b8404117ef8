"""Pruners: every pruner behind one base class (pruners.base.BasePruner).

Every pruner except NopPruner prunes a trial whose latest reported value (the
value at its deepest step) is NaN. Algorithm cores are pure functions in each
module (rung arithmetic in pruners.successive_halving, brackets in
pruners.hyperband, ...); the classes only read the study and call them.
Framework callbacks (LightGBM, XGBoost, scikit-learn partial_fit) live in
pruners.integration and import their framework only when used.
"""

from pruners.base import BasePruner
from pruners.hyperband import HyperbandPruner
from pruners.median import MedianPruner
from pruners.nop import NopPruner
from pruners.patient import PatientPruner
from pruners.percentile import PercentilePruner
from pruners.successive_halving import SuccessiveHalvingPruner
from pruners.threshold import ThresholdPruner
from pruners.wilcoxon import WilcoxonPruner

__all__ = [
    "BasePruner", "HyperbandPruner", "MedianPruner", "NopPruner", "PatientPruner", "PercentilePruner",
    "SuccessiveHalvingPruner", "ThresholdPruner", "WilcoxonPruner",
]
