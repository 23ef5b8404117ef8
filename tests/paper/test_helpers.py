"""paper.md blocks, markdown tables, budgets and the result cache."""

import pandas as pd
import pytest

from paper import EXPERIMENTS
from paper.budgets import load_budget
from paper.document import block_names, fill
from paper.store import run_tasks, task_key
from paper.tables import fmt, markdown_table

FRAME = """intro
<!-- BEGIN GENERATED: one -->
old
<!-- END GENERATED: one -->
middle
<!-- BEGIN GENERATED: two -->
<!-- END GENERATED: two -->
end
"""


def test_fill_replaces_only_the_named_blocks():
    out = fill(FRAME, {"two": "new two\n"})
    assert "old" in out and "new two\n<!-- END GENERATED: two -->" in out
    out = fill(out, {"one": "new one"})
    assert "old" not in out and out.startswith("intro\n") and out.endswith("end\n")
    assert block_names(out) == ["one", "two"]
    assert fill(out, {"one": "new one"}) == out  # idempotent


def test_fill_unknown_block_names_it():
    with pytest.raises(ValueError, match="'three'"):
        fill(FRAME, {"three": "x"})


def test_markdown_table_and_fmt():
    table = markdown_table(pd.DataFrame({"a": ["x", "y"], "b": [1.23456, float("nan")], "c": [3, 4]}))
    assert table.splitlines() == ["| a | b | c |", "|---|---|---|", "| x | 1.23 | 3 |", "| y | - | 4 |"]
    assert fmt(float("inf")) == "inf" and fmt(None) == "-" and fmt(0.000123456) == "0.000123"
    assert fmt(1340.0) == "1340" and fmt(59.5) == "59.5" and fmt(123.4) == "123" and fmt(7) == "7"


@pytest.mark.parametrize("name", EXPERIMENTS)
@pytest.mark.parametrize("mode", ["full", "quick"])
def test_every_experiment_has_both_budgets(name, mode):
    budget = load_budget(name, mode)
    assert int(budget["n_trials"]) > 0
    assert ("seeds" in budget) != (name == "overhead")  # overhead times one study per sampler and storage


def test_quick_budget_is_smaller_than_full():
    for name in EXPERIMENTS:
        full, quick = load_budget(name, "full"), load_budget(name, "quick")
        assert quick != full, name
        assert int(quick["n_trials"]) * int(quick.get("seeds", 1)) <= int(full["n_trials"]) * int(full.get("seeds", 1))


def test_load_budget_rejects_bad_names():
    with pytest.raises(ValueError, match="'nope'"):
        load_budget("nope", "full")
    with pytest.raises(ValueError, match="'fast'"):
        load_budget("pruning", "fast")


def _double(task):
    return pd.DataFrame({"y": [task["x"] * 2]})


def test_run_tasks_computes_only_missing_files(tmp_path):
    tasks = [{"x": 1, "name": "a"}, {"x": 2, "name": "b"}]
    first = run_tasks(tasks, _double, tmp_path, n_jobs=1)
    assert first.y.tolist() == [2, 4] and first.name.tolist() == ["a", "b"]
    # Corrupt one cached file's content: a re-run must read it back, not recompute it.
    path = tmp_path / f"{task_key(tasks[0])}.parquet"
    pd.DataFrame({"y": [99], "x": [1], "name": ["a"]}).to_parquet(path)
    again = run_tasks(tasks + [{"x": 3, "name": "c"}], _double, tmp_path, n_jobs=1)
    assert again.y.tolist() == [99, 4, 6]
    assert first.attrs["computed"] == 2 and first.attrs["study_seconds"] >= 0
    assert (first.study_cpu_seconds >= 0).all()  # each study's CPU time, beside its wall time
    # The hand-made file has no compute time, so the total is unknown rather than wrong.
    assert again.attrs["studies"] == 3 and again.attrs["computed"] == 1 and again.attrs["study_seconds"] is None


def test_task_key_changes_with_any_field():
    assert task_key({"a": 1, "b": "x"}) != task_key({"a": 1, "b": "x", "n": 5})
    assert task_key({"p": "recorded/mlp"}).startswith("recorded_mlp-")


