"""TPE overhead per trial: hpobench's TPESampler beside Optuna's default TPE, in one run.

For each history size N (100, 1,000, 5,000 finished trials of 10 float
parameters) and each storage (in memory; SQLite file), both libraries get a
study pre-filled with N finished trials (random parameters, sum-of-squares
value: the same stored data for both), then the time of ``ask()`` plus the ten
``suggest_float`` calls (the sampler's work; the objective is trivial and
``tell`` is not timed) is measured over a few new trials. Printed: median ms
per trial for each, and Optuna / hpobench.

    .venv/bin/python benchmarks/sampler_overhead.py            # 100, 1,000, 5,000 trials
    .venv/bin/python benchmarks/sampler_overhead.py --quick    # 100, 1,000 trials, fewer timed trials

The Optuna side uses optuna.samplers.TPESampler() with Optuna's defaults and
Optuna's own storages (in-memory, and RDBStorage on its own SQLite file).
Pre-filling uses each library's own bulk path (Optuna's add_trials, our
ask/tell with a random sampler); it is not timed.

``--peers`` times every baseline peer instead (docs/samplers.md, "Peers"):
each runs one in-memory study of 200 trials on the same 10-parameter
sum-of-squares, and the mean ms of ask() + suggest over those 200 trials is
printed beside our TPE's and Optuna's TPE's (ratio = peer / our TPE).
Schedulers (SMAC3 Hyperband, Syne Tune) run as samplers here: the objective
reports no steps, so this is their sampling cost.

    .venv/bin/python benchmarks/sampler_overhead.py --peers [--n-trials 200]

``--pruners`` compares our pruners with Optuna's (docs/pruners.md): each
pair prunes the same random-search trials (RandomSampler seed 0) of
recorded/mlp_digits under SimulatedRunner with 4 workers, 200 trials; printed:
trials pruned, steps trained (the budget spent), best value, and mean ms per
pruning decision.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

import hpobench
from hpobench.pruners import NopPruner
from hpobench.samplers import RandomSampler, TPESampler

N_PARAMS = 10
NAMES = [f"x{i}" for i in range(N_PARAMS)]


def _history(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    x = np.random.default_rng(seed).uniform(-5, 5, size=(n, N_PARAMS))
    return x, (x**2).sum(axis=1)


def _suggest_all(trial) -> float:
    return sum(trial.suggest_float(name, -5, 5) ** 2 for name in NAMES)


def _time_trials(study, n_timed: int) -> tuple[float, float]:
    """Median wall and CPU ms of ask() + suggest of all parameters over n_timed new trials (tell untimed)."""
    wall, cpu = [], []
    for _ in range(n_timed):
        start, start_cpu = time.perf_counter(), time.process_time()
        trial = study.ask()
        value = _suggest_all(trial)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        study.tell(trial, value)
    return 1000 * statistics.median(wall), 1000 * statistics.median(cpu)


def ours(n: int, storage: str | None, n_timed: int) -> tuple[float, float]:
    study = hpobench.create_study(storage=storage, sampler=RandomSampler(seed=0), pruner=NopPruner())
    x, y = _history(n)
    for row, value in zip(x, y, strict=False):
        study.enqueue_trial(dict(zip(NAMES, map(float, row), strict=False)))
        trial = study.ask()
        _suggest_all(trial)
        study.tell(trial, float(value))
    study.sampler = TPESampler(seed=0)
    return _time_trials(study, n_timed)


def theirs(n: int, storage: str | None, n_timed: int) -> tuple[float, float]:
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.TPESampler())
    dists = {name: optuna.distributions.FloatDistribution(-5, 5) for name in NAMES}
    x, y = _history(n)
    study.add_trials(
        optuna.trial.create_trial(
            params=dict(zip(NAMES, map(float, row), strict=False)), distributions=dists, value=float(v)
        )
        for row, v in zip(x, y, strict=False)
    )
    return _time_trials(study, n_timed)


def _peers() -> dict[str, object]:
    """Name -> factory of every peer, plus our TPE and Optuna's TPE for scale."""
    from hpobench import samplers

    peers = {
        "ours: TPESampler": lambda: TPESampler(seed=0),
        "OptunaTPESampler": lambda: samplers.OptunaTPESampler(seed=0),
        "HyperoptTPESampler": lambda: samplers.HyperoptTPESampler(seed=0),
        "OptunaCmaEsSampler": lambda: samplers.OptunaCmaEsSampler(seed=0),
        "OptunaGPSampler": lambda: samplers.OptunaGPSampler(seed=0),
        "SMACSampler": lambda: samplers.SMACSampler(seed=0, n_trials=200),
        "SMACHyperband": lambda: samplers.SMACHyperband(seed=0, max_step=27, n_trials=200),
        "SyneTuneASHA": lambda: samplers.SyneTuneASHA(seed=0, max_step=27),
        "SyneTuneBOHB": lambda: samplers.SyneTuneBOHB(seed=0, max_step=27),
        "SyneTuneHyperband": lambda: samplers.SyneTuneHyperband(seed=0, max_step=27),
    }
    return peers


def peer_overhead(make: object, n_trials: int) -> tuple[float, float]:
    """Mean wall and CPU ms of ask() + suggest over an in-memory study of n_trials (tell untimed)."""
    sampler = make()
    study = hpobench.create_study(sampler=sampler, pruner=None if hasattr(sampler, "prune") else NopPruner())
    wall = cpu = 0.0
    for _ in range(n_trials):
        start, start_cpu = time.perf_counter(), time.process_time()
        trial = study.ask()
        value = _suggest_all(trial)
        wall += time.perf_counter() - start
        cpu += time.process_time() - start_cpu
        study.tell(trial, value)
    return 1000 * wall / n_trials, 1000 * cpu / n_trials


