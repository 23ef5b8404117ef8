"""TPESampler behaviour: ranking, groups, constant liar, caching, bad input."""

from __future__ import annotations

import datetime
import math
import pickle

import numpy as np
import pytest

import hpobench
from hpobench.distributions import FloatDistribution, IntDistribution
from hpobench.pruners import NopPruner
from hpobench.samplers import TPESampler
from hpobench.samplers._history import History, column_key, rank_key, split_groups
from hpobench.trial import FrozenTrial, TrialState


def _frozen(number, state, value=None, steps=None):
    return FrozenTrial(
        number=number,
        state=state,
        values=None if value is None else [value],
        params={},
        distributions={},
        intermediate_values=dict(steps or {}),
        user_attrs={},
        system_attrs={},
        datetime_start=datetime.datetime.now(),
        datetime_complete=None,
        trial_id=number,
    )


def test_rank_key_puts_complete_then_deeper_pruned_then_running():
    trials = [
        _frozen(0, TrialState.PRUNED, steps={1: 0.1, 2: 0.5}),  # deeper than 1, worse value there
        _frozen(1, TrialState.PRUNED, steps={1: 0.0}),
        _frozen(2, TrialState.COMPLETE, 9.0),
        _frozen(3, TrialState.PRUNED, steps={1: 0.2, 2: 0.4}),  # same depth as 0, better value
        _frozen(4, TrialState.PRUNED),  # pruned before any report: the worst pruned
        _frozen(5, TrialState.RUNNING),
        _frozen(6, TrialState.COMPLETE, 1.0),
    ]
    ranked = sorted(trials, key=lambda t: rank_key(t, 1.0))
    assert [t.number for t in ranked] == [6, 2, 3, 0, 1, 4, 5]
    maximize = sorted(trials, key=lambda t: rank_key(t, -1.0))
    assert [t.number for t in maximize] == [2, 6, 0, 3, 1, 4, 5]


def test_split_groups_finds_parameters_that_always_occur_together():
    groups = []
    for params in ({"a", "b", "c"}, {"a", "b", "d"}, {"a", "b"}, {"e"}):
        groups = split_groups(groups, frozenset(params))
    assert sorted(sorted(g) for g in groups) == [["a", "b"], ["c"], ["d"], ["e"]]


def _filled_study(n, objective, seed=0, **kwargs):
    study = hpobench.create_study(sampler=TPESampler(seed=seed, **kwargs), pruner=NopPruner())
    study.optimize(objective, n_trials=n)
    return study


def test_tpe_concentrates_on_the_good_region_and_beats_random_on_a_quadratic():
    def f(trial):
        return sum((trial.suggest_float(f"x{i}", -5, 5) - 1.0) ** 2 for i in range(3))

    tpe = _filled_study(60, f)
    late = np.array([[t.params[f"x{i}"] for i in range(3)] for t in tpe.trials[-20:]])
    assert np.median(np.abs(late - 1.0)) < 1.5  # uniform on [-5, 5] would give about 2.5
    assert tpe.best_value < 1.0


def test_failed_trials_are_ignored_and_complete_ones_ranked():
    def f(trial):
        x = trial.suggest_float("x", 0, 1)
        if trial.number % 2:
            raise ValueError("fails")
        return x

    study = hpobench.create_study(sampler=TPESampler(seed=0, n_startup_trials=2), pruner=NopPruner())
    study.optimize(f, n_trials=10, catch=(ValueError,))
    history = History()
    snap = history.refresh(study, current=-1, constant_liar=True)
    assert sorted(snap.numbers.tolist()) == [0, 2, 4, 6, 8]
    best = snap.numbers[snap.order()[0]]
    assert study.trials[int(best)].value == study.best_value


