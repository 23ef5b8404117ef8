"""SimulatedRunner: N asynchronous workers on a virtual clock, replaying recorded curves.

A recorded problem knows, for a configuration, its whole learning curve and
the seconds each step took (``curve(config, seed) -> values, step_times``).
So instead of training, the runner replays the curves of N virtual workers in
virtual-time order with a heap of events ``(time, seq, worker, trial)``:

- a worker frees (trial is None): the study asks for a trial, the problem
  configures it (define-by-run: the sampler runs here), and the trial's first
  step is scheduled at start + step_times[0];
- a trial reaches the end of step k: ``trial.report(values[k], k)`` then
  ``trial.should_prune()``, exactly as RecordedProblemInterface.objective does;
  pruned -> PRUNED, last step -> COMPLETE, else the next step is scheduled;
  either way a finished trial frees its worker at that same virtual time.

The sampler and the pruner therefore see the study as it would be at that
virtual time, with up to N trials running. The cost is the number of events
(one per step reached, plus one per trial start), never the simulated seconds.

Reproducibility: seq breaks ties first-in-first-out, curves are seeded with the
trial number (as in objective()), and the optimizer's own compute time is
charged to the clock only when asked (``overhead``): 'zero' (default) and
'constant' are exactly reproducible from the sampler's and problem's seeds;
'measured' charges the wall time of ask() + configure() and is not.

Each trial gets system attrs ``sim_start`` (virtual seconds when its first step
starts, after the overhead), ``sim_end`` and ``sim_worker``; a resumed study's
clock starts at the latest ``sim_end``. ``timeout`` is in virtual seconds: no
trial starts after it (running ones finish). ``study_time_table(study)`` turns
the attrs into a DataFrame for best-so-far-against-time figures.
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hpobench.direction import StudyDirection
from hpobench.exceptions import TrialPruned
from hpobench.interfaces import ProblemInterface, RecordedProblemInterface
from hpobench.runners.base import Callback, Runner, check_n_workers, report_finished
from hpobench.trial import Trial, TrialState

if TYPE_CHECKING:
    from hpobench.study import Study

OVERHEADS = ("zero", "constant", "measured")
TIME_TABLE_COLUMNS = ["number", "state", "value", "sim_start", "sim_end", "sim_worker", "steps", "best_so_far"]


class _Run:
    """A trial being replayed: its curve, when each step ends, and the next step to report."""

    __slots__ = ("trial", "values", "ends", "step")

    def __init__(self, trial: Trial, values: list[float], ends: list[float]) -> None:
        self.trial = trial
        self.values = values
        self.ends = ends
        self.step = 0  # index into values: step number is index + 1


class SimulatedRunner(Runner):
    """Replays a recorded problem with n_workers asynchronous workers on a virtual clock.

    Args:
        n_workers: number of virtual workers (trials running at once).
        overhead: optimizer time charged to the clock per trial: 'zero',
            'constant' (overhead_seconds per trial) or 'measured' (wall time of
            ask() + configure(); not reproducible).
        overhead_seconds: the charge per trial for overhead='constant'.
    """

    def __init__(self, *, n_workers: int = 32, overhead: str = "zero", overhead_seconds: float = 0.0) -> None:
        self.n_workers = check_n_workers(n_workers)
        if overhead not in OVERHEADS:
            raise ValueError(f"overhead must be one of {OVERHEADS}, got {overhead!r}.")
        if (
            isinstance(overhead_seconds, bool)
            or not isinstance(overhead_seconds, (int, float))
            or not math.isfinite(overhead_seconds)
            or overhead_seconds < 0
        ):
            raise ValueError(f"overhead_seconds must be a finite number >= 0, got {overhead_seconds!r}.")
        if overhead_seconds and overhead != "constant":
            raise ValueError(
                f"overhead_seconds={overhead_seconds!r} is only used with overhead='constant', not {overhead!r}."
            )
        self.overhead = overhead
        self.overhead_seconds = float(overhead_seconds)

    def __repr__(self) -> str:
        return f"SimulatedRunner(n_workers={self.n_workers}, overhead={self.overhead!r})"

    def _check(self, study: Study, problem: ProblemInterface) -> None:
        _recorded(problem)

    def _run_missing(
        self,
        study: Study,
        problem: ProblemInterface,
        missing: int,
        timeout: float | None,
        callbacks: Sequence[Callback],
    ) -> None:
        start = resume_time(study)
        deadline = None if timeout is None else start + timeout
        with study.optimization_loop(reset_stop=True):  # objectives, samplers and callbacks may call study.stop()
            _Replay(self, study, _recorded(problem), callbacks).run(start, missing, deadline)


def _recorded(problem: ProblemInterface) -> RecordedProblemInterface:
    if not isinstance(problem, RecordedProblemInterface):
        raise TypeError(
            f"SimulatedRunner replays recorded curves: problem {problem!r} must implement "
            "RecordedProblemInterface (configure(trial) and curve(config, seed))."
        )
    return problem


class _Replay:
    """One run() of the simulator: the event loop and what each event does."""

    def __init__(
        self, runner: SimulatedRunner, study: Study, problem: RecordedProblemInterface, callbacks: Sequence[Callback]
    ) -> None:
        self.runner = runner
        self.study = study
        self.problem = problem
        self.callbacks = callbacks
        self.heap: list[tuple[float, int, int, _Run | None]] = []
        self.seq = itertools.count()

    def push(self, when: float, worker: int, run: _Run | None) -> None:
        heapq.heappush(self.heap, (when, next(self.seq), worker, run))

    def run(self, start: float, missing: int, deadline: float | None) -> None:
        for worker in range(self.runner.n_workers):
            self.push(start, worker, None)
        started = 0
        while self.heap:
            now, _, worker, run = heapq.heappop(self.heap)
            if run is not None:
                self.step(now, worker, run)
            elif started < missing and not self.study.should_stop and (deadline is None or now < deadline):
                started += 1
                self.start(now, worker)
            # else: the worker retires

    def start(self, now: float, worker: int) -> None:
        """A worker is free at `now`: ask, configure, and schedule the first step."""
        wall = time.perf_counter()
        trial = self.study.ask()
        try:
            config = self.problem.configure(trial)
            overhead = self.overhead(time.perf_counter() - wall)
            values, step_times = _checked_curve(self.problem, config, trial.number)
        except TrialPruned:
            return self.finish(now, worker, trial, TrialState.PRUNED)
        except Exception as err:
            reason = "".join(traceback.format_exception_only(type(err), err)).strip()
            trial.set_system_attr("fail_reason", reason)
            return self.finish(now, worker, trial, TrialState.FAIL)
        begin = now + overhead
        trial.set_system_attr("sim_start", begin)
        trial.set_system_attr("sim_worker", worker)
        ends = (begin + np.cumsum(step_times)).tolist()
        run = _Run(trial, values, ends)
        self.push(ends[0], worker, run)

    def overhead(self, measured: float) -> float:
        if self.runner.overhead == "constant":
            return self.runner.overhead_seconds
        return measured if self.runner.overhead == "measured" else 0.0

    def step(self, now: float, worker: int, run: _Run) -> None:
        """run's current step ends at `now`: report, ask the pruner, then go on or finish."""
        k = run.step
        run.trial.report(run.values[k], k + 1)
        if run.trial.should_prune():
            self.finish(now, worker, run.trial, TrialState.PRUNED)
        elif k + 1 == len(run.values):
            self.finish(now, worker, run.trial, TrialState.COMPLETE, run.values[k])
        else:
            run.step = k + 1
            self.push(run.ends[k + 1], worker, run)

    def finish(self, now: float, worker: int, trial: Trial, state: TrialState, value: float | None = None) -> None:
        if "sim_start" not in trial.system_attrs:  # failed or pruned before its first step
            trial.set_system_attr("sim_start", now)
            trial.set_system_attr("sim_worker", worker)
        trial.set_system_attr("sim_end", now)
        frozen = self.study.tell(trial, value, state=state)
        report_finished(self.study, frozen, self.callbacks)
        self.push(now, worker, None)


