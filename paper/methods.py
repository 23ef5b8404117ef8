"""Methods of the LCBench experiments: a sampler and a pruner, named by their config groups.

A method is written ``<sampler>+<pruner>`` (``tpe+asha``, ``optuna_tpe+optuna_sha``)
or, for a peer that is sampler and pruner at once (SMAC3's Hyperband, Syne
Tune's schedulers), by its sampler name alone (``synetune_asha``): such a
sampler decides itself which trials stop: it implements PrunerInterface, and
``create_study`` with no pruner makes it the study's pruner (docs/samplers.md).

The method list is a budget field (conf/experiment/pruning.yaml ``methods``);
available() leaves out, with the reason, every method whose group file or
package is missing here, as paper.ranking.available_samplers does, so the
paper is still generated (with a note) before the peers land.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from hpobench.interfaces import PrunerInterface
from paper.budgets import CONF_DIR
from paper.registry import build

ROOT = CONF_DIR.parent

SEPARATOR = "+"


class Method(NamedTuple):
    """One method: its label in tables and figures, its sampler, and its pruner (None = the sampler's own)."""

    label: str
    sampler: str
    pruner: str | None


def parse(label: str) -> Method:
    """'tpe+asha' -> Method('tpe+asha', 'tpe', 'asha'); 'synetune_asha' -> Method(..., pruner=None).

    Raises:
        TypeError: label is not a str.
        ValueError: an empty sampler or pruner name.
    """
    if not isinstance(label, str):
        raise TypeError(f"A method must be a str like 'tpe+asha', got {type(label).__name__}: {label!r}.")
    sampler, _, pruner = label.partition(SEPARATOR)
    if not sampler or (SEPARATOR in label and not pruner):
        raise ValueError(f"A method is '<sampler>+<pruner>' or '<sampler>', got {label!r}.")
    return Method(label, sampler, pruner or None)


def build_pair(
    method: Method,
    *,
    context: dict[str, Any] | None = None,
    seed: int = 0,
    sampler_options: dict[str, Any] | None = None,
) -> tuple[Any, Any]:
    """(sampler, pruner) objects of a method; sampler_options override the sampler's group file.

    Raises:
        ValueError: a missing group file, or a sampler-only method whose sampler has no ``pruner``.
        hydra.errors.InstantiationException: a target that cannot be imported or built.
    """
    sampler = build("sampler", method.sampler, context=context, seed=seed, **(sampler_options or {}))
    if method.pruner not in (None, "scheduler"):
        return sampler, build("pruner", method.pruner, context=context)
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
