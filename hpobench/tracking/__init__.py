"""MLflow tracking of studies, read from the storage by the main process.

One experiment per problem holding only the studies: one parent run per study
(found by the ``hpobench.study_key`` tag = storage + study name; tags sampler,
pruner, problem, seed, n_workers, runner, study_name; params = the resolved
settings of the built sampler, pruner, problem and runner; metric
``best_value`` with step = trial number and timestamp = completion time, and
summary metrics), one run per finished trial (optional) in the sibling
experiment ``<problem>/trials``, and per-study figures as artifacts.

Workers never talk to MLflow: :class:`StudyTracker` reads finished trials from
the storage and logs the ones not logged yet, so it works with every runner
(processes, Dask, simulated time) and with resumed studies. See docs/harness.md.
"""

from hpobench.tracking._store import ensure_store, get_or_create_experiment
from hpobench.tracking._sync import BackgroundSync, StudyTracker

__all__ = ["BackgroundSync", "StudyTracker", "ensure_store", "get_or_create_experiment"]
