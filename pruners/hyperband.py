"""Hyperband (Li et al., JMLR 2018) as brackets of asynchronous successive halving.

Brackets. With r = min_resource, R = max_resource and eta = reduction_factor
there are n = floor(log_eta(R / r)) + 1 brackets. Bracket b is ASHA with
min_early_stopping_rate = b: its first rung sits at r * eta**b, so bracket 0
prunes hardest and bracket n-1 hardly at all. Bracket b's share of trials is
ceil(n * eta**s / (s + 1)) with s = n - 1 - b (Hyperband's n_i, as a ratio,
because the total number of trials is not known in advance).

Assignment is deterministic and the same in every process: a trial goes to
the bracket where crc32("<study name>_<trial number>") modulo the summed
shares falls (Optuna's rule). Trials compete only with trials of their own
bracket.

What the sampler sees: the whole study, every bracket mixed. Optuna filters
the study's trials per bracket for its TPE sampler; here a sampler may do the
same through ``HyperbandPruner.bracket_of(study, trial)``, but none has to:
mixing brackets only gives the sampler more (partly early-stopped) evidence,
and keeps the sampler/pruner layers independent.

max_resource='auto' follows Optuna (1 + the deepest step of a COMPLETE trial,
so nothing is pruned before a trial completes); pass the problem's max_step
to prune from the start. A NaN value is pruned when it reaches a rung of the
trial's bracket (ASHA's rule).
"""

from __future__ import annotations

import binascii

from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState
from hpobench.validation import check_int

from ._util import check_resource
from .base import StepPruner
from .successive_halving import SuccessiveHalvingPruner


def n_brackets(min_resource: int, max_resource: int, reduction_factor: int) -> int:
    """floor(log_eta(max_resource / min_resource)) + 1, in exact integer arithmetic."""
    count = 0
    while min_resource * reduction_factor**count <= max_resource:
        count += 1
    return count


def bracket_budgets(n: int, reduction_factor: int) -> list[int]:
    """Relative number of trials per bracket: ceil(n * eta**s / (s + 1)), s = n - 1 - bracket."""
    return [-(-n * reduction_factor ** (n - 1 - b) // (n - b)) for b in range(n)]


def bracket_index(study_name: str, trial_number: int, budgets: list[int]) -> int:
    """The bracket of a trial: crc32 of '<study_name>_<number>' placed on the summed budgets."""
    position = binascii.crc32(f"{study_name}_{trial_number}".encode()) % sum(budgets)
    for bracket, budget in enumerate(budgets):
        position -= budget
        if position < 0:
            return bracket
    raise AssertionError("unreachable: position < sum(budgets)")


class HyperbandPruner(StepPruner):
    """Hyperband: trials spread over brackets of ASHA with growing early-stopping rates.

    Args:
        min_resource: r, steps of the smallest rung unit. At least 1.
        max_resource: R, the longest curve (the problem's max_step), or 'auto' (None too).
        reduction_factor: eta. At least 2.
        bootstrap_count: passed to every bracket's SuccessiveHalvingPruner.
    """

    def __init__(
        self,
        min_resource: int = 1,
        max_resource: int | str | None = "auto",
        reduction_factor: int = 3,
        bootstrap_count: int = 0,
    ) -> None:
        self._min_resource = check_resource("min_resource", min_resource)
        self._reduction_factor = check_int("reduction_factor", reduction_factor, 2)
        self._bootstrap_count = check_int("bootstrap_count", bootstrap_count, 0)
        max_resource = "auto" if max_resource is None else max_resource  # null in a config = unknown
        if max_resource != "auto":
            check_resource("max_resource", max_resource, min_resource)
        elif bootstrap_count > 0:
            raise ValueError(f"bootstrap_count={bootstrap_count} needs an int max_resource, got 'auto'.")
        self._max_resource = max_resource

    prunes_nan = False  # at the bracket's next rung, as ASHA

    def prune_step(self, study: PluginStudy, trial: FrozenTrial, step: int, value: float) -> bool:
        trials = study.get_trials(deepcopy=False)
        budgets = self._budgets(trials)
        if budgets is None:
            return False
        bracket = bracket_index(study.study_name, trial.number, budgets)
        same = [t for t in trials if bracket_index(study.study_name, t.number, budgets) == bracket]
        return self._bracket_pruner(bracket).prune_among(study, trial, same)

    def bracket_of(self, study: PluginStudy, trial: FrozenTrial) -> int | None:
        """The trial's bracket (None while max_resource='auto' is unresolved)."""
        budgets = self._budgets(study.get_trials(deepcopy=False))
        return None if budgets is None else bracket_index(study.study_name, trial.number, budgets)

    def resolve_max_resource(self, trials: list[FrozenTrial]) -> int | None:
        if self._max_resource != "auto":
            return int(self._max_resource)
        steps = [t.last_step for t in trials if t.state == TrialState.COMPLETE and t.last_step is not None]
        return max(steps) + 1 if steps else None

    def _budgets(self, trials: list[FrozenTrial]) -> list[int] | None:
        max_resource = self.resolve_max_resource(trials)
        if max_resource is None or max_resource < self._min_resource:
            return None
        count = n_brackets(self._min_resource, max_resource, self._reduction_factor)
        return bracket_budgets(count, self._reduction_factor)

    def _bracket_pruner(self, bracket: int) -> SuccessiveHalvingPruner:
        return SuccessiveHalvingPruner(
            min_resource=self._min_resource,
            reduction_factor=self._reduction_factor,
            min_early_stopping_rate=bracket,
            bootstrap_count=self._bootstrap_count,
        )

    def __repr__(self) -> str:
        return (
            f"HyperbandPruner(min_resource={self._min_resource}, max_resource={self._max_resource!r}, "
            f"reduction_factor={self._reduction_factor}, bootstrap_count={self._bootstrap_count})"
        )
