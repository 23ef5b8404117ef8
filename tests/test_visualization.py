"""hpobench.visualization: the study plots of a notebook, drawn from a real study."""

from __future__ import annotations

import pytest

import hpobench
from hpobench import visualization
from hpobench.pruners import MedianPruner
from hpobench.samplers import RandomSampler


def _study() -> hpobench.Study:
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=MedianPruner(n_startup_trials=2))

    def objective(trial):
        x, y = trial.suggest_float("x", -2, 2), trial.suggest_float("y", -2, 2)
        for step in range(5):
            trial.report(x**2 + 0.01 * y + 1 / (step + 1), step)
            if trial.should_prune():
                raise hpobench.TrialPruned()
        return x**2 + 0.01 * y

    study.optimize(objective, n_trials=12)
    return study


@pytest.mark.parametrize("plot", ["plot_optimization_history", "plot_intermediate_values", "plot_param_importances"])
def test_each_plot_draws_the_study_with_its_title_inside_the_figure(plot, tmp_path):
    fig = getattr(visualization, plot)(_study())
    (ax,) = fig.axes
    assert ax.has_data()
    fig.savefig(tmp_path / "plot.png")  # draws, so the title's extent is known
    title, frame = ax.title.get_window_extent(), fig.bbox
    assert title.x0 >= frame.x0 and title.x1 <= frame.x1 and title.y1 <= frame.y1


def test_importances_name_the_parameter_that_matters():
    fig = visualization.plot_param_importances(_study())
    labels = [label.get_text() for label in fig.axes[0].get_yticklabels()]
    assert labels[-1] == "x"  # most important on top


def test_importances_of_a_study_without_complete_trials_is_a_clear_error():
    with pytest.raises(ValueError, match="too few complete trials"):
        visualization.plot_param_importances(hpobench.create_study())


@pytest.mark.parametrize("plot", ["plot_slice", "plot_contour", "plot_parallel_coordinate"])
def test_parameter_plots_draw_a_study_with_pruned_trials(plot):
    study = _study()
    assert any(t.state == hpobench.TrialState.PRUNED for t in study.trials)
    fig = getattr(visualization, plot)(study)
    assert any(ax.has_data() for ax in fig.axes)


def test_contour_of_a_one_parameter_study_is_a_clear_error():
    study = hpobench.create_study(sampler=RandomSampler(seed=0))
    study.optimize(lambda trial: trial.suggest_float("x", 0, 1), n_trials=6)
    with pytest.raises(ValueError, match="needs two parameters"):
        visualization.plot_contour(study)
