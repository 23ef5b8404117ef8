"""conf/runner/*.yaml build the runners through Hydra's instantiate, with n_workers from the root config."""

from __future__ import annotations

from pathlib import Path

import pytest
from hydra.utils import instantiate
from omegaconf import OmegaConf

from hpobench.runners import DaskRunner, InProcessRunner, LocalRunner, SimulatedRunner

CONF = Path(__file__).resolve().parents[2] / "conf" / "runner"


@pytest.mark.parametrize(
    "name, cls, n_workers",
    [
        ("inprocess", InProcessRunner, 1),
        ("local", LocalRunner, 3),
        ("dask", DaskRunner, 3),
        ("simulated", SimulatedRunner, 3),
    ],
)
def test_runner_config_instantiates(name, cls, n_workers):
    cfg = OmegaConf.create({"n_workers": 3, "runner": OmegaConf.load(CONF / f"{name}.yaml")})
    runner = instantiate(cfg.runner)
    assert type(runner) is cls and runner.n_workers == n_workers


def test_simulated_overhead_override():
    cfg = OmegaConf.create({"n_workers": 8, "runner": OmegaConf.load(CONF / "simulated.yaml")})
    cfg.runner.overhead, cfg.runner.overhead_seconds = "constant", 1.5
    runner = instantiate(cfg.runner)
    assert (runner.n_workers, runner.overhead, runner.overhead_seconds) == (8, "constant", 1.5)