def main_peers(n_trials: int) -> None:
    rows = []
    for name, make in _peers().items():
        rows.append((name, *peer_overhead(make, n_trials)))
        print(f"  done {name}", flush=True)
    base_wall, base_cpu = rows[0][1], rows[0][2]
    print(f"\nms per trial (ask + {N_PARAMS} suggest_float, mean over a {n_trials}-trial in-memory study;")
    print("wall clock, and CPU time of this process; ratio = peer / our TPE)")
    print(f"{'sampler':<20} {'wall ms':>9} {'ratio':>8}   {'CPU ms':>9} {'ratio':>8}")
    for name, wall, cpu in rows:
        print(f"{name:<20} {wall:>9.2f} {wall / base_wall:>7.1f}x   {cpu:>9.2f} {cpu / base_cpu:>7.1f}x")


PRUNER_PAIRS = [
    ("asha", "SuccessiveHalvingPruner", "OptunaSuccessiveHalvingPruner"),
    ("median", "MedianPruner", "OptunaMedianPruner"),
    ("hyperband", "HyperbandPruner", "OptunaHyperbandPruner"),
]


class _Timed:
    """Wraps a pruner and adds up the time of its decisions."""

    def __init__(self, pruner: object) -> None:
        self.pruner, self.seconds, self.calls = pruner, 0.0, 0

    def prune(self, study: object, trial: object) -> bool:
        start = time.perf_counter()
        try:
            return self.pruner.prune(study, trial)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1


def pruner_row(pruner: object, n_trials: int) -> tuple[int, int, float, float]:
    from hpobench.problems import get_problem
    from hpobench.runners import SimulatedRunner
    from hpobench.trial import TrialState

    problem = get_problem("recorded/mlp_digits")
    timed = _Timed(pruner)
    study = hpobench.create_study(sampler=RandomSampler(seed=0), pruner=timed, direction=problem.direction)
    SimulatedRunner(n_workers=4).run(study, problem, n_trials=n_trials)
    trials = study.get_trials()
    pruned = sum(t.state == TrialState.PRUNED for t in trials)
    steps = sum(len(t.intermediate_values) for t in trials)
    return pruned, steps, study.best_value, 1000 * timed.seconds / max(timed.calls, 1)


def main_pruners(n_trials: int) -> None:
    from hpobench import pruners

    kwargs = {
        "HyperbandPruner": {"max_resource": 30},
        "OptunaHyperbandPruner": {"max_resource": 30},
        "SuccessiveHalvingPruner": {"max_resource": 30},
    }
    print(f"recorded/mlp_digits, RandomSampler(seed=0), SimulatedRunner(n_workers=4), {n_trials} trials of 30 steps")
    print(f"{'pruner':<32} {'pruned':>7} {'steps':>7} {'best':>9} {'ms/decision':>12}")
    for _, ours_name, theirs_name in PRUNER_PAIRS:
        for name in (ours_name, theirs_name):
            pruned, steps, best, ms = pruner_row(getattr(pruners, name)(**kwargs.get(name, {})), n_trials)
            print(f"{name:<32} {pruned:>7} {steps:>7} {best:>9.4f} {ms:>12.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 1,000 only, 10 timed trials")
    parser.add_argument("--sizes", type=int, nargs="*", default=None)
    parser.add_argument("--n-timed", type=int, default=None)
    parser.add_argument("--peers", action="store_true", help="time every baseline peer (200-trial studies)")
    parser.add_argument("--n-trials", type=int, default=200, help="study size of --peers")
    parser.add_argument("--pruners", action="store_true", help="our pruners beside Optuna's on the same trials")
    args = parser.parse_args()
    if args.pruners:
        return main_pruners(args.n_trials)
    if args.peers:
        warnings.filterwarnings("ignore")
        return main_peers(args.n_trials)
    sizes = args.sizes or ([100, 1000] if args.quick else [100, 1000, 5000])
    n_timed = args.n_timed or (10 if args.quick else 30)
    warnings.filterwarnings("ignore")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in ("memory", "sqlite"):
            for n in sizes:
                url_ours = f"sqlite:///{Path(tmp) / f'ours_{n}.db'}" if backend == "sqlite" else None
                url_theirs = f"sqlite:///{Path(tmp) / f'optuna_{n}.db'}" if backend == "sqlite" else None
                a = ours(n, url_ours, n_timed)
                b = theirs(n, url_theirs, n_timed)
                rows.append((backend, n, a, b))
                print(f"  done {backend} N={n}", flush=True)
    print(f"\nms per trial (ask + {N_PARAMS} suggest_float, median of {n_timed} trials; wall clock, and CPU time")
    print("of this process, which is what the sampler costs when other programs share the cores)")
    print(
        f"{'storage':<8} {'N past':>7} {'ours wall':>10} {'Optuna wall':>12} {'ratio':>7}   "
        f"{'ours CPU':>9} {'Optuna CPU':>11} {'ratio':>7}"
    )
    for backend, n, (a, a_cpu), (b, b_cpu) in rows:
        print(
            f"{backend:<8} {n:>7} {a:>10.2f} {b:>12.2f} {b / a:>6.1f}x   "
            f"{a_cpu:>9.2f} {b_cpu:>11.2f} {b_cpu / a_cpu:>6.1f}x"
        )


if __name__ == "__main__":
    main()