def test_history_columns_grow_incrementally_and_match_a_fresh_build():
    study = _filled_study(12, lambda t: t.suggest_float("x", 0, 1) + t.suggest_int("n", 0, 3), n_startup_trials=3)
    history = History()
    history.refresh(study, current=-1, constant_liar=False)
    study.optimize(lambda t: t.suggest_float("x", 0, 1) + t.suggest_int("n", 0, 3), n_trials=5)
    grown = history.refresh(study, current=-1, constant_liar=False)
    fresh = History().refresh(study, current=-1, constant_liar=False)
    key = column_key("x", FloatDistribution(0, 1))
    order = np.argsort(grown.numbers)
    assert np.array_equal(grown.numbers[order], fresh.numbers)
    assert np.array_equal(grown.columns[key][order], fresh.columns[key])
    assert np.array_equal(grown.columns[key], [t.params["x"] for t in study.trials])


def test_constant_liar_spreads_trials_that_run_at_the_same_time():
    def started_values(constant_liar):
        study = hpobench.create_study(
            sampler=TPESampler(seed=0, n_startup_trials=0, constant_liar=constant_liar), pruner=NopPruner()
        )
        for n in range(10):  # history: n = 3 is by far the best
            study.enqueue_trial({"n": n})
            trial = study.ask()
            study.tell(trial, abs(trial.suggest_int("n", 0, 9) - 3) + 0.0)
        running = [study.ask() for _ in range(8)]  # none finishes: all run at the same time
        return [t.suggest_int("n", 0, 9) for t in running]

    with_liar, without = started_values(True), started_values(False)
    assert len(set(with_liar)) > len(set(without))


def test_group_samples_each_group_of_co_occurring_parameters_jointly():
    def f(trial):
        kind = trial.suggest_categorical("kind", ["a", "b"])
        if kind == "a":
            return trial.suggest_float("a1", 0, 1) + trial.suggest_float("a2", 0, 1)
        return trial.suggest_int("b1", 0, 5)

    study = _filled_study(15, f, group=True, n_startup_trials=5)
    sampler = study.sampler
    trial = study.ask()
    space = sampler.infer_relative_search_space(study, trial._snapshot())
    assert set(space) == {"kind", "a1", "a2", "b1"}
    plain = TPESampler(seed=0, n_startup_trials=5)
    assert set(plain.infer_relative_search_space(study, trial._snapshot())) == {"kind"}
    params = sampler.sample_relative(study, trial._snapshot(), space)
    assert set(params) == set(space)


def test_sampler_pickles_without_its_cache():
    study = _filled_study(12, lambda t: t.suggest_float("x", 0, 1), n_startup_trials=3)
    copy = pickle.loads(pickle.dumps(study.sampler))
    assert copy.seed == 0 and len(copy._histories) == 0
    study.sampler = copy
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=2)


@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"n_startup_trials": -1}, "-1"),
        ({"n_ei_candidates": 0}, "0"),
        ({"prior_weight": 0.0}, "0.0"),
        ({"gamma": 3}, "3"),
        ({"seed": -5}, "-5"),
        ({"group": True, "multivariate": False}, "multivariate=False"),
        ({"min_bandwidth": "total"}, "total"),
        ({"min_bandwidth": 1}, "1"),
        ({"discrete_kernel": "binned"}, "binned"),
    ],
)
def test_bad_arguments_are_rejected_naming_the_value(kwargs, word):
    with pytest.raises((ValueError, TypeError), match=word):
        TPESampler(**kwargs)


def test_bad_weights_function_is_reported():
    study = hpobench.create_study(
        sampler=TPESampler(seed=0, n_startup_trials=1, weights=lambda n: -np.ones(n)), pruner=NopPruner()
    )
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1)
    with pytest.raises(ValueError, match="weights"):
        study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1)


def test_log_int_and_step_values_use_their_grid():
    def f(trial):
        units = trial.suggest_int("units", 1, 1000, log=True)
        frac = trial.suggest_float("frac", 0.1, 0.9, step=0.2)
        return abs(math.log(units) - math.log(64)) + abs(frac - 0.5)

    study = _filled_study(40, f, n_startup_trials=5)
    assert all(IntDistribution(1, 1000, log=True).contains(t.params["units"]) for t in study.trials)
    assert all(abs(t.params["frac"] - round(t.params["frac"], 1)) < 1e-9 for t in study.trials)
    assert study.best_value < 1.0


