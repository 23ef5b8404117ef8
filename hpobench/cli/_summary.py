"""The end-of-run summary: what was found, how long it took, where the results are."""

from __future__ import annotations

import math
import os
import shlex
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hpobench.runners.base import counts_toward_n_trials
from hpobench.trial import TrialState

if TYPE_CHECKING:
    from hpobench.study import Study


@dataclass
class Summary:
    """Numbers and locations of one finished (or interrupted) run; ``str()`` is the printed text."""

    study_name: str
    direction: str
    n_complete: int
    n_pruned: int
    n_failed: int
    n_trials: int
    wall_time: float
    storage: str | None
    best_value: float | None = None
    best_trial: int | None = None
    best_params: dict[str, Any] = field(default_factory=dict)
    tracking_uri: str | None = None
    experiment: str | None = None
    run_id: str | None = None
    interrupted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        finished = self.n_complete + self.n_pruned + self.n_failed
        state = "interrupted" if self.interrupted else "finished"
        lines = [
            f"Study {self.study_name!r} {state} after {self.wall_time:.1f} s",
            f"  trials:      {finished}/{self.n_trials} finished: {self.n_complete} complete, "
            f"{self.n_pruned} pruned, {self.n_failed} failed",
        ]
        if self.best_value is None:
            lines.append("  best:        no complete trial yet")
        else:
            lines.append(f"  best value:  {self.best_value:.6g} ({self.direction}, trial {self.best_trial})")
            params = ", ".join(f"{k}={_short(v)}" for k, v in self.best_params.items())
            lines.append(f"  best params: {params}")
        lines.append(f"  storage:     {self.storage or 'in memory (not saved)'}")
        if self.tracking_uri:
            lines.append(f"  MLflow:      {self.tracking_uri} (experiment {self.experiment!r}, run {self.run_id})")
            lines.append(f"  open it:     {mlflow_ui_command(self.tracking_uri)}")
        if self.interrupted:
            lines.append("  resume:      run the same command again")
        return "\n".join(lines)


def _short(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def summarize(study: Study, *, n_trials: int, wall_time: float, storage: str | None, **where: Any) -> Summary:
    """Summary of study's trials; where holds tracking_uri, experiment, run_id, interrupted."""
    trials = study.get_trials(deepcopy=False)
    counted = [t for t in trials if counts_toward_n_trials(t)]  # Ctrl-C'd trials are neither failed nor finished
    counts = {state: sum(t.state == state for t in counted) for state in TrialState}
    summary = Summary(
        study_name=study.study_name,
        direction=study.direction.name.lower(),
        n_complete=counts[TrialState.COMPLETE],
        n_pruned=counts[TrialState.PRUNED],
        n_failed=counts[TrialState.FAIL],
        n_trials=n_trials,
        wall_time=wall_time,
        storage=storage,
        **where,
    )
    scored = [t for t in trials if t.state == TrialState.COMPLETE and t.value is not None and math.isfinite(t.value)]
    if scored:
        best = study.best_trial
        summary.best_value, summary.best_trial, summary.best_params = best.value, best.number, dict(best.params)
    return summary


def mlflow_ui_command(uri: str) -> str:
    """The shell command that opens the MLflow UI on uri, with this environment's mlflow."""
    exe = Path(sys.executable).parent / "mlflow"
    try:
        shown = os.path.relpath(exe) if Path.cwd() in exe.parents else str(exe)
    except ValueError:
        shown = str(exe)
    return f"{shlex.quote(shown)} ui --backend-store-uri {shlex.quote(uri)}"
