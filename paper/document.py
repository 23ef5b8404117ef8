"""Rewrite the GENERATED blocks of paper.md, leaving the hand-written frame alone.

A block is delimited by ``<!-- BEGIN GENERATED: name -->`` and
``<!-- END GENERATED: name -->``; fill() replaces what lies between them.
"""

from __future__ import annotations

import re


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- BEGIN GENERATED: {re.escape(name)} -->\n).*?(<!-- END GENERATED: {re.escape(name)} -->)",
        flags=re.DOTALL,
    )


def block_names(text: str) -> list[str]:
    """Names of the GENERATED blocks in text, in order."""
    return re.findall(r"<!-- BEGIN GENERATED: ([\w-]+) -->", text)


def fill(text: str, blocks: dict[str, str]) -> str:
    """Replace the body of each named block; a name without its markers is a ValueError."""
    for name, body in blocks.items():
        pattern = _pattern(name)
        if not pattern.search(text):
            raise ValueError(f"paper.md has no GENERATED block {name!r}; blocks found: {block_names(text)}.")
        text = pattern.sub(lambda m, body=body: m.group(1) + body.rstrip("\n") + "\n" + m.group(2), text, count=1)
    return text
