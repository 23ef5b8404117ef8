"""Storage URLs: parsing, and hiding their passwords wherever they are shown.

A storage URL may carry a password (``postgresql://user:secret@host/db``).
Every message, log line and MLflow tag that names a storage goes through
``masked`` (the URL with ``***`` for the password); ``redacted`` also scrubs
the password out of a text that came from elsewhere, such as a driver's
error message.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from hpobench.exceptions import StorageError

_EXAMPLES = "expected e.g. 'sqlite:///results/hpobench.db' or 'postgresql://user:password@host:5432/dbname'"


def masked(url: str | None) -> str | None:
    """url with its password replaced by ``***``, for printing, logs and MLflow tags.

    A text that is not a URL comes back unchanged (it holds no parsable password).
    """
    if url is None:
        return None
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def redacted(text: str, url: str | URL) -> str:
    """text with every occurrence of url's password replaced by ``***``."""
    try:
        password = (url if isinstance(url, URL) else make_url(url)).password
    except ArgumentError:
        return text
    return text.replace(password, "***") if password else text


def parse_storage_url(url: str) -> URL:
    """The SQLAlchemy URL of a storage, with the driver hpobench uses; StorageError if unusable."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"Malformed storage URL {masked(url)!r}: {_EXAMPLES}.") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StorageError(f"Unsupported storage backend {backend!r} in {masked(url)!r}: use sqlite or postgresql.")
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")  # psycopg 3, the 'postgres' extra
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise StorageError(f"{masked(url)!r} is an in-memory SQLite URL; use InMemoryStorage (storage=None) instead.")
    return parsed
