"""Where hpobench finds its config and writes its results.

The package is used two ways: from its source checkout (``pip install -e .``,
``python -m hpobench`` in the repository) and as an installed wheel. The
Hydra config ships inside the package (``hpobench/conf``: a link to the
repository's ``conf/`` in a checkout, real files in a wheel), so it is found
either way. Results go under ``<results root>/results``:

- the checkout's root when this package was imported from a checkout and the
  current directory lies inside it (the README's commands keep writing to the
  repository's ``results/`` from any subfolder);
- otherwise the current directory (an installed ``hpobench`` run from a
  project folder writes ``results/`` inside that folder).

The CLI's ``results_dir=...`` (and ``storage=``, ``tracking.uri=``) override it.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CONF_DIR = PACKAGE_DIR / "conf"


def checkout_root() -> Path | None:
    """The source checkout this package was imported from, or None for an installed package."""
    root = PACKAGE_DIR.parent
    if (root / "pyproject.toml").is_file() and (root / "conf").is_dir() and (root / "hpobench").is_dir():
        return root
    return None


def results_root(cwd: Path | None = None) -> Path:
    """The folder that holds ``results/`` (see the module docstring)."""
    here = (cwd or Path.cwd()).resolve()
    checkout = checkout_root()
    if checkout is not None and here.is_relative_to(checkout):
        return checkout
    return here
