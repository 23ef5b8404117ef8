"""TPE quality: final regret of hpobench's TPE beside Optuna's TPE, Hyperopt's TPE and random search.

Problems (from problems/, the project's registry): Branin (2-d), Hartmann6,
Rosenbrock (5-d), Levy (10-d), and two mixed categorical/conditional spaces
(mixed_branin, conditional_quadratic). Each sampler runs 100 trials x 10
seeds per problem (joblib, 2 processes); the regret of a run is its best value
minus the known optimum.

Per problem and competitor, two one-sided Mann-Whitney U tests on the 10
regrets (scipy.stats.mannwhitneyu): p(worse) tests "ours has larger regret",
p(better) "ours has smaller regret". A verdict is W (ours better, p < 0.05),
L (ours worse, p < 0.05) or = (neither).

    .venv/bin/python benchmarks/sampler_quality.py            # 100 trials x 10 seeds
    .venv/bin/python benchmarks/sampler_quality.py --quick    # 40 trials x 4 seeds

Samplers: ours = samplers.TPESampler(seed=s) (our defaults); Optuna =
optuna.samplers.TPESampler(seed=s) on Optuna's own study (Optuna's defaults);
Hyperopt = samplers.HyperoptTPESampler (hyperopt.tpe.suggest with hyperopt's
defaults, through our adaptor, since hyperopt needs a static space);
random = samplers.RandomSampler.
"""

from __future__ import annotations

import argparse
import datetime
import json
import time
import warnings

import numpy as np
from joblib import Parallel, delayed
from scipy.stats import mannwhitneyu

PROBLEMS = {
    "branin": {},
    "hartmann6": {},
    "rosenbrock": {"dim": 5},
    "levy": {"dim": 10},
    "mixed_branin": {},
    "conditional_quadratic": {},
}
SAMPLERS = ("hpobench TPE", "Optuna TPE", "Hyperopt TPE", "random")
ALPHA = 0.05


def run_one(problem_name: str, sampler_name: str, seed: int, n_trials: int, ours: dict | None = None) -> float:
    """Final regret of one run."""
    warnings.filterwarnings("ignore")
    from hpobench.problems import get_problem

    problem = get_problem(problem_name, **PROBLEMS[problem_name])
    if sampler_name == "Optuna TPE":
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    else:
        import hpobench
        from hpobench.pruners import NopPruner
        from hpobench.samplers import HyperoptTPESampler, RandomSampler, TPESampler

        factory = {"hpobench TPE": TPESampler, "Hyperopt TPE": HyperoptTPESampler, "random": RandomSampler}
        kwargs = dict(ours or {}) if sampler_name == "hpobench TPE" else {}
        study = hpobench.create_study(sampler=factory[sampler_name](seed=seed, **kwargs), pruner=NopPruner())
    study.optimize(problem.objective, n_trials=n_trials)
    return float(study.best_value - problem.optimal_value)


def verdict(ours: np.ndarray, other: np.ndarray) -> tuple[float, float, str]:
    """(p that ours is worse, p that ours is better, W/L/=)."""
    p_worse = mannwhitneyu(ours, other, alternative="greater").pvalue
    p_better = mannwhitneyu(ours, other, alternative="less").pvalue
    mark = "L" if p_worse < ALPHA else "W" if p_better < ALPHA else "="
    return float(p_worse), float(p_better), mark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 trials x 4 seeds")
    parser.add_argument("--trials", type=int, default=None)
    parser.add_argument("--seeds", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--problems", nargs="*", default=list(PROBLEMS))
    parser.add_argument("--ours", default="{}", help="JSON keyword arguments for our TPESampler (ablations)")
    args = parser.parse_args()
    n_trials = args.trials or (40 if args.quick else 100)
    n_seeds = args.seeds or (4 if args.quick else 10)
    ours = json.loads(args.ours)
    jobs = [(p, s, seed) for p in args.problems for s in SAMPLERS for seed in range(n_seeds)]
    start = time.time()
    regrets = Parallel(n_jobs=args.jobs)(delayed(run_one)(p, s, seed, n_trials, ours) for p, s, seed in jobs)
    table = {}
    for (p, s, _), r in zip(jobs, regrets, strict=False):
        table.setdefault(p, {}).setdefault(s, []).append(r)

    print(f"\nFinal regret, {n_trials} trials x {n_seeds} seeds ({datetime.date.today()}, {time.time() - start:.0f} s)")
    print(f"hpobench TPE arguments: {ours or 'defaults'}")
    print("median regret per sampler; p = one-sided Mann-Whitney U of hpobench TPE vs each (worse / better);")
    print(f"verdict W = ours better, L = ours worse (p < {ALPHA}), = neither\n")
    head = f"{'problem':<22}" + "".join(f"{s:>14}" for s in SAMPLERS)
    head += "".join(f"  vs {s.split()[0]:<9}{'p(worse)':>9}{'p(better)':>10}" for s in SAMPLERS[1:])
    print(head)
    tally = {s: {"W": 0, "L": 0, "=": 0} for s in SAMPLERS[1:]}
    for p in args.problems:
        ours = np.array(table[p]["hpobench TPE"])
        row = f"{p:<22}" + "".join(f"{np.median(table[p][s]):>14.4g}" for s in SAMPLERS)
        for s in SAMPLERS[1:]:
            p_worse, p_better, mark = verdict(ours, np.array(table[p][s]))
            tally[s][mark] += 1
            row += f"  {mark:>12}{p_worse:>9.3f}{p_better:>10.3f}"
        print(row)
    print(
        "\nhpobench TPE vs each: " + "; ".join(f"{s}: {t['W']} W / {t['L']} L / {t['=']} =" for s, t in tally.items())
    )
    lower = sum(np.median(table[p]["hpobench TPE"]) < np.median(table[p]["Optuna TPE"]) for p in args.problems)
    print(f"lower median regret than Optuna TPE on {lower} of {len(args.problems)} problems")


if __name__ == "__main__":
    main()
