"""matplotlib helpers shared by the experiments (Agg backend: no display needed)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402

from hpobench.tracking import fit_titles  # noqa: E402


def panels(n: int, *, width: float = 4.2, height: float = 3.4) -> tuple[plt.Figure, list[plt.Axes]]:
    """A row of n panels (n >= 1)."""
    # At least 7 inches wide, so a one-panel figure still fits its title.
    fig, axes = plt.subplots(1, n, figsize=(max(width * n, 7.0), height), squeeze=False)
    return fig, list(axes[0])


# Fixed styles, so a method looks the same in every figure: the colour names the
# sampler (or the peer), the line style the pruner.
SAMPLER_COLORS = {
    "tpe": "#1f77b4",
    "random": "#7f7f7f",
    "optuna_tpe": "#ff7f0e",
    "hyperopt_tpe": "#8c564b",
    "smac": "#2ca02c",
    "smac_hyperband": "#2ca02c",
    "synetune_asha": "#d62728",
    "synetune_bohb": "#9467bd",
    "synetune_hyperband": "#e377c2",
    "optuna_cmaes": "#bcbd22",
    "optuna_gp": "#17becf",
    "optuna_random": "#c7c7c7",
    "qmc": "#aec7e8",
    "grid": "#98df8a",
}
PRUNER_LINES = {
    "nop": "-",
    "median": "--",
    "optuna_median": "--",
    "asha": "-.",
    "optuna_sha": "-.",
    "hyperband": ":",
    "optuna_hyperband": ":",
}


# A variant with bracketed options (paper.methods: 'tpe[pruned_ranking=budget]+asha[min_resource=4]')
# takes one of these by a stable hash of its label, so it differs from its base method everywhere.
VARIANT_COLORS = ("#000080", "#008080", "#800000", "#808000", "#4b0082", "#2f4f4f")


def style(label: str) -> dict[str, str]:
    """matplotlib color and linestyle of a method label ('tpe+asha', 'synetune_bohb', 'random')."""
    sampler, _, pruner = label.partition("+")
    base_sampler, base_pruner = sampler.partition("[")[0], (pruner or "nop").partition("[")[0]
    if "[" in label:
        color = VARIANT_COLORS[int(hashlib.sha1(label.encode()).hexdigest(), 16) % len(VARIANT_COLORS)]
    else:
        color = SAMPLER_COLORS.get(base_sampler, "black")
    return {"color": color, "linestyle": PRUNER_LINES.get(base_pruner, "-")}


def band(ax: plt.Axes, x: np.ndarray, quartiles: np.ndarray, *, label: str, **style) -> None:
    """Median line with the interquartile band (quartiles: rows q25, median, q75)."""
    (line,) = ax.step(x, quartiles[1], where="post", label=label, **style)
    ax.fill_between(x, quartiles[0], quartiles[2], step="post", alpha=0.18, color=line.get_color(), linewidth=0)


def save(fig: plt.Figure, path: Path, *, layout: bool = True) -> Path:
    """Write fig as PNG (150 dpi), creating the folder, and close it.

    layout=False keeps a layout the caller made; bbox "tight" keeps a legend
    placed outside the axes inside the picture.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fit_titles(fig)  # a long title ran off both edges of the pruning figure
    if layout:
        fig.tight_layout()
    fig.savefig(path, dpi=150, bbox_inches="tight")
    plt.close(fig)
    return path