def test_threads_share_one_sampler():
    def f(trial):
        return (trial.suggest_float("x", -1, 1) - 0.5) ** 2 + trial.suggest_int("n", 0, 3)

    study = hpobench.create_study(sampler=TPESampler(seed=0, n_startup_trials=4), pruner=NopPruner())
    study.optimize(f, n_trials=40, n_jobs=4)
    trials = study.trials
    assert len(trials) == 40 and all(t.state == TrialState.COMPLETE for t in trials)
    assert all(-1 <= t.params["x"] <= 1 and t.params["n"] in range(4) for t in trials)


def _budget_study() -> hpobench.Study:
    """One complete trial, two pruned at step 2 (the better one is trial 2), seven early-good losers at step 1."""
    study = hpobench.create_study(sampler=TPESampler(seed=0))
    x = FloatDistribution(0.0, 1.0)

    def add(state, steps, value=None):
        return study.add_trial(
            hpobench.create_trial(  # noqa: E731
                state=state,
                value=value,
                params={"x": 0.1 * len(study.trials)},
                distributions={"x": x},
                intermediate_values=steps,
            )
        )

    add(TrialState.COMPLETE, {1: 0.9, 2: 0.9, 3: 0.8}, value=0.8)
    add(TrialState.PRUNED, {1: 0.5, 2: 0.3})
    add(TrialState.PRUNED, {1: 0.6, 2: 0.2})
    for _ in range(7):
        add(TrialState.PRUNED, {1: 0.05})
    return study


def test_budget_split_ranks_by_value_at_the_deepest_budget_with_enough_trials():
    study = _budget_study()
    snap = History(keep_curves=True).refresh(study, current=-1, constant_liar=False)
    one = lambda n: 1  # noqa: E731
    # Depth first (Optuna's rule): the complete trial is the best, whatever it did at step 2.
    assert np.flatnonzero(snap.split(1)).tolist() == [0]
    # 3 trials reached step 2 (n_min = 3): ranked by their step-2 values, trial 2 (0.2) is the best.
    below, above = snap.budget_split(3, one, bohb=False)
    assert np.flatnonzero(below).tolist() == [2]
    assert np.flatnonzero(above).tolist() == [0, 1, 3, 4, 5, 6, 7, 8, 9]
    below, above = snap.budget_split(3, one, bohb=True)  # bad set: the step-2 trials only
    assert np.flatnonzero(below).tolist() == [2] and np.flatnonzero(above).tolist() == [0, 1]
    # With n_min = 1 the budget is "complete": only the complete trial counts.
    below, above = snap.budget_split(1, one, bohb=True)
    assert np.flatnonzero(below).tolist() == [0] and not above.any()


def test_bohb_split_keeps_running_trials_as_constant_liar_guesses():
    study = _budget_study()
    running = {"params": {"x": 0.95}, "distributions": {"x": FloatDistribution(0, 1)}}
    study.add_trial(hpobench.create_trial(state=TrialState.RUNNING, **running))
    with_liar = History(keep_curves=True).refresh(study, current=-1, constant_liar=True)
    below, above = with_liar.budget_split(3, lambda n: 1, bohb=True)
    # The step-2 trials as before, plus the running trial (row 10) in the bad set: parallel workers spread.
    assert np.flatnonzero(below).tolist() == [2] and np.flatnonzero(above).tolist() == [0, 1, 10]
    without = History(keep_curves=True).refresh(study, current=-1, constant_liar=False)
    assert np.flatnonzero(without.budget_split(3, lambda n: 1, bohb=True)[1]).tolist() == [0, 1]


def test_default_pruned_ranking_is_bohb():
    assert TPESampler().pruned_ranking == "bohb"


def test_pruned_ranking_changes_nothing_without_pruned_trials():
    def run(ranking):
        study = hpobench.create_study(sampler=TPESampler(seed=3, n_startup_trials=5, pruned_ranking=ranking))
        study.optimize(lambda t: (t.suggest_float("x", -2, 2) - 1) ** 2 + t.suggest_int("k", 0, 9), n_trials=20)
        return [t.params for t in study.trials]

    assert run("budget") == run("depth") == run("bohb")


