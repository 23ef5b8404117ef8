"""TPE variants on the 56-case suite and on a fresh set, against Optuna's TPE, Hyperopt's TPE and random.

One study = one (case, sampler, seed) run of paper/ranking.py's one_study
(80 trials, the paper's budget), cached as one parquet file per study under
results/tpe_suite/<name>/ (paper/store.py's run_tasks), so a rerun computes
only what is new. The baselines' suite studies have the same task (hence the
same file name) as `python -m paper`'s ranking: --copy-from <results/paper/ranking
of another checkout> copies them instead of recomputing them.

Per case, a one-sided Mann-Whitney U (alpha 0.05, paper/stats.py) on the 30
final best values decides win / loss / tie; the table counts them per
opponent and names the cases lost.

Variants are TPESampler constructor options (VARIANTS below): `default` is
the current defaults (its suite files are exactly those of the paper's `tpe`),
`before` the defaults before issue 18 (Optuna's magic clip per split, rounded
Gaussian kernels on int/step dims).

The fresh set (FRESH) holds problems the suite does not contain: random
rotations of classics, other dimensions, integer and output-resolution variants.

    .venv/bin/python benchmarks/tpe_suite.py --variant default --copy-from ../main/results/paper/ranking
    .venv/bin/python benchmarks/tpe_suite.py --variant before --cases 12 --seeds 30    # screening subset
    .venv/bin/python benchmarks/tpe_suite.py --variant default --fresh                 # the fresh set
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paper import ranking  # noqa: E402
from paper.stats import mann_whitney_outcome  # noqa: E402
from paper.store import run_tasks, task_key  # noqa: E402

VARIANTS = {
    "default": {},
    # Issue 18's first round (36 W / 3 L against Optuna's TPE): the per_dim clip, ties to the oldest.
    "per_dim": {"min_bandwidth": "per_dim", "ties": "oldest"},
    "per_dim_shared": {"min_bandwidth": "per_dim"},
    "geometric_oldest": {"ties": "oldest"},
    "before": {"min_bandwidth": "split", "discrete_kernel": "rounded", "ties": "oldest"},
    "joint": {"min_bandwidth": "joint"},
    "univariate": {"multivariate": False},
}
BASELINES = ("optuna_tpe", "hyperopt_tpe", "random")
ALPHA = 0.05
N_TRIALS = 80

# (function, dim, int_dims, resolution, rotated): none of them is one of the 56 cases.
FRESH = [
    ("Ackley", 5, (), None, True),
    ("StyblinskiTang", 4, (), None, True),
    ("Sphere", 6, (), None, True),
    ("Ackley", 6, (), None, False),
    ("Sphere", 4, (0, 1), None, False),
    ("StyblinskiTang", 4, (0, 1), None, False),
    ("Hartmann6", 6, (), 1.0, False),
    ("Sphere", 5, (), 10.0, False),
    # Issue 18's second round: near the remaining losses (many dimensions, multimodal, coarse outputs)
    # in dimensions, rotations and resolutions the suite does not have.
    ("Ackley", 9, (), None, True),
    ("StyblinskiTang", 8, (), None, False),
    ("DeflectedCorrugatedSpring", 6, (), None, False),
    ("Michalewicz", 3, (), None, True),
    ("Hartmann3", 3, (), 10.0, False),
    ("McCourt01", 7, (), 1.0, False),
    ("Schwefel20", 2, (), 10.0, True),
    ("StyblinskiTang", 6, (0, 1, 2), None, False),
]


def fresh_name(function: str, dim: int, int_dims: tuple, resolution: float | None, rotated: bool) -> str:
    from hpobench.problems.synthetic.evalset import case_name

    return "fresh/" + case_name(function, dim, int_dims, resolution).split("/", 1)[1] + ("_rot" if rotated else "")


def fresh_problem(name: str):
    """The fresh-set problem of that name (rotations: a fixed random orthogonal matrix about the box centre)."""
    from hpobench.problems.synthetic.evalset import EvalsetFunction

    ((function, dim, int_dims, resolution, rotated),) = [f for f in FRESH if fresh_name(*f) == name]
    problem = EvalsetFunction(function=function, dim=dim, int_dims=int_dims, resolution=resolution)
    if rotated:
        bounds = problem.bounds
        centre = bounds.mean(axis=1)
        q, r = np.linalg.qr(np.random.default_rng(dim).standard_normal((dim, dim)))
        rotation = q * np.sign(np.diag(r))  # Haar-distributed
        plain = problem.evaluate
        # Rotated points may leave the box: clipped back, as a user's constrained space would be.
        problem.evaluate = lambda x: plain(np.clip(centre + (np.asarray(x) - centre) @ rotation.T, *bounds.T))
    problem.name = name
    return problem


def fresh_study(task: dict) -> pd.DataFrame:
    """ranking.one_study for a fresh-set case (not in the registry)."""
    warnings.filterwarnings("ignore")
    return ranking.problem_study(task, fresh_problem(task["case"]))


def suite_study(task: dict) -> pd.DataFrame:
    warnings.filterwarnings("ignore")
    return ranking.one_study(task)


def make_tasks(cases: list[str], sampler: str, options: dict, seeds: int) -> list[dict]:
    """Tasks as paper/ranking.py writes them; sampler_options only when there are any (same file names)."""
    extra = {"sampler_options": json.dumps(options, sort_keys=True)} if options else {}
    return [
        {"case": c, "sampler": sampler, "seed": s, "n_trials": N_TRIALS, **extra} for c in cases for s in range(seeds)
    ]


def copy_cached(tasks: list[dict], source: Path | None, folder: Path) -> int:
    """Copy the studies that another checkout already computed (same task = same file name).

    A task with sampler_options is copied from the paper's study without them
    (used for `before`, whose studies are the paper's committed `tpe` ones,
    checked trial by trial when this script was written).
    """
    if source is None:
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    copied = 0
    for task in tasks:
        name = f"{task_key(task)}.parquet"
        plain = {k: v for k, v in task.items() if k != "sampler_options"}
        origin = source / f"{task_key(plain)}.parquet"
        if not (folder / name).exists() and origin.exists():
            shutil.copyfile(origin, folder / name)
            copied += 1
    return copied


def available(tasks: list[dict], folder: Path) -> set[str]:
    """Cases whose every study is in the folder."""
    missing = {t["case"] for t in tasks if not (folder / f"{task_key(t)}.parquet").exists()}
    return {t["case"] for t in tasks} - missing


def compare(ours: pd.DataFrame, theirs: pd.DataFrame) -> dict:
    """Wins / losses / ties of ours against theirs over the cases both have, and the cases won and lost."""
    a, b = (df.groupby(["case", "seed"]).loss.min() for df in (ours, theirs))
    won, lost, ties = [], [], 0
    for case in dict.fromkeys(ours.case):
        if case not in b.index.get_level_values(0):
            continue
        outcome = mann_whitney_outcome(a.loc[case].to_numpy(), b.loc[case].to_numpy(), alpha=ALPHA)
        (won.append(case) if outcome == 1 else lost.append(case) if outcome == -1 else None)
        ties += outcome == 0
    return {"wins": len(won), "losses": len(lost), "ties": int(ties), "won": won, "lost": lost}


def parse_cases(spec: str, fresh: bool) -> list[str]:
    if fresh:
        return [fresh_name(*f) for f in FRESH]
    return ranking.select_cases(
        int(spec) if spec.isdigit() else spec if spec == "all" else spec.split(","), ranking.suite()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", default="default", choices=sorted(VARIANTS))
    parser.add_argument("--cases", default="all", help="'all', a count (evenly spaced) or comma-separated names")
    parser.add_argument("--fresh", action="store_true", help="run the fresh set instead of the suite")
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--copy-from", type=Path, default=None, help="a results/paper/ranking folder to copy from")
    parser.add_argument("--run-baselines", action="store_true", help="compute missing baseline studies")
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()

    cases = parse_cases(args.cases, args.fresh)
    study = fresh_study if args.fresh else suite_study
    out = ROOT / "results" / "tpe_suite"
    baselines = {}
    for name in BASELINES:
        tasks = make_tasks(cases, name, {}, args.seeds)
        copied = copy_cached(tasks, None if args.fresh else args.copy_from, out / name)
        if not args.run_baselines:
            done = available(tasks, out / name)
            tasks = [t for t in tasks if t["case"] in done]
        print(f"{name}: {copied} studies copied, {len({t['case'] for t in tasks})} cases", flush=True)
        baselines[name] = run_tasks(tasks, study, out / name, n_jobs=args.n_jobs) if tasks else pd.DataFrame()
    ours_tasks = make_tasks(cases, "tpe", VARIANTS[args.variant], args.seeds)
    if args.variant == "before" and not args.fresh:
        print(f"before: {copy_cached(ours_tasks, args.copy_from, out / args.variant)} studies copied", flush=True)
    ours = run_tasks(ours_tasks, study, out / args.variant, n_jobs=args.n_jobs)
    print(
        f"\nvariant {args.variant!r} {VARIANTS[args.variant]}: {ours.case.nunique()} cases x {args.seeds} seeds "
        f"x {N_TRIALS} trials; one-sided Mann-Whitney U, alpha {ALPHA}\n"
    )
    print("| against | cases | wins | losses | ties | lost on |")
    print("|---|---|---|---|---|---|")
    for name, theirs in baselines.items():
        if theirs.empty:
            continue
        r = compare(ours, theirs)
        lost = ", ".join(c.split("/", 1)[1] for c in r["lost"]) or "-"
        print(
            f"| {name} | {r['wins'] + r['losses'] + r['ties']} | {r['wins']} | {r['losses']} | {r['ties']} | {lost} |"
        )


if __name__ == "__main__":
    main()
