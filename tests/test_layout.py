"""The package layout: plugin names, layers and private names (issue 15 points 2 and 3).

The plugin folders samplers/, pruners/, problems/ (and conf/) stay at the top of
the repository but are installed and imported only as ``hpobench.samplers``, ...
(links under hpobench/). One module imported under two names would be two module
objects with two copies of every class (isinstance checks and registries break),
so no file may use the bare names.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ("samplers", "pruners", "problems")
SKIP_DIRS = {".git", ".venv", "results", "build", "dist", "__pycache__", ".pytest_cache", "data"}
# Core subpackages and the plugin subpackages: each is one "package" for the private-name rule.
CORE = ("cli", "runners", "storages", "study", "sweeper", "tracking", "trial", "visualization")


@functools.cache
def _all_files() -> tuple[Path, ...]:
    """The repository's files, each once: skipped folders are not entered, links not followed."""
    found = []
    for folder, dirs, files in os.walk(ROOT):  # followlinks=False: hpobench/samplers etc. are links
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        found += [Path(folder) / name for name in files]
    return tuple(sorted(found))


def _files(*suffixes: str) -> list[Path]:
    return [path for path in _all_files() if path.suffix in suffixes]


BARE_IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:samplers|pruners|problems)\b", re.M)
BARE_TARGET = re.compile(r"_target_[\"']?\s*[:=]\s*[\"']?(?:samplers|pruners|problems)\.")
BARE_STRING = re.compile(r"import_module\(\s*f?[\"'](?:samplers|pruners|problems)\b|-m (?:samplers|pruners|problems)\b")
BARE_IN_DOCS = re.compile(r"(?<![\w./-])(?:samplers|pruners|problems)\.[A-Za-z_]")


def test_links_make_the_plugin_folders_subpackages_of_hpobench():
    for name in (*PLUGINS, "conf"):
        link = ROOT / "hpobench" / name
        assert link.is_symlink() and link.resolve() == (ROOT / name).resolve(), link


def test_no_file_uses_the_bare_plugin_names():
    offenders = []
    for path in _files(".py", ".yaml", ".yml", ".md", ".toml", ".sh"):
        if path == Path(__file__).resolve():
            continue  # its own examples of what is refused
        text = path.read_text(errors="replace")
        for pattern in (BARE_IMPORT, BARE_TARGET, BARE_STRING):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0).strip()}" for m in pattern.finditer(text)]
        if path.suffix == ".md":  # code spans and blocks name modules: hpobench.samplers.X, never samplers.X
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in BARE_IN_DOCS.finditer(text)]
    assert not offenders, "use hpobench.samplers / hpobench.pruners / hpobench.problems:\n" + "\n".join(offenders)


def test_the_checks_above_catch_what_they_are_for():
    assert BARE_IMPORT.search("    from samplers.tpe import TPESampler") and BARE_IMPORT.search("import pruners")
    assert not BARE_IMPORT.search("from hpobench.samplers import TPESampler") and not BARE_IMPORT.search(
        "from . import x"
    )
    assert BARE_TARGET.search("_target_: problems.synthetic.Branin")
    assert not BARE_TARGET.search("_target_: hpobench.problems.synthetic.Branin")
    assert BARE_STRING.search('importlib.import_module("pruners.integration._xgboost")')
    assert BARE_STRING.search("python -m problems.synthetic.refine_optima --write")
    assert not BARE_STRING.search("python -m hpobench.problems.synthetic.refine_optima --write")
    assert BARE_IN_DOCS.search("`problems.get_problem(name)`")
    assert not BARE_IN_DOCS.search("`hpobench.problems.get_problem` in `problems/base.py`, `conf/problem/x.yaml`")


def test_one_module_object_per_plugin_module():
    code = (
        "import sys, hpobench, hpobench.samplers.tpe as tpe, hpobench.problems as problems;"
        "import hpobench.pruners.median as median;"
        "assert hpobench.samplers.TPESampler is tpe.TPESampler;"
        "assert hpobench.pruners.MedianPruner is median.MedianPruner;"
        "problems.get_problem('branin');"
        "bare = sorted(m for m in sys.modules if m.split('.')[0] in ('samplers', 'pruners', 'problems', 'paper'));"
        "assert not bare, bare"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=120)


def _module_level_imports(tree: ast.Module) -> list[str]:
    names = []
    for node in tree.body:
        for sub in ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else ():
            if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                break
            if isinstance(sub, ast.Import):
                names += [alias.name for alias in sub.names]
            elif isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                names += [sub.module] + [f"{sub.module}.{alias.name}" for alias in sub.names]
    return names


def _core_files() -> list[Path]:
    return [p for p in _files(".py") if p.relative_to(ROOT).parts[0] == "hpobench"]