def test_pruned_ranking_budget_runs_with_a_pruner():
    from hpobench.pruners import SuccessiveHalvingPruner

    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        for step in range(1, 10):
            trial.report((x - 0.3) ** 2 + 1.0 / step, step)  # curves that all improve with steps
            if trial.should_prune():
                raise hpobench.TrialPruned()
        return (x - 0.3) ** 2

    study = hpobench.create_study(
        sampler=TPESampler(seed=0, pruned_ranking="budget"),
        pruner=SuccessiveHalvingPruner(min_resource=1, reduction_factor=3),
    )
    study.optimize(objective, n_trials=40)
    states = [t.state for t in study.trials]
    assert TrialState.PRUNED in states and TrialState.FAIL not in states
    assert abs(study.best_params["x"] - 0.3) < 0.15


@pytest.mark.parametrize("value, error", [(1, TypeError), ("optuna", ValueError)])
def test_pruned_ranking_bad_input(value, error):
    with pytest.raises(error, match="pruned_ranking"):
        TPESampler(pruned_ranking=value)


def test_small_integer_space_is_searched_not_stuck_on_one_point():
    # 64 grid points: with l's integer kernels clipped at the joint count, TPE repeated one
    # good point for the rest of the study (pinter_2_int0-1 lost even to random; docs/samplers.md).
    def f(trial):
        return sum((trial.suggest_int(f"x{i}", -5, 2) - 1) ** 2 for i in range(2))

    for seed in range(4):
        study = hpobench.create_study(sampler=TPESampler(seed=seed), pruner=NopPruner())
        study.optimize(f, n_trials=60)
        distinct = {tuple(t.params.values()) for t in study.trials}
        assert study.best_value == 0 and len(distinct) >= 20


def _study_with_values(values):
    study = hpobench.create_study(sampler=TPESampler(seed=0))
    for v in values:
        study.enqueue_trial({"x": 0.5})
        study.optimize(lambda t, v=v: t.suggest_float("x", 0, 1) * 0 + v, n_trials=1)
    return study


def test_shared_split_gives_tied_rows_equal_shares_of_the_places_left():
    # values 0.1, 0.2, then five trials tied at 0.3 (a coarse output), then worse ones
    study = _study_with_values([0.3, 0.1, 0.3, 0.5, 0.3, 0.2, 0.3, 0.9, 0.3])
    snap = History().refresh(study, current=-1, constant_liar=False)
    shares = snap.shared_split(4)  # 0.1 and 0.2 take two places; the five 0.3s share the other two
    assert shares.tolist() == pytest.approx([0.4, 1, 0.4, 0, 0.4, 1, 0.4, 0, 0.4])
    assert shares.sum() == pytest.approx(4)
    assert np.flatnonzero(snap.split(4)).tolist() == [0, 1, 2, 5]  # 'oldest': the first two 0.3s
    # no tie at the boundary: shares are the split's mask
    assert snap.shared_split(2).tolist() == snap.split(2).astype(float).tolist()
    assert snap.shared_split(0).sum() == 0 and snap.shared_split(9).sum() == 9


def test_shared_split_with_pruned_rows_ties_on_the_whole_rank_key():
    study = _budget_study()  # 1 complete, then pruned trials; seven tied at step 1 with value 0.05
    snap = History(keep_curves=True).refresh(study, current=-1, constant_liar=False)
    shares = snap.shared_split(4)  # the complete trial and the two step-2 ones, then 1 place for seven
    assert shares[:3].tolist() == [1, 1, 1] and shares[3:] == pytest.approx([1 / 7] * 7)


def test_ties_option_changes_the_samples_only_where_values_tie():
    def run(ties, coarse):
        study = hpobench.create_study(sampler=TPESampler(seed=1, n_startup_trials=5, ties=ties))
        objective = lambda t: round((t.suggest_float("x", 0, 1) - 0.3) ** 2, 1 if coarse else 12)  # noqa: E731
        study.optimize(objective, n_trials=25)
        return [t.params["x"] for t in study.trials]

    assert run("shared", coarse=False) == run("oldest", coarse=False)
    assert run("shared", coarse=True) != run("oldest", coarse=True)
