"""The search space of a sweep: Hydra overrides to hpobench distributions, and values back to overrides.

The grammar and its meaning are hydra-optuna-sweeper's, so a sweep moves
between the two sweepers unchanged. Every entry of ``hydra.sweeper.params``
and every command-line override is one override; a later one for the same key
replaces an earlier one (the command line wins over the config):

==============================  ==================================================
override                        parameter
==============================  ==================================================
``choice(a, b, c)``, ``a,b,c``  CategoricalDistribution(a, b, c)
``range(start, stop, step)``    IntDistribution(start, stop, step), **stop
                                included** as in Optuna's sweeper (Hydra's basic
                                sweeper excludes it; a stop off the grid is cut to
                                the last point on it); FloatDistribution with that
                                step when any bound is a float
``shuffle(range(...))``         CategoricalDistribution of the range's values, in order
``interval(low, high)``         FloatDistribution(low, high)
``int(interval(low, high))``    IntDistribution(low, high)
``tag(log, interval(...))``     the same with log=True
==============================  ==================================================

Any other override (``x=3``, ``+y=a``, ``~z``) is fixed: every job gets it
as written.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import ChoiceSweep, IntervalSweep, Override, RangeSweep
from hydra.errors import HydraException
from omegaconf import DictConfig

from hpobench.distributions import CategoricalDistribution, Distribution, FloatDistribution, IntDistribution

_PRIMITIVES = (str, int, float, bool)


@dataclass(frozen=True)
class SweepParam:
    """One swept key: its name in the study, and how its values are written back as overrides.

    Attributes:
        name: the config key (``model.lr``); the parameter's name in the study.
        key: the key as the job override writes it, with a ``+``/``++`` prefix if it had one.
        distribution: what the sampler draws from.
        verbatim: choices that are override text (lists, dicts) rather than values.
    """

    name: str
    key: str
    distribution: Distribution
    verbatim: frozenset[str] = frozenset()

    def override(self, value: Any) -> str:
        """The job override that sets this key to value."""
        text = value if isinstance(value, str) and value in self.verbatim else override_value(value)
        return f"{self.key}={text}"


@dataclass(frozen=True)
class SearchSpace:
    """Swept parameters and fixed overrides of one sweep, in the order given."""

    params: tuple[SweepParam, ...] = ()
    fixed: tuple[str, ...] = field(default=())

    def describe(self) -> list[str]:
        """One line per entry, stable across runs (part of the derived study name)."""
        return [f"{p.key}~{p.distribution!r}" for p in self.params] + list(self.fixed)


def parse_search_space(params: DictConfig | dict | None, arguments: Iterable[str]) -> SearchSpace:
    """The search space of hydra.sweeper.params followed by the command-line sweep arguments.

    Raises:
        ValueError: an override does not parse, or its bounds do not make a distribution;
            the message names the override.
    """
    lines = [str(key) + f"={value}" for key, value in (params or {}).items()] + list(arguments)
    latest: dict[str, Override] = {}
    for line in lines:
        override = _parse(line)
        latest.pop(override.key_or_group, None)  # re-insert: the order is the last writer's
        latest[override.key_or_group] = override
    swept, fixed = [], []
    for override in latest.values():
        if override.is_sweep_override():
            swept.append(_param(override))
        else:
            fixed.append(override.input_line or override.get_key_element())
    return SearchSpace(tuple(swept), tuple(fixed))


def _parse(line: str) -> Override:
    try:
        return OverridesParser.create().parse_override(line)
    except HydraException as error:
        raise ValueError(f"hydra.sweeper: cannot parse the override {line!r}: {error}") from None


def _param(override: Override) -> SweepParam:
    name, key = override.key_or_group, override.get_key_element()
    try:
        distribution, verbatim = _distribution(override)
    except (ValueError, TypeError) as error:
        raise ValueError(f"hydra.sweeper: {override.input_line!r}: {error}") from None
    return SweepParam(name=name, key=key, distribution=distribution, verbatim=verbatim)


def _distribution(override: Override) -> tuple[Distribution, frozenset[str]]:
    sweep = override.value()
    # shuffle() is ignored: the order of choices is part of the study (its internal values are indices).
    if isinstance(sweep, ChoiceSweep):
        return _categorical(list(sweep.list))
    if isinstance(sweep, RangeSweep) and sweep.shuffle:
        return _categorical(list(sweep.range()))
    if isinstance(sweep, RangeSweep):
        return _range(sweep), frozenset()
    if isinstance(sweep, IntervalSweep):
        return _interval(sweep), frozenset()
    raise ValueError(f"{type(sweep).__name__} is not supported; use choice, range or interval.")


def _categorical(choices: list[Any]) -> tuple[CategoricalDistribution, frozenset[str]]:
    # Lists and dicts are not categorical values: they travel as their override text.
    texts: list[Any] = [c if isinstance(c, _PRIMITIVES) else Override._get_value_element_as_str(c) for c in choices]
    verbatim = frozenset(t for t, c in zip(texts, choices, strict=False) if not isinstance(c, _PRIMITIVES))
    return CategoricalDistribution(texts), verbatim


def _range(sweep: RangeSweep) -> Distribution:
    start, stop, step = sweep.start, sweep.stop, sweep.step
    if start is None or stop is None or step <= 0 or stop < start:
        raise ValueError(f"range needs start <= stop and step > 0, got start={start}, stop={stop}, step={step}.")
    if isinstance(start, int) and isinstance(stop, int) and isinstance(step, int):
        return IntDistribution(start, start + (stop - start) // step * step, step=step)
    low, span, grid = (decimal.Decimal(str(v)) for v in (start, stop - start, step))
    return FloatDistribution(float(low), float(low + span // grid * grid), step=float(step))


def _interval(sweep: IntervalSweep) -> Distribution:
    log = "log" in sweep.tags
    if sweep.start is None or sweep.end is None:
        raise ValueError(f"interval needs a start and an end, got start={sweep.start}, end={sweep.end}.")
    if isinstance(sweep.start, int) and isinstance(sweep.end, int):
        return IntDistribution(sweep.start, sweep.end, log=log)
    return FloatDistribution(sweep.start, sweep.end, log=log)


# --- values back to override text ---------------------------------------------------------
def override_value(value: Any) -> str:
    """value as override text that Hydra parses back to the same value and type.

    Strings are written plain where that parses back to the same string
    (``adam``), else quoted (``'1'``, ``'a,b'``, ``'it''s'``).
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return value if _parses_back(value) else quoted(value)
    raise TypeError(f"cannot write {value!r} ({type(value).__name__}) as an override value.")


def _parses_back(text: str) -> bool:
    try:
        parsed = OverridesParser.create().parse_override(f"k={text}").value()
    except HydraException:
        return False
    return isinstance(parsed, str) and parsed == text


def quoted(text: str) -> str:
    r"""text as a single-quoted override string: a quote becomes \', and backslashes
    before a quote or at the end are doubled (Hydra's escaping rule)."""
    return "'" + re.sub(r"(\\*)('|$)", lambda m: m.group(1) * 2 + ("\\'" if m.group(2) else ""), text) + "'"
