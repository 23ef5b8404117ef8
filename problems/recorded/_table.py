"""The on-disk format of a recorded table: one compressed .npz per task.

Arrays (no pickled objects, so np.load needs no allow_pickle):

- ``values``: float64 (n_configs, max_step), validation error after each step.
- ``seconds``: float32 (n_configs, max_step), wall seconds each step took.
- ``param:<name>``: float64 (n_configs,), the parameter's internal value
  (the float itself; the int; the choice's index for categoricals), NaN
  where the parameter was not active in that configuration.
- ``meta``: a 0-d unicode array holding JSON: task, max_step, seed,
  distributions (name -> distribution_to_json), and how the table was made
  (command, machine, date, seconds).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hpobench.distributions import Distribution, distribution_to_json, json_to_distribution

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass
class Table:
    """A recorded table in memory. params[name] is float64 (n,), NaN when inactive."""

    values: np.ndarray
    seconds: np.ndarray
    params: dict[str, np.ndarray]
    distributions: dict[str, Distribution]
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def config(self, index: int) -> dict[str, Any]:
        """The external configuration of row index (inactive parameters left out)."""
        return {
            name: self.distributions[name].to_external_repr(float(column[index]))
            for name, column in self.params.items()
            if not np.isnan(column[index])
        }


def table_path(task: str, data_dir: Path | str | None = None) -> Path:
    """Where the table of a task lives (problems/data/<task>.npz by default)."""
    return Path(data_dir or DATA_DIR) / f"{task}.npz"


def encode_configs(configs: list[dict[str, Any]], distributions: dict[str, Distribution]) -> dict[str, np.ndarray]:
    """Columns of internal values (NaN when inactive), one per parameter."""
    columns = {name: np.full(len(configs), np.nan) for name in distributions}
    for row, config in enumerate(configs):
        for name, value in config.items():
            columns[name][row] = distributions[name].to_internal_repr(value)
    return columns


def save_table(path: Path | str, table: Table) -> None:
    """Write atomically: a temporary file next to path, then a rename."""
    path = Path(path)
    meta = dict(table.meta, distributions={k: distribution_to_json(d) for k, d in table.distributions.items()})
    arrays: dict[str, Any] = {f"param:{name}": column for name, column in table.params.items()}
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(
        tmp,
        values=table.values.astype(np.float64),
        seconds=table.seconds.astype(np.float32),
        meta=np.array(json.dumps(meta)),
        **arrays,
    )
    os.replace(tmp, path)


def load_table(path: Path | str) -> Table:
    """Read a table written by save_table."""
    path = Path(path)
    if not path.exists():
        raise ValueError(f"No recorded table at {str(path)!r}; run scripts/record_curves.py.")
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        params = {key.split(":", 1)[1]: data[key] for key in data.files if key.startswith("param:")}
        values, seconds = data["values"], data["seconds"]
    distributions = {k: json_to_distribution(v) for k, v in meta.pop("distributions").items()}
    return Table(values=values, seconds=seconds, params=params, distributions=distributions, meta=meta)
