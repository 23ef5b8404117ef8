"""Trial and study API, and the storage contract, on every backend (memory, SQLite file, PostgreSQL)."""

from __future__ import annotations

import copy
import pickle
import warnings

import pytest

import hpobench
from hpobench import TrialState
from hpobench.distributions import FloatDistribution, IntDistribution
from hpobench.exceptions import TrialFinishedError
from hpobench.storages import RDBStorage
from tests.support.core_workers import NopPruner, RandomSampler, check_trial, checked_objective


def new_study(storage, **kwargs):
    kwargs.setdefault("sampler", RandomSampler(seed=0))
    kwargs.setdefault("pruner", NopPruner())
    return hpobench.create_study(storage=storage, **kwargs)


def test_numbers_states_and_filters(storage):
    study = new_study(storage)
    outcomes = [1.0, hpobench.TrialPruned(), KeyError("x"), 0.5]

    def objective(trial):
        trial.suggest_int("i", 0, 3)
        trial.report(float(trial.number), 0)
        out = outcomes[trial.number]
        if isinstance(out, Exception):
            raise out
        return out

    study.optimize(objective, n_trials=4, catch=(KeyError,))
    study.enqueue_trial({"i": 2})
    trials = study.trials
    assert [t.number for t in trials] == [0, 1, 2, 3, 4]
    assert [t.state for t in trials] == [
        TrialState.COMPLETE,
        TrialState.PRUNED,
        TrialState.FAIL,
        TrialState.COMPLETE,
        TrialState.WAITING,
    ]
    assert trials[1].value == 1.0  # a pruned trial keeps its last report as value
    assert [t.number for t in study.get_trials(states=(TrialState.COMPLETE,))] == [0, 3]
    assert [t.number for t in study.get_trials(states=[TrialState.WAITING, TrialState.FAIL])] == [2, 4]
    assert study.best_trial.number == 3
    assert all(t.datetime_complete >= t.datetime_start for t in trials[:4])
    assert trials[4].datetime_start is None and trials[4].duration is None


def test_deepcopy_protects_the_storage(storage):
    study = new_study(storage)
    study.optimize(checked_objective(0), n_trials=2)
    copied = study.get_trials(deepcopy=True)
    copied[0].params["x"] = 99.0
    copied[0].user_attrs["echo"]["x"] = 99.0
    copied[0].intermediate_values[0] = 99.0
    for trial in study.get_trials(deepcopy=False):
        check_trial(trial)
    assert copy.deepcopy(study.trials[1]) == study.trials[1]


def test_threads_share_a_study(storage):
    study = new_study(storage)
    study.optimize(checked_objective(0), n_trials=30, n_jobs=2)
    trials = study.trials
    assert [t.number for t in trials] == list(range(30))
    for trial in trials:
        check_trial(trial)
    assert len({tuple(t.user_attrs["run"]) for t in trials}) == 30


def test_enqueue_runs_first_with_fixed_params_and_user_attrs(storage):
    study = new_study(storage)
    study.enqueue_trial({"x": 0.25, "c": None}, user_attrs={"source": "paper"})
    study.enqueue_trial({"x": 0.75})
    study.enqueue_trial({"x": 0.75}, skip_if_exists=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # in range: no warning
        study.optimize(checked_objective(0), n_trials=3)
    first, second, third = study.trials
    assert (first.params["x"], first.params["c"], first.user_attrs["source"]) == (0.25, None, "paper")
    assert second.params["x"] == 0.75 and "source" not in second.user_attrs
    assert "fixed_params" not in third.system_attrs
    for trial in study.trials:
        check_trial(trial)


def test_enqueued_value_outside_the_range_warns_and_is_used(storage):
    study = new_study(storage)
    study.enqueue_trial({"x": 5.0})
    with pytest.warns(UserWarning, match=r"Enqueued value 5.0 of 'x' lies outside"):
        study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=1)
    assert study.trials[0].params == {"x": 5.0}


