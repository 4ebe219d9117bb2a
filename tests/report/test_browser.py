"""The HTML report in headless Chromium: no errors, no network, every chart drawn and visible.

A screenshot per language (desktop and phone width) goes to tests/artifacts/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHARTS = ["pareto", "segments", "bubbles", "whale", "aging", "worst", "stress"]


def open_report(page: Any, path: Path) -> tuple[list[str], list[str]]:
    """Load ``path`` and wait for every chart; return (console errors, non-file requests)."""
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith("file:") else requests.append(r.url))
    page.goto(path.as_uri())
    for chart in CHARTS:
        page.wait_for_selector(f"#chart-{chart}[data-drawn='true']", timeout=20_000)
    return errors, requests


def assert_chart_visible(page: Any, chart: str) -> None:
    target = page.locator(f"#chart-{chart}")
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200, chart
    assert target.locator("svg.main-svg").count() >= 1, chart
    # Plotly drew data: bars, lines or points inside the plot area.
    marks = target.locator(".trace .point, .trace path.js-line")
    assert marks.count() >= 1, chart
    assert target.is_visible(), chart


@pytest.mark.parametrize("lang", ["es", "en"])
def test_report_in_chromium(
    page: Any,
    fixture_report: Callable[[str, str], Path],
    artifacts: Path,
    lang: str,
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    errors, requests = open_report(page, fixture_report("html", lang))
    for chart in CHARTS:
        assert_chart_visible(page, chart)
    assert errors == []
    assert requests == []
    # Charts first: the first chart starts within the first screen and a half.
    top = page.locator("#chart-pareto").bounding_box()
    assert top is not None and top["y"] < 1350
    page.screenshot(path=str(artifacts / f"report-{lang}.png"), full_page=True)


def test_client_table_sorts_and_filters(
    page: Any, fixture_report: Callable[[str, str], Path]
) -> None:
    open_report(page, fixture_report("html", "en"))
    page.click("details#clients > summary")  # the long table is folded under the charts
    rows = page.locator("#client-table tbody tr")
    header = page.locator("#client-table th[data-key='net_contribution']")
    header.click()
    first = rows.first.get_attribute("data-id")
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert rows.first.get_attribute("data-id") != first
    column = page.eval_on_selector_all("#client-table th", "ths => ths.map(t => t.dataset.key)")
    nth = column.index("net_contribution") + 1
    values = [float(v) for v in page.eval_on_selector_all(
        f"#client-table tbody td:nth-child({nth})", "els => els.map(e => e.dataset.sort)"
    )]  # fmt: skip
    assert values == sorted(values, reverse=True)
    page.fill("input.filter", "Kiosco")
    assert page.locator("#client-table tbody tr:not([hidden])").count() == 1


def test_phone_width_has_no_sideways_scroll(
    page: Any, fixture_report: Callable[[str, str], Path], artifacts: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    errors, _requests = open_report(page, fixture_report("html", "es"))
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1  # wide tables scroll inside their own box
    assert_chart_visible(page, "pareto")
    assert errors == []
    page.screenshot(path=str(artifacts / "report-es-phone.png"), full_page=False)
