"""Plots of a study for notebooks, named as in ``optuna.visualization.matplotlib``.

Each function takes a Study and returns a matplotlib Figure (draw it inline, or
``fig.savefig(...)``). They draw with the same functions as the figures that
the MLflow tracker logs as artifacts (hpobench/tracking/_figures.py), so a
notebook and the MLflow UI show the same pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hpobench.direction import StudyDirection

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from hpobench.study import Study

__all__ = [
    "plot_contour",
    "plot_intermediate_values",
    "plot_optimization_history",
    "plot_parallel_coordinate",
    "plot_param_importances",
    "plot_slice",
]


def _figure(draw: Callable) -> Figure:
    from matplotlib.figure import Figure  # no pyplot: no window, no global state

    fig = Figure(figsize=(6.4, 4.0))
    from hpobench.tracking import tidy_layout

    draw(fig.subplots())
    tidy_layout(fig)
    return fig


def plot_optimization_history(study: Study) -> Figure:
    """Objective value per trial number and the best-so-far line."""
    from hpobench.tracking import plot_history

    maximize = study.direction == StudyDirection.MAXIMIZE
    return _figure(lambda ax: plot_history(ax, study.get_trials(deepcopy=False), maximize=maximize))


def plot_intermediate_values(study: Study) -> Figure:
    """The learning curves; pruned trials in red end where they were cut."""
    from hpobench.tracking import plot_learning_curves

    return _figure(lambda ax: plot_learning_curves(ax, study.get_trials(deepcopy=False)))


def plot_param_importances(study: Study) -> Figure:
    """Random-forest importances of the parameters (hpobench/tracking/_importance.py); needs complete trials."""
    from hpobench.tracking import param_importances, plot_importances

    importances = param_importances(study.get_trials(deepcopy=False))
    if not importances:
        raise ValueError(f"study {study.study_name!r} has too few complete trials for parameter importances.")
    return _figure(lambda ax: plot_importances(ax, importances))


def plot_slice(study: Study) -> Figure:
    """Objective value against each of the two most important parameters."""
    return _param_figure(study, "plot_slice", 2)


def plot_contour(study: Study) -> Figure:
    """Objective value over the two most important parameters; a study with one parameter is a clear error."""
    return _param_figure(study, "plot_contour", 2)


def plot_parallel_coordinate(study: Study) -> Figure:
    """One line per complete trial across all parameters and the objective."""
    return _param_figure(study, "plot_parallel_coordinate", None)


def _param_figure(study: Study, name: str, top: int | None) -> Figure:
    from matplotlib.figure import Figure

    from hpobench.tracking import param_figures

    trials = study.get_trials(deepcopy=False)
    names = param_figures.ranked_params(trials)[:top]
    if not names:
        raise ValueError(f"study {study.study_name!r} has no complete trial to plot.")
    fig = Figure(figsize=(6.4, 4.0))
    draw = getattr(param_figures, name)
    draw(fig.subplots() if name == "plot_parallel_coordinate" else fig, trials, names)
    return fig