def test_ask_with_fixed_distributions_and_tell_by_number(storage):
    study = new_study(storage, direction="maximize")
    trial = study.ask({"n": IntDistribution(3, 3), "lr": FloatDistribution(0.1, 0.2)})
    assert trial.params["n"] == 3 and 0.1 <= trial.params["lr"] <= 0.2
    frozen = study.tell(trial.number, 2.0)
    assert frozen.state == TrialState.COMPLETE and frozen == study.trials[0]
    assert study.tell(trial, 3.0, skip_if_finished=True).value == 2.0
    with pytest.raises(ValueError, match="Cannot tell trial 0: it is COMPLETE"):
        study.tell(trial.number, 3.0)
    with pytest.raises(TypeError, match="needs a Trial or a trial number"):
        study.tell("0", 1.0)


def test_report_same_step_twice_keeps_the_first(storage):
    study = new_study(storage)
    trial = study.ask()
    trial.report(1.0, 3)
    with pytest.warns(UserWarning, match="step 3 was already reported"):
        trial.report(2.0, 3)
    study.tell(trial, 0.0)
    assert study.trials[0].intermediate_values == {3: 1.0}


def test_attrs_are_stored_as_json_on_every_backend(storage):
    study = new_study(storage)
    trial = study.ask()
    trial.set_user_attr("pair", (1, 2))
    trial.set_user_attr("nested", {"a": [1, {"b": None}], "3": 3.5})
    trial.set_system_attr("flag", True)
    study.set_user_attr("owner", {"name": "me"})
    study.tell(trial, 1.0)
    stored = study.trials[0]
    assert stored.user_attrs == {"pair": [1, 2], "nested": {"a": [1, {"b": None}], "3": 3.5}}
    assert stored.system_attrs == {"flag": True}
    assert study.user_attrs == {"owner": {"name": "me"}}


def test_callbacks_see_each_finished_trial_and_can_stop(storage):
    study = new_study(storage)
    seen = []

    def callback(s, frozen):
        seen.append((frozen.number, frozen.state))
        if len(seen) == 3:
            s.stop()

    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=10, callbacks=[callback])
    assert seen == [(0, TrialState.COMPLETE), (1, TrialState.COMPLETE), (2, TrialState.COMPLETE)]
    study.optimize(lambda t: 1.0, n_trials=1)  # stop() holds for one optimize() call only
    assert len(study.trials) == 4


def test_progress_bar(storage, capsys):
    study = new_study(storage, study_name="bar")
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=5, show_progress_bar=True)
    study.optimize(lambda t: t.suggest_float("x", 0, 1), n_trials=3, timeout=30, show_progress_bar=True, n_jobs=2)
    err = capsys.readouterr().err
    assert "5/5" in err and "3/3" in err
    best = study.best_trial
    assert f"Best trial: {best.number}. Best value: {best.value:.6g}" in err  # Optuna's description
    assert len(study.trials) == 8


def test_multi_objective(storage):
    study = new_study(storage, directions=["minimize", "maximize"])
    for values in ([1.0, 1.0], [2.0, 3.0], [2.0, 0.5], [0.5, 0.5]):
        study.tell(study.ask(), values)
    assert sorted(t.number for t in study.best_trials) == [0, 1, 3]
    with pytest.raises(RuntimeError, match="several objectives"):
        _ = study.best_trial
    assert list(study.trials_dataframe().columns[:3]) == ["number", "values_0", "values_1"]


def test_study_names_load_and_delete(storage):
    new_study(storage, study_name="a").optimize(lambda t: 1.0, n_trials=2)
    new_study(storage, study_name="b")
    assert hpobench.get_all_study_names(storage) == ["a", "b"]
    assert len(hpobench.load_study(study_name="a", storage=storage, sampler=RandomSampler()).trials) == 2
    hpobench.delete_study(study_name="a", storage=storage)
    assert hpobench.get_all_study_names(storage) == ["b"]
    with pytest.raises(hpobench.StudyNotFoundError, match="Known studies: \\['b'\\]"):
        hpobench.load_study(study_name="a", storage=storage, sampler=RandomSampler())


# --- SQL only: many readers and writers through separate storage objects (as separate processes) ---------
@pytest.fixture(params=["sqlite", "postgres"])
def rdb_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db.sqlite'}"
    return request.getfixturevalue("postgres_url")


