"""Each experiment end to end (run -> plot -> table) on tiny budgets, in this process."""

from __future__ import annotations

import numpy as np
import pytest

from paper import overhead, pruning_recorded, ranking, speedup
from paper.registry import build
from tests.paper.conftest import TOY


def test_build_uses_group_files_and_names_unknown_ones(toy_conf):
    sampler = build("sampler", "random", seed=3)
    assert type(sampler).__name__ == "RandomSampler" and sampler.seed == 3
    with pytest.raises(ValueError, match="'nope'"):
        build("sampler", "nope")


def test_recorded_pruning_pipeline_on_toy_problem(toy_conf, tmp_path):
    pruning = pruning_recorded
    budget = {
        "problems": [TOY],
        "samplers": ["random"],
        "pruners": ["nop", "median"],
        "seeds": 2,
        "n_workers": 1,
        "n_trials": 1000,
        "timeout": 40.0,
    }
    df = pruning.run(budget, results_dir=tmp_path / "results", n_jobs=1)
    assert set(df.pruner) == {"nop", "median"} and set(df.seed) == {0, 1}
    # Without pruning each trial takes 4 * (1 + x) s, x in [0, 1]: between 5 and 10 trials fit in 40 s.
    nop = df[(df.pruner == "nop") & (df.sim_end <= 40)]
    assert nop.groupby("seed").size().between(5, 11).all()
    assert (df[df.pruner == "nop"].state == "COMPLETE").all()
    summary = pruning.summary(df).set_index("pruner")
    assert summary.loc["nop", "speedup"] == pytest.approx(1.0)
    # Median pruning stops trials early, so it finishes more trials in the same time.
    assert summary.loc["median", "trials finished"] > summary.loc["nop", "trials finished"]
    assert summary.loc["median", "pruned"] > 0
    paths = pruning.plot(df, tmp_path / "figures")
    assert paths[0].stat().st_size > 10_000
    text = pruning.table(df)
    assert "| problem | sampler | pruner |" in text and TOY in text
    # A second run reuses every cached study: same rows.
    again = pruning.run(budget, results_dir=tmp_path / "results", n_jobs=1)
    assert again.equals(df)


def test_speedup_more_workers_reach_target_sooner(toy_conf, tmp_path):
    budget = {"problems": [TOY], "sampler": "random", "pruners": ["nop"], "workers": [1, 4], "seeds": 7, "n_trials": 32}
    df = speedup.run(budget, results_dir=tmp_path / "results", n_jobs=1)
    summary = speedup.summary(df).set_index("workers")
    assert summary.loc[1, "speedup"] == pytest.approx(1.0)
    # Random search draws the same configurations whatever the worker count (rng from trial number),
    # so 4 workers reach the same target in about a quarter of the time.
    assert 2.0 < summary.loc[4, "speedup"] <= 4.5
    assert summary.loc[4, "speedup q25"] <= summary.loc[4, "speedup"] <= summary.loc[4, "speedup q75"]
    assert summary.loc[4, "efficiency"] == pytest.approx(summary.loc[4, "speedup"] / 4)
    assert speedup.plot(df, tmp_path / "figures")[0].exists()
    assert "| problem | pruner | workers |" in speedup.table(df)


def test_speedup_target_fraction_sets_the_target(toy_conf, tmp_path):
    budget = {"problems": [TOY], "sampler": "random", "pruners": ["nop"], "workers": [1, 4], "seeds": 5, "n_trials": 32}
    early = speedup.run({**budget, "target_fraction": 0.125}, results_dir=tmp_path / "results", n_jobs=1)
    late = speedup.run({**budget, "target_fraction": 1.0}, results_dir=tmp_path / "results", n_jobs=1)
    assert len(early) == len(late)  # an analysis setting: the same cached studies
    # The target is 1 worker's median best after that fraction of its trials: later is lower or equal.
    first = speedup.summary(late).set_index("workers").loc[1, "target error"]
    assert first == pytest.approx(late[late.n_workers == 1].groupby("seed").loss.min().median())
    assert first <= speedup.summary(early).set_index("workers").loc[1, "target error"]
    with pytest.raises(ValueError, match="target_fraction must be in \\(0, 1\\], got 0.0"):
        speedup.run({**budget, "target_fraction": 0}, results_dir=tmp_path / "results", n_jobs=1)


