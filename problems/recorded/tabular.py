"""Tabular recorded problems: real tasks answered from their recorded table.

One registered instance per recorded task: "recorded/mlp_digits",
"recorded/hgb_breast_cancer", "recorded/linear_sgd". configure(trial) is the
real task's own define-by-run space, so a study sees exactly the same
parameters as on the real task; curve(config, seed) returns the curve and the
step times of the nearest recorded configuration (rule in _nearest.py). A
recorded configuration is answered by its own row, so its curve comes back
exactly. The table holds one training seed per configuration, so ``seed``
does not change the answer. Format and recording: docs/problems_recorded.md.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from hpobench.distributions import CategoricalDistribution
from hpobench.trial import Trial
from hpobench.validation import check_int

from ..base import RecordedProblem, get_problem, register
from ..tasks._base import LearningCurveTask
from ._nearest import encode_query, normalize, prepare, prepared_distances
from ._table import Table, load_table, table_path

RECORDED_TASKS = ("mlp_digits", "hgb_breast_cancer", "linear_sgd")


class _Index:
    """A loaded table with its normalized matrix, built once per file."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.names = sorted(table.params)
        dists = table.distributions
        self.matrix = np.column_stack([normalize(table.params[n], dists[n]) for n in self.names])
        self.filled, self.active = prepare(self.matrix)
        self.is_categorical = np.array([isinstance(dists[n], CategoricalDistribution) for n in self.names])
        self.penalty = float((~self.is_categorical).sum() + 1)

    def nearest(self, config: dict[str, Any]) -> int:
        query = encode_query(config, self.names, self.table.distributions)
        return int(np.argmin(prepared_distances(self.filled, self.active, self.is_categorical, query, self.penalty)))


def clear_index_cache() -> None:
    """Forget the loaded tables (a benchmark times a cold load)."""
    _load_index.cache_clear()


@functools.lru_cache(maxsize=16)
def _load_index(path: str) -> _Index:
    return _Index(load_table(path))


class TabularProblem(RecordedProblem):
    """A recorded task replayed by nearest recorded configuration.

    Args:
        task: name of the real task whose table to replay (e.g. "mlp_digits").
        max_step: replay only the first max_step steps of each curve; None = all
            recorded steps.
        seed: kept for the common problem interface; the table holds one training
            seed per configuration, so it does not change the curves.
        data_dir: folder of the tables; None = problems/data.
    """

    direction = "minimize"

    def __init__(
        self, *, task: str, max_step: int | None = None, seed: int | None = None, data_dir: str | None = None
    ) -> None:
        super().__init__(seed=seed)
        if task not in RECORDED_TASKS:
            raise ValueError(f"No recorded table for task {task!r}; recorded tasks: {', '.join(RECORDED_TASKS)}.")
        self.task = task
        self.name = f"recorded/{task}"
        self._index = _load_index(str(table_path(task, data_dir)))
        meta = self._index.table.meta
        recorded = int(meta["max_step"])
        self.max_step = recorded if max_step is None else check_int("max_step", max_step, 1, recorded)
        space = get_problem(task, max_step=recorded, seed=int(meta["task_seed"]))
        if not isinstance(space, LearningCurveTask):
            raise TypeError(f"recorded/{task}: {task!r} is not a learning-curve task ({type(space).__name__}).")
        self._space = space  # the task's own define-by-run space
        self.optimal_value = float(self._index.table.values[:, self.max_step - 1].min())
        self._cache: dict[tuple, int] = {}

    @property
    def table(self) -> Table:
        """The recorded table (values, seconds, params, distributions, meta)."""
        return self._index.table

    def configure(self, trial: Trial) -> dict[str, Any]:
        return self._space.configure(trial)

    def nearest(self, config: dict[str, Any]) -> int:
        """Row of the recorded configuration that answers config (cached)."""
        key = tuple(sorted(config.items()))
        if key not in self._cache:
            self._cache[key] = self._index.nearest(config)
        return self._cache[key]

    def curve(self, config: dict[str, Any], seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        row = self.nearest(config)
        steps = slice(0, self.max_step)
        return self.table.values[row, steps].copy(), self.table.seconds[row, steps].astype(np.float64)


for _task in RECORDED_TASKS:
    register(f"recorded/{_task}")(functools.partial(TabularProblem, task=_task))
