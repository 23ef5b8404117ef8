"""A problem for the CLI's storage-failure tests (importable by worker processes and by Hydra)."""

from __future__ import annotations

from pathlib import Path

from hpobench.problems.base import Problem


class DeletesItsStorage(Problem):
    """x^2; trial number at_trial deletes the SQLite file (and its -wal/-shm) under the running study."""

    name = "test/deletes_its_storage"

    def __init__(self, *, path: str, at_trial: int = 2, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        self.path = Path(path)
        self.at_trial = at_trial

    def objective(self, trial) -> float:
        x = trial.suggest_float("x", -1.0, 1.0)
        if trial.number == self.at_trial:
            for file in self.path.parent.glob(self.path.name + "*"):
                file.unlink()
        return x * x
