"""Recorded (tabular) problems: the committed tables, exact replay, nearest-neighbour rule."""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

import hpobench
from hpobench.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from hpobench.problems import get_problem
from hpobench.problems.recorded import RECORDED_TASKS, TabularProblem
from hpobench.problems.recorded._nearest import distances, encode_query, normalize
from hpobench.problems.recorded._table import DATA_DIR, load_table, table_path
from hpobench.pruners.base import BasePruner
from hpobench.pruners.nop import NopPruner
from hpobench.samplers.random import RandomSampler
from hpobench.trial import TrialState


class PruneAtStep2(BasePruner):
    def prune(self, study, trial):
        return trial.last_step is not None and trial.last_step >= 2


@pytest.mark.parametrize("task", RECORDED_TASKS)
def test_table_exists_with_at_least_1000_full_curves(task):
    table = load_table(table_path(task))
    real = get_problem(task, seed=0)
    assert len(table) >= 1000
    assert table.values.shape == table.seconds.shape == (len(table), real.max_step)
    assert np.all((table.values >= 0) & (table.values <= 1))
    assert np.all(table.seconds >= 0) and np.all(table.seconds.sum(axis=1) > 0)
    assert set(table.params) == set(table.distributions)
    manifest = json.loads((DATA_DIR / "manifest.json").read_text())[task]
    assert manifest["n_configs"] == len(table)
    assert {"command", "machine", "date", "wall_seconds"} <= set(manifest)


@pytest.mark.parametrize("task", RECORDED_TASKS)
def test_every_recorded_configuration_replays_its_curve_exactly(task):
    problem = get_problem(f"recorded/{task}", seed=0)
    table = problem.table
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=NopPruner())
    for row in range(len(table)):
        study.enqueue_trial(table.config(row))
    lookup = 0.0
    for row in range(len(table)):
        trial = study.ask()
        config = problem.configure(trial)
        start = time.perf_counter()
        values, seconds = problem.curve(config, seed=trial.number)
        lookup += time.perf_counter() - start
        np.testing.assert_array_equal(values, table.values[row])
        np.testing.assert_array_equal(seconds, table.seconds[row])
        study.tell(trial, float(values[-1]))
    print(f"\n{task}: {len(table)} curve lookups in {lookup:.3f} s ({1e3 * lookup / len(table):.3f} ms each)")
    assert study.best_value == problem.optimal_value == table.values[:, -1].min()


@pytest.mark.parametrize("task", RECORDED_TASKS)
def test_recorded_space_is_the_real_task_space(task):
    real, recorded = get_problem(task, seed=0), get_problem(f"recorded/{task}", seed=0)
    assert recorded.max_step == real.max_step and recorded.name == f"recorded/{task}"
    spaces = []
    for problem in (real, recorded):
        study = hpobench.create_study(sampler=RandomSampler(seed=5), pruner=NopPruner())
        for _ in range(30):
            trial = study.ask()
            problem.configure(trial)
            study.tell(trial, 0.0)
        spaces.append([t.distributions for t in study.trials])
    assert spaces[0] == spaces[1]


def test_objective_replays_with_report_and_should_prune():
    problem = get_problem("recorded/mlp_digits", seed=0)
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=PruneAtStep2())
    study.optimize(problem.objective, n_trials=3)
    assert all(t.state == TrialState.PRUNED and sorted(t.intermediate_values) == [1, 2] for t in study.trials)
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=NopPruner())
    study.optimize(problem.objective, n_trials=3)
    for trial in study.trials:
        values, _ = problem.curve(trial.params)
        assert [trial.intermediate_values[s] for s in range(1, problem.max_step + 1)] == list(values)


def test_unrecorded_configuration_gets_the_nearest_row_with_the_same_categoricals():
    problem = get_problem("recorded/linear_sgd", seed=0)
    config = problem.table.config(7)
    config["alpha"] *= 1.01  # a tiny move in log space keeps row 7 the nearest
    assert problem.nearest(config) == 7
    config = {
        "loss": "hinge",
        "alpha": 1e-4,
        "penalty": "elasticnet",
        "l1_ratio": 0.5,
        "schedule": "constant",
        "eta0": 1e-2,
    }
    row = problem.table.config(problem.nearest(config))
    assert {k: row[k] for k in ("loss", "penalty", "schedule")} == {
        "loss": "hinge",
        "penalty": "elasticnet",
        "schedule": "constant",
    }
    assert set(row) == set(config)


def test_distances_follow_the_documented_rule():
    # columns: numeric a, categorical c, numeric b (conditional)
    matrix = np.array([[0.5, 0.0, np.nan], [0.5, 1.0, np.nan], [0.1, 0.0, 0.2], [0.9, 0.0, np.nan]])
    is_cat = np.array([False, True, False])
    query = np.array([0.6, 0.0, np.nan])
    np.testing.assert_allclose(distances(matrix, is_cat, query, penalty=3.0), [0.01, 3.01, 3.25, 0.09])


def test_normalize_uses_log_space_for_log_distributions():
    np.testing.assert_allclose(
        normalize(np.array([1e-4, 1e-2, 1.0]), FloatDistribution(1e-4, 1.0, log=True)), [0.0, 0.5, 1.0]
    )
    np.testing.assert_allclose(normalize(np.array([2.0, 5.0]), IntDistribution(2, 8)), [0.0, 0.5])
    np.testing.assert_array_equal(normalize(np.array([2.0]), CategoricalDistribution(["a", "b", "c"])), [2.0])


def test_unknown_parameter_and_unknown_task_are_rejected_by_name():
    dists = {"x": FloatDistribution(0, 1)}
    with pytest.raises(ValueError, match="'typo'"):
        encode_query({"typo": 1.0}, ["x"], dists)
    with pytest.raises(ValueError, match="'branin'"):
        TabularProblem(task="branin", seed=0)
    with pytest.raises(ValueError, match="nowhere"):
        TabularProblem(task="mlp_digits", seed=0, data_dir="/nowhere")


def test_record_script_writes_a_table_that_replays_exactly(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    command = [
        sys.executable,
        str(root / "scripts" / "record_curves.py"),
        "--task",
        "linear_sgd",
        "--n-configs",
        "6",
        "--n-jobs",
        "1",
        "--chunk",
        "4",
        "--data-dir",
        str(tmp_path),
        "--partial-dir",
        str(tmp_path),
    ]
    subprocess.run(command, check=True, cwd=root, capture_output=True, timeout=300)
    table = load_table(tmp_path / "linear_sgd.npz")
    assert table.values.shape == (6, 30)
    manifest = json.loads((tmp_path / "manifest.json").read_text())["linear_sgd"]
    assert manifest["n_configs"] == 6 and manifest["machine"]["nproc"] >= 1
    real = get_problem("linear_sgd", seed=0)
    np.testing.assert_array_equal(real.record(table.config(3))[0], table.values[3])  # training is deterministic
    problem = TabularProblem(task="linear_sgd", seed=0, data_dir=str(tmp_path))
    for row in range(6):
        np.testing.assert_array_equal(problem.curve(table.config(row))[0], table.values[row])


@pytest.mark.parametrize("task", RECORDED_TASKS)
def test_training_a_recorded_configuration_again_gives_its_recorded_curve(task):
    table = load_table(table_path(task))
    real = get_problem(task, seed=table.meta["task_seed"])
    for row in (11, 500):
        np.testing.assert_array_equal(real.record(table.config(row))[0], table.values[row])
