"""Markdown tables and number formatting for paper.md (every number comes from code)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd


def fmt(value: Any, digits: int = 3) -> str:
    """A number as paper.md shows it: '-' for missing, `digits` significant digits, never an exponent above 1."""
    if value is None:
        return "-"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "-"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if abs(number) >= 10**digits:  # counts and long times: all integer digits, no exponent
        return f"{number:.0f}"
    return f"{number:.{digits}g}"


def markdown_table(frame: pd.DataFrame, *, digits: int = 3, columns: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured markdown table of frame (index dropped), numbers through fmt()."""
    columns = list(frame.columns if columns is None else columns)
    lines = ["| " + " | ".join(str(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    for row in frame[columns].itertuples(index=False):
        lines.append("| " + " | ".join(fmt(v, digits) for v in row) + " |")
    return "\n".join(lines)
