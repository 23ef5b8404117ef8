"""`python -m paper --quick` regenerates every figure and table (the CI check of the paper)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from paper import EXPERIMENTS
from paper.document import block_names

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_quick_run_regenerates_everything(tmp_path):
    out = tmp_path / "paper"
    result = subprocess.run(
        [sys.executable, "-m", "paper", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=880,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for name in ("pruning", "pruning_tasks", "speedup", "ranking", "overhead", "pruning_recorded"):
        assert (out / "figures" / f"{name}.png").stat().st_size > 10_000, name
    text = (out / "paper.md").read_text()
    assert set(block_names(text)) == set(EXPERIMENTS) | {"machine"}
    assert "not generated yet" not in text and "Not generated" not in text
    assert "| method |" in _block(text, "pruning") and "| pruner | workers |" in _block(text, "speedup")
    assert "| problem | sampler | pruner |" in text and "| pair | wins | losses | ties |" in text
    # The committed paper and its figures are left alone by a quick run.
    assert (
        "--quick" not in (ROOT / "paper" / "paper.md").read_text().split("<!-- BEGIN GENERATED: machine -->")[1][:200]
    )
    # A second quick run reuses every cached study, so it is much faster and gives the same tables.
    again = subprocess.run(
        [sys.executable, "-m", "paper", "--quick", "--out", str(out), "--only", "pruning"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert (
        _block(text, "pruning").split("Made by")[0]
        == _block((out / "paper.md").read_text(), "pruning").split("Made by")[0]
    )


def _block(text: str, name: str) -> str:
    return text.split(f"<!-- BEGIN GENERATED: {name} -->")[1].split(f"<!-- END GENERATED: {name} -->")[0]
