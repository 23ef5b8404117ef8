"""Cheap problems with conditional and mixed search spaces and a known optimum.

Used by the sampler quality benchmark to exercise what box functions cannot:
categorical branches that switch other parameters on and off, integer, log
and stepped parameters, and a parameter count that depends on earlier choices.

Each problem splits into ``suggest(trial) -> params`` (the define-by-run
space) and ``evaluate(params) -> float`` (a pure function of the chosen
values), so the value at ``optimum_params`` is checkable without a study.

- mixed_branin: branch in {branin, log_quadratic, integer_grid}; the global
  minimum 0.397887 is Branin's, the other branches bottom out at 0.6 and 1.0.
- conditional_quadratic: model in {linear, tree, net}, nested choices
  (penalty -> alpha, n_layers -> units_i, use_dropout -> dropout); minimum 0
  in the net branch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from hpobench.trial import Trial

from .base import Problem, register
from .synthetic.classic import branin


class _ConditionalProblem(Problem):
    """Glue: objective = evaluate(suggest(trial)) plus optional Gaussian noise."""

    optimum_params: dict[str, Any] = {}

    def __init__(self, *, noise_std: float = 0.0, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        if not noise_std >= 0:
            raise ValueError(f"noise_std must be >= 0, got {noise_std!r}.")
        self.noise_std = float(noise_std)
        self._noise_rng = np.random.default_rng(seed)

    def suggest(self, trial: Trial) -> dict[str, Any]:
        raise NotImplementedError

    def evaluate(self, params: dict[str, Any]) -> float:
        raise NotImplementedError

    def objective(self, trial: Trial) -> float:
        value = self.evaluate(self.suggest(trial))
        if self.noise_std > 0:
            value += float(self._noise_rng.normal(0.0, self.noise_std))
        return value


class MixedBranin(_ConditionalProblem):
    """Three branches of different type; only the chosen branch's parameters exist.

    - branin: x1 in [-5, 10], x2 in [0, 15] (floats) -> Branin, min 0.397887.
    - log_quadratic: lr (log float in [1e-5, 1]), units (log int in [1, 256]),
      optimizer in {sgd, adam, rmsprop} -> min 0.6 at (1e-3, 32, adam).
    - integer_grid: n0, n1 ints in [-10, 10], scale float in [0, 2] on a step
      of 0.25 -> min 1.0 at (3, -2, 1.25).
    """

    name = "mixed_branin"
    optimal_value = 0.39788735772973816
    optimum_params = {"branch": "branin", "x1": math.pi, "x2": 2.275}

    _OPTIMIZER_COST = {"adam": 0.0, "rmsprop": 0.1, "sgd": 0.3}

    def suggest(self, trial: Trial) -> dict[str, Any]:
        branches = ["branin", "log_quadratic", "integer_grid"]
        params: dict[str, Any] = {"branch": trial.suggest_categorical("branch", branches)}
        if params["branch"] == "branin":
            params["x1"] = trial.suggest_float("x1", -5.0, 10.0)
            params["x2"] = trial.suggest_float("x2", 0.0, 15.0)
        elif params["branch"] == "log_quadratic":
            params["lr"] = trial.suggest_float("lr", 1e-5, 1.0, log=True)
            params["units"] = trial.suggest_int("units", 1, 256, log=True)
            params["optimizer"] = trial.suggest_categorical("optimizer", ["sgd", "adam", "rmsprop"])
        else:
            params["n0"] = trial.suggest_int("n0", -10, 10)
            params["n1"] = trial.suggest_int("n1", -10, 10)
            params["scale"] = trial.suggest_float("scale", 0.0, 2.0, step=0.25)
        return params

    def evaluate(self, params: dict[str, Any]) -> float:
        branch = params["branch"]
        if branch == "branin":
            return float(branin(np.array([params["x1"], params["x2"]])))
        if branch == "log_quadratic":
            return (
                0.6
                + 0.1 * (math.log10(params["lr"]) + 3) ** 2
                + 0.05 * (math.log2(params["units"]) - 5) ** 2
                + self._OPTIMIZER_COST[params["optimizer"]]
            )
        if branch == "integer_grid":
            return 1.0 + 0.1 * ((params["n0"] - 3) ** 2 + (params["n1"] + 2) ** 2) + (params["scale"] - 1.25) ** 2
        raise ValueError(f"Unknown branch {branch!r}.")


class ConditionalQuadratic(_ConditionalProblem):
    """A hyperparameter-like space with nested conditions; minimum 0.

    - model=linear: penalty in {l1, l2, none}; alpha (log float in [1e-6, 10])
      only when penalty != none. Best 0.8 (l2, alpha=1e-2).
    - model=tree: depth int in [1, 12], min_leaf log int in [1, 100]. Best 0.5.
    - model=net: n_layers int in [1, 3], then units_0..units_{n-1} (log ints in
      [4, 512]), lr (log float in [1e-5, 1e-1]), use_dropout in {True, False}
      and dropout in [0, 0.8] only when use_dropout. Best 0 at n_layers=2,
      units_0=64, units_1=128, lr=1e-3, use_dropout=True, dropout=0.3.
    """

    name = "conditional_quadratic"
    optimal_value = 0.0
    optimum_params = {
        "model": "net",
        "n_layers": 2,
        "units_0": 64,
        "units_1": 128,
        "lr": 1e-3,
        "use_dropout": True,
        "dropout": 0.3,
    }

    def suggest(self, trial: Trial) -> dict[str, Any]:
        params: dict[str, Any] = {"model": trial.suggest_categorical("model", ["linear", "tree", "net"])}
        if params["model"] == "linear":
            params["penalty"] = trial.suggest_categorical("penalty", ["l1", "l2", "none"])
            if params["penalty"] != "none":
                params["alpha"] = trial.suggest_float("alpha", 1e-6, 10.0, log=True)
        elif params["model"] == "tree":
            params["depth"] = trial.suggest_int("depth", 1, 12)
            params["min_leaf"] = trial.suggest_int("min_leaf", 1, 100, log=True)
        else:
            params["n_layers"] = trial.suggest_int("n_layers", 1, 3)
            for i in range(params["n_layers"]):
                params[f"units_{i}"] = trial.suggest_int(f"units_{i}", 4, 512, log=True)
            params["lr"] = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
            params["use_dropout"] = trial.suggest_categorical("use_dropout", [True, False])
            if params["use_dropout"]:
                params["dropout"] = trial.suggest_float("dropout", 0.0, 0.8)
        return params

    def evaluate(self, params: dict[str, Any]) -> float:
        model = params["model"]
        if model == "linear":
            if params["penalty"] == "none":
                return 1.5
            extra = 0.2 if params["penalty"] == "l1" else 0.0
            return 0.8 + extra + 0.1 * (math.log10(params["alpha"]) + 2) ** 2
        if model == "tree":
            return 0.5 + 0.02 * (params["depth"] - 6) ** 2 + 0.05 * (math.log10(params["min_leaf"]) - 1) ** 2
        if model == "net":
            n = params["n_layers"]
            # layer i wants 2**(6+i) units: a different target per conditional parameter
            units = sum(0.05 * (math.log2(params[f"units_{i}"]) - (6 + i)) ** 2 for i in range(n))
            dropout = 0.5 * (params["dropout"] - 0.3) ** 2 if params["use_dropout"] else 0.05
            return 0.1 * (n - 2) ** 2 + units + 0.1 * (math.log10(params["lr"]) + 3) ** 2 + dropout
        raise ValueError(f"Unknown model {model!r}.")


register(MixedBranin.name)(MixedBranin)
register(ConditionalQuadratic.name)(ConditionalQuadratic)