def _square(task):
    import pandas as pd

    return pd.DataFrame({"y": [task["x"] ** 2]})


def test_speedup_real_check_runs_local_processes(toy_conf, tmp_path):
    from paper.store import run_tasks

    task = {
        "problem": TOY,
        "sampler": "random",
        "pruner": "nop",
        "seed": 0,
        "n_workers": 2,
        "n_trials": 4,
        "wall_seconds": 2.0,
    }
    rows = speedup.real_check(task)
    sim, local = rows[rows.runner == "simulated"], rows[rows.runner == "local"]
    assert len(sim) == len(local) == 4 and (local.state == "COMPLETE").all()
    # Same time unit: the real run (scaled back) takes at least the simulated time, not wildly more.
    assert sim.sim_end.max() * 0.9 <= local.sim_end.max() <= sim.sim_end.max() * 5
    # joblib studies still run afterwards in the pool LocalRunner leaves for reuse.
    assert run_tasks([{"x": 2}, {"x": 3}], _square, tmp_path / "after", n_jobs=2).y.tolist() == [4, 9]


def test_ranking_pipeline(toy_conf, tmp_path):
    budget = {
        "cases": ["branin", "hartmann3"],
        "samplers": ["tpe", "random", "not_installed"],
        "seeds": 3,
        "n_trials": 12,
    }
    df = ranking.run(budget, results_dir=tmp_path / "results", n_jobs=1)
    assert set(df.sampler) == {"tpe", "random"} and "not_installed" in df.attrs["missing"]
    pairs = ranking.pair_table(df)
    assert pairs.pair.tolist() == ["tpe vs random"]
    assert int(pairs.wins.iloc[0] + pairs.losses.iloc[0] + pairs.ties.iloc[0]) == 2
    ranks = ranking.mean_rank(df)
    assert np.allclose(ranks.sum(axis=1), 3.0)  # two samplers: ranks 1 + 2 per case
    assert ranking.plot(df, tmp_path / "figures")[0].exists()
    assert "Not run: `not_installed`" in ranking.table(df)
    losing = ranking.losing_cases(df)
    assert list(losing) == ["random"] and len(losing["random"]) == int(pairs.losses.iloc[0])


def test_ranking_gives_slow_peers_fewer_seeds_and_says_so(toy_conf, tmp_path):
    budget = {
        "cases": ["branin"],
        "samplers": ["tpe", "random"],
        "seeds": 4,
        "n_trials": 6,
        "sampler_seeds": {"random": 2},
    }
    df = ranking.run(budget, results_dir=tmp_path / "results", n_jobs=1)
    assert df.groupby("sampler").seed.nunique().to_dict() == {"random": 2, "tpe": 4}
    assert "Fewer seeds for the peers too slow for 4: `random` 2 seeds" in ranking.table(df)
    assert "Fewer seeds" not in ranking.table(df[df.sampler == "tpe"])


def test_select_cases():
    names = [f"c{i}" for i in range(10)]
    assert ranking.select_cases("all", names) == names
    assert ranking.select_cases(3, names) == ["c0", "c4", "c9"]
    with pytest.raises(ValueError, match="11"):
        ranking.select_cases(11, names)


def test_overhead_pipeline(toy_conf, tmp_path):
    budget = {"samplers": ["random"], "storages": ["memory", "sqlite"], "n_trials": 20}
    df = overhead.run(budget, results_dir=tmp_path / "results")
    assert len(df) == 40 and (df.seconds > 0).all()
    summary = overhead.summary(df)
    assert summary["ratio to random"].tolist() == [1.0, 1.0]
    assert overhead.plot(df, tmp_path / "figures")[0].exists()


def test_time_budget_in_trials_worth_of_time(toy_conf):
    # Toy trials take 4 * (1 + x) s with x uniform in [0, 1]: 6 s on average.
    mean = pruning_recorded.mean_trial_seconds(TOY, n_configs=200)
    assert 5.6 < mean < 6.4
    t = pruning_recorded.time_budget({"budget_trials": 10, "n_workers": 2}, TOY)
    assert 28 < t < 32
    assert pruning_recorded.time_budget({"timeout": {TOY: 7.0}}, TOY) == 7.0
