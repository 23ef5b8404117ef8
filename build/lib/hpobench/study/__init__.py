"""Studies: create_study / load_study and the Study object."""

from hpobench.direction import StudyDirection
from hpobench.study._study import Study, create_study, delete_study, get_all_study_names, load_study

__all__ = ["Study", "StudyDirection", "create_study", "delete_study", "get_all_study_names", "load_study"]
