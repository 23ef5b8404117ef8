"""Methods of the LCBench experiments: a sampler and a pruner, named by their config groups.

A method is written ``<sampler>+<pruner>`` (``tpe+asha``, ``optuna_tpe+optuna_sha``)
or, for a peer that is sampler and pruner at once (SMAC3's Hyperband, Syne
Tune's schedulers), by its sampler name alone (``synetune_asha``): such a
sampler decides itself which trials stop: it implements PrunerInterface, and
``create_study`` with no pruner makes it the study's pruner (docs/samplers.md).

Either name may carry constructor arguments beyond its group file, in
brackets: ``tpe[pruned_ranking=budget]+asha[min_resource=4]``. Values are read
as YAML scalars (``4`` is an int, ``true`` a bool, ``budget`` a str), so a
variant is named by what it changes and needs no group file of its own.

The method list is a budget field (conf/experiment/pruning.yaml ``methods``);
available() leaves out, with the reason, every method whose group file or
package is missing here, as paper.ranking.available_samplers does, so the
paper is still generated (with a note) before the peers land.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

from hpobench.interfaces import PrunerInterface
from paper.budgets import CONF_DIR
from paper.registry import build

ROOT = CONF_DIR.parent

SEPARATOR = "+"
# A group name, then optionally [key=value, ...]: the arguments it adds to its group file.
PART = re.compile(r"(?P<name>[A-Za-z0-9_]+)(?:\[(?P<options>[^\[\]]*)\])?")
KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Method(NamedTuple):
    """One method: its label in tables and figures, its sampler, its pruner (None = the sampler's own),
    and the constructor arguments each adds to its group file."""

    label: str
    sampler: str
    pruner: str | None
    sampler_options: dict[str, Any] = {}
    pruner_options: dict[str, Any] = {}


def parse(label: str) -> Method:
    """'tpe+asha' -> Method('tpe+asha', 'tpe', 'asha'); 'synetune_asha' -> Method(..., pruner=None);
    'tpe[pruned_ranking=budget]+asha[min_resource=4]' -> options {'pruned_ranking': 'budget'}, {'min_resource': 4}.

    Raises:
        TypeError: label is not a str.
        ValueError: an empty sampler or pruner name, or a part that is not ``name`` or ``name[key=value,...]``.
    """
    if not isinstance(label, str):
        raise TypeError(f"A method must be a str like 'tpe+asha', got {type(label).__name__}: {label!r}.")
    sampler, _, pruner = label.partition(SEPARATOR)
    if not sampler or (SEPARATOR in label and not pruner):
        raise ValueError(f"A method is '<sampler>+<pruner>' or '<sampler>', got {label!r}.")
    sampler_name, sampler_options = _part(sampler, label)
    pruner_name, pruner_options = _part(pruner, label) if pruner else (None, {})
    return Method(label, sampler_name, pruner_name, sampler_options, pruner_options)


def _part(text: str, label: str) -> tuple[str, dict[str, Any]]:
    """'asha[min_resource=4]' -> ('asha', {'min_resource': 4})."""
    match = PART.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"In method {label!r}: {text!r} is not 'name' or 'name[key=value, ...]'.")
    options: dict[str, Any] = {}
    for item in filter(None, (piece.strip() for piece in (match["options"] or "").split(","))):
        key, equals, value = (side.strip() for side in item.partition("="))
        if not equals or not KEY.fullmatch(key) or not value:
            raise ValueError(f"In method {label!r}: option {item!r} is not 'key=value'.")
        if key in options:
            raise ValueError(f"In method {label!r}: option {key!r} is given twice.")
        options[key] = yaml.safe_load(value)
    return match["name"], options


def build_pair(
    method: Method,
    *,
    context: dict[str, Any] | None = None,
    seed: int = 0,
) -> tuple[Any, Any]:
    """(sampler, pruner) objects of a method; the method's options override its group files.

    Raises:
        ValueError: a missing group file, or a sampler-only method whose sampler has no ``pruner``.
        hydra.errors.InstantiationException: a target that cannot be imported or built.
    """
    sampler = build("sampler", method.sampler, context=context, seed=seed, **method.sampler_options)
    if method.pruner not in (None, "scheduler"):
        return sampler, build("pruner", method.pruner, context=context, **method.pruner_options)
    if not isinstance(sampler, PrunerInterface):  # the study's default pruner would silently stand in
        raise ValueError(
            f"Sampler {method.sampler!r} has no pruner of its own; write the method as '{method.sampler}+<pruner>'."
        )
    return sampler, None  # create_study(pruner=None) makes a pruning sampler its own pruner


def available(labels: list[str], *, context: dict[str, Any] | None = None) -> tuple[list[Method], dict[str, str]]:
    """The methods that can be built here, and why each other one cannot (label -> reason)."""
    ok, missing = [], {}
    for label in labels:
        method = parse(label)
        try:
            build_pair(method, context=context)
        except Exception as error:  # noqa: BLE001  (Hydra wraps a missing package in InstantiationException)
            # Relative paths only: the note goes into the committed paper.md.
            reason = str(error).splitlines()[0].replace(f"{ROOT}/", "")[:200]
            missing[label] = f"{type(error).__name__}: {reason}"
        else:
            ok.append(method)
    return ok, missing
