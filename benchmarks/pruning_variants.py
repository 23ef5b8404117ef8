"""Screen TPE + pruning variants on LCBench with the paper's own accounting (issue 12, point 4).

Runs section 1 of paper/paper.md (paper.pruning: budget, regret, speedup,
Wilcoxon and per-task Mann-Whitney against ``tpe+nop``) for the methods
named here instead of those of conf/experiment/pruning.yaml, and prints its
table. Methods take constructor options in brackets (paper/methods.py), so a
variant needs no config file:

    .venv/bin/python benchmarks/pruning_variants.py --tasks all --jobs 2 \\
        --methods "tpe+nop;tpe+asha;tpe[pruned_ranking=budget]+asha[min_resource=4]"

Everything else (seeds, budget_trials, n_trials, alpha) comes from the full
budget of conf/experiment/pruning.yaml. Studies are cached under --cache
(one parquet per study, as paper.store writes them), so a rerun with one more
method computes only that method. What was screened, and the numbers, are in
docs/samplers.md ("TPE with pruning").
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: paper/ is not an installed package

from paper import pruning  # noqa: E402
from paper.budgets import load_budget  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", required=True, help="';'-separated methods; include tpe+nop, the reference")
    parser.add_argument("--tasks", default="all", help="'all', a count (evenly spaced by task id) or comma-separated")
    parser.add_argument("--seeds", type=int, help="seeds per method (default: the paper's)")
    parser.add_argument("--cache", type=Path, default=ROOT / "results" / "pruning_variants", help="study cache folder")
    parser.add_argument("--jobs", type=int, default=1, help="joblib processes")
    return parser.parse_args()


def tasks_spec(text: str) -> str | int | list[str]:
    """'all' | '8' | 'lcbench/3945,lcbench/7593'."""
    if text.isdigit():
        return int(text)
    return text if text == "all" else [name.strip() for name in text.split(",")]


def main() -> None:
    args = parse_args()
    budget = load_budget("pruning", "full")
    budget.update(methods=[m.strip() for m in args.methods.split(";") if m.strip()], tasks=tasks_spec(args.tasks))
    budget["method_seeds"] = {}
    if args.seeds:
        budget["seeds"] = args.seeds
    begin = time.perf_counter()
    df = pruning.run(budget, results_dir=args.cache, n_jobs=args.jobs)
    rows = pruning.summary(df)
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 70):
        print(rows.drop(columns=[c for c in rows.columns if "[95% CI]" in c and "at 1 T" not in c]).to_string())
    print(pruning.verdict(rows, budget["reference"]))
    for name, why in df.attrs["missing"].items():
        print(f"not run: {name} ({why})")
    print(f"{df.attrs['studies']} studies ({df.attrs['computed']} computed now) in {time.perf_counter() - begin:.0f} s")


if __name__ == "__main__":
    main()
