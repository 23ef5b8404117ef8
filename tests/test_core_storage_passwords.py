"""Passwords in storage URLs never show: not in errors, reprs or logs; and the libpq ways to keep
them out of URLs (PGPASSWORD, a .pgpass file) work. Against a real PostgreSQL role that must give
its password (scram-sha-256), on the test server.
"""

from __future__ import annotations

import logging
import socket
import uuid

import pytest

import hpobench
from hpobench.exceptions import DuplicatedStudyError, StorageError, StudyNotFoundError
from hpobench.storages import RDBStorage
from hpobench.storages._url import masked, redacted
from tests.support.core_workers import RandomSampler

PASSWORD = "s3cret-" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def password_user(postgres_server) -> str:
    user = "u_" + uuid.uuid4().hex[:8]
    postgres_server.add_password_user(user, PASSWORD)
    return user


@pytest.fixture
def server(postgres_server, postgres_url, password_user):
    """(host:port/dbname of a fresh database, the user who needs PASSWORD)."""
    return f"127.0.0.1:{postgres_server.port}/{postgres_url.rsplit('/', 1)[1]}", password_user


def _objective(trial):
    return trial.suggest_float("x", 0.0, 1.0)


def test_mask_and_redact():
    assert masked("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert masked("sqlite:///a.db") == "sqlite:///a.db" and masked("not a url") == "not a url" and masked(None) is None
    assert redacted("failed for pw at h", "postgresql://u:pw@h/db") == "failed for *** at h"
    from hpobench.cli._config import masked as cli_masked  # the CLI's name for it stays

    assert cli_masked is masked


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def log_messages():
    """Every message of the hpobench and sqlalchemy loggers, whatever other tests did to propagation."""
    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("hpobench", "sqlalchemy")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.messages
    for logger, level in zip(loggers, levels, strict=False):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_no_error_repr_or_log_line_shows_the_password(server, log_messages):
    where, user = server
    url = f"postgresql://{user}:{PASSWORD}@{where}"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    study = hpobench.create_study(storage=url, study_name="s", sampler=RandomSampler(seed=0))
    study.optimize(_objective, n_trials=2)
    failures = {
        "unknown study": (StudyNotFoundError, lambda: hpobench.load_study(study_name="nope", storage=url)),
        "duplicate": (DuplicatedStudyError, lambda: hpobench.create_study(storage=url, study_name="s")),
        "no such database": (StorageError, lambda: RDBStorage(url.rsplit("/", 1)[0] + "/nosuch")),
        "wrong password": (StorageError, lambda: RDBStorage(url.replace(PASSWORD, PASSWORD[::-1]))),
        "refused": (StorageError, lambda: RDBStorage(f"postgresql://{user}:{PASSWORD}@127.0.0.1:{closed_port}/db")),
        "bad timeout": (StorageError, lambda: RDBStorage(url + "?connect_timeout=soon")),
    }
    for name, (kind, fail) in failures.items():
        with pytest.raises(kind) as error:
            fail()
        text = str(error.value)
        assert PASSWORD not in text and PASSWORD[::-1] not in text, name
        assert "***" in text, name  # the storage is still named, with its password masked
    assert PASSWORD not in repr(study._storage) and "***" in repr(study._storage)
    assert log_messages and not [m for m in log_messages if PASSWORD in m]


def test_password_from_pgpassword(server, monkeypatch):
    where, user = server
    url = f"postgresql://{user}@{where}"
    with pytest.raises(StorageError, match=r"refused the login .*PGPASSWORD or ~/.pgpass"):
        RDBStorage(url)
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    with RDBStorage(url) as storage:
        hpobench.create_study(storage=storage, study_name="env", sampler=RandomSampler()).optimize(
            _objective, n_trials=1
        )
    assert hpobench.get_all_study_names(url) == ["env"]


def test_password_from_a_pgpass_file(server, monkeypatch, tmp_path):
    where, user = server
    pgpass = tmp_path / "pgpass"
    host_port = where.split("/")[0]  # host:port
    pgpass.write_text(f"{host_port}:*:{user}:{PASSWORD}\n")
    pgpass.chmod(0o600)  # libpq ignores a .pgpass that others can read
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with RDBStorage(f"postgresql://{user}@{where}") as storage:
        assert storage.get_all_study_names() == []
