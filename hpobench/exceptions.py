"""Exceptions raised by hpobench. Names follow Optuna's so user code ports unchanged."""


class HpobenchError(Exception):
    """Base class of every hpobench error."""


class TrialPruned(HpobenchError):
    """Raised by an objective to tell the study that the trial was pruned."""


class DuplicatedStudyError(HpobenchError):
    """A study with this name already exists in the storage."""


class StudyNotFoundError(HpobenchError, KeyError):
    """No study with this name (or id) exists in the storage."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class StorageError(HpobenchError, ValueError):
    """The storage cannot be opened or used (bad URL, not a database, wrong schema)."""


class TrialFinishedError(HpobenchError, RuntimeError):
    """A write was attempted on a trial that already finished; finished trials are immutable."""


class CLIUsageError(HpobenchError):
    """The command line received an invalid configuration (Optuna's name)."""


class ExperimentalWarning(Warning):
    """Warns about an experimental feature (Optuna's name; hpobench emits none, but scripts filter it)."""


# Optuna's names for the same errors, so `except optuna.exceptions.X` ports unchanged.
OptunaError = HpobenchError
UpdateFinishedTrialError = TrialFinishedError
StorageInternalError = StorageError
