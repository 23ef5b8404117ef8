"""Figures over the parameters: slice, contour and parallel coordinates.

They draw on a whole matplotlib Figure (a slice has one panel per parameter)
from the encoding the importances use (hpobench/tracking/_importance.py):
log-scaled parameters as log10, categoricals by choice index, so every
parameter gets a numeric axis. Only complete trials with finite values are drawn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hpobench.distributions import CategoricalDistribution
from hpobench.tracking._importance import encode, param_importances
from hpobench.trial import FrozenTrial

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def ranked_params(trials: list[FrozenTrial], importances: dict[str, float] | None = None) -> list[str]:
    """Parameter names, most important first (alphabetical while too few trials for importances).

    Pass the importances when already computed: they cost a random-forest fit.
    """
    if importances is None:
        importances = param_importances(trials)
    return list(importances) or encode(trials)[0]


def plot_slice(fig: Figure, trials: list[FrozenTrial], names: list[str]) -> None:
    """One panel per parameter: objective value against the parameter, coloured by trial number."""
    columns, x, y = _columns(trials, names)
    numbers = np.arange(len(y))
    for i, (ax, name) in enumerate(zip(np.atleast_1d(fig.subplots(1, len(names), sharey=True)), names, strict=False)):
        dots = ax.scatter(x[:, columns[name]], y, c=numbers, cmap="Blues", edgecolors="gray", s=16)
        _label_axis(ax, "x", name, trials)
        if i == 0:
            ax.set_ylabel("objective value")
    fig.colorbar(dots, ax=fig.axes, label="complete trial (in order)")
    fig.suptitle("Slice plot")


def plot_contour(fig: Figure, trials: list[FrozenTrial], names: list[str]) -> None:
    """Objective value interpolated over two parameters, with the trials as dots."""
    if len(names) != 2:
        raise ValueError(f"a contour plot needs two parameters, got {names}.")
    columns, x, y = _columns(trials, names)
    ax = fig.subplots()
    px, py = x[:, columns[names[0]]], x[:, columns[names[1]]]
    if _spans_an_area(px, py):
        filled = ax.tricontourf(px, py, y, levels=12, cmap="Blues_r")
        fig.colorbar(filled, ax=ax, label="objective value")
        ax.scatter(px, py, s=10, color="black")
    else:  # points on a line or a grid of two categoricals: no triangulation, colour the dots
        dots = ax.scatter(px, py, c=y, cmap="Blues_r", edgecolors="gray", s=30)
        fig.colorbar(dots, ax=ax, label="objective value")
    _label_axis(ax, "x", names[0], trials)
    _label_axis(ax, "y", names[1], trials)
    ax.set_title("Contour plot")


def plot_parallel_coordinate(ax: Axes, trials: list[FrozenTrial], names: list[str]) -> None:
    """One line per complete trial across the parameters (each scaled to its range) and the objective."""
    columns, x, y = _columns(trials, names)
    table = np.column_stack([x[:, columns[n]] for n in names] + [y])
    low, high = table.min(axis=0), table.max(axis=0)
    scaled = (table - low) / np.where(high > low, high - low, 1.0)
    colours = _colormap("Blues_r")((y - y.min()) / (np.ptp(y) or 1.0))
    axes_x = np.arange(table.shape[1])
    for row, colour in zip(scaled, colours, strict=False):
        ax.plot(axes_x, row, color=colour, alpha=0.7, lw=1)
    ax.set_xticks(axes_x, [_axis_name(n, trials) for n in names] + ["objective"], rotation=20)
    for i in axes_x:
        ax.axvline(float(i), color="gray", lw=0.5)
        ax.annotate(f"{high[i]:.3g}", (i, 1.0), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=7)
        ax.annotate(f"{low[i]:.3g}", (i, 0.0), xytext=(0, -10), textcoords="offset points", ha="center", fontsize=7)
    ax.set_yticks([])
    ax.set_ylim(-0.08, 1.08)
    ax.set_title("Parallel coordinates")


def _columns(trials: list[FrozenTrial], names: list[str]) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    all_names, x, y = encode(trials)
    missing = [n for n in names if n not in all_names]
    if not len(y) or missing:
        raise ValueError(f"no complete trial with parameter(s) {missing or names}.")
    return {n: i for i, n in enumerate(all_names)}, x, y


def _label_axis(ax: Axes, which: str, name: str, trials: list[FrozenTrial]) -> None:
    getattr(ax, f"set_{which}label")(_axis_name(name, trials))
    dist = _distribution(name, trials)
    if isinstance(dist, CategoricalDistribution):
        getattr(ax, f"set_{which}ticks")(range(len(dist.choices)), [str(c) for c in dist.choices])


def _axis_name(name: str, trials: list[FrozenTrial]) -> str:
    return f"log10({name})" if getattr(_distribution(name, trials), "log", False) else name


def _distribution(name: str, trials: list[FrozenTrial]):
    return next(t.distributions[name] for t in trials if name in t.distributions)


def _spans_an_area(px: np.ndarray, py: np.ndarray) -> bool:
    """True when the points have three not on one line, so they can be triangulated."""
    points = np.unique(np.column_stack([px, py]), axis=0)
    return (
        len(points) >= 3
        and np.linalg.matrix_rank(points[1:] - points[0]) == 2
        and len(np.unique(px)) > 2
        and len(np.unique(py)) > 2
    )


def _colormap(name: str):
    import matplotlib

    return matplotlib.colormaps[name]
