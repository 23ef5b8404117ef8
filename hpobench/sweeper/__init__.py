"""``hydra/sweeper=hpobench``: tune any Hydra app with hpobench's samplers and pruners (docs/sweeper.md).

The app's ``@hydra.main`` task returns the value to minimize (or maximize);
inside it, :func:`current_trial` gives the job's trial, so the job can report
a learning curve and be pruned::

    import hpobench
    from hpobench.sweeper import current_trial

    @hydra.main(version_base="1.3", config_path="conf", config_name="config")
    def train(cfg):
        trial = current_trial()          # None when not run by the sweeper
        for epoch in range(cfg.epochs):
            error = fit_one_epoch(cfg)
            if trial is not None:
                trial.report(error, epoch)
                if trial.should_prune():
                    raise hpobench.TrialPruned()   # the job ends PRUNED, not failed
        return error

``python train.py -m hydra/sweeper=hpobench 'lr=tag(log, interval(1e-4, 1))'``
runs the sweep. Hydra finds the plugin through the small shim in
``hydra_plugins/hpobench_sweeper``; the code is here: the search space
(_space.py), the sweep loop (_sweeper.py) and the job's side (_job.py).
"""

from typing import Any

from hpobench.sweeper._job import current_trial

__all__ = ["HpobenchSweeperImpl", "current_trial"]


def __getattr__(name: str) -> Any:
    # The sweep loop is loaded when Hydra starts a sweep, not by every job that asks for current_trial().
    if name == "HpobenchSweeperImpl":
        from hpobench.sweeper._sweeper import HpobenchSweeperImpl

        return HpobenchSweeperImpl
    raise AttributeError(f"module 'hpobench.sweeper' has no attribute {name!r}")
