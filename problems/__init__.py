"""Problems: every benchmark problem behind one base class (problems.base)."""

from problems.base import Problem, RecordedProblem, SyntheticFunction, get_problem, list_problems, register
from problems import synthetic  # noqa: F401,E402  (registers the synthetic functions)
from problems import conditional  # noqa: F401,E402  (registers mixed_branin, conditional_quadratic)
from problems import tasks  # noqa: F401,E402  (registers the real learning-curve tasks)
from problems import recorded  # noqa: F401,E402  (registers recorded/<task>)
from problems import yahpo  # noqa: F401,E402  (registers lcbench/<id>, rbv2_xgboost/<id>, iaml_glmnet/<id>)

__all__ = ["Problem", "RecordedProblem", "SyntheticFunction", "get_problem", "list_problems", "register"]
