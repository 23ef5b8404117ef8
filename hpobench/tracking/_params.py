"""What identifies a study in MLflow, and the resolved settings of its parts as params.

- ``study_key(storage, study_name)``: the same study name in two storages is two
  studies, so the parent run is found by a hash of the storage's identity
  (an SQLite file's absolute path, a server URL without its password) and the name.
- ``component_params({"sampler": obj, ...})``: every constructor argument of each
  built object that the object keeps (as ``name`` or ``_name``), e.g.
  ``sampler.n_startup_trials`` or ``pruner.reduction_factor``. It reads the objects,
  not the Hydra config, so a study tracked from Python gets the same params.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hpobench.storages import masked

_SQLITE = "sqlite:///"
_MAX_VALUE = 500  # MLflow's param values are short strings; a long repr says nothing useful anyway


def storage_identity(storage: str | None) -> str:
    """The masked storage URL, an SQLite path made absolute (sqlite:///a.db is one file per cwd)."""
    if not storage:
        return "memory"
    url = masked(storage) or storage
    if url.startswith(_SQLITE) and not url.startswith(_SQLITE + ":memory:"):
        path, _, query = url[len(_SQLITE) :].partition("?")
        url = _SQLITE + str(Path(path).resolve()) + (f"?{query}" if query else "")
    return url


def study_key(storage: str | None, study_name: str) -> str:
    """Sixteen hex digits naming one study of one storage (the parent run's ``hpobench.study_key`` tag)."""
    return hashlib.sha1(f"{storage_identity(storage)}\n{study_name}".encode()).hexdigest()[:16]


def component_params(components: Mapping[str, Any]) -> dict[str, str]:
    """``{"<part>.class": ..., "<part>.<argument>": ...}`` for each built object of components."""
    params: dict[str, str] = {}
    for part, obj in components.items():
        if obj is None:
            continue
        params[f"{part}.class"] = f"{type(obj).__module__}.{type(obj).__qualname__}"
        for name, value in _kept_arguments(obj).items():
            params[f"{part}.{name}"] = _as_param(value)
    return params


def _kept_arguments(obj: Any) -> dict[str, Any]:
    """Constructor arguments of obj that it stores under the same name (public or with one underscore)."""
    try:
        signature = inspect.signature(type(obj).__init__)
    except (TypeError, ValueError):
        return {}
    kept = {}
    for parameter in signature.parameters.values():
        if parameter.name == "self" or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        for attribute in (parameter.name, f"_{parameter.name}"):
            if attribute in vars(obj):
                kept[parameter.name] = vars(obj)[attribute]
                break
    return kept


def _as_param(value: Any) -> str:
    if callable(value) and hasattr(value, "__qualname__"):
        return value.__qualname__  # e.g. TPE's gamma=default_gamma, not '<function ... at 0x7f...>'
    return str(value)[:_MAX_VALUE]
