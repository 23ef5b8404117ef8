"""Problems: every benchmark problem behind one base class (hpobench.problems.base)."""

from . import (
    conditional,  # noqa: F401,E402  (registers mixed_branin, conditional_quadratic)
    recorded,  # noqa: F401,E402  (registers recorded/<task>)
    synthetic,  # noqa: F401,E402  (registers the synthetic functions)
    tasks,  # noqa: F401,E402  (registers the real learning-curve tasks)
    yahpo,  # noqa: F401,E402  (registers lcbench/<id>, rbv2_xgboost/<id>, iaml_glmnet/<id>)
)
from .base import Problem, RecordedProblem, SyntheticFunction, get_problem, list_problems, register

__all__ = ["Problem", "RecordedProblem", "SyntheticFunction", "get_problem", "list_problems", "register"]
