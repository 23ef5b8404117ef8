"""MLflow tracking of studies, read from the storage by the main process.

One experiment per problem, one parent run per study (tags sampler, pruner,
problem, seed, n_workers, runner, study_name; metric ``best_value`` with
step = trial number and timestamp = completion time), one child run per
finished trial (optional), and per-study figures as artifacts.

Workers never talk to MLflow: :class:`StudyTracker` reads finished trials from
the storage and logs the ones not logged yet, so it works with every runner
(processes, Dask, simulated time) and with resumed studies. See docs/harness.md.
"""

from hpobench.tracking._store import ensure_store, get_or_create_experiment
from hpobench.tracking._sync import BackgroundSync, StudyTracker

__all__ = ["BackgroundSync", "StudyTracker", "ensure_store", "get_or_create_experiment"]
