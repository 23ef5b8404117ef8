"""Experiment 3, black-box ranking on the 56-case suite (Akiba et al. 2019, Table 3 redone here).

Each sampler runs n_trials on every case of Dewancker et al.'s suite for
several seeds. Per case and pair of samplers, a one-sided Mann-Whitney U test
(alpha = 0.05) on the final best values decides a win, a loss or a tie; the
table counts them per pair, as in the Optuna paper. Baselines whose package
is missing are left out, with a note.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paper import figures
from paper.budgets import seed_count
from paper.harness import loss_of, make_study
from paper.registry import build
from paper.stats import mann_whitney_outcome, wins_losses
from paper.store import run_tasks
from paper.tables import markdown_table

NAME = "ranking"
SUITE_PREFIX = "evalset/"


def suite() -> list[str]:
    """Registry names of the 56 cases, in the suite's order."""
    from hpobench.problems import list_problems, synthetic

    evalset56 = getattr(synthetic, "evalset56", None)
    if evalset56 is not None:
        return [getattr(case, "name", case) for case in evalset56()]
    return [name for name in list_problems() if name.startswith(SUITE_PREFIX)]


def select_cases(spec: Any, names: list[str], *, what: str = "cases") -> list[str]:
    """'all', a count (evenly spaced over names, deterministic) or an explicit list of names.

    `what` names the budget field in the error (paper.lcbench selects its tasks with this too).
    """
    if spec == "all":
        return list(names)
    if isinstance(spec, int) and not isinstance(spec, bool):
        if not 1 <= spec <= len(names):
            raise ValueError(f"{what} must be between 1 and {len(names)}, got {spec!r}.")
        return [names[i] for i in np.linspace(0, len(names) - 1, spec).round().astype(int)]
    if isinstance(spec, (list, tuple)) and spec:
        return [str(name) for name in spec]  # any registered problem names (get_problem rejects unknown ones)
    raise ValueError(f"{what} must be 'all', an int or a list of names, got {spec!r}.")


def available_samplers(names: list[str]) -> tuple[list[str], dict[str, str]]:
    """The samplers that can be built here, and why each other one cannot."""
    ok, missing = [], {}
    for name in names:
        try:
            build("sampler", name, seed=0)
        except Exception as error:  # noqa: BLE001  (Hydra wraps a missing package in InstantiationException)
            missing[name] = f"{type(error).__name__}: {error}"
        else:
            ok.append(name)
    return ok, missing


def one_study(task: dict[str, Any]) -> pd.DataFrame:
    """Run one (case, sampler, seed) study in this process; one row per trial (number, loss)."""
    from hpobench.problems import get_problem

    return problem_study(task, get_problem(task["case"]))


def problem_study(task: dict[str, Any], problem: Any) -> pd.DataFrame:
    """one_study on a given problem object (benchmarks/tpe_suite.py's unregistered variants)."""
    study = make_study(task, problem)
    study.optimize(problem.objective, n_trials=int(task["n_trials"]))
    trials = study.get_trials(deepcopy=False)
    values = pd.Series([np.nan if t.value is None else t.value for t in trials], dtype=float)
    return pd.DataFrame({"number": [t.number for t in trials], "loss": loss_of(values, problem.direction)})


def seeds_of(budget: dict[str, Any], sampler: str) -> int:
    """The sampler's seed count: budget['sampler_seeds'][sampler] if set (slow peers), else budget['seeds']."""
    return seed_count(budget, sampler, "sampler_seeds")


def tasks(budget: dict[str, Any], samplers: list[str]) -> list[dict[str, Any]]:
    """One task per (case, sampler, seed); seeds 0..seeds_of(budget, sampler)-1 (a prefix: caches stay valid)."""
    return [
        {"case": case, "sampler": sampler, "seed": seed, "n_trials": int(budget["n_trials"])}
        for case in select_cases(budget["cases"], suite())
        for sampler in samplers
        for seed in range(seeds_of(budget, sampler))
    ]


def run(budget: dict[str, Any], *, results_dir: Path, n_jobs: int = 2) -> pd.DataFrame:
    """Trials of every study; df.attrs['missing'] names the samplers left out and why."""
    samplers, missing = available_samplers(list(budget["samplers"]))
    df = run_tasks(tasks(budget, samplers), one_study, results_dir / NAME, n_jobs=n_jobs)
    df.attrs["missing"] = missing
    df.attrs["alpha"] = float(budget.get("alpha", 0.05))
    return df


def finals(df: pd.DataFrame) -> pd.DataFrame:
    """Final best loss per (case, sampler, seed), columns case, method, seed, value."""
    out = df.groupby(["case", "sampler", "seed"], sort=False).loss.min().reset_index()
    return out.rename(columns={"sampler": "method", "loss": "value"})


