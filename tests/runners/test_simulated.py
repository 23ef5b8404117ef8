"""SimulatedRunner: virtual-time replay of recorded curves (exact counts, order, determinism, overlap)."""

from __future__ import annotations

import logging

import numpy as np
import pytest

import hpobench
from hpobench.pruners import NopPruner
from hpobench.runners import SimulatedRunner, study_time_table
from hpobench.samplers import RandomSampler
from hpobench.trial import TrialState
from tests.runners._problems import Quadratic, SyntheticCurves, ThresholdAfter


def _study(storage=None, pruner=None, seed=0, name=None) -> hpobench.Study:
    return hpobench.create_study(
        storage=storage,
        study_name=name,
        sampler=RandomSampler(seed=seed),
        pruner=pruner or NopPruner(),
        load_if_exists=name is not None,
    )


def _signature(study: hpobench.Study) -> list[tuple]:
    return [
        (
            t.number,
            t.state,
            t.params,
            t.values,
            t.intermediate_values,
            t.system_attrs["sim_start"],
            t.system_attrs["sim_end"],
            t.system_attrs["sim_worker"],
        )
        for t in study.trials
    ]


def test_same_seed_gives_identical_trials_including_virtual_times():
    runs = []
    for _ in range(2):
        study = _study(pruner=ThresholdAfter(threshold=0.25))
        SimulatedRunner(n_workers=4).run(study, SyntheticCurves(seed=3), n_trials=40)
        runs.append(_signature(study))
    assert runs[0] == runs[1]
    states = {row[1] for row in runs[0]}
    assert states == {TrialState.COMPLETE, TrialState.PRUNED}  # both paths were replayed
    other = _study(pruner=ThresholdAfter(threshold=0.25), seed=1)
    SimulatedRunner(n_workers=4).run(other, SyntheticCurves(seed=3), n_trials=40)
    assert _signature(other) != runs[0]


def test_virtual_times_follow_the_recorded_step_times():
    problem = SyntheticCurves(seed=0)
    study = _study(pruner=ThresholdAfter(threshold=0.25))
    SimulatedRunner(n_workers=3).run(study, problem, n_trials=30)
    for trial in study.trials:
        values, step_times = problem.curve(trial.params, seed=trial.number)
        steps = len(trial.intermediate_values)
        assert [trial.intermediate_values[k] for k in range(1, steps + 1)] == pytest.approx(values[:steps])
        duration = trial.system_attrs["sim_end"] - trial.system_attrs["sim_start"]
        assert duration == pytest.approx(np.sum(step_times[:steps]))
        if trial.state == TrialState.COMPLETE:
            assert steps == problem.max_step and trial.value == pytest.approx(values[-1])
        else:
            assert trial.state == TrialState.PRUNED and steps >= 3


def test_n_workers_overlap_in_virtual_time_and_each_worker_runs_one_trial_at_a_time():
    study = _study()
    SimulatedRunner(n_workers=5).run(study, SyntheticCurves(seed=0), n_trials=40)
    table = study_time_table(study)
    assert len(table) == 40 and set(table["sim_worker"]) == set(range(5))
    starts, ends = table["sim_start"].to_numpy(), table["sim_end"].to_numpy()
    running_at_each_start = [int(np.sum((starts <= s) & (ends > s))) for s in starts]
    assert max(running_at_each_start) == 5
    for _, rows in table.groupby("sim_worker"):
        rows = rows.sort_values("sim_start")
        # a worker starts its next trial the moment its previous one ends (zero overhead)
        assert rows["sim_start"].to_numpy()[1:] == pytest.approx(rows["sim_end"].to_numpy()[:-1])


def test_sampler_sees_the_study_as_it_is_at_that_virtual_time():
    study = _study()
    SimulatedRunner(n_workers=4).run(study, SyntheticCurves(seed=0), n_trials=30)
    table = study_time_table(study).set_index("number")
    for trial in study.trials:
        start = trial.system_attrs["sim_start"]
        assert trial.user_attrs["seen_finished"] == int(np.sum(table["sim_end"] <= start))


def test_constant_overhead_is_charged_to_the_clock():
    study = _study()
    SimulatedRunner(n_workers=2, overhead="constant", overhead_seconds=10.0).run(study, SyntheticCurves(), n_trials=6)
    table = study_time_table(study)
    assert sorted(table["sim_start"])[:2] == [10.0, 10.0]
    for _, rows in table.groupby("sim_worker"):
        rows = rows.sort_values("sim_start")
        assert rows["sim_start"].to_numpy()[1:] == pytest.approx(rows["sim_end"].to_numpy()[:-1] + 10.0)


def test_measured_overhead_charges_the_wall_time_of_ask_and_configure():
    study = _study()
    SimulatedRunner(n_workers=1, overhead="measured").run(study, SyntheticCurves(), n_trials=4)
    table = study_time_table(study)
    assert table["sim_start"].iloc[0] > 0.0
    assert np.all(table["sim_start"].to_numpy()[1:] > table["sim_end"].to_numpy()[:-1])


