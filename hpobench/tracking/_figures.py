"""Per-study figures logged as MLflow artifacts: history, learning curves, importances.

Each figure is a small function of the study's trials that draws on a given
matplotlib Axes, so the paper and the tests can reuse them without MLflow.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from hpobench.direction import StudyDirection
from hpobench.tracking._importance import param_importances
from hpobench.trial import FrozenTrial, TrialState

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from hpobench.study import Study

_COLORS = {TrialState.COMPLETE: "tab:blue", TrialState.PRUNED: "tab:red", TrialState.FAIL: "tab:gray"}


def plot_history(ax: "Axes", trials: list[FrozenTrial], *, maximize: bool) -> None:
    """Objective value per trial number and the best-so-far line."""
    scored = sorted((t for t in trials if _scored(t)), key=lambda t: t.number)
    numbers = np.array([t.number for t in scored])
    values = np.array([t.value for t in scored])
    ax.scatter(numbers, values, s=12, color="tab:blue", label="complete trial")
    if len(values):
        best = np.maximum.accumulate(values) if maximize else np.minimum.accumulate(values)
        ax.step(numbers, best, where="post", color="black", label="best so far")
    ax.set_xlabel("trial number")
    ax.set_ylabel("objective value")
    ax.set_title("Optimization history")
    ax.legend(loc="best")


def plot_learning_curves(ax: "Axes", trials: list[FrozenTrial]) -> None:
    """Intermediate values per step; complete, pruned and failed trials in different colours."""
    drawn = set()
    for trial in trials:
        if not trial.intermediate_values or trial.state not in _COLORS:
            continue
        steps = sorted(trial.intermediate_values)
        label = None if trial.state in drawn else trial.state.name.lower()
        drawn.add(trial.state)
        ax.plot(steps, [trial.intermediate_values[s] for s in steps], color=_COLORS[trial.state], alpha=0.6, lw=1, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("intermediate value")
    ax.set_title("Learning curves")
    if drawn:
        ax.legend(loc="best")


def plot_importances(ax: "Axes", importances: dict[str, float]) -> None:
    """Horizontal bars, most important parameter on top."""
    names = list(importances)[::-1]
    ax.barh(names, [importances[n] for n in names], color="tab:blue")
    ax.set_xlabel("importance (random-forest impurity share)")
    ax.set_title("Parameter importances")


def fit_titles(fig: "Figure") -> None:
    """Wrap each title wider than its room (suptitle: the figure, a title: its axes).

    matplotlib never wraps a title: a long one ran off both edges of the figure,
    and tight_layout cannot shrink it. Call before tight_layout, which then
    makes room for the extra lines.
    """
    titles = [(fig._suptitle, fig.bbox.width)] + [(ax.title, ax.get_window_extent().width) for ax in fig.axes]
    for title, room in titles:
        if title is None or not title.get_text():
            continue
        width = title.get_window_extent().width
        if width > 0.95 * room:
            text = title.get_text()
            chars = max(10, int(len(text) * 0.9 * room / width))
            title.set_text("\n".join(textwrap.fill(line, chars) for line in text.splitlines()))


def write_figures(study: "Study", folder: str | Path) -> list[Path]:
    """Write the study's figures (PNG) and trials table (CSV) into folder; returns the paths."""
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window (also in worker processes)
    import matplotlib.pyplot as plt

    folder = Path(folder)
    trials = study.get_trials(deepcopy=False)
    maximize = study.direction == StudyDirection.MAXIMIZE
    importances = param_importances(trials)
    drawings = {
        "optimization_history.png": lambda ax: plot_history(ax, trials, maximize=maximize),
        "learning_curves.png": lambda ax: plot_learning_curves(ax, trials),
    }
    if importances:
        drawings["param_importances.png"] = lambda ax: plot_importances(ax, importances)
    paths = []
    for name, draw in drawings.items():
        fig, ax = plt.subplots(figsize=(6.4, 4.0))
        draw(ax)
        fit_titles(fig)
        fig.tight_layout()
        fig.savefig(folder / name, dpi=100)
        plt.close(fig)
        paths.append(folder / name)
    study.trials_dataframe().to_csv(folder / "trials.csv", index=False)
    return paths + [folder / "trials.csv"]


def _scored(trial: FrozenTrial) -> bool:
    return trial.state == TrialState.COMPLETE and trial.value is not None and math.isfinite(trial.value)