def pair_table(df: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Rows: the first sampler against each other one; significant wins, losses and ties over cases."""
    final = finals(df)
    methods = list(dict.fromkeys(df.sampler))
    rows = []
    for other in methods[1:]:
        wins, losses, ties = wins_losses(final, methods[0], other, alpha=alpha)
        rows.append({"pair": f"{methods[0]} vs {other}", "wins": wins, "losses": losses, "ties": ties})
    return pd.DataFrame(rows)


def matrix(df: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """All pairs: cell (row, column) = 'wins/losses' of the row sampler against the column one."""
    final = finals(df)
    methods = list(dict.fromkeys(df.sampler))
    cells = {
        b: [("" if a == b else "{}/{}".format(*wins_losses(final, a, b, alpha=alpha)[:2])) for a in methods]
        for b in methods
    }
    return pd.DataFrame({"sampler": methods, **cells})


def mean_rank(df: pd.DataFrame) -> pd.DataFrame:
    """Mean rank over cases (1 = best) of each sampler's median best-so-far, per trial count."""
    df = df.sort_values(["case", "sampler", "seed", "number"]).copy()
    df["best"] = df.groupby(["case", "sampler", "seed"]).loss.cummin()
    df["k"] = df.groupby(["case", "sampler", "seed"]).cumcount() + 1
    median = df.groupby(["case", "k", "sampler"]).best.median().unstack("sampler")
    return median.rank(axis=1).groupby(level="k").mean()


def plot(df: pd.DataFrame, out_dir: Path) -> list[Path]:
    """ranking.png: wins/ties/losses per pair, and the mean rank of each sampler against trials."""
    alpha = df.attrs.get("alpha", 0.05)
    pairs = pair_table(df, alpha)
    fig, (left, right) = figures.panels(2, width=5.0)
    y = np.arange(len(pairs))
    left.barh(y, pairs.wins, color="C2", label="significant wins")
    left.barh(y, pairs.ties, left=pairs.wins, color="0.8", label="ties")
    left.barh(y, pairs.losses, left=pairs.wins + pairs.ties, color="C3", label="significant losses")
    left.set_yticks(y, pairs.pair, fontsize=8)
    left.invert_yaxis()
    left.set_xlabel("number of cases")
    left.set_title(f"Mann-Whitney U, alpha={alpha:g}", fontsize=9)
    left.legend(fontsize=7)
    ranks = mean_rank(df)
    for sampler in dict.fromkeys(df.sampler):  # budget order: ours first, same colours in every run
        right.plot(ranks.index, ranks[sampler], label=sampler)
    right.set_xlabel("number of trials")
    right.set_ylabel("mean rank over cases (1 = best)")
    right.set_title("median best value, ranked per case", fontsize=9)
    right.grid(alpha=0.3)
    right.legend(fontsize=7)
    fig.suptitle(
        f"Black-box ranking: {df.case.nunique()} cases, {df.seed.nunique()} seeds, {int(df.n_trials.iloc[0])} trials",
        fontsize=10,
    )
    return [figures.save(fig, out_dir / "ranking.png")]


def table(df: pd.DataFrame) -> str:
    """Markdown: the per-pair counts, the full matrix, and the samplers left out."""
    alpha = df.attrs.get("alpha", 0.05)
    text = (
        f"{df.case.nunique()} cases, {df.seed.nunique()} seeds, {int(df.n_trials.iloc[0])} trials per study; "
        f"one-sided Mann-Whitney U on final best values, alpha = {alpha:g}.{_fewer_seeds(df)}\n\n"
        + markdown_table(pair_table(df, alpha))
        + "\n\nAll pairs (cell = significant wins/losses of the row sampler against the column sampler):\n\n"
        + markdown_table(matrix(df, alpha))
    )
    for other, cases in losing_cases(df, alpha).items():
        text += (
            f"\n\n{df.sampler.iloc[0]} loses significantly to {other} on: "
            + (", ".join(f"`{c}`" for c in cases) or "no case")
            + "."
        )
    for name, why in df.attrs.get("missing", {}).items():
        text += f"\n\nNot run: `{name}` ({why})."
    return text


def _fewer_seeds(df: pd.DataFrame) -> str:
    """The sentence naming samplers run with fewer seeds than the others (too slow for all), or ''."""
    seeds = df.groupby("sampler", sort=False).seed.nunique()
    fewer = seeds[seeds < seeds.max()]
    if fewer.empty:
        return ""
    names = ", ".join(f"`{name}` {n} seeds" for name, n in fewer.items())
    return (
        f" Fewer seeds for the peers too slow for {seeds.max()}: {names}; with fewer values per case, "
        "fewer of their differences reach significance."
    )


def losing_cases(df: pd.DataFrame, alpha: float = 0.05) -> dict[str, list[str]]:
    """For each other sampler, the cases where the first sampler loses significantly (what to look at next)."""
    final = finals(df)
    methods = list(dict.fromkeys(df.sampler))
    out = {}
    for other in methods[1:]:
        out[other] = [
            case
            for case, group in final.groupby("case", sort=False)
            if mann_whitney_outcome(
                group.loc[group.method == methods[0], "value"], group.loc[group.method == other, "value"], alpha=alpha
            )
            == -1
        ]
    return out
