"""``python -m paper [--quick] [--out DIR] [--only NAMES] [--jobs N]``: regenerate the paper.

Full mode writes paper/figures/*.png and rewrites the GENERATED blocks of
paper/paper.md, reading and filling results/paper/. --quick (or --out) writes
everything (results, figures, paper.md) under one separate folder instead, so
the committed full-mode figures are never overwritten by a quick run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from paper import EXPERIMENTS
from paper.budgets import load_budget
from paper.document import fill

ROOT = Path(__file__).resolve().parent.parent
FRAME = ROOT / "paper" / "paper.md"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m paper", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small budgets (minutes on 2 cores)")
    parser.add_argument("--out", type=Path, help="write results, figures and paper.md under this folder")
    parser.add_argument("--only", default=",".join(EXPERIMENTS), help=f"comma-separated subset of {EXPERIMENTS}")
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="tabulate only what is cached (experiments that support it; labelled partial)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="joblib processes for independent studies")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in args.only if name not in EXPERIMENTS]
    if unknown:
        parser.error(f"unknown experiment(s) {unknown}; choose from {list(EXPERIMENTS)}")
    if args.jobs < 1:
        parser.error(f"--jobs must be >= 1, got {args.jobs}")
    return args


def output_paths(args: argparse.Namespace) -> tuple[Path, Path, Path]:
    """(results_dir, figures_dir, paper_md) for this invocation."""
    if args.out is None and not args.quick:
        return ROOT / "results" / "paper", ROOT / "paper" / "figures", FRAME
    out = (args.out or ROOT / "results" / "paper-quick").resolve()
    return out / "results", out / "figures", out / "paper.md"


def command_line(args: argparse.Namespace) -> str:
    parts = ["python -m paper"] + (["--quick"] if args.quick else []) + (["--cached-only"] if args.cached_only else [])
    if sorted(args.only) != sorted(EXPERIMENTS):
        parts.append(f"--only {','.join(args.only)}")
    return " ".join(parts)


def run_experiment(name: str, args: argparse.Namespace, results_dir: Path, figures_dir: Path) -> str:
    """Run, plot and tabulate one experiment; return its GENERATED block (or the error)."""
    module = importlib.import_module(f"paper.{name}")
    mode = "quick" if args.quick else "full"
    begin = time.perf_counter()
    try:
        budget = load_budget(name, mode)
        if args.cached_only:
            budget["cached_only"] = True
        df = module.run(budget, results_dir=results_dir, n_jobs=args.jobs)
        paths = module.plot(df, figures_dir)
        body = module.table(df)
    except Exception:  # one broken experiment must not hide the others' results
        traceback.print_exc()
        return f"**Not generated**: `{command_line(args)}` failed on {name}:\n\n```\n{traceback.format_exc(limit=3)}```"
    elapsed = time.perf_counter() - begin
    print(f"[paper] {name}: {elapsed:.1f} s, figures {[str(p) for p in paths]}", flush=True)
    only = (
        f"python -m paper{' --quick' if args.quick else ''}{' --cached-only' if args.cached_only else ''} --only {name}"
    )
    return f"{body}\n\nMade by `{only}` (budget `{mode}` of conf/experiment/{name}.yaml): {provenance_line(df.attrs)}"


def provenance_line(attrs: dict) -> str:
    """What the block's numbers cost: studies computed now vs read back, and their compute time."""
    computed = attrs.get("computed", "?")
    line = f"{attrs.get('studies', '?')} studies ({computed} computed by this run, the rest read from results)"
    seconds = attrs.get("study_seconds")
    return line + (
        f"; {seconds:.0f} s of study compute in all." if seconds is not None else "; compute time not recorded."
    )


def machine_block(elapsed: float, args: argparse.Namespace) -> str:
    """Where and when the numbers were made."""
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "unknown",
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    return (
        f"- Command: `{command_line(args)}` (--jobs {args.jobs}), commit `{commit or 'unknown'}`\n"
        f"- Machine: {os.cpu_count()} CPU cores ({cpu}), Python {platform.python_version()}, {platform.system()}\n"
        f"- Finished {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; this run took {elapsed:.0f} s"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    results_dir, figures_dir, paper_md = output_paths(args)
    begin = time.perf_counter()
    blocks = {name: run_experiment(name, args, results_dir, figures_dir) for name in args.only}
    blocks["machine"] = machine_block(time.perf_counter() - begin, args)
    source = paper_md if paper_md.exists() else FRAME
    paper_md.parent.mkdir(parents=True, exist_ok=True)
    paper_md.write_text(fill(source.read_text(), blocks))
    print(f"[paper] wrote {paper_md} in {time.perf_counter() - begin:.1f} s", flush=True)
    return 1 if any(block.startswith("**Not generated**") for block in blocks.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
