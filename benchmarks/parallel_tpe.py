"""How much does each sampler lose per trial with parallel workers? LCBench, simulated clock.

Each (sampler variant, n_workers) runs --trials trials without pruning on a
few LCBench tasks (YAHPO surrogates, hpobench.runners.SimulatedRunner) for a
few seeds; the table prints the median over tasks x seeds of the best
normalized regret among the first 32, 64 and all finished trials (in
finishing order). An ideal asynchronous sampler's row at 8 workers matches
its row at 1 worker; random search does by construction (its draws do not
depend on the history), so it is the control. docs/samplers.md ("TPE with
parallel workers") has the numbers.

    .venv/bin/python benchmarks/parallel_tpe.py
    .venv/bin/python benchmarks/parallel_tpe.py --variants 'tpe;tpe[multivariate=false];optuna_tpe;random'
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # paper/ is not an installed package

from paper import lcbench  # noqa: E402
from paper.methods import parse  # noqa: E402

TASKS = "lcbench/126029,lcbench/167185,lcbench/189866"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="tpe;optuna_tpe;random", help="';'-separated samplers, options in []")
    parser.add_argument("--workers", default="1,8", help="comma-separated worker counts")
    parser.add_argument("--tasks", default=TASKS, help="comma-separated LCBench tasks")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--trials", type=int, default=128)
    return parser.parse_args()


def best_regrets(task: dict) -> dict[str, float]:
    """Best normalized regret among the first 32, 64 and all finished trials of one study."""
    regret = lcbench.regret_trials(task).sort_values("sim_end").regret
    return {"first 32": regret.iloc[:32].min(), "first 64": regret.iloc[:64].min(), "all": regret.min()}


def main() -> None:
    args = parse_args()
    rows = []
    for label in (v.strip() for v in args.variants.split(";") if v.strip()):
        method = parse(label)
        for n in (int(w) for w in args.workers.split(",")):
            for problem in (t.strip() for t in args.tasks.split(",")):
                for seed in range(args.seeds):
                    task = {
                        "problem": problem,
                        "sampler": method.sampler,
                        "pruner": "nop",
                        "seed": seed,
                        "n_workers": n,
                        "n_trials": args.trials,
                        "timeout": None,
                        "sampler_options": json.dumps(method.sampler_options),
                    }
                    rows.append({"sampler": label, "workers": n, **best_regrets(task)})
                    print(f"\r{len(rows)} studies", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    table = pd.DataFrame(rows).groupby(["sampler", "workers"], sort=False).median()
    print(f"median best normalized regret over {args.seeds} seeds x {len(args.tasks.split(','))} tasks")
    print(table.to_string(float_format=lambda v: f"{v:.4f}"))


if __name__ == "__main__":
    main()
