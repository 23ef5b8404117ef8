"""The job's side of a sweep: ``current_trial()``, the trial that the sweeper launched this job for.

The sweeper asks the study for a trial, then launches the job with the
parameters as overrides plus one more, ``hydra.job.env_set.HPOBENCH_TRIAL``:
a JSON handle (storage URL, study name, trial number). Hydra sets that
variable while the job runs, in whichever process the launcher runs it, and
restores the environment afterwards.

``current_trial()`` turns the handle into a live :class:`~hpobench.Trial`:

- in the sweeper's own process (the basic launcher), on the sweeper's Study
  object, so even an in-memory study works;
- in another process (the joblib launcher), on the study loaded from the
  storage, with the sampler and pruner built again from the job's
  ``hydra.sweeper`` config, so ``should_prune()`` decides as in the sweeper.

The sweeper's process keeps the trial's heartbeat and tells the outcome; the
job only reports, asks should_prune() and raises TrialPruned.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from hpobench.sweeper._space import quoted
from hpobench.trial import Trial, TrialState

if TYPE_CHECKING:
    from hpobench.study import Study

TRIAL_ENV = "HPOBENCH_TRIAL"

# Studies that a sweeper drives in this process, by name (jobs of the basic launcher run here).
_live_studies: dict[str, Study] = {}
# The trial of the job running in this process: (handle text, trial); a process runs one job at a time.
_current: tuple[str, Trial] | None = None


@dataclass(frozen=True)
class TrialHandle:
    """What a job needs to find its trial: where the study is, which study, which trial."""

    storage: str | None
    study_name: str
    number: int

    def job_override(self) -> str:
        """The override that hands this trial to the job (see the module docstring)."""
        return f"++hydra.job.env_set.{TRIAL_ENV}={quoted(json.dumps(asdict(self)))}"


def register_live_study(study: Study) -> None:
    """Let jobs that run in this process use study itself (the sweeper calls this)."""
    _live_studies[study.study_name] = study


def unregister_live_study(study: Study) -> None:
    _live_studies.pop(study.study_name, None)


def current_trial() -> Trial | None:
    """The trial of the job that runs now, or None outside a hydra/sweeper=hpobench sweep.

    Report intermediate values to it and ask it whether to stop; raise
    ``hpobench.TrialPruned`` to end the job as PRUNED::

        trial = current_trial()
        for epoch in range(cfg.epochs):
            loss = train_one_epoch()
            if trial is not None:
                trial.report(loss, epoch)
                if trial.should_prune():
                    raise hpobench.TrialPruned()
        return loss

    Raises:
        RuntimeError: the study is in memory in another process (use a storage URL),
            or the trial is no longer running.
    """
    global _current
    text = os.environ.get(TRIAL_ENV)
    if not text:
        return None
    if _current is None or _current[0] != text:
        _current = (text, _open_trial(TrialHandle(**json.loads(text))))
    return _current[1]


def _open_trial(handle: TrialHandle) -> Trial:
    study = _live_studies.get(handle.study_name) or _load_study(handle)
    running = [t for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)) if t.number == handle.number]
    if not running:
        raise RuntimeError(f"Trial {handle.number} of study {handle.study_name!r} is not running any more.")
    return Trial(study, running[0])


def _load_study(handle: TrialHandle) -> Study:
    if handle.storage is None:
        raise RuntimeError(
            f"Study {handle.study_name!r} is in memory in the sweeper's process, and this job runs in another "
            "process (e.g. hydra/launcher=joblib): set hydra.sweeper.storage to a database URL "
            "(sqlite:///sweep.db, postgresql://...) for current_trial() to reach it."
        )
    import hpobench

    sampler, pruner = _sampler_and_pruner()
    return hpobench.load_study(study_name=handle.study_name, storage=handle.storage, sampler=sampler, pruner=pruner)


def _sampler_and_pruner() -> tuple[Any, Any]:
    """The sweeper's sampler and pruner, built again from this job's hydra.sweeper config."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.utils import instantiate

    if not HydraConfig.initialized():
        raise RuntimeError(f"{TRIAL_ENV} is set but this is no Hydra job: call current_trial() inside the task.")
    sweeper = HydraConfig.get().sweeper
    return instantiate(sweeper.sampler), instantiate(sweeper.pruner)
