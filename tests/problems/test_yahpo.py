"""YAHPO Gym surrogates: the reference outputs, the problems in every runner, and bad input.

tests/problems/data/yahpo_reference_outputs.csv holds what yahpo-gym 1.0.2
predicts for 60 random configurations per scenario (several fidelities each),
one configuration per model call.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hydra.utils import instantiate
from omegaconf import OmegaConf

import hpobench
from hpobench.problems import get_problem, list_problems
from hpobench.problems.yahpo import SCENARIOS, Surrogate, YahpoProblem
from hpobench.problems.yahpo._data import SHIPPED
from hpobench.problems.yahpo.problem import fidelity_steps, step_costs
from hpobench.problems.yahpo.surrogate import Fidelity
from hpobench.pruners import NopPruner, SuccessiveHalvingPruner
from hpobench.runners import InProcessRunner, LocalRunner, SimulatedRunner
from hpobench.samplers import RandomSampler, TPESampler
from tests.harness.conftest import run_cli

REFERENCE = Path(__file__).parent / "data" / "yahpo_reference_outputs.csv"
CONF = Path(__file__).resolve().parents[2] / "conf" / "problem"
LCBENCH_PARAMS = {
    "batch_size": 64,
    "learning_rate": 1e-3,
    "momentum": 0.9,
    "weight_decay": 1e-4,
    "num_layers": 3,
    "max_units": 256,
    "max_dropout": 0.2,
}
LCBENCH_CONFIG = {"OpenML_task_id": "3945", "epoch": 10, **LCBENCH_PARAMS}
GBLINEAR = {
    "task_id": "1040",
    "booster": "gblinear",
    "alpha": 1.0,
    "lambda": 1.0,
    "nrounds": 100,
    "subsample": 0.5,
    "num.impute.selected.cpo": "impute.mean",
    "trainsize": 0.5,
    "repl": 10,
}


@pytest.fixture(autouse=True)
def _shipped_data(monkeypatch):
    """Every test reads the shipped copy unless it sets YAHPO_DATA itself."""
    monkeypatch.delenv("YAHPO_DATA", raising=False)


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE, dtype={"instance": str})


def _expected(rows: pd.DataFrame, surrogate: Surrogate) -> np.ndarray:
    return rows[[f"y:{t}" for t in surrogate.targets]].to_numpy(np.float32)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reference_outputs_one_configuration_per_call_are_exact(reference, scenario):
    surrogate = Surrogate(scenario)
    rows = reference[reference.scenario == scenario]
    assert len(rows) >= 180
    got = np.vstack([surrogate.predict([json.loads(c)]).to_numpy() for c in rows.config]).astype(np.float32)
    np.testing.assert_array_equal(got, _expected(rows, surrogate))
    others = [c for c in reference.columns if c.startswith("y:") and c[2:] not in surrogate.targets]
    assert rows[others].isna().all().all()  # the csv has no target this scenario lacks


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_reference_outputs_in_one_batch_agree_within_onnxruntime_batch_tolerance(reference, scenario):
    surrogate = Surrogate(scenario)
    rows = reference[reference.scenario == scenario]
    got = surrogate.predict([json.loads(c) for c in rows.config])
    assert list(got.columns) == list(surrogate.targets) and len(got) == len(rows)
    want = _expected(rows, surrogate).astype(np.float64)
    assert np.all(np.abs(got.to_numpy() - want) <= 1e-3 + 2e-3 * np.abs(want))


def test_surrogate_describes_its_scenario():
    lcbench = Surrogate("lcbench")
    assert len(lcbench.instances) == 34 and "3945" in lcbench.instances
    assert lcbench.fidelity == Fidelity("epoch", 1, 52, True)
    assert lcbench.targets[:2] == ("time", "val_accuracy") and lcbench.runtime_target == "time"
    assert list(lcbench.space) == [
        "batch_size",
        "learning_rate",
        "max_dropout",
        "max_units",
        "momentum",
        "num_layers",
        "weight_decay",
    ]
    assert lcbench.space["learning_rate"].log and not lcbench.space["momentum"].log
    rbv2 = Surrogate("rbv2_xgboost")
    assert len(rbv2.instances) == 119 and rbv2.fidelity == Fidelity("trainsize", 0.03, 1.0, False)
    assert rbv2.fixed_fidelities == {"repl": 10}
    assert rbv2.conditions["rate_drop"].values == ("dart",) and rbv2.conditions["eta"].parent == "booster"
    names = list(rbv2.space)
    assert names.index("booster") < names.index("eta")  # parents are suggested first
    assert len(Surrogate("iaml_glmnet").instances) == 4


def test_registry_holds_every_instance():
    names = set(list_problems())
    for scenario in SCENARIOS:
        instances = Surrogate(scenario).instances
        assert {f"{scenario}/{i}" for i in instances} <= names
    assert len([n for n in names if n.startswith("lcbench/")]) == 34
    problem = get_problem("lcbench/3945", seed=3)
    assert isinstance(problem, YahpoProblem) and problem.name == "lcbench/3945" and problem.max_step == 52


@pytest.mark.parametrize(
    ("config", "name", "max_step"),
    [
        ("lcbench", "lcbench/3945", 52),
        ("rbv2_xgboost", "rbv2_xgboost/1040", 20),
        ("iaml_glmnet", "iaml_glmnet/40981", 20),
    ],
)
def test_config_builds_the_problem_with_the_max_step_the_pruners_read(config, name, max_step):
    cfg = OmegaConf.create({"seed": 3, "problem": OmegaConf.load(CONF / f"{config}.yaml")})
    problem = instantiate(cfg.problem)
    assert (problem.name, problem.seed, problem.max_step, cfg.problem.max_step) == (name, 3, max_step, max_step)


def test_lcbench_curve_is_the_validation_error_with_costs_from_the_cumulative_runtime():
    problem = YahpoProblem(scenario="lcbench", task_id=3945)
    values, seconds = problem.curve(LCBENCH_PARAMS)
    assert values.shape == seconds.shape == (52,)
    rows = [{**LCBENCH_CONFIG, "epoch": e} for e in range(1, 53)]
    predicted = problem.surrogate.predict(rows)
    np.testing.assert_allclose(values, 1 - predicted["val_accuracy"] / 100, rtol=0, atol=2e-4)
    np.testing.assert_allclose(np.cumsum(seconds), np.maximum.accumulate(predicted["time"]), rtol=3e-3)
    assert np.all(seconds >= 0)
    assert problem.curve(LCBENCH_PARAMS, seed=7)[0].tolist() == values.tolist()  # deterministic surrogate


def test_step_costs_are_the_increments_of_the_running_maximum():
    np.testing.assert_array_equal(step_costs(np.array([-1.0, 2.0, 1.5, 3.0, 3.0])), [0.0, 2.0, 0.0, 1.0, 0.0])


def test_fidelity_steps():
    epoch = Fidelity("epoch", 1, 52, True)
    assert fidelity_steps(epoch, None).tolist() == list(range(1, 53))
    assert fidelity_steps(epoch, 10).tolist() == list(range(1, 11))
    trainsize = Fidelity("trainsize", 0.03, 1.0, False)
    np.testing.assert_allclose(fidelity_steps(trainsize, None), np.arange(1, 21) / 20)
    assert fidelity_steps(trainsize, 33)[0] >= 0.03 and fidelity_steps(trainsize, 4).tolist() == [0.25, 0.5, 0.75, 1.0]
    for bad, fidelity in ((53, epoch), (0, epoch), (34, trainsize)):
        with pytest.raises(ValueError, match="max_step must be an int in"):
            fidelity_steps(fidelity, bad)
    for bad, fidelity in ((2.0, trainsize), (True, epoch)):
        with pytest.raises(TypeError, match="max_step must be an int, got"):
            fidelity_steps(fidelity, bad)


def test_rbv2_curve_ends_at_full_data_and_repl_10():
    problem = YahpoProblem(scenario="rbv2_xgboost", task_id="1040", max_step=5)
    config = {k: v for k, v in GBLINEAR.items() if k not in ("task_id", "trainsize", "repl")}
    values, seconds = problem.curve(config)
    full = problem.surrogate.predict([{**GBLINEAR, "trainsize": 1.0}]).iloc[0]
    assert problem.fidelities.tolist() == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert values[-1] == pytest.approx(1 - full["acc"], abs=1e-3)
    assert seconds.sum() >= full["timetrain"] * (1 - 3e-3)


def test_rbv2_conditional_space_is_suggested_define_by_run():
    problem = get_problem("rbv2_xgboost/1040")
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=NopPruner())
    study.optimize(problem.objective, n_trials=30)
    tree_only = {"eta", "gamma", "max_depth", "min_child_weight", "colsample_bytree", "colsample_bylevel"}
    seen = set()
    for trial in study.trials:
        booster = trial.params["booster"]
        seen.add(booster)
        assert (tree_only <= set(trial.params)) == (booster != "gblinear")
        assert ({"rate_drop", "skip_drop"} <= set(trial.params)) == (booster == "dart")
        assert trial.state == hpobench.TrialState.COMPLETE and 0 <= trial.value <= 1
    assert seen == {"gblinear", "gbtree", "dart"}


def test_simulated_runner_replays_lcbench_with_tpe_and_asha_reproducibly():
    def run() -> list:
        problem = get_problem("lcbench/3945")
        study = hpobench.create_study(sampler=TPESampler(seed=1), pruner=SuccessiveHalvingPruner(max_resource=52))
        SimulatedRunner(n_workers=8).run(study, problem, n_trials=60)
        return study.trials

    trials = run()
    states = {t.state for t in trials}
    assert len(trials) == 60 and states == {hpobench.TrialState.COMPLETE, hpobench.TrialState.PRUNED}
    problem = get_problem("lcbench/3945")
    for trial in trials:
        values, seconds = problem.curve(trial.params)
        steps = sorted(trial.intermediate_values)
        assert steps == list(range(1, len(steps) + 1))
        assert [trial.intermediate_values[s] for s in steps] == values[: len(steps)].tolist()
        elapsed = trial.system_attrs["sim_end"] - trial.system_attrs["sim_start"]
        assert elapsed == pytest.approx(seconds[: len(steps)].sum())
    again = run()

    def signature(study_trials: list) -> list:
        return [(t.params, t.values, t.intermediate_values, t.system_attrs) for t in study_trials]

    assert signature(again) == signature(trials)


def test_objective_runs_in_process_with_pruning():
    problem = get_problem("iaml_glmnet/40981")
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=SuccessiveHalvingPruner(max_resource=20))
    InProcessRunner().run(study, problem, n_trials=12)
    assert {t.state for t in study.trials} <= {hpobench.TrialState.COMPLETE, hpobench.TrialState.PRUNED}
    assert any(t.state == hpobench.TrialState.PRUNED for t in study.trials)


@pytest.mark.slow
def test_local_runner_processes_build_their_own_sessions(tmp_path):
    storage = f"sqlite:///{tmp_path / 'yahpo.db'}"
    study = hpobench.create_study(storage=storage, study_name="lc", sampler=RandomSampler(seed=0), pruner=NopPruner())
    LocalRunner(n_workers=2).run(study, get_problem("lcbench/7593"), n_trials=6)
    trials = study.get_trials(states=(hpobench.TrialState.COMPLETE,))
    assert len(trials) == 6 and all(len(t.intermediate_values) == 52 for t in trials)


def test_best_and_worst_values_come_from_the_statistics_file():
    stats = pd.read_csv(SHIPPED / "global_statistics" / "instance_target_statistics.csv", dtype={"instance": str})

    def stat(scenario: str, instance: str, metric: str, which: str) -> float:
        row = stats[
            (stats.scenario == scenario)
            & (stats.instance == instance)
            & (stats.metric == metric)
            & (stats.statistic == which)
        ]
        return float(row.value.iloc[0])

    lc = get_problem("lcbench/3945")
    assert lc.best_value == pytest.approx(1 - stat("lcbench", "3945", "val_accuracy", "max") / 100)
    assert lc.worst_value == pytest.approx(1 - stat("lcbench", "3945", "val_accuracy", "min") / 100)
    assert lc.normalized_regret(lc.best_value) == 0 and lc.normalized_regret(lc.worst_value) == pytest.approx(1)
    iaml = get_problem("iaml_glmnet/1067")  # mmce is minimized: taken as it is
    assert iaml.best_value == pytest.approx(stat("iaml_glmnet", "1067", "mmce", "min"))
    assert iaml.worst_value == pytest.approx(stat("iaml_glmnet", "1067", "mmce", "max"))
    entropy = YahpoProblem(scenario="lcbench", task_id=3945, target="val_cross_entropy")
    assert entropy.best_value == pytest.approx(stat("lcbench", "3945", "val_cross_entropy", "min"))
    assert entropy.optimal_value is None


def test_yahpo_data_points_at_another_folder(tmp_path, monkeypatch):
    shutil.copytree(SHIPPED / "iaml_glmnet", tmp_path / "iaml_glmnet")
    monkeypatch.setenv("YAHPO_DATA", str(tmp_path))
    surrogate = Surrogate("iaml_glmnet")
    assert surrogate.directory == tmp_path / "iaml_glmnet"
    problem = YahpoProblem(scenario="iaml_glmnet", task_id=1067)  # no statistics file there
    assert problem.best_value is None and problem.worst_value is None
    with pytest.raises(ValueError, match="no statistics"):
        problem.normalized_regret(0.1)
    with pytest.raises(FileNotFoundError) as info:
        Surrogate("lcbench")
    message = str(info.value)
    assert "\n" not in message and str(tmp_path) in message and "$YAHPO_DATA" in message
    assert "lcbench/config_space.json" in message and "yahpo_data" in message
    assert Surrogate("lcbench", data_path=SHIPPED).directory == SHIPPED / "lcbench"  # data_path wins


def test_a_data_folder_of_another_format_is_refused(tmp_path):
    def folder(case: str) -> Path:  # one folder per case: files are read once per path and process
        shutil.copytree(SHIPPED / "iaml_glmnet", tmp_path / case / "iaml_glmnet")
        return tmp_path / case / "iaml_glmnet"

    encoding = json.loads((SHIPPED / "iaml_glmnet" / "encoding.json").read_text())
    del encoding["task_id"]["1067"]
    (folder("encoding") / "encoding.json").write_text(json.dumps(encoding))
    with pytest.raises(ValueError, match=r"encoding.json has no code for task_id = \['1067'\]"):
        Surrogate("iaml_glmnet", data_path=tmp_path / "encoding")
    shutil.copy(SHIPPED / "lcbench" / "model.onnx", folder("model"))
    with pytest.raises(ValueError, match=r"returns 6 targets, but YAHPO Gym 1.0.2 says \(3, 1\) and 12"):
        Surrogate("iaml_glmnet", data_path=tmp_path / "model")
    space = json.loads((SHIPPED / "iaml_glmnet" / "config_space.json").read_text())
    space["hyperparameters"][0]["type"] = "normal_float"
    (folder("space") / "config_space.json").write_text(json.dumps(space))
    with pytest.raises(ValueError, match="iaml_glmnet: hyperparameter 'alpha' has type 'normal_float'"):
        Surrogate("iaml_glmnet", data_path=tmp_path / "space")


def test_missing_data_path_says_where_it_looked(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"No YAHPO data for scenario 'rbv2_xgboost' in .*\(data_path\)"):
        YahpoProblem(scenario="rbv2_xgboost", task_id=1040, data_path=tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"batch_size": 1000}, r"lcbench: batch_size=1000 is out of range \[16, 512\]"),
        ({"epoch": 53}, r"epoch=53 is out of range \[1, 52\]"),
        ({"epoch": 2.5}, "epoch=2.5 is not an integer"),
        ({"momentum": "high"}, "momentum='high' is not a finite number"),
        ({"learning_rate": float("nan")}, "learning_rate=nan is not a finite number"),
        ({"foo": 1}, r"unknown parameter\(s\) \['foo'\]"),
        ({"momentum": None}, r"missing parameter\(s\) \['momentum'\]"),
        ({"OpenML_task_id": "12"}, "Unknown lcbench instance '12'; valid OpenML_task_ids: 3945, 7593, "),
    ],
)
def test_out_of_space_configuration_is_a_value_error_naming_the_parameter(change, message):
    config = {**LCBENCH_CONFIG, **change}
    config = {k: v for k, v in config.items() if v is not None}
    with pytest.raises(ValueError, match=message) as info:
        Surrogate("lcbench").predict([config])
    assert "\n" not in str(info.value)


def test_bounds_written_as_exp_log_accept_the_plain_number():
    bounds = [{**LCBENCH_CONFIG, "learning_rate": 1e-4}, {**LCBENCH_CONFIG, "learning_rate": 0.1}]
    got = Surrogate("lcbench").predict(bounds)
    assert len(got) == 2


def test_conditional_and_categorical_errors_name_the_parameter():
    rbv2 = Surrogate("rbv2_xgboost")
    inactive = r"'eta' is inactive when booster='gblinear' \(active for \['dart', 'gbtree'\]\)"
    with pytest.raises(ValueError, match=inactive):
        rbv2.predict([{**GBLINEAR, "eta": 0.1}])
    with pytest.raises(ValueError, match=r"booster='linear' is not one of \['gblinear', 'gbtree', 'dart'\]"):
        rbv2.predict([{**GBLINEAR, "booster": "linear"}])
    tree_only = "'colsample_bylevel', 'colsample_bytree', 'eta', 'gamma', 'max_depth', 'min_child_weight'"
    with pytest.raises(ValueError, match=rf"missing parameter\(s\) \[{tree_only}\]"):
        rbv2.predict([{**GBLINEAR, "booster": "gbtree"}])
    with pytest.raises(TypeError, match="list of configuration dicts"):
        rbv2.predict(GBLINEAR)
    with pytest.raises(ValueError, match="batch_size=8 is out of range"):
        get_problem("lcbench/3945").curve({**LCBENCH_PARAMS, "batch_size": 8})
    assert rbv2.predict([]).shape == (0, len(rbv2.targets))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"scenario": "lcbench2", "task_id": 1},
            "Unknown YAHPO scenario 'lcbench2'; available: lcbench, rbv2_xgboost, iaml_glmnet.",
        ),
        ({"scenario": "lcbench", "task_id": 1}, "Unknown lcbench instance 1; valid OpenML_task_ids: 3945, "),
        (
            {"scenario": "lcbench", "task_id": 3945, "target": "acc"},
            "Unknown lcbench target 'acc'; targets: time, val_accuracy, ",
        ),
        (
            {"scenario": "lcbench", "task_id": 3945, "max_step": 60},
            r"max_step must be an int in \[1, 52\] for fidelity 'epoch', got 60.",
        ),
    ],
)
def test_bad_problem_arguments_give_one_line(kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        YahpoProblem(**kwargs)
    assert "\n" not in str(info.value)


def test_cli_runs_lcbench_in_simulated_time(tmp_path):
    storage = f"sqlite:///{tmp_path / 'studies.db'}"
    result = run_cli(
        "problem=lcbench",
        "problem.task_id=7593",
        "runner=simulated",
        "n_trials=40",
        "n_workers=4",
        f"storage={storage}",
        "tracking.enabled=false",
        f"hydra.run.dir={tmp_path / 'run'}",
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "40/40 finished" in result.stdout
    (name,) = hpobench.get_all_study_names(storage)
    assert name.startswith("lcbench/7593-tpe-asha-simulated-seed0-w4-")
    trials = hpobench.load_study(study_name=name, storage=storage).trials
    assert all("sim_end" in t.system_attrs for t in trials)
    assert max(len(t.intermediate_values) for t in trials) == 52


def test_cli_bad_task_id_is_one_line(capsys):
    from hydra import compose, initialize_config_dir

    from hpobench.cli import run_study
    from hpobench.cli._app import CONF_DIR

    with initialize_config_dir(config_dir=CONF_DIR, version_base="1.3"):
        cfg = compose(
            "config",
            overrides=[
                "problem=lcbench",
                "problem.task_id=12",
                "runner=simulated",
                "storage=null",
                "tracking.enabled=false",
            ],
        )
    with pytest.raises(SystemExit) as exited:
        run_study(cfg)
    assert exited.value.code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("hpobench: error: problem: Unknown lcbench instance 12; valid OpenML_task_ids: 3945, 7593,")


def test_missing_onnxruntime_names_the_extra(tmp_path):
    """Without onnxruntime the registry still lists every problem; building one says which extra to install."""
    blocked = tmp_path / "blocked" / "onnxruntime"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text("raise ImportError('onnxruntime blocked by the test')\n")
    script = (
        "import sys, problems\n"
        "print(len([n for n in problems.list_problems() if n.startswith('lcbench/')]), flush=True)\n"
        "from hpobench.cli import main\n"
        f"sys.argv = ['hpobench', 'problem=lcbench', 'runner=inprocess', 'storage=null', 'tracking.enabled=false',"
        f" 'hydra.run.dir={tmp_path / 'run'}']\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(blocked.parent)),
    )
    assert result.returncode == 2 and result.stdout.strip() == "34", result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "hpobench: error: problem: hpobench.problems.yahpo needs onnxruntime: pip install 'hpobench[yahpo]'"
    )
