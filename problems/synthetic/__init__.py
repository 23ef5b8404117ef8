"""Synthetic black-box test functions (see docs/problems.md).

- classic: the usual named functions (branin, hartmann6, rosenbrock, ...).
- evalset: the 56 cases of Dewancker et al. (2016), built from the SigOpt
  evalset formulas, registered as ``evalset/<function>_<dim>[_int..][_res..]``.
"""

from .classic import (
    CLASSICS,
    Ackley,
    Branin,
    Griewank,
    Hartmann3,
    Hartmann6,
    Levy,
    Michalewicz,
    Rastrigin,
    Rosenbrock,
    Shekel,
    SixHumpCamel,
    StyblinskiTang,
)
from .evalset import CASES, EvalsetCase, EvalsetFunction, case_name, evalset56

__all__ = [
    "CASES",
    "CLASSICS",
    "EvalsetCase",
    "EvalsetFunction",
    "case_name",
    "evalset56",
    "Ackley",
    "Branin",
    "Griewank",
    "Hartmann3",
    "Hartmann6",
    "Levy",
    "Michalewicz",
    "Rastrigin",
    "Rosenbrock",
    "Shekel",
    "SixHumpCamel",
    "StyblinskiTang",
]
