"""Real learning-curve tasks: small models trained for real, one step at a time."""

from problems.tasks._base import LearningCurveTask
from problems.tasks.hgb_breast_cancer import HGBBreastCancer
from problems.tasks.linear_sgd import LinearSGD
from problems.tasks.mlp_digits import MLPDigits

__all__ = ["HGBBreastCancer", "LearningCurveTask", "LinearSGD", "MLPDigits"]
