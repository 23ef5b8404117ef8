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

from hpobench.tracking import _param_figures as param_figures
from hpobench.tracking._figures import (
    fit_titles,
    plot_history,
    plot_importances,
    plot_learning_curves,
    tidy_layout,
    write_figures,
)
from hpobench.tracking._importance import param_importances
from hpobench.tracking._store import default_tracking_uri, ensure_store, get_or_create_experiment
from hpobench.tracking._sync import BackgroundSync, StudyTracker

__all__ = [
    "BackgroundSync",
    "StudyTracker",
    "default_tracking_uri",
    "ensure_store",
    "fit_titles",
    "get_or_create_experiment",
    "param_figures",
    "param_importances",
    "plot_history",
    "plot_importances",
    "plot_learning_curves",
    "tidy_layout",
    "write_figures",
]
