"""Pruning on a real learning-curve task: TPE with ASHA vs TPE without pruning, same number of trials.

Task: problems.tasks.mlp_digits (scikit-learn MLPClassifier on the bundled
digits, one step = one epoch of partial_fit, value = validation error; the
problem seed fixes the split and initialisation). For each seed, the same
TPESampler(seed) runs n_trials trials sequentially with:

- nop:        pruners.NopPruner (every trial trains all epochs),
- asha:       pruners.SuccessiveHalvingPruner() (defaults: eta=4, min_resource='auto'),
- median:     pruners.MedianPruner() (defaults),
- optuna-sha: Optuna's TPESampler(seed) + SuccessiveHalvingPruner() on the same
              objective (a different sampler too: read it as a reference point).

Printed per pruner: best validation error (mean over seeds and per seed),
total epochs trained (sum of the trials' deepest steps) and epochs / nop's
epochs. Target: ASHA's best error within 1 percentage point of nop's with at
most a third of the epochs.

Second table (--workers K, default 8): K parallel workers, simulated in one
process by round-robin (each tick every busy worker trains one epoch and
reports; a freed worker takes the next trial). Both libraries get the SAME
configurations in the same order (drawn once by a random sampler and
enqueued), so curves are identical and only the pruner differs: ours vs
Optuna's MedianPruner and SuccessiveHalvingPruner, with their defaults.
Printed: epochs trained before the first prune, total epochs, best error.
This measures the two cold-start fixes (pruners.percentile,
pruners.successive_halving): Optuna's pruners wait for completed trials, so
the first wave of K workers trains to the end.

    .venv/bin/python benchmarks/pruning.py                        # 60 trials, seeds 0 1 2
    .venv/bin/python benchmarks/pruning.py --trials 20 --seeds 0 --workers 0  # quick look
"""

from __future__ import annotations

import argparse
import logging
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import hpobench
from hpobench.problems.tasks.mlp_digits import MLPDigits
from hpobench.pruners import MedianPruner, NopPruner, SuccessiveHalvingPruner
from hpobench.samplers import TPESampler

PRUNERS: dict[str, Callable[[], Any]] = {"nop": NopPruner, "asha": SuccessiveHalvingPruner, "median": MedianPruner}


def run_ours(pruner: str, seed: int, n_trials: int, epochs: int) -> tuple[float, int]:
    """(best validation error, epochs trained) of one hpobench study."""
    problem = MLPDigits(max_step=epochs, seed=seed)
    study = hpobench.create_study(sampler=TPESampler(seed=seed), pruner=PRUNERS[pruner]())
    study.optimize(problem.objective, n_trials=n_trials)
    return study.best_value, sum(t.last_step or 0 for t in study.get_trials(deepcopy=False))


def run_optuna(seed: int, n_trials: int, epochs: int) -> tuple[float, int]:
    """The same task with Optuna's TPE and Optuna's SuccessiveHalvingPruner."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    problem = MLPDigits(max_step=epochs, seed=seed)

    def objective(trial: Any) -> float:
        try:
            return problem.objective(trial)  # same define-by-run API
        except hpobench.TrialPruned as pruned:
            raise optuna.TrialPruned(str(pruned)) from None

    study = optuna.create_study(
        sampler=optuna.samplers.TPESampler(seed=seed), pruner=optuna.pruners.SuccessiveHalvingPruner()
    )
    study.optimize(objective, n_trials=n_trials)
    return study.best_value, sum(t.last_step or 0 for t in study.trials)


def draw_configs(seed: int, n: int, epochs: int) -> list[dict[str, Any]]:
    """n parameter sets of mlp_digits, drawn by hpobench's RandomSampler (no training)."""
    from hpobench.samplers import RandomSampler

    problem = MLPDigits(max_step=epochs, seed=seed)
    study = hpobench.create_study(sampler=RandomSampler(seed=seed), pruner=NopPruner())
    configs = []
    for _ in range(n):
        trial = study.ask()
        problem.configure(trial)
        configs.append(trial.params)
        study.tell(trial, 0.0)
    return configs


