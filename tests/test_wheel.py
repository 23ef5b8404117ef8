"""The wheel: `pip install .` into a fresh virtual environment, then run it from an unrelated folder.

Issue 15 point 2: the console script and `python -m hpobench` work from any
directory with the config shipped in the package, results land under the
current directory, the plugins are hpobench.samplers / .pruners / .problems,
and nothing is installed under a generic top-level name such as `samplers`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    """This environment minus what would let the checkout or our stores leak in."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MLFLOW_TRACKING_URI", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(args: list[str | Path], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "--quiet", "-w", out], cwd=out)
    (built,) = out.glob("hpobench-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """bin/ of a fresh virtual environment with the wheel (and its dependencies from the registry)."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    _run([env_dir / "bin" / "python", "-m", "pip", "install", "--quiet", wheel], cwd=env_dir, timeout=1500)
    return env_dir / "bin"


def test_the_wheel_holds_hpobench_and_the_hydra_shim_only(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert tops == {"hpobench", "hydra_plugins"}
    for shipped in (
        "hpobench/samplers/tpe.py",
        "hpobench/pruners/successive_halving.py",
        "hpobench/problems/synthetic/classic.py",
        "hpobench/problems/data/yahpo/lcbench/model.onnx",
        "hpobench/problems/data/yahpo/LICENSE",
        "hpobench/conf/config.yaml",
        "hpobench/conf/sampler/tpe.yaml",
        "hpobench/sweeper/hpobench.yaml",
        "hpobench/py.typed",
    ):
        assert shipped in names, shipped
    meta = [n for n in names if n.endswith(".dist-info/METADATA")][0]
    metadata = zipfile.ZipFile(wheel).read(meta).decode()
    assert "License-Expression: Apache-2.0" in metadata
    assert any(n.endswith("licenses/LICENSE") for n in names) and any(n.endswith("licenses/NOTICE") for n in names)
    entry_points = zipfile.ZipFile(wheel).read(meta.replace("METADATA", "entry_points.txt")).decode()
    assert "hpobench = hpobench.cli:main" in entry_points


@pytest.mark.slow
def test_the_installed_cli_runs_from_any_folder_and_writes_there(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    help_text = _run([installed / "hpobench", "--help"], cwd=elsewhere).stdout
    assert "python -m hpobench [overrides]" in help_text and "sampler: " in help_text
    assert f"storage=sqlite:///{elsewhere.resolve()}/results/hpobench.db" in help_text
    run = _run([installed / "hpobench", "problem=branin", "n_trials=5"], cwd=elsewhere)
    assert "5/5 finished" in run.stdout, run.stdout
    assert (elsewhere / "results" / "hpobench.db").is_file() and (elsewhere / "results" / "mlflow.db").is_file()
    assert list((elsewhere / "results" / "runs").glob("*/*/hpobench.log"))
    again = _run(
        [installed / "python", "-m", "hpobench", "problem=branin", "n_trials=6", "runner=inprocess"], cwd=elsewhere
    )
    assert "6/6 finished" in again.stdout, again.stdout  # python -m hpobench too (another runner: another study)


@pytest.mark.slow
def test_the_plugins_are_hpobench_subpackages_and_generic_names_stay_free(installed, tmp_path):
    elsewhere = tmp_path / "project"
    elsewhere.mkdir()
    code = (
        "import hpobench, hpobench.samplers, hpobench.pruners, hpobench.problems\n"
        "assert hpobench.samplers.TPESampler.__module__ == 'hpobench.samplers.tpe'\n"
        "assert hpobench.problems.get_problem('branin').name == 'branin'\n"
        "import importlib.util\n"
        "for name in ('samplers', 'pruners', 'problems', 'paper'):\n"
        "    assert importlib.util.find_spec(name) is None, name\n"
        "try:\n"
        "    import samplers\n"
        "except ModuleNotFoundError:\n"
        "    print('no samplers module')\n"
    )
    assert "no samplers module" in _run([installed / "python", "-c", code], cwd=elsewhere).stdout
    (elsewhere / "samplers.py").write_text("MINE = True\n")  # a user's own module of that name wins
    mine = _run([installed / "python", "-c", "import samplers, hpobench.samplers; print(samplers.MINE)"], cwd=elsewhere)
    assert mine.stdout.strip() == "True"
    shim = (
        "from hydra.core.config_store import ConfigStore\n"
        "import hydra_plugins.hpobench_sweeper.hpobench_sweeper\n"
        "repo = ConfigStore.instance().repo['hydra']['sweeper']\n"
        "assert 'hpobench.yaml' in repo and 'tpe.yaml' in repo['sampler'] and 'asha.yaml' in repo['pruner']\n"
    )
    _run([installed / "python", "-c", shim], cwd=elsewhere)
