"""The Hydra entry point: ``python -m hpobench [overrides]`` (see docs/harness.md).

Importing this package registers the ``${hpobench.root:}`` resolver that
conf/config.yaml uses to place results/ (hpobench.paths: the checkout's results/
from inside the repository, else ./results).
"""

from hpobench.cli._config import PROJECT_ROOT, config_digest, register_resolvers

register_resolvers()

from hpobench.cli._app import main, run_study  # noqa: E402  (the resolver must exist first)
from hpobench.cli._callbacks import PrepareTracking  # noqa: E402
from hpobench.cli._summary import Summary, summarize  # noqa: E402
from hpobench.cli._sweep import SweepReport  # noqa: E402

__all__ = [
    "PROJECT_ROOT",
    "PrepareTracking",
    "Summary",
    "SweepReport",
    "config_digest",
    "main",
    "run_study",
    "summarize",
]
