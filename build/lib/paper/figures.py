"""matplotlib helpers shared by the experiments (Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402


def panels(n: int, *, width: float = 4.2, height: float = 3.4) -> tuple[plt.Figure, list[plt.Axes]]:
    """A row of n panels (n >= 1)."""
    # At least 7 inches wide, so a one-panel figure still fits its title.
    fig, axes = plt.subplots(1, n, figsize=(max(width * n, 7.0), height), squeeze=False)
    return fig, list(axes[0])


def band(ax: plt.Axes, x: np.ndarray, quartiles: np.ndarray, *, label: str, **style) -> None:
    """Median line with the interquartile band (quartiles: rows q25, median, q75)."""
    (line,) = ax.step(x, quartiles[1], where="post", label=label, **style)
    ax.fill_between(x, quartiles[0], quartiles[2], step="post", alpha=0.18, color=line.get_color(), linewidth=0)


def save(fig: plt.Figure, path: Path) -> Path:
    """Write fig as PNG (150 dpi), creating the folder, and close it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path
