"""DaskRunner: trials on a dask.distributed cluster that shares the study's storage.

Same driving as LocalRunner (hpobench.runners._pool: one trial per task, at
most n_workers x threads_per_worker in flight, callbacks in this process),
with Dask workers instead of loky processes. The study and the problem are
scattered to every worker once per run. The storage must be a database that
every worker can open: an SQLite file when all workers share this machine's
disk, a PostgreSQL URL for workers on several machines.

address=None starts a distributed.LocalCluster of n_workers processes for the
duration of run(); with an address, the runner connects to that scheduler and
n_workers x threads_per_worker is only the number of trials kept in flight.
The LocalCluster's scheduler serves its HTTP endpoints (health checks, and the
dashboard when bokeh is installed) on 127.0.0.1 and a free port unless
dashboard_address says otherwise (e.g. ':8787' to reach it from other machines):
a dashboard on every interface would let anyone on the network watch, or stop,
the cluster. dask is an optional extra (pip install 'hpobench[cluster]'), imported on use.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from hpobench.interfaces import ProblemInterface
from hpobench.runners import _pool
from hpobench.runners.base import Callback, Runner, check_n_workers, is_in_memory
from hpobench.validation import check_int

if TYPE_CHECKING:
    from hpobench.study import Study


class DaskRunner(Runner):
    """Runs trials on a Dask cluster that shares the study's database storage.

    Args:
        n_workers: worker processes of the LocalCluster started when address is None.
        address: scheduler address (e.g. 'tcp://10.0.0.1:8786'); None starts a LocalCluster.
        threads_per_worker: threads per worker process (trials each worker runs at once).
        dashboard_address: where the LocalCluster's scheduler serves HTTP (``host:port``;
            port 0 picks a free one); loopback only by default.
    """

    def __init__(
        self,
        *,
        n_workers: int = 2,
        address: str | None = None,
        threads_per_worker: int = 1,
        dashboard_address: str = "127.0.0.1:0",
    ) -> None:
        self.n_workers = check_n_workers(n_workers)
        if address is not None and (not isinstance(address, str) or not address):
            raise ValueError(f"address must be a scheduler address string or None, got {address!r}.")
        check_int("threads_per_worker", threads_per_worker, minimum=1)
        if not isinstance(dashboard_address, str) or ":" not in dashboard_address:
            raise ValueError(
                f"dashboard_address must be 'host:port' (e.g. '127.0.0.1:8787'), got {dashboard_address!r}."
            )
        self.address = address
        self.threads_per_worker = threads_per_worker
        self.dashboard_address = dashboard_address

    def __repr__(self) -> str:
        return f"DaskRunner(n_workers={self.n_workers}, address={self.address!r})"

    def _check(self, study: Study, problem: ProblemInterface) -> None:
        if is_in_memory(study):
            raise ValueError(
                "DaskRunner needs a study in a database that every Dask worker can open (an SQLite file on "
                "one machine, a PostgreSQL URL for several), not an in-memory storage."
            )

    def _run_missing(
        self,
        study: Study,
        problem: ProblemInterface,
        missing: int,
        timeout: float | None,
        callbacks: Sequence[Callback],
    ) -> None:
        from distributed import wait

        with self._client() as client:
            # hash=False: a fresh copy per run, never a cached study from an earlier run.
            shared_study, shared_problem = client.scatter([study, problem], broadcast=True, hash=False)
            _pool.drive(
                study,
                lambda deadline, run_token: client.submit(
                    _pool.run_trial,
                    shared_study,
                    shared_problem,
                    deadline,
                    run_token,
                    pure=False,
                ),
                lambda pending: wait(list(pending), return_when="FIRST_COMPLETED"),
                n_slots=self.n_workers * self.threads_per_worker,
                missing=missing,
                timeout=timeout,
                callbacks=callbacks,
            )

    @contextlib.contextmanager
    def _client(self) -> Iterator[Any]:
        from distributed import Client, LocalCluster

        if self.address is not None:
            with Client(self.address) as client:
                yield client
            return
        cluster = LocalCluster(
            n_workers=self.n_workers,
            threads_per_worker=self.threads_per_worker,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            # The scheduler's HTTP server (health checks), by default on loopback and a free port:
            # 8787 may be taken by another cluster.
            scheduler_kwargs={"dashboard_address": self.dashboard_address},
        )
        with cluster, Client(cluster) as client:
            yield client
