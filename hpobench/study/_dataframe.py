"""trials_dataframe(): pandas view of a study with Optuna's column names."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from hpobench.trial._frozen import FrozenTrial

DEFAULT_ATTRS = ("number", "value", "datetime_start", "datetime_complete", "duration", "params", "user_attrs", "state")
_NESTED = ("params", "user_attrs", "system_attrs")


def _row(trial: FrozenTrial, attrs: Sequence[str]) -> dict:
    row: dict = {}
    for attr in attrs:
        if attr in _NESTED:
            for key, value in getattr(trial, attr).items():
                row[f"{attr}_{key}"] = value
        elif attr == "state":
            row["state"] = trial.state.name
        elif attr == "intermediate_values":
            row["intermediate_values"] = dict(trial.intermediate_values)
        else:
            row[attr] = getattr(trial, attr)
    return row


def trials_dataframe(trials: list[FrozenTrial], attrs: Sequence[str] = DEFAULT_ATTRS) -> pd.DataFrame:
    """One row per trial; params_*, user_attrs_* columns sorted by name, state last (as Optuna)."""
    unknown = set(attrs) - set(DEFAULT_ATTRS) - {"system_attrs", "intermediate_values", "values"}
    if unknown:
        raise ValueError(f"Unknown trials_dataframe attrs {sorted(unknown)}; choose from {list(DEFAULT_ATTRS)}.")
    frame = pd.DataFrame([_row(t, attrs) for t in trials])
    ordered: list[str] = []
    for attr in attrs:
        if attr in _NESTED:
            ordered += sorted(c for c in frame.columns if c.startswith(attr + "_") and c not in ordered)
        elif attr in frame.columns or not trials:
            ordered.append(attr)
    return frame.reindex(columns=ordered)
