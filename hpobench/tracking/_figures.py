"""Per-study figures logged as MLflow artifacts: history, learning curves, importances,
slice, contour and parallel coordinates (the last three in _param_figures.py).

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


def plot_history(ax: Axes, trials: list[FrozenTrial], *, maximize: bool) -> None:
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


def plot_learning_curves(ax: Axes, trials: list[FrozenTrial]) -> None:
    """Intermediate values per step; complete, pruned and failed trials in different colours."""
    drawn = set()
    for trial in trials:
        if not trial.intermediate_values or trial.state not in _COLORS:
            continue
        steps = sorted(trial.intermediate_values)
        label = None if trial.state in drawn else trial.state.name.lower()
        drawn.add(trial.state)
        ax.plot(
            steps,
            [trial.intermediate_values[s] for s in steps],
            color=_COLORS[trial.state],
            alpha=0.6,
            lw=1,
            label=label,
        )
    ax.set_xlabel("step")
    ax.set_ylabel("intermediate value")
    ax.set_title("Learning curves")
    if drawn:
        ax.legend(loc="best")


def plot_importances(ax: Axes, importances: dict[str, float]) -> None:
    """Horizontal bars, most important parameter on top."""
    names = list(importances)[::-1]
    ax.barh(names, [importances[n] for n in names], color="tab:blue")
    ax.set_xlabel("importance (random-forest impurity share)")
    ax.set_title("Parameter importances")


def fit_titles(fig: Figure) -> None:
    """Wrap each title wider than its room (suptitle: the figure, a title: its axes).

    matplotlib never wraps a title: a long one ran off both edges of the figure,
    and tight_layout cannot shrink it. Call before tight_layout, which then
    makes room for the extra lines.
    """
    # matplotlib keeps the suptitle's Text object in a private attribute (get_suptitle() gives only its string)
    titles = [(getattr(fig, "_suptitle", None), fig.bbox.width)] + [
        (ax.title, ax.get_window_extent().width) for ax in fig.axes
    ]
    for title, room in titles:
        if title is None or not title.get_text():
            continue
        width = title.get_window_extent().width
        if width > 0.95 * room:
            text = title.get_text()
            chars = max(10, int(len(text) * 0.9 * room / width))
            title.set_text("\n".join(textwrap.fill(line, chars) for line in text.splitlines()))


def tidy_layout(fig: Figure) -> None:
    """Wrap long titles, then tight_layout, without the console warning colourbar axes trigger."""
    import warnings

    fit_titles(fig)
    with warnings.catch_warnings():
        # A colourbar's axes "are not compatible with tight_layout": the layout is still fine for
        # these figures, and the warning would reach the console of every CLI run.
        warnings.filterwarnings("ignore", message=".*not compatible with tight_layout", category=UserWarning)
        fig.tight_layout()


def write_figures(study: Study, folder: str | Path) -> list[Path]:
    """Write each figure as PNG and as self-contained HTML, and the trials table (CSV); returns the paths."""
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window (also in worker processes)
    import matplotlib.pyplot as plt

    folder = Path(folder)
    table = study.trials_dataframe()
    paths = []
    for name, draw in figure_drawings(study).items():
        fig = plt.figure(figsize=(6.4, 4.0))
        draw(fig)
        tidy_layout(fig)
        fig.savefig(folder / f"{name}.png", dpi=100)
        (folder / f"{name}.html").write_text(_html_page(fig, name, table), encoding="utf-8")
        plt.close(fig)
        paths += [folder / f"{name}.png", folder / f"{name}.html"]
    table.to_csv(folder / "trials.csv", index=False)
    return paths + [folder / "trials.csv"]


def figure_drawings(study: Study) -> dict:
    """Figure name -> function drawing it on a matplotlib Figure; plots the trials cannot support are left out."""
    from hpobench.tracking._param_figures import plot_contour, plot_parallel_coordinate, plot_slice, ranked_params

    trials = study.get_trials(deepcopy=False)
    maximize = study.direction == StudyDirection.MAXIMIZE
    importances = param_importances(trials)
    drawings = {
        "optimization_history": lambda fig: plot_history(fig.subplots(), trials, maximize=maximize),
        "learning_curves": lambda fig: plot_learning_curves(fig.subplots(), trials),
    }
    if importances:
        drawings["param_importances"] = lambda fig: plot_importances(fig.subplots(), importances)
    names = ranked_params(trials, importances)
    if names and any(_scored(t) for t in trials):
        drawings["slice"] = lambda fig: plot_slice(fig, trials, names[:2])
        drawings["parallel_coordinate"] = lambda fig: plot_parallel_coordinate(fig.subplots(), trials, names)
        if len(names) >= 2:
            drawings["contour"] = lambda fig: plot_contour(fig, trials, names[:2])
    return drawings


_INTERACTION_JS = """
const svg = document.querySelector('svg');
const box0 = svg.viewBox.baseVal;
const home = [box0.x, box0.y, box0.width, box0.height];
let box = home.slice(), drag = null;
const show = () => svg.setAttribute('viewBox', box.join(' '));
svg.addEventListener('wheel', e => {
  e.preventDefault();
  const r = svg.getBoundingClientRect(), k = e.deltaY > 0 ? 1.2 : 1 / 1.2;
  const fx = (e.clientX - r.left) / r.width, fy = (e.clientY - r.top) / r.height;
  const w = box[2] * k, h = box[3] * k;
  box = [box[0] + (box[2] - w) * fx, box[1] + (box[3] - h) * fy, w, h]; show();
});
svg.addEventListener('mousedown', e => { drag = [e.clientX, e.clientY]; });
window.addEventListener('mouseup', () => { drag = null; });
window.addEventListener('mousemove', e => {
  if (!drag) return;
  const r = svg.getBoundingClientRect();
  box[0] -= (e.clientX - drag[0]) * box[2] / r.width; box[1] -= (e.clientY - drag[1]) * box[3] / r.height;
  drag = [e.clientX, e.clientY]; show();
});
svg.addEventListener('dblclick', () => { box = home.slice(); show(); });
document.querySelectorAll('table.trials th').forEach((th, i) => th.addEventListener('click', () => {
  const body = th.closest('table').tBodies[0], rows = Array.from(body.rows);
  const key = r => { const t = r.cells[i].textContent, n = parseFloat(t); return isNaN(n) ? t : n; };
  const up = th.dataset.up !== '1'; th.dataset.up = up ? '1' : '0';
  rows.sort((a, b) => (key(a) > key(b) ? 1 : key(a) < key(b) ? -1 : 0) * (up ? 1 : -1));
  rows.forEach(r => body.appendChild(r));
}));
"""


def _html_page(fig, name: str, table) -> str:
    """The figure as inline SVG above the trials table: one offline file for MLflow's viewer.

    A few lines of inline script make it interactive without a CDN or plotly: the
    wheel zooms the figure, dragging pans it, a double click resets it, and a click
    on a table header sorts the trials by that column. Without scripts (a sandboxed
    frame) it is the same figure and table, static.
    """
    import html
    import io

    svg = io.StringIO()
    fig.savefig(svg, format="svg")
    body = svg.getvalue()
    body = body[body.index("<svg") :]  # drop the XML prolog and doctype, not valid inside HTML
    rows = table.to_html(index=False, border=0, na_rep="", classes="trials")
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(name)}</title>'
        "<style>body{font-family:sans-serif} table.trials{border-collapse:collapse;font-size:12px}"
        " table.trials td,table.trials th{padding:2px 6px;border-bottom:1px solid #ddd}"
        " table.trials tr:hover{background:#eef} table.trials th{cursor:pointer} svg{cursor:grab}</style></head>\n"
        f"<body>{body}\n<h3>Trials</h3>\n{rows}\n<script>{_INTERACTION_JS}</script>\n</body></html>\n"
    )


def _scored(trial: FrozenTrial) -> bool:
    return trial.state == TrialState.COMPLETE and trial.value is not None and math.isfinite(trial.value)
