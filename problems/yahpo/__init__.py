"""YAHPO Gym surrogate benchmarks, offline: LCBench (34 tasks), rbv2_xgboost (119), iaml_glmnet (4).

- ``Surrogate(scenario, data_path=None)``: a scenario's ONNX model with its
  search space, instances, targets and fidelity; ``predict(configs)`` in
  YAHPO's own key names (surrogate.py).
- ``YahpoProblem(scenario=..., task_id=...)``: one instance as a
  RecordedProblem (configure + curve), so SimulatedRunner replays it and
  objective() runs with every runner (problem.py; the choices of objective,
  step grid and step cost are in its docstring).
- Every instance is registered as ``<scenario>/<task_id>`` (``lcbench/3945``,
  ``rbv2_xgboost/1040``, ``iaml_glmnet/40981``, ...), from the shipped data.

Data: problems/data/yahpo (YAHPO Gym data v1.0.2, Apache-2.0), or the folder
that ``data_path`` / ``$YAHPO_DATA`` names (_data.py). Needs onnxruntime
(``pip install 'hpobench[yahpo]'``), imported at the first model call only,
so listing the problems never needs it. Details: docs/problems.md.
"""

from __future__ import annotations

import functools

from ..base import register
from ._data import SHIPPED, read_json
from .problem import DEFAULT_TARGETS, YahpoProblem
from .surrogate import SCENARIOS, Fidelity, Surrogate

__all__ = ["DEFAULT_TARGETS", "SCENARIOS", "Fidelity", "Surrogate", "YahpoProblem", "shipped_instances"]


def shipped_instances(scenario: str) -> tuple[str, ...]:
    """The instance ids of scenario in the shipped config_space.json (what the registry lists)."""
    facts = read_json(str(SHIPPED / "scenarios.json"))[scenario]
    document = read_json(str(SHIPPED / scenario / "config_space.json"))
    (param,) = [hp for hp in document["hyperparameters"] if hp["name"] == facts["instance_names"]]
    return tuple(param["choices"])


for _scenario in SCENARIOS:
    for _task_id in shipped_instances(_scenario):
        register(f"{_scenario}/{_task_id}")(functools.partial(YahpoProblem, scenario=_scenario, task_id=_task_id))
