"""Batch index: CSV, JSON and HTML from document rows; escaping; sorting and filtering in a real
browser (Chromium via Playwright, offline; skipped without it unless CI=true)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collate.batch.index import COLUMNS, render_csv, render_html, render_json
from collate.batch.status import Rates, Status
from collate.batch.store import Counts, DocumentRow
from collate.batch.summary import summarize
from tests.conftest import launch_chromium, missing_browser, require_browser


def row(name: str, cer: float | None, status: Status = Status.OK) -> DocumentRow:
    failed = cer is None
    return DocumentRow(
        name=name,
        status=Status.FAILED if failed else status,
        message="boom <b>" if failed else None,
        sigla=() if failed else ("scan", "transcript"),
        base=None if failed else "scan",
        hypothesis=None if failed else "transcript",
        variants=None if failed else 3,
        categories=None if failed else (1, 2, 0, 0, 0, 0, 0),
        rates=None if cer is None else Rates(cer, 2 * cer, cer, 2 * cer),
        counts=None if cer is None else Counts(int(cer * 1000), 1000, 1, 10, 1, 100, 1, 10),
        seconds=0.5,
        outputs=(None, None, None) if failed else (f"{name}/collation.json", None, None),
    )


ROWS = [
    row("a", 0.02),
    row("b&<x>", 0.10, Status.FLAGGED),
    row("c", None),
    row("d", 0.005),
]


def test_csv_has_every_column_and_empty_cells_for_missing_values() -> None:
    lines = list(csv.reader(io.StringIO(render_csv(ROWS))))
    assert tuple(lines[0]) == COLUMNS
    failed = dict(zip(COLUMNS, lines[3], strict=True))
    assert failed["status"] == "failed" and failed["cer"] == "" and failed["variants"] == ""
    assert dict(zip(COLUMNS, lines[1], strict=True))["substantive"] == "1"


def test_json_holds_the_summary_and_nulls() -> None:
    data = json.loads(render_json(ROWS, summarize(ROWS)))
    assert data["summary"]["documents"] == 4 and data["summary"]["failed"] == 1
    assert data["summary"]["char_total"] == 3000
    assert data["summary"]["cer"] == pytest.approx((20 + 100 + 5) / 3000)
    assert data["documents"][2]["cer"] is None and data["documents"][2]["message"] == "boom <b>"


def test_html_escapes_every_value() -> None:
    page = render_html(ROWS, summarize(ROWS))
    assert "<x>" not in page and "b&amp;&lt;x&gt;" in page and "boom &lt;b&gt;" in page
    assert 'href="a/collation.json"' in page
    assert "Content-Security-Policy" in page


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    require_browser(missing_browser())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = launch_chromium(playwright, tmp_path_factory.mktemp("chromium-profile"))
        yield context
        context.close()


def test_index_sorts_and_filters_in_a_browser(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    path.write_text(render_html(ROWS, summarize(ROWS)), encoding="utf-8")
    page = browser.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())

    def names() -> list[str]:
        return page.evaluate(  # type: ignore[no-any-return]
            "Array.from(document.querySelectorAll('#index tbody tr'))"
            ".filter(r => !r.hidden).map(r => r.cells[0].textContent)"
        )

    assert names() == ["a", "b&<x>", "c", "d"]
    page.click("th:nth-child(15) button")  # cer, numeric: the failed row (no figure) first
    assert names() == ["c", "d", "a", "b&<x>"]
    page.click("th:nth-child(15) button")
    assert names() == ["b&<x>", "a", "d", "c"]
    page.click("th:nth-child(2) button")  # status, as text
    assert names()[0] == "c"
    page.fill("#filter", "flagged")
    assert names() == ["b&<x>"]
    assert not errors
    assert [u for u in requests if u != path.as_uri()] == []
    page.close()