SWEEP_KEYS = {  # Hydra sweep key -> paper.full key, per experiment
    "pruning_recorded": {"problem": "problems", "sampler": "samplers", "pruner": "pruners", "seed": "seeds"},
    "speedup": {"pruner": "pruners", "n_workers": "workers", "seed": "seeds"},
    "ranking": {"sampler": "samplers", "seed": "seeds"},
}


@pytest.mark.parametrize("name", sorted(SWEEP_KEYS))
def test_hydra_sweep_mirrors_the_paper_budget(name):
    from omegaconf import OmegaConf

    from paper.budgets import CONF_DIR

    node = OmegaConf.load(CONF_DIR / "experiment" / f"{name}.yaml")
    full = load_budget(name, "full")
    for key, paper_key in SWEEP_KEYS[name].items():
        swept = str(node.hydra.sweeper.params[key])
        if paper_key == "seeds":
            assert swept == f"range(0,{full['seeds']})"
        elif key == "sampler":  # a peer without its group file yet is left out of the sweep (and of the paper)
            known = [s for s in full[paper_key] if (CONF_DIR / "sampler" / f"{s}.yaml").is_file()]
            assert swept.split(",") == known, key
        else:
            assert swept.split(",") == [str(v).replace("/", "_") for v in full[paper_key]], key
    assert node.n_trials == full["n_trials"]


def test_lcbench_pruning_sweep_mirrors_the_paper_methods():
    from omegaconf import OmegaConf

    from paper.budgets import CONF_DIR
    from paper.lcbench import all_tasks

    node = OmegaConf.load(CONF_DIR / "experiment" / "pruning.yaml")
    full = load_budget("pruning", "full")
    params = node.hydra.sweeper.params
    assert [f"lcbench/{t}" for t in str(params["problem.task_id"]).split(",")] == all_tasks()
    assert full["tasks"] == "all" and str(params.seed) == f"range(0,{full['seeds']})"
    grid = [f"{s}+{p}" for s in str(params.sampler).split(",") for p in str(params.pruner).split(",")]
    # The grid covers the plain hpobench methods; a bracketed variant is one point with overrides
    # (tpe+asha[min_resource=4]: `pruner.min_resource=4`), not part of the sampler x pruner grid.
    plain = [m for m in full["methods"] if "[" not in m and m.partition("+")[0] in ("tpe", "random")]
    assert grid == plain
    assert node.n_trials == full["n_trials"]


def test_quick_never_writes_the_committed_paper(tmp_path):
    from paper.__main__ import FRAME, ROOT, output_paths, parse_args

    results, figures, doc = output_paths(parse_args([]))
    assert (results, figures, doc) == (ROOT / "results" / "paper", ROOT / "paper" / "figures", FRAME)
    results, figures, doc = output_paths(parse_args(["--quick"]))
    assert ROOT / "paper" not in (figures, doc.parent) and doc.parent == ROOT / "results" / "paper-quick"
    results, figures, doc = output_paths(parse_args(["--out", str(tmp_path)]))
    assert (results, figures, doc) == (tmp_path / "results", tmp_path / "figures", tmp_path / "paper.md")
    assert parse_args(["--only", "ranking, overhead"]).only == ["ranking", "overhead"]
    from paper.__main__ import command_line

    assert (
        command_line(parse_args(["--cached-only", "--only", "pruning"]))
        == "python -m paper --cached-only --only pruning"
    )
    with pytest.raises(SystemExit):
        parse_args(["--jobs", "0"])


def test_sampler_options_reach_the_sampler_and_change_the_study_file():
    # benchmarks/tpe_suite.py's variants: constructor options as a JSON string in the task
    from hpobench.problems import get_problem
    from paper.harness import make_study

    problem = get_problem("evalset/pinter_2_int0-1")
    plain = {"case": "evalset/pinter_2_int0-1", "sampler": "tpe", "seed": 0, "n_trials": 5}
    variant = {**plain, "sampler_options": '{"discrete_kernel": "rounded", "min_bandwidth": "split"}'}
    assert make_study(plain, problem).sampler.discrete_kernel == "grid"
    sampler = make_study(variant, problem).sampler
    assert (sampler.discrete_kernel, sampler.min_bandwidth) == ("rounded", "split")
    assert task_key(plain) != task_key(variant)
