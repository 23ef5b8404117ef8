"""Hyperopt's TPE behind our interface.

Hyperopt needs the whole space up front; define-by-run spaces are handled as
in our TPE: the intersection search space of the finished trials is sampled
jointly by one ``hyperopt.tpe.suggest`` call on a Trials object rebuilt from
our COMPLETE trials, and any other parameter (conditional, or new) by a
one-dimensional call over the trials that have it (independent fallback).

Limitations: PRUNED and RUNNING trials are not shown to hyperopt (it has no
notion of them); each call rebuilds the Trials object (O(n) Python, fine for a
baseline); int and stepped float parameters are handed to hyperopt as a grid
index (quniform), log ints as qloguniform.
"""

from __future__ import annotations

import math
import zlib
from typing import Any

from hpobench.distributions import CategoricalDistribution, Distribution, IntDistribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState
from hpobench.validation import check_int

from ..base import BaseSampler
from ._imports import require
from ._space import from_axis, n_values, to_axis


def _hp_expr(hp: Any, name: str, dist: Distribution) -> Any:
    """The hyperopt expression for one parameter (on the axis of hpobench.samplers.baselines._space)."""
    if isinstance(dist, CategoricalDistribution):
        return hp.choice(name, list(range(len(dist.choices))))
    if dist.log and isinstance(dist, IntDistribution):
        return hp.qloguniform(name, math.log(dist.low - 0.5), math.log(dist.high + 0.5), 1)
    if dist.log:
        return hp.loguniform(name, math.log(dist.low), math.log(dist.high))
    if isinstance(dist, IntDistribution) or dist.step is not None:
        return hp.quniform(name, -0.5, n_values(dist) - 0.5, 1)
    return hp.uniform(name, dist.low, dist.high)


class HyperoptTPESampler(BaseSampler):
    """hyperopt.tpe.suggest as a baseline (hyperopt's defaults unless given).

    Args:
        seed: seeds the per-trial seed given to hyperopt.
        n_startup_trials: hyperopt's n_startup_jobs (random trials first).
        n_ei_candidates: hyperopt's n_EI_candidates.
        gamma: hyperopt's gamma (fraction of good trials).
        prior_weight: hyperopt's prior_weight.
    """

    def __init__(
        self,
        *,
        seed: int | None = None,
        n_startup_trials: int = 20,
        n_ei_candidates: int = 24,
        gamma: float = 0.25,
        prior_weight: float = 1.0,
    ) -> None:
        super().__init__(seed=seed)
        require("hyperopt", type(self).__name__)
        check_int("n_startup_trials", n_startup_trials, minimum=0)
        if not 0 < gamma < 1:
            raise ValueError(f"gamma must be in (0, 1), got {gamma!r}.")
        self.n_startup_trials, self.n_ei_candidates = n_startup_trials, n_ei_candidates
        self.gamma, self.prior_weight = gamma, prior_weight

    def infer_relative_search_space(self, study: PluginStudy, trial: FrozenTrial) -> dict[str, Distribution]:
        common: set | None = None
        for past in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)):
            items = set(past.distributions.items())
            common = items if common is None else common & items
        names = [n for n, _ in common or ()]
        return {n: d for n, d in sorted(common or ()) if names.count(n) == 1 and not d.single()}

    def sample_relative(
        self, study: PluginStudy, trial: FrozenTrial, search_space: dict[str, Distribution]
    ) -> dict[str, Any]:
        if not search_space:
            return {}
        return self._suggest(study, trial, search_space, stream=0)

    def sample_independent(
        self, study: PluginStudy, trial: FrozenTrial, param_name: str, param_distribution: Distribution
    ) -> Any:
        space = {param_name: param_distribution}
        return self._suggest(study, trial, space, stream=zlib.crc32(param_name.encode()))[param_name]

    def _suggest(self, study: PluginStudy, trial: FrozenTrial, space: dict[str, Distribution], stream: int) -> dict:
        hyperopt = require("hyperopt", type(self).__name__)
        domain = hyperopt.Domain(lambda _: 0.0, {n: _hp_expr(hyperopt.hp, n, d) for n, d in space.items()})
        trials = self._rebuild_trials(hyperopt, study, space, domain)
        seed = int(self.rng_for(trial, stream).integers(2**31 - 1))
        docs = hyperopt.tpe.suggest(
            [len(trials.trials)],
            domain,
            trials,
            seed,
            prior_weight=self.prior_weight,
            n_startup_jobs=self.n_startup_trials,
            n_EI_candidates=self.n_ei_candidates,
            gamma=self.gamma,
            verbose=False,
        )
        vals = docs[0]["misc"]["vals"]
        return {n: from_axis(vals[n][0], d) for n, d in space.items()}

    def _rebuild_trials(self, hyperopt: Any, study: PluginStudy, space: dict, domain: Any) -> Any:
        sign = -1.0 if study.directions[0].name == "MAXIMIZE" else 1.0
        past = [
            t
            for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
            if t.value is not None and all(t.distributions.get(n) == d for n, d in space.items())
        ]
        trials = hyperopt.Trials()
        if not past:
            return trials
        tids = list(range(len(past)))
        miscs = [
            {
                "tid": tid,
                "cmd": domain.cmd,
                "workdir": domain.workdir,
                "idxs": {n: [tid] for n in space},
                "vals": {n: [to_axis(t.params[n], d)] for n, d in space.items()},
            }
            for tid, t in zip(tids, past, strict=False)
        ]
        results = [{"loss": sign * t.value, "status": hyperopt.STATUS_OK} for t in past if t.value is not None]
        docs = trials.new_trial_docs(tids, [None] * len(past), results, miscs)
        for doc in docs:
            doc["state"] = hyperopt.JOB_STATE_DONE
        trials.insert_trial_docs(docs)
        trials.refresh()
        return trials
