"""Studies: create_study / load_study / copy_study, the Study object and Optuna's study-level helpers."""

from hpobench.direction import StudyDirection
from hpobench.study._callbacks import MaxTrialsCallback
from hpobench.study._frozen import FrozenStudy
from hpobench.study._study import (
    INTERRUPTED_ATTR,
    Study,
    copy_study,
    create_study,
    delete_study,
    get_all_study_names,
    load_study,
    log_told_elsewhere,
    pair_pruner,
)
from hpobench.study._summary import StudySummary, get_all_study_summaries

__all__ = [
    "INTERRUPTED_ATTR",
    "FrozenStudy",
    "MaxTrialsCallback",
    "Study",
    "StudyDirection",
    "StudySummary",
    "copy_study",
    "create_study",
    "delete_study",
    "get_all_study_names",
    "get_all_study_summaries",
    "load_study",
    "log_told_elsewhere",
    "pair_pruner",
]
