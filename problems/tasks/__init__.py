"""Real learning-curve tasks: small models trained for real, one step at a time."""

from ._base import LearningCurveTask
from .hgb_breast_cancer import HGBBreastCancer
from .linear_sgd import LinearSGD
from .mlp_digits import MLPDigits

__all__ = ["HGBBreastCancer", "LearningCurveTask", "LinearSGD", "MLPDigits"]
