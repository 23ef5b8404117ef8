"""Recorded (tabular) problems: real tasks replayed from tables under problems/data."""

from problems.recorded.tabular import RECORDED_TASKS, TabularProblem

__all__ = ["RECORDED_TASKS", "TabularProblem"]
