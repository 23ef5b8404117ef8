"""The HTML figures are interactive in a real browser: the wheel zooms the SVG, a header click sorts the trials."""

from __future__ import annotations

from pathlib import Path

import pytest

import hpobench
from hpobench.tracking._figures import write_figures
from tests.harness.test_mlflow_ui import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="chromium not at /usr/bin/chromium; `bash scripts/setup.sh --test` installs it"
    ),
]


def test_html_figure_zooms_and_sorts_in_chromium(tmp_path: Path):
    from playwright.sync_api import sync_playwright

    study = hpobench.create_study(sampler=hpobench.samplers.RandomSampler(seed=0))
    study.optimize(lambda t: t.suggest_float("x", -3, 3) ** 2 + t.suggest_float("y", -3, 3), n_trials=12)
    write_figures(study, tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto((tmp_path / "contour.html").as_uri())
            before = page.get_attribute("svg", "viewBox")
            page.locator("svg").first.hover()
            page.mouse.wheel(0, -300)
            assert page.get_attribute("svg", "viewBox") != before  # zoomed in
            page.locator("svg").first.dblclick()
            reset = [float(v) for v in page.get_attribute("svg", "viewBox").split()]
            assert reset == pytest.approx([float(v) for v in before.split()], abs=1e-3)  # back home
            column = page.locator("table.trials th", has_text="value").first
            index = column.evaluate("th => th.cellIndex")
            column.click()
            values = page.eval_on_selector_all(
                "table.trials tbody tr", f"rows => rows.map(r => parseFloat(r.cells[{index}].textContent))"
            )
            assert values == sorted(values) and len(values) == 12
        finally:
            browser.close()
