"""Where the YAHPO Gym data live, and reading their files (each read once per process).

A data folder has the layout of a yahpo_data clone: ``<scenario>/`` with
``config_space.json``, ``encoding.json`` and ``model.onnx``, and
``global_statistics/instance_target_statistics.csv``. Which folder is read,
first that applies: the ``data_path`` argument, the ``YAHPO_DATA``
environment variable, the copy shipped in ``problems/data/yahpo``. No
fallback from one to the next: a folder that lacks a scenario is an error
that says where it looked, so a mistyped path never silently reads other data.

The order of the model's input and output columns (``scenarios.json``) is a
fact of the YAHPO Gym code, not of a data folder (upstream clones do not hold
it), so it is always read from the shipped copy.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "yahpo"
ENV_VAR = "YAHPO_DATA"
SCENARIO_FILES = ("config_space.json", "encoding.json", "model.onnx")
STATISTICS = Path("global_statistics") / "instance_target_statistics.csv"
HOW_TO_GET = (
    f"point {ENV_VAR} (or data_path) at a yahpo_data v1.0.2 clone "
    f"(git clone https://github.com/slds-lmu/yahpo_data), or leave both unset to use the copy shipped in {SHIPPED}"
)


def data_root(data_path: str | os.PathLike | None = None) -> tuple[Path, str]:
    """The data folder to read and how it was chosen (for error messages)."""
    if data_path is not None:
        return Path(data_path).expanduser(), "data_path"
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser(), f"${ENV_VAR}"
    return SHIPPED, "shipped copy"


def scenario_dir(scenario: str, data_path: str | os.PathLike | None = None) -> Path:
    """<root>/<scenario>, checked to hold the surrogate's files; FileNotFoundError in one line otherwise."""
    root, origin = data_root(data_path)
    folder = root / scenario
    missing = [name for name in SCENARIO_FILES if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"No YAHPO data for scenario {scenario!r} in {str(root)!r} ({origin}): "
            f"{scenario}/{', '.join(missing)} missing; {HOW_TO_GET}."
        )
    return folder


@functools.cache
def read_json(path: str) -> Any:
    """A JSON file's content, parsed once per process (callers must not mutate it)."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def scenario_facts(scenario: str) -> dict[str, Any]:
    """The shipped scenarios.json entry: y_names, y_minimize, cont_names, cat_names, ..."""
    return read_json(str(SHIPPED / "scenarios.json"))[scenario]


@functools.lru_cache(maxsize=8)
def _statistics(root: str) -> dict[tuple[str, str, str], dict[str, float]]:
    path = Path(root) / STATISTICS
    if not path.is_file():
        return {}
    table = pd.read_csv(path, dtype={"instance": str})
    ranges: dict[tuple[str, str, str], dict[str, float]] = {}
    columns = table[["scenario", "instance", "metric", "statistic", "value"]]
    for scenario, instance, metric, statistic, value in columns.itertuples(index=False, name=None):
        ranges.setdefault((scenario, instance, metric), {})[statistic] = float(value)
    return ranges


def target_range(root: Path, scenario: str, instance: str, target: str) -> tuple[float, float] | None:
    """(min, max) of target on one instance from the root's statistics file; None where it has no such row."""
    found = _statistics(str(root)).get((scenario, instance, target), {})
    return (found["min"], found["max"]) if {"min", "max"} <= set(found) else None