def run_round_robin(
    study: Any, tell_pruned: Callable[[Any], None], configs: list, workers: int, epochs: int, seed: int
) -> tuple[float, int, int | None]:
    """K simulated workers; returns (best error, epochs trained, epochs trained before the first prune)."""
    problem = MLPDigits(max_step=epochs, seed=seed)
    for params in configs:
        study.enqueue_trial(params)
    queue, busy = len(configs), []
    trained, first_prune, best = 0, None, float("inf")
    while queue or busy:
        while queue and len(busy) < workers:
            trial = study.ask()
            busy.append((trial, problem.steps(problem.configure(trial), seed), [0]))
            queue -= 1
        for slot in list(busy):
            trial, curve, step = slot
            value = next(curve)
            step[0] += 1
            trained += 1
            trial.report(value, step[0])
            if trial.should_prune():
                first_prune = trained if first_prune is None else first_prune
                tell_pruned(trial)
                busy.remove(slot)
            elif step[0] == epochs:
                study.tell(trial, value)
                best = min(best, value)
                busy.remove(slot)
    return best, trained, first_prune


def parallel_table(seeds: list[int], n_trials: int, workers: int, epochs: int) -> None:
    import optuna

    from hpobench.samplers import RandomSampler

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rows: dict[str, list[tuple[float, int, int | None]]] = {}
    for seed in seeds:
        configs = draw_configs(seed, n_trials, epochs)
        for name, ours, theirs in (
            ("median", MedianPruner, optuna.pruners.MedianPruner),
            ("asha", SuccessiveHalvingPruner, optuna.pruners.SuccessiveHalvingPruner),
        ):
            study = hpobench.create_study(sampler=RandomSampler(seed=seed), pruner=ours())
            rows.setdefault(f"{name} (hpobench)", []).append(
                run_round_robin(
                    study,
                    lambda t, s=study: s.tell(t, state=hpobench.TrialState.PRUNED),
                    configs,
                    workers,
                    epochs,
                    seed,
                )
            )
            study = optuna.create_study(sampler=optuna.samplers.RandomSampler(seed=seed), pruner=theirs())
            rows.setdefault(f"{name} (optuna)", []).append(
                run_round_robin(
                    study,
                    lambda t, s=study: s.tell(t, state=optuna.trial.TrialState.PRUNED),
                    configs,
                    workers,
                    epochs,
                    seed,
                )
            )
    print(f"\n{workers} round-robin workers, same {n_trials} random configs for both libraries, seeds {seeds}")
    print(f"{'pruner':<18} {'epochs before 1st prune':>23} {'epochs':>7} {'best error':>10}")
    for name, runs in rows.items():
        firsts = [f for _, _, f in runs if f is not None]
        first = f"{np.mean(firsts):.0f}" if len(firsts) == len(runs) else "never"
        print(
            f"{name:<18} {first:>23} {np.mean([e for _, e, _ in runs]):>7.0f} {np.mean([b for b, _, _ in runs]):>10.4f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=30, help="max_step of mlp_digits")
    parser.add_argument("--pruners", nargs="*", default=["nop", "asha", "median", "optuna-sha"])
    parser.add_argument("--workers", type=int, default=8, help="round-robin workers of the second table (0: skip)")
    parser.add_argument("--parallel-trials", type=int, default=40)
    args = parser.parse_args()
    logging.getLogger("hpobench").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore")

    results: dict[str, list[tuple[float, int]]] = {}
    for name in args.pruners:
        start = time.perf_counter()
        for seed in args.seeds:
            run = (
                run_optuna(seed, args.trials, args.epochs)
                if name == "optuna-sha"
                else run_ours(name, seed, args.trials, args.epochs)
            )
            results.setdefault(name, []).append(run)
        print(f"  {name}: {time.perf_counter() - start:.0f} s", flush=True)

    if results:
        first_table(results, args)
    if args.workers > 0:
        parallel_table(args.seeds, args.parallel_trials, args.workers, args.epochs)


def first_table(results: dict[str, list[tuple[float, int]]], args: argparse.Namespace) -> None:
    print(f"\nmlp_digits, {args.epochs} epochs max, TPE, {args.trials} trials, seeds {args.seeds}")
    base_epochs = np.mean([e for _, e in results["nop"]]) if "nop" in results else float("nan")
    base_error = np.mean([b for b, _ in results["nop"]]) if "nop" in results else float("nan")
    print(f"{'pruner':<11} {'best error':>10} {'- nop (pp)':>10} {'epochs':>8} {'/ nop':>6}  per-seed best error")
    for name, runs in results.items():
        errors, epochs = [b for b, _ in runs], [e for _, e in runs]
        print(
            f"{name:<11} {np.mean(errors):>10.4f} {100 * (np.mean(errors) - base_error):>10.2f} "
            f"{np.mean(epochs):>8.0f} {np.mean(epochs) / base_epochs:>6.2f}  {' '.join(f'{e:.4f}' for e in errors)}"
        )


if __name__ == "__main__":
    main()