def test_incremental_reads_follow_other_writers(rdb_url):
    writer = new_study(RDBStorage(rdb_url), study_name="s")
    reader = hpobench.load_study(study_name="s", storage=RDBStorage(rdb_url), sampler=RandomSampler())
    running = writer.ask()
    running.suggest_float("x", 0, 1)
    assert [t.state for t in reader.trials] == [TrialState.RUNNING]
    running.report(0.5, 1)
    assert reader.trials[0].intermediate_values == {1: 0.5}  # a running trial is re-read
    writer.tell(running, 1.0)
    writer.optimize(checked_objective(1), n_trials=3)
    reader.enqueue_trial({"x": 0.1})
    trials = reader.trials
    assert [t.state for t in trials] == [TrialState.COMPLETE] * 4 + [TrialState.WAITING]
    assert trials[0] == writer.trials[0]
    claimed = writer.ask()  # the writer's ask() claims what the reader enqueued
    assert claimed.number == 4 and claimed.suggest_float("x", 0, 1) == 0.1
    writer.tell(claimed, 0.1)
    assert reader.trials[4].state == TrialState.COMPLETE
    assert reader.get_trials(deepcopy=False)[1] is reader.get_trials(deepcopy=False)[1]  # finished: cached


def test_tell_from_another_process_and_zombie_writes(rdb_url):
    first = new_study(RDBStorage(rdb_url), study_name="s")
    other = hpobench.load_study(study_name="s", storage=RDBStorage(rdb_url), sampler=RandomSampler())
    trial = first.ask()
    trial.suggest_float("x", 0, 1)
    other.tell(0, state=TrialState.FAIL)  # e.g. an operator failing a stuck trial by number
    with pytest.raises(TrialFinishedError, match="Trial 0 is already FAIL"):
        trial.report(1.0, 1)
    with pytest.raises(TrialFinishedError):
        first.tell(trial, 1.0)
    assert first.tell(trial, 1.0, skip_if_finished=True).state == TrialState.FAIL
    assert first.trials[0].state == TrialState.FAIL and first.trials[0].intermediate_values == {}


def test_study_pickles_into_a_working_copy(rdb_url):
    study = new_study(RDBStorage(rdb_url, heartbeat_interval=None), study_name="s")
    study.optimize(checked_objective(0), n_trials=2)
    clone = pickle.loads(pickle.dumps(study))
    clone.optimize(checked_objective(1), n_trials=2)
    assert [t.number for t in study.trials] == [0, 1, 2, 3]
    for trial in study.trials:
        check_trial(trial)


def test_concurrent_creation_of_one_schema(rdb_url):
    import threading

    errors = []

    def open_storage():
        try:
            hpobench.create_study(
                storage=RDBStorage(rdb_url),
                study_name="s",
                load_if_exists=True,
                sampler=RandomSampler(),
                pruner=NopPruner(),
            )
        except Exception as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=open_storage) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert hpobench.get_all_study_names(rdb_url) == ["s"]


def test_report_accepts_numpy_numbers(storage):
    np = pytest.importorskip("numpy")
    study = new_study(storage)
    trial = study.ask()
    trial.report(np.float32(1.5), np.int64(3))
    trial.report(2, 4.0)
    assert study.tell(trial, np.float64(0.5)).intermediate_values == {3: 1.5, 4: 2.0}


def test_an_uncaught_error_in_one_thread_stops_the_others(storage):
    study = new_study(storage)

    def objective(trial):
        if trial.number == 3:
            raise RuntimeError("boom")
        return trial.suggest_float("x", 0, 1)

    with pytest.raises(RuntimeError, match="boom"):
        study.optimize(objective, n_trials=200, n_jobs=2)
    assert len(study.trials) < 20  # not the whole budget
    assert study.trials[3].state == TrialState.FAIL


def test_gc_after_trial_and_callbacks_as_any_iterable(storage):
    study = new_study(storage)
    seen = []
    study.optimize(lambda t: 1.0, n_trials=3, gc_after_trial=True, callbacks=(lambda s, f: seen.append(f.number),))
    assert seen == [0, 1, 2]


