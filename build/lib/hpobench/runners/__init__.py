"""Runners turn (study, problem, n_trials) into finished trials.

- InProcessRunner: study.optimize in this process.
- LocalRunner: n_workers local processes sharing an SQLite/PostgreSQL storage.
- DaskRunner: the same on a dask.distributed cluster (LocalCluster by default).
- SimulatedRunner: N asynchronous workers on a virtual clock, replaying the
  recorded learning curves of a RecordedProblem (see docs/runners.md).

Hydra builds them from conf/runner/*.yaml (``_target_: hpobench.runners.LocalRunner``).
"""

from hpobench.runners.base import Runner
from hpobench.runners.dask import DaskRunner
from hpobench.runners.inprocess import InProcessRunner
from hpobench.runners.local import LocalRunner
from hpobench.runners.simulated import SimulatedRunner, study_time_table

__all__ = ["DaskRunner", "InProcessRunner", "LocalRunner", "Runner", "SimulatedRunner", "study_time_table"]
