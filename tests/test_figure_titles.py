"""Long figure titles are wrapped to stay inside the picture (issue 17 point 6).

A title wider than the figure ran off both edges of the pruning figure: these
render figures through the functions that lay them out and check every title's
window extent against the figure's bbox.
"""

from __future__ import annotations

from hpobench.visualization import _figure
from paper.figures import panels, save

LONG = (
    "Pruning on LCBench: 34 tasks, 10 seeds, best validation error against the cumulated "
    "epochs of every trial, median and interquartile band per pruner and sampler"
)


def _inside(fig, text) -> bool:
    extent = text.get_window_extent(fig._get_renderer())
    box = fig.bbox
    return box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1


def test_paper_save_wraps_a_long_suptitle_and_axes_titles(tmp_path):
    fig, axes = panels(2)
    fig.suptitle(LONG, fontsize=10)
    for ax in axes:
        ax.plot([0, 1], [1, 0])
        ax.set_title(LONG[:90], fontsize=9)
    path = save(fig, tmp_path / "pruning.png")
    assert path.stat().st_size > 0
    assert "\n" in fig._suptitle.get_text()
    assert all(_inside(fig, t) for t in [fig._suptitle] + [ax.title for ax in axes])


def test_notebook_figure_wraps_a_long_title():
    fig = _figure(lambda ax: (ax.plot([0, 1]), ax.set_title(LONG)))
    (ax,) = fig.axes
    assert _inside(fig, ax.title)


def test_a_short_title_is_left_alone(tmp_path):
    fig, (ax,) = panels(1)
    ax.set_title("Optimization history")
    save(fig, tmp_path / "short.png")
    assert ax.title.get_text() == "Optimization history"