def test_add_trial_on_every_backend(storage):
    study = new_study(storage)
    dist = IntDistribution(0, 10)
    study.add_trial(
        hpobench.trial.create_trial(
            params={"k": 3}, distributions={"k": dist}, value=1.5, system_attrs={"origin": "import"}
        )
    )
    study.add_trial(hpobench.trial.create_trial(state=TrialState.WAITING, user_attrs={"u": 1}))
    with pytest.raises(ValueError, match="2 values; the study has 1"):
        study.add_trial(hpobench.trial.create_trial(values=[1.0, 2.0]))
    first, waiting = study.trials
    assert (first.state, first.params, first.value, first.system_attrs) == (
        TrialState.COMPLETE,
        {"k": 3},
        1.5,
        {"origin": "import"},
    )
    assert first.datetime_start is not None and first.datetime_complete is not None
    assert waiting.state == TrialState.WAITING and waiting.user_attrs == {"u": 1}
    study.optimize(lambda t: 2.0, n_trials=1)  # runs the waiting one
    assert study.trials[1].state == TrialState.COMPLETE and len(study.trials) == 2


def test_a_recreated_study_does_not_inherit_a_stale_cache(rdb_url):
    reader = RDBStorage(rdb_url)
    study = new_study(RDBStorage(rdb_url), study_name="s")
    study.optimize(lambda t: 1.0, n_trials=3)
    assert len(hpobench.load_study(study_name="s", storage=reader, sampler=RandomSampler()).trials) == 3
    hpobench.delete_study(study_name="s", storage=rdb_url)  # from another process
    again = new_study(RDBStorage(rdb_url), study_name="s")
    again.optimize(lambda t: 2.0, n_trials=1)
    trials = hpobench.load_study(study_name="s", storage=reader, sampler=RandomSampler()).trials
    assert [(t.number, t.value) for t in trials] == [(0, 2.0)]


def test_concurrent_writers_to_one_trial_merge(rdb_url):
    mine = new_study(RDBStorage(rdb_url), study_name="s")
    other = hpobench.load_study(study_name="s", storage=RDBStorage(rdb_url), sampler=RandomSampler())
    trial = mine.ask()
    trial.set_system_attr("a", 1)
    other.set_trial_system_attr(trial._trial_id, "b", 2)  # e.g. a pruner in another process
    trial.set_system_attr("c", 3)  # our cached text is stale: re-read, merge, write
    trial.report(0.5, 1)
    other.set_trial_system_attr(trial._trial_id, "d", 4)
    frozen = mine.tell(trial, 1.0)
    assert frozen.system_attrs == {"a": 1, "b": 2, "c": 3, "d": 4}
    assert frozen.intermediate_values == {1: 0.5}


def _scripted_history(storage) -> list:
    """The same operations on any backend; returns what was stored, without ids and clocks."""
    study = new_study(storage, study_name="same")
    study.enqueue_trial({"c": None, "k": 7}, user_attrs={"q": [1, (2, 3)]})
    outcomes = [1.5, hpobench.TrialPruned(), ValueError("bad"), float("nan"), 0.25]

    def objective(trial):
        trial.suggest_categorical("c", [None, True, 1, 1.0, "1"])
        trial.suggest_int("k", 1, 9, step=2)
        trial.suggest_float("lr", 1e-4, 1.0, log=True)
        trial.report(float("nan") if trial.number == 1 else 0.5, 0)
        trial.set_user_attr("nested", {"1": [None, True]})
        out = outcomes[trial.number]
        if isinstance(out, Exception):
            raise out
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        study.optimize(objective, n_trials=5, catch=(ValueError,))
    study.add_trial(
        hpobench.trial.create_trial(params={"k": 3}, distributions={"k": IntDistribution(1, 9, step=2)}, value=9.0)
    )
    return [
        (
            t.number,
            t.state,
            repr(t.values),
            t.params,
            {k: type(v) for k, v in t.params.items()},
            t.distributions,
            repr(t.intermediate_values),
            t.user_attrs,
            t.system_attrs,
            t.datetime_start is None,
            t.datetime_complete is None,
        )
        for t in study.trials
    ]


def test_every_backend_stores_the_same(tmp_path, postgres_url):
    memory = _scripted_history(None)
    assert memory == _scripted_history(f"sqlite:///{tmp_path / 'same.db'}")
    assert memory == _scripted_history(postgres_url)
    assert [row[1] for row in memory] == [
        TrialState.COMPLETE,
        TrialState.PRUNED,
        TrialState.FAIL,
        TrialState.FAIL,
        TrialState.COMPLETE,
        TrialState.COMPLETE,
    ]
