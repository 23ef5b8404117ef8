"""Trials: the live Trial an objective receives, FrozenTrial snapshots, TrialState."""

from hpobench.trial._create import create_trial
from hpobench.trial._frozen import FrozenTrial
from hpobench.trial._report import report_and_prune, report_curve
from hpobench.trial._state import TrialState
from hpobench.trial._trial import Trial

__all__ = ["FrozenTrial", "Trial", "TrialState", "create_trial", "report_and_prune", "report_curve"]
