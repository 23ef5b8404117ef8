"""SQL schema of the RDB storage (SQLAlchemy Core).

One row per trial: params, distributions, intermediate values and attributes
are JSON text columns of that row, so reading a trial is one row and writing a
report is one UPDATE. Numbers come from a per-study counter updated in the
same transaction as the insert; the counter's row lock makes numbers dense and
commit order equal to number order, which is what lets readers fetch only
"numbers above the last one seen" incrementally.
"""

from sqlalchemy import Column, Float, ForeignKey, Integer, MetaData, String, Table, Text, UniqueConstraint

SCHEMA_VERSION = 1

metadata = MetaData()

meta_table = Table(
    "hpobench_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

studies_table = Table(
    "hpobench_studies",
    metadata,
    Column("study_id", Integer, primary_key=True, autoincrement=True),
    Column("study_name", String(512), nullable=False, unique=True),
    Column("directions", Text, nullable=False),
    Column("user_attrs", Text, nullable=False, default="{}"),
    Column("system_attrs", Text, nullable=False, default="{}"),
    Column("next_number", Integer, nullable=False, default=0),
    # ids are never reused after a delete, so a process's cache of a deleted study (or
    # trial) can never be mistaken for a new one's
    sqlite_autoincrement=True,
)

trials_table = Table(
    "hpobench_trials",
    metadata,
    Column("trial_id", Integer, primary_key=True, autoincrement=True),
    Column("study_id", Integer, ForeignKey("hpobench_studies.study_id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("state", String(16), nullable=False, index=True),
    Column("trial_values", Text, nullable=True),
    Column("params", Text, nullable=False, default="{}"),
    Column("distributions", Text, nullable=False, default="{}"),
    Column("intermediate_values", Text, nullable=False, default="{}"),
    Column("user_attrs", Text, nullable=False, default="{}"),
    Column("system_attrs", Text, nullable=False, default="{}"),
    Column("datetime_start", Float, nullable=True),
    Column("datetime_complete", Float, nullable=True),
    Column("heartbeat", Float, nullable=True),
    UniqueConstraint("study_id", "number", name="uq_study_number"),
    sqlite_autoincrement=True,
)
