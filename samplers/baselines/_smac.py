"""SMAC3 (2.4) behind our interfaces: black-box BO and its Hyperband multi-fidelity method.

- ``SMACSampler``: SMAC's HPO facade (random-forest BO, SMAC's defaults: a
  Sobol initial design of 10 configurations per parameter, capped at a quarter
  of n_trials), through ask/tell. Finished trials are told before each ask:
  COMPLETE with their value, PRUNED and FAIL as crashed (SMAC's crash cost).
- ``SMACHyperband``: SMAC's Hyperband facade. SMAC chooses each trial's budget
  in steps (min_budget..max_step); the trial runs to that step and is pruned
  there (COMPLETE if the budget is max_step), and the value at that step is
  told back. The budget is stored on the trial (system attr ``smac:budget``),
  so another process can tell SMAC about it. The first trial (which fixes the
  search space, hpobench.samplers.baselines._tracking) runs to max_step.

SMAC never repeats a configuration; when it finds no new one (a small
discrete space) it raises, and its generator is closed for good: the sampler
then goes on with uniform samples of the seeded configspace, told to SMAC
like its own (one warning in the log).

Both run deterministic scenarios (one seed per configuration: a trial is one
run) seeded with the study seed. SMAC writes its run folder into a temporary
directory removed when the sampler is dropped, unless output_directory is
given; never into the working directory.
"""

from __future__ import annotations

import logging
import math
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any

from hpobench.distributions import Distribution
from hpobench.interfaces import PluginStudy
from hpobench.trial import FrozenTrial, TrialState
from hpobench.validation import check_int

from ._imports import require
from ._space import axis_of
from ._tracking import SchedulerSampler, TrackingSampler, _Book, worst_if_nan

BUDGET_ATTR = "smac:budget"
_logger = logging.getLogger("hpobench")
_QUIET = 40  # logging.ERROR: SMAC logs every incumbent change at INFO


def _configspace(cs_module: Any, space: dict[str, Distribution], seed: int) -> Any:
    cs = cs_module.ConfigurationSpace(seed=seed)
    for name, dist in space.items():
        axis = axis_of(dist)
        if axis.kind == "cat":
            cs.add(cs_module.Categorical(name, list(range(int(axis.high) + 1))))
        elif axis.kind == "int":
            cs.add(cs_module.Integer(name, (int(axis.low), int(axis.high)), log=axis.log))
        else:
            cs.add(cs_module.Float(name, (float(axis.low), float(axis.high)), log=axis.log))
    return cs


class _Backend:
    def __init__(self, facade: Any, configspace: Any, minimize: bool) -> None:
        self.facade = facade
        self.configspace = configspace
        self.minimize = minimize
        self.seed = 0  # the instance seed SMAC gives its own trials (deterministic scenario)
        self.exhausted = False  # SMAC found no new configuration: sample the space uniformly from then on


class _SMACMixin:
    """Facade construction, adoption and telling, shared by the two SMAC methods."""

    seed: int | None
    n_trials: int
    output_directory: str  # set by _init_output
    _facade_name: str  # the SMAC facade class each method uses

    def _init_output(self, output_directory: str | Path | None) -> None:
        if output_directory is None:
            self._tmp = tempfile.mkdtemp(prefix="hpobench-smac-")
            weakref.finalize(self, shutil.rmtree, self._tmp, True)
            self.output_directory = self._tmp
        else:
            self.output_directory = str(output_directory)

    def _facade(self, study: PluginStudy, space: dict[str, Distribution], **scenario: Any) -> _Backend:
        name = type(self).__name__
        smac = require("smac", name)
        cs_module = require("ConfigSpace", name)
        seed = 0 if self.seed is None else self.seed
        configspace = _configspace(cs_module, space, seed)
        folder = Path(self.output_directory) / f"{study.study_name}-{id(study):x}"
        scen = smac.Scenario(
            configspace, output_directory=folder, deterministic=True, n_trials=self.n_trials, seed=seed, **scenario
        )
        facade_class = getattr(smac, self._facade_name)
        facade = facade_class(scen, _never_called, overwrite=True, logging_level=_QUIET)
        return _Backend(facade, configspace, study.direction.name == "MINIMIZE")

    def _ask_smac(self, book: _Book) -> tuple[Any, dict[str, float]]:
        backend = book.backend
        if not backend.exhausted:
            exhausted = require("smac", type(self).__name__).main.exceptions.ConfigurationSpaceExhaustedException
            try:
                info = backend.facade.ask()
                backend.seed = info.seed
                return info, {n: float(info.config[n]) for n in book.space}
            except exhausted:
                # SMAC never repeats a configuration; on a small discrete space (evalset's int cases) it
                # runs out and its generator is closed for good. The study goes on: uniform samples
                # (the configspace is seeded, so the same seed gives the same trials), told to SMAC.
                _logger.warning(
                    "SMAC found no new configuration; %s samples uniformly from now on.", type(self).__name__
                )
                backend.exhausted = True
        config = backend.configspace.sample_configuration()
        values = {n: float(config[n]) for n in book.space}
        return self._adopt_smac(book, values, None), values

    def _adopt_smac(self, book: _Book, axes: dict[str, float], budget: float | None) -> Any:
        smac = require("smac", type(self).__name__)
        cs_module = require("ConfigSpace", type(self).__name__)
        values = {n: (axes[n] if axis_of(d).kind == "float" else int(axes[n])) for n, d in book.space.items()}
        config = cs_module.Configuration(book.backend.configspace, values=values)
        return smac.runhistory.TrialInfo(config=config, seed=book.backend.seed, budget=budget)

    def _tell(self, book: _Book, info: Any, value: float | None) -> None:
        smac = require("smac", type(self).__name__)
        if value is None:
            result = smac.runhistory.TrialValue(cost=math.inf, status=smac.runhistory.StatusType.CRASHED)
        else:
            cost = worst_if_nan(value, book.backend.minimize)
            result = smac.runhistory.TrialValue(cost=cost if book.backend.minimize else -cost)
        book.backend.facade.tell(info, result, save=False)


