"""LCBench tasks for the pruning and speedup experiments (YAHPO Gym surrogates, problems.yahpo).

- select(): which ``lcbench/<id>`` tasks a budget names ('all', a count chosen
  by a stated rule, or a list);
- time_unit(): the simulated seconds of one mean full (52-epoch) training of a
  task, the unit of every time axis, so tasks of different speed share one axis;
- regret_trials(): one study on the simulated clock, with each trial's
  normalized regret (0 = YAHPO's best of 0.5M random evaluations, 1 = worst).
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from paper.harness import mean_trial_seconds, simulated_trials

PREFIX = "lcbench/"


def all_tasks() -> list[str]:
    """The 34 registered LCBench tasks, sorted by OpenML task id."""
    from hpobench.problems import list_problems

    return sorted((n for n in list_problems() if n.startswith(PREFIX)), key=lambda n: int(n[len(PREFIX) :]))


def select(spec: Any) -> list[str]:
    """'all'; a count n: n tasks evenly spaced over the tasks sorted by id (deterministic,
    so no task is picked for how it behaves); or an explicit list of task names.

    Raises:
        ValueError: a count out of range, or a spec of another kind.
    """
    from paper.ranking import select_cases

    return select_cases(spec, all_tasks(), what="tasks")


@functools.cache
def time_unit(problem: str) -> float:
    """Mean simulated seconds of one full training of problem (3 significant digits: it is in cache keys)."""
    return float(f"{mean_trial_seconds(problem):.3g}")


@functools.cache
def regret_range(problem: str) -> tuple[float, float]:
    """(best, worst) objective of problem from YAHPO's statistics file."""
    from hpobench.problems import get_problem

    inner = get_problem(problem)
    if getattr(inner, "best_value", None) is None or getattr(inner, "worst_value", None) is None:
        raise ValueError(f"{problem} has no best_value/worst_value, so no normalized regret.")
    return float(inner.best_value), float(inner.worst_value)


def normalized_regret(problem: str, loss: pd.Series) -> pd.Series:
    """(loss - best) / (worst - best), NaN where loss is NaN."""
    best, worst = regret_range(problem)
    return (loss - best) / (worst - best)


def regret_trials(task: dict[str, Any]) -> pd.DataFrame:
    """simulated_trials() plus column 'regret' (normalized regret of each complete trial)."""
    frame = simulated_trials(task)
    frame["regret"] = normalized_regret(task["problem"], frame["loss"])
    return frame


def error_scale(problem: str, loss: pd.Series) -> pd.Series:
    """Normalized regret for an LCBench task; the loss itself for a problem without statistics."""
    return normalized_regret(problem, loss) if problem.startswith(PREFIX) else loss