def test_resume_on_sqlite_continues_the_clock_and_the_count(sqlite_url):
    runner = SimulatedRunner(n_workers=3)
    runner.run(_study(sqlite_url, name="sim"), SyntheticCurves(), n_trials=10)
    first_end = study_time_table(_study(sqlite_url, name="sim"))["sim_end"].max()
    runner.run(_study(sqlite_url, name="sim"), SyntheticCurves(), n_trials=20)
    trials = _study(sqlite_url, name="sim").trials
    assert [t.number for t in trials] == list(range(20))
    assert all(t.state == TrialState.COMPLETE for t in trials)
    assert min(t.system_attrs["sim_start"] for t in trials[10:]) == pytest.approx(first_end)


def test_failing_configure_fails_its_trial_and_the_run_goes_on(caplog):
    study = _study()
    seen = []
    with caplog.at_level(logging.WARNING, logger="hpobench"):
        SimulatedRunner(n_workers=2).run(
            study, SyntheticCurves(fail_number=2), n_trials=6, callbacks=[lambda s, t: seen.append(t.number)]
        )
    states = [t.state for t in study.trials]
    assert states.count(TrialState.FAIL) == 1 and states[2] == TrialState.FAIL
    assert "planned failure in trial 2" in study.trials[2].system_attrs["fail_reason"]
    assert any("Trial 2 failed" in r.getMessage() for r in caplog.records)
    assert sorted(seen) == list(range(6))


def test_virtual_timeout_and_stop():
    study = _study()
    SimulatedRunner(n_workers=2).run(study, SyntheticCurves(), n_trials=100, timeout=100.0)
    table = study_time_table(study)
    assert 2 < len(table) < 100 and table["sim_start"].max() < 100.0 <= table["sim_end"].max()
    stopped = _study()
    SimulatedRunner(n_workers=3).run(stopped, SyntheticCurves(), n_trials=100, callbacks=[lambda s, t: s.stop()])
    assert len(stopped.trials) == 3  # the two others in flight finish


def test_time_table_best_so_far_is_monotone():
    study = _study()
    SimulatedRunner(n_workers=4).run(study, SyntheticCurves(), n_trials=25)
    table = study_time_table(study)
    assert list(table.columns) == [
        "number",
        "state",
        "value",
        "sim_start",
        "sim_end",
        "sim_worker",
        "steps",
        "best_so_far",
    ]
    assert table["sim_end"].is_monotonic_increasing
    assert np.all(np.diff(table["best_so_far"].to_numpy()) <= 0)
    assert table["best_so_far"].iloc[-1] == study.best_value


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="'fast'"):
        SimulatedRunner(overhead="fast")
    with pytest.raises(ValueError, match="-1"):
        SimulatedRunner(overhead="constant", overhead_seconds=-1)
    with pytest.raises(ValueError, match="only used with overhead='constant'"):
        SimulatedRunner(overhead_seconds=2.0)
    with pytest.raises(ValueError, match="n_workers"):
        SimulatedRunner(n_workers=0)
    with pytest.raises(TypeError, match="RecordedProblemInterface"):
        SimulatedRunner().run(_study(), Quadratic(), n_trials=3)


def test_tpe_with_asha_is_reproducible_on_the_virtual_clock():
    from hpobench.pruners import SuccessiveHalvingPruner
    from hpobench.samplers import TPESampler

    runs = []
    for _ in range(2):
        study = hpobench.create_study(sampler=TPESampler(seed=7), pruner=SuccessiveHalvingPruner(max_resource=12))
        SimulatedRunner(n_workers=8).run(study, SyntheticCurves(seed=1), n_trials=60)
        runs.append(_signature(study))
    assert runs[0] == runs[1]
    assert any(row[1] == TrialState.PRUNED for row in runs[0])


def test_recorded_mlp_digits_replays_its_table_on_the_virtual_clock():
    from hpobench.problems import get_problem
    from hpobench.pruners import SuccessiveHalvingPruner
    from hpobench.samplers import TPESampler

    problem = get_problem("recorded/mlp_digits", seed=0)
    runs = []
    for _ in range(2):
        study = hpobench.create_study(
            sampler=TPESampler(seed=0), pruner=SuccessiveHalvingPruner(max_resource=problem.max_step)
        )
        SimulatedRunner(n_workers=8).run(study, problem, n_trials=40)
        runs.append(_signature(study))
    assert runs[0] == runs[1]
    for trial in study.trials:
        values, step_times = problem.curve(trial.params, seed=trial.number)
        steps = len(trial.intermediate_values)
        assert [trial.intermediate_values[k] for k in range(1, steps + 1)] == pytest.approx(values[:steps])
        duration = trial.system_attrs["sim_end"] - trial.system_attrs["sim_start"]
        assert duration == pytest.approx(float(np.sum(step_times[:steps])))
    table = study_time_table(study)
    starts, ends = table["sim_start"].to_numpy(), table["sim_end"].to_numpy()
    assert max(int(np.sum((starts <= s) & (ends > s))) for s in starts) == 8
