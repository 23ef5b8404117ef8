"""The LCBench pruning experiment end to end on two real tasks (YAHPO surrogates) with tiny budgets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from paper import figures, lcbench, pruning
from paper.methods import ROOT, Method, available, build_pair, parse
from paper.store import task_key

pytest.importorskip("onnxruntime")

TASKS = ["lcbench/3945", "lcbench/7593"]
BUDGET = {
    "tasks": TASKS,
    "methods": ["tpe+nop", "random+nop", "random+asha", "nope+nop", "random"],
    "reference": "tpe+nop",
    "seeds": 2,
    "n_workers": 1,
    "n_trials": 500,
    "budget_trials": 4,
    "checkpoints": [0.1, 1.0],
    "alpha": 0.05,
    "n_boot": 200,
}


def test_parse_methods_and_reject_bad_ones():
    assert parse("tpe+asha") == Method("tpe+asha", "tpe", "asha")
    assert parse("synetune_asha") == Method("synetune_asha", "synetune_asha", None)
    with pytest.raises(TypeError, match="int"):
        parse(3)
    with pytest.raises(ValueError, match="'tpe\\+'"):
        parse("tpe+")


def test_bracketed_options_reach_the_sampler_and_pruner():
    label = "tpe[pruned_ranking=budget]+asha[min_resource=4, reduction_factor=3]"
    method = parse(label)
    assert (method.sampler, method.pruner) == ("tpe", "asha")
    assert method.sampler_options == {"pruned_ranking": "budget"}
    assert method.pruner_options == {"min_resource": 4, "reduction_factor": 3}  # YAML scalars: ints stay ints
    sampler, pruner = build_pair(method, context=pruning.BUILD_CONTEXT, seed=5)
    assert sampler.pruned_ranking == "budget" and sampler.seed == 5
    assert "min_resource=4, reduction_factor=3" in repr(pruner)


@pytest.mark.parametrize(
    "label, message",
    [
        ("tpe[pruned_ranking]+asha", "'pruned_ranking' is not 'key=value'"),
        ("tpe[=budget]+asha", "is not 'key=value'"),
        ("tpe[a=1,a=2]+asha", "'a' is given twice"),
        ("tpe[a=1+asha", "is not 'name' or 'name\\[key=value"),
        ("tpe+asha]", "is not 'name' or 'name\\[key=value"),
    ],
)
def test_malformed_options_are_named(label, message):
    with pytest.raises(ValueError, match=message):
        parse(label)


def test_a_variant_is_its_own_study_and_plain_methods_keep_their_task_fields():
    budget = {**BUDGET, "tasks": TASKS[:1], "seeds": 1}
    plain, variant = pruning.tasks(budget, [parse("tpe+asha"), parse("tpe+asha[min_resource=4]")])
    assert "pruner_options" not in plain and "sampler_options" not in plain  # cached file names unchanged
    assert variant["pruner"] == "asha" and variant["pruner_options"] == '{"min_resource": 4}'
    assert task_key(plain) != task_key(variant)
    assert figures.style("tpe+asha[min_resource=4]")["color"] != figures.style("tpe+asha")["color"]
    assert figures.style("tpe+asha[min_resource=4]")["linestyle"] == figures.style("tpe+asha")["linestyle"]


def test_missing_or_self_pruning_less_methods_are_left_out_with_a_reason():
    ok, missing = available(["tpe+nop", "nope+nop", "tpe+nope", "random"])
    assert [m.label for m in ok] == ["tpe+nop"]
    assert set(missing) == {"nope+nop", "tpe+nope", "random"}
    assert "no pruner of its own" in missing["random"]  # the study's median default must not stand in
    assert str(ROOT) not in "".join(missing.values())  # notes go into the committed paper.md: no checkout path


def test_select_rule_and_time_unit():
    names = lcbench.all_tasks()
    assert len(names) == 34 and names[0] == "lcbench/3945"
    assert lcbench.select(3) == [names[0], names[16], names[33]]
    assert lcbench.select("all") == names
    with pytest.raises(ValueError, match="35"):
        lcbench.select(35)
    assert lcbench.time_unit("lcbench/3945") > 1.0


def test_lcbench_pruning_pipeline(tmp_path):
    df = pruning.run(BUDGET, results_dir=tmp_path / "results", n_jobs=1)
    assert set(df.method) == {"tpe+nop", "random+nop", "random+asha"} and set(df.problem) == set(TASKS)
    assert set(df.attrs["missing"]) == {"nope+nop", "random"}
    regret = df.regret.dropna()
    assert regret.between(-0.2, 1.2).all() and regret.min() < 0.5
    # ASHA stops trials early, so it finishes more of them in the same time.
    counts = df[df.sim_end <= df.timeout].groupby("method").size()
    assert counts["random+asha"] > counts["random+nop"]
    rows = pruning.summary(df).set_index("method")
    assert rows.loc["tpe+nop", "median speedup"] == pytest.approx(1.0)
    assert rows.loc["random+asha", "speedup vs"] == "random+nop"
    assert rows.loc["tpe+nop", "tasks better/worse/tied"] == "-"
    # 2 seeds against 2: a one-sided Mann-Whitney p is never below 1/6, so no per-task count is claimed.
    assert rows.loc["random+asha", "tasks better/worse/tied"] == "n/a (too few seeds)"
    assert rows["mean rank at T"].sum() == pytest.approx(6.0)  # ranks 1..3 averaged over tasks
    paths = pruning.plot(df, tmp_path / "figures")
    assert [p.name for p in paths] == ["pruning.png", "pruning_tasks.png"] and all(
        p.stat().st_size > 10_000 for p in paths
    )
    text = pruning.table(df)
    assert "| method |" in text and "Not run: `nope+nop`" in text and "Partial run" not in text
    assert pruning.run(BUDGET, results_dir=tmp_path / "results", n_jobs=1).equals(df)  # all cached
    # cached_only tabulates the complete tasks and says so; the uncached task is not run.
    partial = pruning.run(
        {**BUDGET, "tasks": TASKS + ["lcbench/34539"], "cached_only": True}, results_dir=tmp_path / "results", n_jobs=1
    )
    assert set(partial.problem) == set(TASKS) and partial.attrs["computed"] == 0
    assert "**Partial run**: 2 of the budget's 3 tasks" in pruning.table(partial)


def test_task_curves_start_at_worst_and_never_rise(tmp_path):
    df = pruning.run({**BUDGET, "tasks": TASKS[:1], "methods": ["random+nop"]}, results_dir=tmp_path, n_jobs=1)
    grid, curves = pruning.task_curves(df)
    curve = curves["random+nop"].loc[TASKS[0]].to_numpy()
    assert curve[0] == 1.0  # before the first finished training: as bad as YAHPO's worst
    assert np.all(np.diff(curve) <= 1e-12) and grid[-1] == pytest.approx(4.0)


def test_method_seeds_give_slow_methods_a_seed_prefix():
    methods, _ = available(["tpe+nop", "random+asha"])
    todo = pruning.tasks({**BUDGET, "tasks": TASKS[:1], "seeds": 4, "method_seeds": {"random+asha": 2}}, methods)
    seeds = {m: sorted(t["seed"] for t in todo if t["method"] == m) for m in ("tpe+nop", "random+asha")}
    assert seeds == {"tpe+nop": [0, 1, 2, 3], "random+asha": [0, 1]}


def test_seeds_text_names_the_methods_with_fewer_seeds():
    frame = pd.DataFrame({"method": ["a"] * 4 + ["b"] * 4 + ["c"] * 2, "seed": [0, 1, 2, 3] * 2 + [0, 1]})
    assert pruning.seeds_text(frame).startswith("4 seeds (2 for `c`")
    assert pruning.seeds_text(frame[frame.method != "c"]) == "4 seeds"


def test_pruning_variants_benchmark_prints_the_papers_table(tmp_path):
    import subprocess
    import sys

    script = ROOT / "benchmarks" / "pruning_variants.py"
    methods = "tpe+nop;tpe[pruned_ranking=budget]+asha[min_resource=4];nope+nop"
    command = [sys.executable, str(script), "--tasks", TASKS[0], "--seeds", "2", "--methods", methods]
    out = subprocess.run(command + ["--cache", str(tmp_path)], capture_output=True, text=True, check=True).stdout
    assert "tpe[pruned_ranking=budget]+asha[min_resource=4]" in out and "median speedup" in out
    assert "Goal of issue 12 (`tpe[pruned_ranking=budget]+asha[min_resource=4]`" in out  # the variant is judged
    assert "not run: nope+nop" in out
    assert "4 studies (4 computed now)" in out  # 1 task x 2 methods x 2 seeds; the unknown one is left out
    again = subprocess.run(command + ["--cache", str(tmp_path)], capture_output=True, text=True, check=True).stdout
    assert "4 studies (0 computed now)" in again
