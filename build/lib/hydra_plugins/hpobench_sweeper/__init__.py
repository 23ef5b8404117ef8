"""Hydra's discovery shim for ``hydra/sweeper=hpobench``; the sweeper itself is :mod:`hpobench.sweeper`."""
