"""A tiny recorded problem and sampler/pruner group files, so the pipeline runs in seconds.

The paper's pipeline must work on any recorded problem; this one has known
curves (value = x + 1/step, each step takes 1 + x simulated seconds).
"""

from __future__ import annotations

import numpy as np
import pytest

import paper.registry
from hpobench.problems.base import RecordedProblem, register

TOY = "paper-test/toy"


class ToyCurves(RecordedProblem):
    name = TOY
    direction = "minimize"
    max_step = 4

    def configure(self, trial):
        return {"x": trial.suggest_float("x", 0.0, 1.0)}

    def curve(self, config, seed=None):
        steps = np.arange(1, self.max_step + 1)
        return config["x"] + 1.0 / steps, np.full(self.max_step, 1.0 + config["x"])


register(TOY)(ToyCurves)

GROUPS = {
    "sampler": {"random": "hpobench.samplers.RandomSampler", "tpe": "hpobench.samplers.TPESampler"},
    "pruner": {
        "nop": "hpobench.pruners.NopPruner",
        "median": "hpobench.pruners.MedianPruner",
        "asha": "hpobench.pruners.SuccessiveHalvingPruner",
    },
}


@pytest.fixture
def toy_conf(tmp_path, monkeypatch):
    """Group files under tmp_path/conf that build the real samplers and pruners."""
    for group, targets in GROUPS.items():
        folder = tmp_path / "conf" / group
        folder.mkdir(parents=True)
        for name, target in targets.items():
            (folder / f"{name}.yaml").write_text(f"_target_: {target}\n")
    monkeypatch.setattr(paper.registry, "CONF_DIR", tmp_path / "conf")
    return tmp_path / "conf"
