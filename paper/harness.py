"""One study of the paper, run through hpobench's runners; returns its trials as rows.

These are the module-level task functions that paper.store.run_tasks() sends
to joblib processes. Each builds its sampler and pruner by config-group name
(paper.registry) and its problem by registry name (problems.get_problem).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

import hpobench
from hpobench.interfaces import PrunerInterface
from paper.methods import Method, build_pair
from paper.registry import build

COLUMNS = ["number", "state", "value", "loss", "sim_start", "sim_end"]


def make_study(task: dict[str, Any], problem: Any, storage: Any = None) -> hpobench.Study:
    """A study with the task's sampler (seeded with the task's seed) and pruner, in the problem's direction.

    task['pruner'] None (or 'scheduler', or no key for a sampler that prunes) = the sampler's own pruner
    (a scheduler peer such as synetune_asha; paper.methods). No key for any other sampler: no pruning.
    """
    # What the group files may interpolate, as `python -m hpobench` would give it.
    context = {
        "seed": int(task["seed"]),
        "n_trials": task.get("n_trials"),
        "problem": {"max_step": getattr(problem, "max_step", None)},
    }
    # sampler_options: constructor arguments beyond the group file's (benchmarks/tpe_suite.py's variants).
    # A JSON object as a string: a task's fields are flat scalars (paper/store.py).
    options = json.loads(task.get("sampler_options") or "{}")
    if "pruner" in task:
        pruner_options = json.loads(task.get("pruner_options") or "{}")
        method = Method(task["sampler"], task["sampler"], task["pruner"], options, pruner_options)
        sampler, pruner = build_pair(method, context=context, seed=int(task["seed"]))
    else:
        sampler = build("sampler", task["sampler"], context=context, seed=int(task["seed"]), **options)
        pruner = None if isinstance(sampler, PrunerInterface) else build("pruner", "nop", context=context)
    direction = getattr(problem, "direction", "minimize")
    return hpobench.create_study(storage=storage, sampler=sampler, pruner=pruner, direction=direction)


def loss_of(values: pd.Series, direction: str) -> pd.Series:
    """Values as a loss to minimize (negated for maximized problems)."""
    values = pd.to_numeric(values, errors="coerce").astype(float)
    return -values if direction == "maximize" else values


def simulated_trials(task: dict[str, Any]) -> pd.DataFrame:
    """Run one study of a recorded problem on the simulated clock.

    Task fields: problem, sampler, pruner, seed, n_workers, n_trials, timeout
    (simulated seconds, or None). Returns one row per trial: number, state,
    value, loss, sim_start, sim_end.
    """
    from hpobench.problems import get_problem
    from hpobench.runners import SimulatedRunner, study_time_table

    problem = get_problem(task["problem"])
    study = make_study(task, problem)
    SimulatedRunner(n_workers=int(task["n_workers"])).run(
        study, problem, n_trials=int(task["n_trials"]), timeout=task.get("timeout")
    )
    frame = study_time_table(study)
    frame["state"] = frame["state"].map(lambda s: getattr(s, "name", s))
    frame["loss"] = loss_of(frame["value"], problem.direction).where(frame["state"] == "COMPLETE", np.nan)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return frame[COLUMNS].copy()


def mean_trial_seconds(problem_name: str, *, n_configs: int = 64, seed: int = 0) -> float:
    """Mean simulated seconds of one full (unpruned) trial of a recorded problem.

    Averaged over n_configs configurations drawn at random from the problem's
    own search space, so time budgets can be given in "trials' worth of time"
    and stay meaningful when a table is re-recorded on another machine.
    """
    from hpobench.problems import get_problem
    from hpobench.samplers import RandomSampler

    problem = get_problem(problem_name)
    study = hpobench.create_study(sampler=RandomSampler(seed=seed), direction=problem.direction)
    total = 0.0
    for _ in range(n_configs):
        trial = study.ask()
        _, seconds = problem.curve(problem.configure(trial), seed=trial.number)
        total += float(np.sum(seconds))
    return total / n_configs
