"""Every conf/sampler/*.yaml instantiates (Hydra's _target_) to a sampler seeded from the root `seed`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hydra.utils import instantiate
from omegaconf import OmegaConf

from hpobench.samplers import BaseSampler

CONF = Path(__file__).resolve().parents[2] / "conf" / "sampler"
NEEDS = {
    "optuna_tpe": "optuna",
    "optuna_random": "optuna",
    "hyperopt_tpe": "hyperopt",
    "optuna_cmaes": "cmaes",
    "optuna_gp": "torch",
    "smac": "smac",
    "smac_hyperband": "smac",
    "synetune_asha": "syne_tune",
    "synetune_bohb": "syne_tune",
    "synetune_hyperband": "syne_tune",
}


@pytest.mark.parametrize("path", sorted(CONF.glob("*.yaml")), ids=lambda p: p.stem)
def test_sampler_config_instantiates_with_the_root_seed(path):
    if path.stem in NEEDS and importlib.util.find_spec(NEEDS[path.stem]) is None:
        pytest.skip(f"{NEEDS[path.stem]} not installed")
    node = OmegaConf.load(path)
    node.pop("defaults", None)  # the samplers that also prune select pruner=scheduler there
    cfg = OmegaConf.merge({"seed": 11, "n_trials": 50, "problem": {"max_step": 9}}, {"sampler": node})
    if path.stem == "grid":
        cfg.sampler.search_space = {"x": [0, 1]}
    sampler = instantiate(cfg.sampler)
    assert isinstance(sampler, BaseSampler) and sampler.seed == 11


def test_every_sampler_has_a_config():
    assert {p.stem for p in CONF.glob("*.yaml")} >= {
        "tpe",
        "random",
        "qmc",
        "grid",
        "optuna_tpe",
        "optuna_random",
        "hyperopt_tpe",
        "smac",
        "smac_hyperband",
        "synetune_asha",
        "synetune_bohb",
        "synetune_hyperband",
        "optuna_cmaes",
        "optuna_gp",
    }