def _never_called(config: Any, seed: int = 0, budget: float | None = None) -> float:  # SMAC checks the signature
    raise RuntimeError("SMAC runs through ask/tell here; its target function is never called.")


class SMACSampler(_SMACMixin, TrackingSampler):
    """SMAC3's HPO facade (random-forest BO) as a black-box sampler.

    Args:
        seed: the scenario's seed.
        n_trials: the scenario's n_trials (sizes SMAC's initial design; give the study's).
        output_directory: where SMAC writes its run folder (default: a temporary directory).
    """

    _facade_name = "HyperparameterOptimizationFacade"

    def __init__(
        self, *, seed: int | None = None, n_trials: int = 100, output_directory: str | Path | None = None
    ) -> None:
        super().__init__(seed=seed)
        require("smac", type(self).__name__)
        self.n_trials = _check_n_trials(n_trials)
        self._init_output(output_directory)

    def _open(self, study: PluginStudy, space: dict[str, Distribution]) -> _Backend:
        return self._facade(study, space)

    def _ask(self, book: _Book, study: PluginStudy, trial: FrozenTrial) -> tuple[Any, dict[str, float]]:
        return self._ask_smac(book)

    def _adopt(self, book: _Book, trial: FrozenTrial, axes: dict[str, float]) -> Any:
        return self._adopt_smac(book, axes, None)

    def _close(self, book: _Book, trial: FrozenTrial) -> None:
        value = trial.value if trial.state == TrialState.COMPLETE else None
        self._tell(book, book.handles[trial.number], value)


class SMACHyperband(_SMACMixin, SchedulerSampler):
    """SMAC3's Hyperband facade: SMAC picks each trial's budget (steps); sampler and pruner at once.

    Args:
        seed: the scenario's seed.
        max_step: the problem's last step (SMAC's max_budget).
        min_budget: SMAC's min_budget in steps.
        n_trials: the scenario's n_trials.
        output_directory: where SMAC writes its run folder (default: a temporary directory).
    """

    _facade_name = "HyperbandFacade"

    def __init__(
        self,
        *,
        seed: int | None = None,
        max_step: int,
        min_budget: int = 1,
        n_trials: int = 100,
        output_directory: str | Path | None = None,
    ) -> None:
        super().__init__(seed=seed, max_step=max_step)
        require("smac", type(self).__name__)
        self.min_budget = check_int("min_budget", min_budget, minimum=1, maximum=max_step)
        self.n_trials = _check_n_trials(n_trials)
        self._init_output(output_directory)

    def _open(self, study: PluginStudy, space: dict[str, Distribution]) -> _Backend:
        return self._facade(study, space, min_budget=self.min_budget, max_budget=self.max_step)

    def _ask(self, book: _Book, study: PluginStudy, trial: FrozenTrial) -> tuple[Any, dict[str, float]]:
        info, axes = self._ask_smac(book)
        study.set_trial_system_attr(trial.trial_id, BUDGET_ATTR, self._steps(info.budget))
        return info, axes

    def _adopt(self, book: _Book, trial: FrozenTrial, axes: dict[str, float]) -> Any:
        return self._adopt_smac(book, axes, float(trial.system_attrs.get(BUDGET_ATTR, self.max_step)))

    def _steps(self, budget: float | None) -> int:
        return self.max_step if budget is None else min(max(int(round(budget)), 1), self.max_step)

    def _result(self, book: _Book, trial: FrozenTrial, step: int, value: float) -> bool:
        return step >= self._steps(book.handles[trial.number].budget)

    def _close(self, book: _Book, trial: FrozenTrial) -> None:
        info = book.handles[trial.number]
        budget = self._steps(info.budget)
        values = trial.intermediate_values
        if trial.state == TrialState.COMPLETE:
            value = trial.value
        elif values:  # stopped at its budget (or earlier, by a NaN): the value at its deepest step
            value = values[budget] if budget in values else values[max(values)]
        else:
            value = None
        self._tell(book, info, value)


def _check_n_trials(n_trials: Any) -> int:
    return check_int("n_trials", n_trials, minimum=1)
