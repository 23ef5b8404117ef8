"""Storages: one API (BaseStorage), two backends (in-memory, SQL for SQLite and PostgreSQL)."""

from __future__ import annotations

from hpobench.storages._base import BaseStorage
from hpobench.storages._heartbeat import RetryFailedTrialCallback, RetryHeartbeatStaleTrialCallback
from hpobench.storages._in_memory import InMemoryStorage
from hpobench.storages._rdb import RDBStorage
from hpobench.storages._url import masked

DEFAULT_STORAGE_URL = "sqlite:///results/hpobench.db"


IN_MEMORY_URLS = ("sqlite://", "sqlite:///:memory:")


def get_storage(storage: None | str | BaseStorage) -> BaseStorage:
    """None -> in-memory; a URL string -> RDBStorage; a storage -> itself.

    An in-memory SQLite URL (``sqlite:///:memory:``, as Optuna users write for
    a throwaway study) gives an InMemoryStorage: the same behaviour, without a
    database that each SQL connection would see empty.
    """
    if storage is None or storage in IN_MEMORY_URLS:
        return InMemoryStorage()
    if isinstance(storage, str):
        return RDBStorage(storage)
    if isinstance(storage, BaseStorage):
        return storage
    raise ValueError(f"storage must be None, a database URL or a storage object, got {storage!r}.")


__all__ = [
    "BaseStorage",
    "InMemoryStorage",
    "RDBStorage",
    "RetryFailedTrialCallback",
    "RetryHeartbeatStaleTrialCallback",
    "get_storage",
    "masked",
    "DEFAULT_STORAGE_URL",
]
