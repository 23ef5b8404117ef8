"""A YAHPO config_space.json as hpobench distributions: read, check a configuration, suggest one.

ConfigSpace JSON (format 0.2) as YAHPO v1.0.2 writes it: hyperparameters of
type ``uniform_float`` / ``uniform_int`` (``log``, ``lower``, ``upper``),
``categorical`` (``choices``) and ``constant`` (``value``); conditions
``EQ`` (``value``) and ``IN`` (``values``) of a child on one parent. Anything
else (other types, conjunctions, forbidden clauses) is rejected when read, so
a newer data format fails loudly instead of being half understood.

Names are kept in define-by-run order, parents before their children, which
is the order configure() suggests them in.
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass
from typing import Any, NamedTuple

from hpobench.distributions import CategoricalDistribution, Distribution, FloatDistribution, IntDistribution
from hpobench.trial import Trial

# Bounds are checked with this relative slack: YAHPO writes some as exp(log(x)),
# e.g. LCBench's learning_rate low 0.00010000000000000009, which a user spells 1e-4.
_BOUND_SLACK = 1e-9


@dataclass(frozen=True)
class Condition:
    """The child parameter is active only when ``parent`` takes one of ``values``."""

    parent: str
    values: tuple[Any, ...]


class Rule(NamedTuple):
    """What check_value needs of a distribution, read once (isinstance on distributions is slow: an ABC)."""

    choices: tuple[Any, ...] | None  # categorical: the choices; numeric: None
    low: float
    high: float
    slack: float
    integer: bool

    @classmethod
    def of(cls, dist: Distribution) -> Rule:
        if isinstance(dist, CategoricalDistribution):
            return cls(dist.choices, 0.0, 0.0, 0.0, False)
        low, high = dist.low, dist.high
        return cls(None, low, high, _BOUND_SLACK * (abs(low) + abs(high)), isinstance(dist, IntDistribution))


@dataclass(frozen=True)
class Space:
    """Distributions (define-by-run order), conditions (child -> Condition) and constants.

    ``label`` (e.g. 'lcbench') starts every error message.
    """

    label: str
    distributions: dict[str, Distribution]
    conditions: dict[str, Condition]
    constants: dict[str, Any]

    def is_active(self, name: str, config: dict[str, Any]) -> bool:
        """Whether name is active given the parent values in config."""
        condition = self.conditions.get(name)
        return condition is None or config.get(condition.parent) in condition.values

    @functools.cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(self.distributions) | frozenset(self.constants)

    @functools.cached_property
    def rules(self) -> dict[str, Rule]:
        """name -> Rule of its distribution, for check_value."""
        return {name: Rule.of(dist) for name, dist in self.distributions.items()}

    def check(self, config: dict[str, Any]) -> None:
        """ValueError naming what is wrong in config: unknown, inactive, out-of-range or missing parameters."""
        if not self._known.issuperset(config):
            unknown = sorted(set(config) - self._known, key=str)
            raise ValueError(f"{self.label}: unknown parameter(s) {unknown!r}; known: {list(self.distributions)!r}.")
        missing = []
        for name, rule in self.rules.items():
            active = self.is_active(name, config)
            if name not in config:
                if active:
                    missing.append(name)
            elif active:
                check_value(self.label, name, config[name], rule)
            else:
                condition = self.conditions[name]
                raise ValueError(
                    f"{self.label}: parameter {name!r} is inactive when {condition.parent}="
                    f"{config.get(condition.parent)!r} (active for {list(condition.values)!r}); leave it out."
                )
        if missing:
            raise ValueError(f"{self.label}: missing parameter(s) {missing!r}.")
        for name, value in self.constants.items():
            if name in config and config[name] != value:
                raise ValueError(f"{self.label}: parameter {name!r} is the constant {value!r}, got {config[name]!r}.")

    def suggest(self, trial: Trial, names: list[str]) -> dict[str, Any]:
        """Suggest names on trial define-by-run (inactive ones skipped); the configuration, constants left out."""
        config: dict[str, Any] = {}
        for name in names:
            if self.is_active(name, config):
                config[name] = suggest(trial, name, self.distributions[name])
        return config


def check_value(label: str, name: str, value: Any, rule: Rule) -> None:
    """ValueError naming name when value breaks rule (numbers: finite, in range, integral for ints)."""
    if rule.choices is not None:
        if value.__class__ is bool or value not in rule.choices:
            raise ValueError(f"{label}: {name}={value!r} is not one of {list(rule.choices)!r}.")
        return
    # exact int/float first: the numbers.Real ABC check is slow, and this runs per parameter per prediction
    if value.__class__ not in (int, float) and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
        raise ValueError(f"{label}: {name}={value!r} is not a finite number.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{label}: {name}={value!r} is not a finite number.")
    if not rule.low - rule.slack <= number <= rule.high + rule.slack:
        raise ValueError(f"{label}: {name}={value!r} is out of range [{rule.low!r}, {rule.high!r}].")
    if rule.integer and value != round(value):
        raise ValueError(f"{label}: {name}={value!r} is not an integer.")


def suggest(trial: Trial, name: str, dist: Distribution) -> Any:
    """trial.suggest_* for one distribution of a Space."""
    if isinstance(dist, CategoricalDistribution):
        return trial.suggest_categorical(name, dist.choices)
    if isinstance(dist, IntDistribution):
        return trial.suggest_int(name, dist.low, dist.high, log=dist.log)
    return trial.suggest_float(name, dist.low, dist.high, log=dist.log)


def read_space(label: str, document: dict[str, Any]) -> Space:
    """A parsed config_space.json -> Space; ValueError for what YAHPO v1.0.2 does not use."""
    if document.get("forbiddens"):
        raise ValueError(f"{label}: config_space.json has forbidden clauses, which hpobench does not read.")
    distributions: dict[str, Distribution] = {}
    constants: dict[str, Any] = {}
    for hp in document["hyperparameters"]:
        if hp["type"] == "constant":
            constants[hp["name"]] = hp["value"]
        else:
            distributions[hp["name"]] = _distribution(label, hp)
    conditions = {c["child"]: _condition(label, c) for c in document.get("conditions", [])}
    order = _parents_first(label, list(distributions), conditions)
    return Space(label, {name: distributions[name] for name in order}, conditions, constants)


def _distribution(label: str, hp: dict[str, Any]) -> Distribution:
    kind = hp["type"]
    if kind == "uniform_float":
        return FloatDistribution(hp["lower"], hp["upper"], log=hp.get("log", False))
    if kind == "uniform_int":
        return IntDistribution(hp["lower"], hp["upper"], log=hp.get("log", False))
    if kind == "categorical":
        return CategoricalDistribution(hp["choices"])
    raise ValueError(f"{label}: hyperparameter {hp['name']!r} has type {kind!r}, which hpobench does not read.")


def _condition(label: str, condition: dict[str, Any]) -> Condition:
    if condition.get("type") == "EQ":
        return Condition(condition["parent"], (condition["value"],))
    if condition.get("type") == "IN":
        return Condition(condition["parent"], tuple(condition["values"]))
    raise ValueError(f"{label}: condition {condition!r} is not an EQ or IN condition, which hpobench does not read.")


def _parents_first(label: str, names: list[str], conditions: dict[str, Condition]) -> list[str]:
    """names reordered so that each conditional parameter follows its parent (stable otherwise)."""
    placed: list[str] = []
    pending = list(names)
    while pending:
        ready = [n for n in pending if n not in conditions or conditions[n].parent in placed]
        if not ready:
            raise ValueError(f"{label}: conditions on {pending!r} name parents that are missing or form a cycle.")
        placed += ready
        pending = [n for n in pending if n not in ready]
    return placed
