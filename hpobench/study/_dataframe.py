"""trials_dataframe(): pandas view of a study with Optuna's column names and order.

Each attr becomes one column, or one column per key for dicts and lists
(params_x, user_attrs_tag, intermediate_values_3, values_0), sorted by key
within the attr; attrs keep the order they were given in. No trials: an empty
DataFrame without columns (as Optuna).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from hpobench.trial import FrozenTrial, TrialState

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_ATTRS = (
    "number",
    "value",
    "datetime_start",
    "datetime_complete",
    "duration",
    "params",
    "user_attrs",
    "system_attrs",
    "state",
)
KNOWN_ATTRS = frozenset(DEFAULT_ATTRS) | {
    "values",
    "intermediate_values",
    "distributions",
    "trial_id",
    "_trial_id",
    "last_step",
}


def _record(
    trial: FrozenTrial, attrs: Sequence[str], n_objectives: int, metric_names: list[str] | None
) -> dict[tuple[str, Any], Any]:
    record: dict[tuple[str, Any], Any] = {}
    for attr in attrs:
        column = attr.lstrip("_")
        value = getattr(trial, column)
        if isinstance(value, TrialState):
            value = value.name
        if attr == "values":
            keys = metric_names or range(n_objectives)
            for key, item in zip(keys, value if value is not None else [None] * n_objectives, strict=False):
                record[(column, key)] = item
        elif attr == "value" and metric_names:
            record[(column, metric_names[0])] = value
        elif isinstance(value, dict):
            for key, item in value.items():
                record[(column, key)] = item
        elif isinstance(value, list):
            for index, item in enumerate(value):
                record[(column, index)] = item
        else:
            record[(column, "")] = value
    return record


def trials_dataframe(
    trials: list[FrozenTrial],
    attrs: Sequence[str] = DEFAULT_ATTRS,
    multi_index: bool = False,
    n_objectives: int = 1,
    metric_names: list[str] | None = None,
) -> pd.DataFrame:
    """One row per trial; see the module docstring for the columns.

    Args:
        trials: the trials, sorted by number.
        attrs: FrozenTrial attributes to show.
        multi_index: keep (attr, key) column pairs as a pandas MultiIndex instead of 'attr_key' names.
        n_objectives: with more than one, 'value' becomes 'values' (values_0, values_1, ...).
        metric_names: the study's (set_metric_names): value_<name>, or values_<name> in
            their order instead of values_0, values_1 (as Optuna).
    """
    import pandas as pd  # here, not at module level: pandas costs a second at import

    unknown = [a for a in attrs if a not in KNOWN_ATTRS]
    if unknown:
        raise ValueError(f"Unknown trials_dataframe attrs {unknown}; choose from {sorted(KNOWN_ATTRS)}.")
    if not trials:
        return pd.DataFrame()
    if n_objectives > 1:
        attrs = tuple("values" if a == "value" else a for a in attrs)
    records = [_record(t, attrs, n_objectives, metric_names) for t in trials]
    groups: dict[str, set] = {a.lstrip("_"): set() for a in attrs}
    for record in records:
        for column, key in record:
            groups[column].add((column, key))
    columns: list[tuple[str, Any]] = []
    for attr in attrs:
        if attr == "values" and metric_names:  # the names' order, not sorted
            columns.extend((attr, name) for name in metric_names)
        else:
            columns.extend(sorted(groups[attr.lstrip("_")], key=lambda p: (str(type(p[1])), p[1])))
    frame = pd.DataFrame(records, columns=pd.MultiIndex.from_tuples(columns))
    if not multi_index:
        frame.columns = ["_".join(str(part) for part in pair if part != "") for pair in columns]
    return frame
