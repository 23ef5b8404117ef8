"""README's shell commands run the project's own interpreter: a bare ``python`` outside the venv
misses the dependencies (issue 17: ``python -m paper`` failed for a new user)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
# A command word ``python``/``python3``/``pip``/``pytest``/``mlflow`` at the start of a shell
# command (line start, or after && || ; |), not already prefixed by the venv's bin folder.
BARE = re.compile(r"(?:^|&&|\|\||;|\|)\s*(python3?|pip3?|pytest|mlflow)\b")


def shell_lines(text: str) -> list[str]:
    """Lines inside ```bash / ```sh / ```shell / ```console fenced blocks."""
    lines, inside = [], False
    for line in text.splitlines():
        fence = line.strip()
        if fence.startswith("```"):
            inside = not inside and fence[3:].strip() in ("bash", "sh", "shell", "console")
            continue
        if inside:
            lines.append(line)
    return lines


def bare_commands(text: str) -> list[str]:
    return [line for line in shell_lines(text) if BARE.search(line)]


def test_readme_shell_commands_use_the_venv_interpreter():
    lines = shell_lines(README.read_text())
    assert any(".venv/bin/python" in line for line in lines), "README lost its shell blocks?"
    assert bare_commands(README.read_text()) == []


def test_the_check_catches_a_bare_interpreter():
    sample = "```bash\n.venv/bin/python -m hpobench\npython -m paper\ncd x && pytest -q\n```\n"
    assert bare_commands(sample) == ["python -m paper", "cd x && pytest -q"]
