"""The MLflow UI shows a sweep's runs: a real `mlflow ui` server, opened in headless Chromium.

Needs Debian's chromium at /usr/bin/chromium (`bash scripts/setup.sh --test`
installs it); Playwright drives it, no browser is downloaded.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.harness.conftest import CHEAP, run_cli

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="chromium not at /usr/bin/chromium; `bash scripts/setup.sh --test` installs it"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"mlflow ui exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"mlflow ui did not answer at {url} within {timeout} s")


def test_sweep_runs_appear_in_the_mlflow_ui(paths, tmp_path):
    from playwright.sync_api import sync_playwright

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    mlflow = Path(sys.executable).parent / "mlflow"
    with open(tmp_path / "server.log", "w") as log:
        server = subprocess.Popen(
            [
                str(mlflow),
                "ui",
                "--backend-store-uri",
                paths.tracking,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # The server boots (slowly) while the sweep runs; the store already exists (the paths fixture).
        sweep = run_cli("-m", "sampler=tpe,random", *CHEAP, "n_trials=6", *paths.overrides, timeout=900)
        assert sweep.returncode == 0, sweep.stderr
        _wait_until_up(url, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                page.set_default_timeout(180_000)  # a loaded CI machine serves the UI's bundle slowly
                _check_runs_page(page, url, tmp_path)
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _check_runs_page(page, url: str, shots: Path) -> None:
    experiments = _api(page, url, "experiments/search", {"max_results": 10})["experiments"]
    (experiment,) = [e for e in experiments if e["name"] == "branin"]
    assert "branin/trials" in {e["name"] for e in experiments}  # trial runs live one click away
    runs = _api(page, url, "runs/search", {"experiment_ids": [experiment["experiment_id"]], "max_results": 50})["runs"]
    # Exactly one run per study on the experiment's page, each with comparable params and metrics.
    tags = [{t["key"]: t["value"] for t in run["data"]["tags"]} for run in runs]
    assert sorted(t["sampler"] for t in tags) == ["random", "tpe"]
    for run in runs:
        params = {p["key"] for p in run["data"]["params"]}
        metrics = {m["key"] for m in run["data"]["metrics"]}
        assert {"sampler.class", "sampler.seed", "pruner.class", "problem.class", "runner.class"} <= params
        assert {"best_value", "n_complete", "n_pruned", "n_fail", "n_steps", "wall_time_s"} <= metrics
    page.goto(f"{url}/#/experiments/{experiment['experiment_id']}/runs", wait_until="domcontentloaded")
    for run_tags in tags:  # each study's run is listed on the experiment's runs page ...
        page.get_by_text(run_tags["study_name"]).first.wait_for(timeout=180_000)
    # (Metric columns are hidden by default in MLflow 3's runs table; the REST check above proves them.)
    page.screenshot(path=str(shots / "experiment_runs.png"), full_page=True)
    body = page.inner_text("body")
    assert "trial-" not in body  # no trial run crowds the page
    # The chart view plots best_value of both studies (stepped by trial number) on one chart.
    for run in runs:
        history = _get(page, url, f"metrics/get-history?run_id={run['info']['run_id']}&metric_key=best_value")
        assert len(history["metrics"]) == 6
    page.goto(
        f"{url}/#/experiments/{experiment['experiment_id']}/runs?compareRunsMode=CHART", wait_until="domcontentloaded"
    )
    page.get_by_text(tags[0]["study_name"]).first.wait_for(timeout=120_000)
    page.wait_for_timeout(3000)  # let the charts draw before the screenshot
    page.screenshot(path=str(shots / "chart_view.png"), full_page=True)
    # The study's figures are served to the page as the UI's artifact viewer fetches them.
    run_id = runs[0]["info"]["run_id"]
    artifacts = {f["path"] for f in _get(page, url, f"artifacts/list?run_id={run_id}").get("files", [])}
    plots = ("optimization_history", "learning_curves", "slice", "contour", "parallel_coordinate")
    assert {f"{name}.{kind}" for name in plots for kind in ("png", "html")} | {"trials.csv"} <= artifacts
    status, kind = page.evaluate(
        """async (address) => { const r = await fetch(address); return [r.status, r.headers.get('content-type')]; }""",
        f"{url}/get-artifact?path=optimization_history.png&run_uuid={run_id}",
    )
    assert status == 200 and kind.startswith("image/png")
    page.goto(
        f"{url}/#/experiments/{experiment['experiment_id']}/runs/{run_id}/artifacts", wait_until="domcontentloaded"
    )
    for name in ("optimization_history.png", "contour.png", "parallel_coordinate.html"):  # the list a user sees
        page.get_by_text(name).first.wait_for(timeout=120_000)
    page.screenshot(path=str(shots / "study_artifacts.png"), full_page=True)
    status, kind = page.evaluate(  # the HTML page is served as HTML, for the viewer's frame
        """async (address) => { const r = await fetch(address); return [r.status, r.headers.get('content-type')]; }""",
        f"{url}/get-artifact?path=contour.html&run_uuid={run_id}",
    )
    assert status == 200 and kind.startswith("text/html")


def _get(page, url: str, endpoint: str) -> dict:
    """An MLflow REST GET made by the page itself."""
    script = "async (address) => await (await fetch(address)).text()"
    return json.loads(page.evaluate(script, f"{url}/ajax-api/2.0/mlflow/{endpoint}"))


def _api(page, url: str, endpoint: str, body: dict) -> dict:
    """An MLflow REST call made by the page itself (same origin as the UI)."""
    script = """async ([address, body]) => {
        const response = await fetch(address, {method: 'POST', headers: {'Content-Type': 'application/json'},
                                               body: JSON.stringify(body)});
        return await response.text();
    }"""
    if page.url == "about:blank":
        page.goto(url, wait_until="domcontentloaded")
    return json.loads(page.evaluate(script, [f"{url}/ajax-api/2.0/mlflow/{endpoint}", body]))