def _checked_curve(
    problem: RecordedProblemInterface, config: dict[str, Any], seed: int
) -> tuple[list[float], np.ndarray]:
    values, step_times = problem.curve(config, seed=seed)
    values = np.asarray(values, dtype=float).ravel()
    step_times = np.asarray(step_times, dtype=float).ravel()
    if values.size == 0 or values.shape != step_times.shape:
        raise ValueError(
            f"{problem!r}.curve() must return values and step_times of the same non-zero length, "
            f"got {values.size} values and {step_times.size} step times."
        )
    if not np.all(np.isfinite(step_times)) or np.any(step_times < 0):
        raise ValueError(f"{problem!r}.curve() returned step times that are negative or not finite: {step_times!r}.")
    return values.tolist(), step_times


def resume_time(study: Study) -> float:
    """Where a resumed study's virtual clock starts: the latest sim_end (0.0 for a new study)."""
    ends = [t.system_attrs["sim_end"] for t in study.get_trials(deepcopy=False) if "sim_end" in t.system_attrs]
    return float(max(ends, default=0.0))


def study_time_table(study: Study) -> pd.DataFrame:
    """One row per trial: number, state, value, sim_start, sim_end, sim_worker, steps, best_so_far.

    best_so_far is the best COMPLETE value among the trials that ended (in
    virtual time) no later than this one; plot it against sim_end for an
    anytime curve. Rows are sorted by sim_end (trials without one last).
    """
    rows = [
        (
            t.number,
            t.state.name,
            t.value,
            t.system_attrs.get("sim_start"),
            t.system_attrs.get("sim_end"),
            t.system_attrs.get("sim_worker"),
            len(t.intermediate_values),
        )
        for t in study.get_trials(deepcopy=False)
    ]
    table = pd.DataFrame(rows, columns=TIME_TABLE_COLUMNS[:-1])
    table = table.sort_values(["sim_end", "number"], na_position="last", kind="stable").reset_index(drop=True)
    complete = table["value"].where(table["state"] == TrialState.COMPLETE.name)
    best = complete.cummax() if study.direction == StudyDirection.MAXIMIZE else complete.cummin()
    table["best_so_far"] = best.ffill()
    return table
