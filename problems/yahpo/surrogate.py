"""Surrogate: a YAHPO Gym scenario's ONNX model, evaluated with onnxruntime (no yahpo-gym package).

Encoding, as YAHPO Gym 1.0.2 does it (and as reference_outputs.csv checks to
the last float32 bit): the model takes ``x_cont`` (float32, one column per
``cont_names`` entry, raw values, 0 for an inactive parameter) and ``x_cat``
(int32, one column per ``cat_names`` entry, each level coded by
``encoding.json``, ``#na#`` for an inactive one), and returns one column per
target (``y_names``). Constants of the config space are filled in.

One onnxruntime session per (model file, thread count) per process, created
at first use and shared by every Surrogate and problem of that scenario; one
intra-op thread by default, because parallel workers share the cores. The
session is never pickled: a problem sent to a worker process builds (once)
its own there.

onnxruntime gives slightly different numbers for a batch than for one row at
a time (runtime targets up to ~1e-3 relative): ``predict([c])`` reproduces
YAHPO Gym exactly, a batched call to that tolerance.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from hpobench.distributions import CategoricalDistribution, Distribution, IntDistribution
from hpobench.validation import check_int

from ._data import read_json, scenario_dir, scenario_facts
from ._space import Condition, check_value, read_space

if TYPE_CHECKING:
    import onnxruntime

    from hpobench.trial import Trial

SCENARIOS = ("lcbench", "rbv2_xgboost", "iaml_glmnet")
INSTALL_HINT = "hpobench.problems.yahpo needs onnxruntime: pip install 'hpobench[yahpo]'"


class Fidelity(NamedTuple):
    """The fidelity parameter that curves run over: its name, range, and whether it is an integer."""

    name: str
    low: float
    high: float
    is_int: bool


class Surrogate:
    """The YAHPO Gym surrogate of one scenario: search space, instances, targets, predictions.

    Args:
        scenario: one of SCENARIOS ('lcbench', 'rbv2_xgboost', 'iaml_glmnet').
        data_path: a yahpo_data folder; None = $YAHPO_DATA, else the shipped copy
            (problems/data/yahpo).
        intra_op_threads: onnxruntime threads per model call.

    Attributes:
        scenario: the scenario name.
        directory: the folder the model and its space were read from.
        instances: the valid instance ids (strings), in config_space.json order.
        instance_param: the configuration key of the instance ('OpenML_task_id' or 'task_id').
        targets: the model's output columns (YAHPO's y_names), in order.
        minimize: target -> True when smaller is better.
        runtime_target: the target holding the training seconds.
        fidelity: the first fidelity parameter (Fidelity), the one curves run over.
        fixed_fidelities: every other fidelity parameter at its highest value
            (rbv2's ``repl``: 10).
        space: the hyperparameters to tune (instance and fidelities excluded),
            name -> distribution, parents before their conditional children.
        conditions: conditional parameter -> Condition(parent, values).
    """

    def __init__(self, scenario: str, data_path: str | os.PathLike | None = None, *, intra_op_threads: int = 1) -> None:
        if scenario not in SCENARIOS:
            raise ValueError(f"Unknown YAHPO scenario {scenario!r}; available: {', '.join(SCENARIOS)}.")
        check_int("intra_op_threads", intra_op_threads, minimum=1)
        self.scenario = scenario
        self.directory = scenario_dir(scenario, data_path)
        self.intra_op_threads = intra_op_threads
        facts = scenario_facts(scenario)
        self.targets: tuple[str, ...] = tuple(facts["y_names"])
        self.minimize: dict[str, bool] = dict(zip(self.targets, facts["y_minimize"], strict=False))
        self.runtime_target: str = facts["runtime_name"]
        self.instance_param: str = facts["instance_names"]
        self._cont_names: list[str] = facts["cont_names"]
        self._cat_names: list[str] = facts["cat_names"]
        self._full = read_space(scenario, read_json(str(self.directory / "config_space.json")))
        self._encoding: dict[str, dict[str, int]] = read_json(str(self.directory / "encoding.json"))
        _check_encoding(self.directory, self._full.distributions, self._encoding, self._cat_names)
        instances = self._full.distributions[self.instance_param]
        if not isinstance(instances, CategoricalDistribution):
            raise ValueError(f"{self.directory}: instance parameter {self.instance_param!r} is not categorical.")
        self.instances: tuple[str, ...] = tuple(str(choice) for choice in instances.choices)
        self.fidelity, self.fixed_fidelities = _fidelities(self._full.distributions, facts["fidelity_params"])
        not_tuned = {self.instance_param, *facts["fidelity_params"]}
        self.space: dict[str, Distribution] = {
            name: dist for name, dist in self._full.distributions.items() if name not in not_tuned
        }
        self.conditions: dict[str, Condition] = self._full.conditions
        self._session()  # fail now, in one line, when onnxruntime is missing or the model does not fit

    def __repr__(self) -> str:
        return f"Surrogate({self.scenario!r}, data_path={str(self.directory.parent)!r})"

    # --- checking and encoding ------------------------------------------------------------
    def instance_id(self, instance: str | int) -> str:
        """instance as the string id the model knows; ValueError listing the valid ones otherwise."""
        key = str(instance) if isinstance(instance, (int, np.integer)) and not isinstance(instance, bool) else instance
        if key not in self.instances:
            raise ValueError(
                f"Unknown {self.scenario} instance {instance!r}; "
                f"valid {self.instance_param}s: {', '.join(self.instances)}."
            )
        return key

    def check(self, config: dict[str, Any]) -> dict[str, Any]:
        """config (YAHPO names, instance and fidelities included) validated; the instance id as a string.

        Raises:
            ValueError: naming the parameter that is unknown, missing, inactive or out of range.
        """
        if not isinstance(config, dict):
            raise TypeError(f"A {self.scenario} configuration must be a dict, got {type(config).__name__}.")
        if self.instance_param in config:
            config = {**config, self.instance_param: self.instance_id(config[self.instance_param])}
        self._full.check(config)
        return config

    def encode(self, configs: Sequence[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
        """Checked configurations -> (x_cont float32 (n, n_cont), x_cat int32 (n, n_cat)), YAHPO's encoding."""
        values = [{**self._full.constants, **config} for config in configs]
        x_cont = np.array([[v.get(name, 0) for name in self._cont_names] for v in values], dtype=np.float32)
        x_cat = np.array(
            [[self._encoding[name][str(v.get(name, "#na#"))] for name in self._cat_names] for v in values],
            dtype=np.int32,
        )
        return x_cont.reshape(len(values), -1), x_cat.reshape(len(values), -1)

    def suggest(self, trial: Trial) -> dict[str, Any]:
        """Suggest ``space`` on trial define-by-run (a conditional parameter only when active)."""
        return self._full.suggest(trial, list(self.space))

    # --- predicting -----------------------------------------------------------------------
    def predict(self, configs: list[dict[str, Any]]) -> pd.DataFrame:
        """The model's targets for each configuration, in one model call.

        Args:
            configs: configurations with YAHPO's key names, the instance id
                (e.g. ``OpenML_task_id``) and every fidelity (e.g. ``epoch``)
                included; inactive conditional parameters left out.

        Returns:
            One row per configuration, one float column per target (``targets``).

        Raises:
            ValueError: a configuration outside the space (the message names the parameter).
        """
        if isinstance(configs, dict) or not isinstance(configs, Sequence):
            raise TypeError(f"predict() takes a list of configuration dicts, got {type(configs).__name__}.")
        checked = [self.check(config) for config in configs]
        outputs = self.run(*self.encode(checked)) if checked else np.empty((0, len(self.targets)), np.float32)
        return pd.DataFrame(outputs.astype(np.float64), columns=list(self.targets))

    def predict_curve(self, config: dict[str, Any], fidelities: Sequence[float] | np.ndarray) -> np.ndarray:
        """config at each fidelity value, in one model call: array (len(fidelities), len(targets)).

        Args:
            config: a configuration as for predict(), without the curve's fidelity
                parameter (``fidelity.name``).
            fidelities: the values of that parameter, each in its range.
        """
        name = self.fidelity.name
        if name in config:
            raise ValueError(f"{self.scenario}: leave {name!r} out of the configuration; the curve sets it.")
        steps = np.asarray(fidelities, dtype=np.float64).ravel()
        if steps.size == 0:
            raise ValueError(f"{self.scenario}: fidelities must hold at least one value of {name!r}.")
        rule = self._full.rules[name]
        off_grid = steps[steps != np.round(steps)] if self.fidelity.is_int else steps[:0]
        for value in (steps.min(), steps.max(), *off_grid[:1]):  # the extremes decide the range check
            check_value(self.scenario, name, float(value), rule)
        checked = self.check({**config, name: self.fidelity.high})
        x_cont, x_cat = self.encode([checked])
        x_cont = np.repeat(x_cont, steps.size, axis=0)
        x_cont[:, self._cont_names.index(name)] = steps
        return self.run(x_cont, np.repeat(x_cat, steps.size, axis=0))

    def run(self, x_cont: np.ndarray, x_cat: np.ndarray) -> np.ndarray:
        """The raw model call on encoded inputs: float32 (n, len(targets))."""
        return self._session().run(None, {"x_cont": x_cont, "x_cat": x_cat})[0]

    def _session(self) -> onnxruntime.InferenceSession:
        return _shared_session(
            str(self.directory / "model.onnx"),
            self.intra_op_threads,
            len(self._cont_names),
            len(self._cat_names),
            len(self.targets),
        )


def _check_encoding(
    directory: os.PathLike,
    distributions: dict[str, Distribution],
    encoding: dict[str, dict[str, int]],
    cat_names: list[str],
) -> None:
    """ValueError when encoding.json has no code for a level of the space (the folders do not match)."""
    for name in cat_names:
        dist = distributions.get(name)
        levels = dist.choices if isinstance(dist, CategoricalDistribution) else ()
        missing = [level for level in levels if str(level) not in encoding.get(name, {})]
        if missing:
            raise ValueError(f"{directory}/encoding.json has no code for {name} = {missing!r}.")


def _fidelities(distributions: dict[str, Distribution], names: list[str]) -> tuple[Fidelity, dict[str, Any]]:
    """(the curve's fidelity, the others at their highest value)."""
    first = distributions[names[0]]
    if isinstance(first, CategoricalDistribution):
        raise ValueError(f"fidelity {names[0]!r} is categorical; a curve needs a numeric fidelity.")
    fidelity = Fidelity(names[0], first.low, first.high, isinstance(first, IntDistribution))
    others: dict[str, Any] = {}
    for name in names[1:]:
        dist = distributions[name]
        if isinstance(dist, CategoricalDistribution):
            raise ValueError(f"fidelity {name!r} is categorical; fidelities are numeric.")
        others[name] = dist.high
    return fidelity, others


@functools.cache
def _shared_session(path: str, threads: int, n_cont: int, n_cat: int, n_out: int) -> onnxruntime.InferenceSession:
    """The process's one session for a model file, checked against the scenario's column counts."""
    try:
        import onnxruntime
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    session = onnxruntime.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
    shapes = {i.name: i.shape[-1] for i in session.get_inputs()}
    found = (shapes.get("x_cont"), shapes.get("x_cat"), session.get_outputs()[0].shape[-1])
    if found != (n_cont, n_cat, n_out):
        raise ValueError(
            f"{path} takes x_cont/x_cat of widths {found[:2]} and returns {found[2]} targets, but YAHPO Gym "
            f"1.0.2 says {(n_cont, n_cat)} and {n_out}: not a yahpo_data v1.0.2 model."
        )
    return session