def test_the_core_never_imports_the_plugins_at_module_level():
    """Layers: hpobench's core types plugins by hpobench.interfaces; only create_study's defaults
    (inside a function) and the lazy ``hpobench.samplers`` attribute reach up."""
    plugin = re.compile(r"^hpobench\.(samplers|pruners|problems)\b|^(samplers|pruners|problems|paper)\b")
    offenders = []
    for path in _core_files():
        for name in _module_level_imports(ast.parse(path.read_text())):
            if plugin.match(name):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders


def test_the_plugins_never_import_the_paper_or_the_cli():
    offenders = []
    for folder in PLUGINS:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom) and node.level == 0
                    else []
                )
                offenders += [
                    f"{path.relative_to(ROOT)}: {n}" for n in names if re.match(r"paper\b|hpobench\.cli\b", n)
                ]
    assert not offenders, offenders


# --- private names ---------------------------------------------------------------------------------------------
def _package_of(path: Path) -> str:
    """hpobench.<sub> for the core subpackages and the plugin folders, hpobench for hpobench/*.py, else the folder."""
    parts = path.relative_to(ROOT).parts
    if parts[0] in PLUGINS:
        return f"hpobench.{parts[0]}"
    if parts[0] == "hpobench":
        return f"hpobench.{parts[1]}" if len(parts) > 2 else "hpobench"
    return parts[0]


def _package_of_module(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "hpobench" and len(parts) > 1 and (parts[1] in CORE or parts[1] in PLUGINS):
        return f"hpobench.{parts[1]}"
    return parts[0]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


# Private names that are not a package's here: namedtuple's public methods, Hydra's _target_ key,
# an OmegaConf key (paper/registry.py), and Hydra's override text of a value (no public equivalent).
FOREIGN_PROTOCOLS = {
    "_replace",
    "_asdict",
    "_fields",
    "_make",
    "_target_",
    "_node",
    "_get_value_element_as_str",
    "_suptitle",
}
# The tight allow-list: a Study creates, feeds and finishes its Trial objects (one lifecycle in two
# modules), so hpobench.study may use these of hpobench.trial's names; nothing else may.
ALLOWED = {"hpobench.study": {"_snapshot", "_suggest", "_trial_id"}}


def _defined_private_names(package: str, paths: list[Path]) -> set[str]:
    """Private attribute names a package defines (methods, class attributes, self._x assignments)."""
    names = set()
    for path in paths:
        if _package_of(path) != package:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _private(node.name):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _private(node.attr):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and _private(node.id):
                names.add(node.id)
    return names


def _private_uses(tree: ast.AST, package: str, own: set[str], where: str) -> list[str]:
    """Imports of another package's private modules or names, and private attributes this package does not define."""
    found = []
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith(("hpobench", "paper")) or _package_of_module(node.module) == package:
                continue
            if any(_private(p) for p in node.module.split(".")) or any(_private(a.name) for a in node.names):
                found.append(f"{line}: from {node.module} import {', '.join(a.name for a in node.names)}")
        elif isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in FOREIGN_PROTOCOLS:
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            if node.attr not in own:
                found.append(f"{line}: {ast.unparse(node)}")
    return found


def _cross_package_private_uses(paths: list[Path]) -> list[str]:
    defined: dict[str, set[str]] = {}
    found = []
    for path in paths:
        package = _package_of(path)
        own = defined.setdefault(package, _defined_private_names(package, paths) | ALLOWED.get(package, set()))
        found += _private_uses(ast.parse(path.read_text()), package, own, str(path.relative_to(ROOT)))
    return found


def test_no_package_reaches_into_another_packages_private_names():
    """Runners, tracking, the CLI, the plugins, the paper, benchmarks and examples use public names only.

    A package is a core subpackage (hpobench.study, hpobench.runners, ...), a plugin
    subpackage (hpobench.samplers, ...) or a top-level folder (paper/, benchmarks/, ...).
    Tests may look inside what they test, so tests/ is not checked.
    """
    paths = [p for p in _files(".py") if p.relative_to(ROOT).parts[0] != "tests"]
    found = _cross_package_private_uses(paths)
    assert not found, "use the public names (e.g. study.storage, study.run_trial):\n" + "\n".join(found)


def test_the_private_name_check_finds_what_it_is_for():
    source = (
        "from hpobench.study._study import pair_pruner\n"
        "from hpobench.trial import FrozenTrial\n"
        "def f(study, trial):\n"
        "    self._mine, trial._replace()\n"
        "    return study._storage, study.storage, trial._own\n"
    )
    found = _private_uses(ast.parse(source), "hpobench.runners", {"_own"}, "x.py")
    assert found == ["x.py:1: from hpobench.study._study import pair_pruner", "x.py:5: study._storage"]


@pytest.mark.parametrize("name", PLUGINS)
def test_hpobench_attribute_is_the_subpackage(name):
    import hpobench

    assert getattr(hpobench, name).__name__ == f"hpobench.{name}"
