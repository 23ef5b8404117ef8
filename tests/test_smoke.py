import hpobench
from hpobench.pruners import NopPruner
from hpobench.samplers import RandomSampler


def test_study_runs_on_every_storage(storage):
    study = hpobench.create_study(storage=storage, sampler=RandomSampler(seed=0), pruner=NopPruner())
    study.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2, n_trials=5)
    assert [t.number for t in study.trials] == [0, 1, 2, 3, 4]
    assert all(t.state == hpobench.TrialState.COMPLETE for t in study.trials)
    assert study.best_value == min(t.value for t in study.trials)
