"""Recorded (tabular) problems: real tasks replayed from tables under problems/data."""

from ._table import DATA_DIR, Table, encode_configs, load_table, save_table, table_path
from .tabular import RECORDED_TASKS, TabularProblem, clear_index_cache

__all__ = [
    "DATA_DIR",
    "RECORDED_TASKS",
    "Table",
    "TabularProblem",
    "clear_index_cache",
    "encode_configs",
    "load_table",
    "save_table",
    "table_path",
]
