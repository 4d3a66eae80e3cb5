"""The page of many witnesses in Chromium: its views, the witness filter, the histogram, n/p.

Uses the browser fixtures of tests/test_html_browser.py (Debian's chromium, offline). The
witnesses are Darwin's six editions (tests/data/collatex) and a seeded tradition of 40 built
from his text (benchmarks/many_witnesses.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from collate.pipeline import collate
from collate.readers import read_witnesses
from collate.render.html import render_html
from tests.conftest import ROOT
from tests.test_html_browser import browser, open_page  # noqa: F401 (fixtures)

sys.path.insert(0, str(ROOT / "benchmarks"))
from many_witnesses import tradition  # noqa: E402

DARWIN = ROOT / "tests/data/collatex/darwin_origin_ch1_paragraphs_6editions.json"
VIEWS = ("app", "table", "heat", "sbs")


def _page(which: str) -> str:
    if which == "darwin":
        collation = collate(read_witnesses([Path(DARWIN)]))
    else:
        collation = collate(tradition(40, 1500))
    return render_html(collation, collation.variants)


def _visible(page: Any, selector: str) -> int:
    return page.evaluate(  # type: ignore[no-any-return]
        f"Array.from(document.querySelectorAll({selector!r}))"
        ".filter(e => e.checkVisibility()).length"
    )


@pytest.mark.parametrize("which", ["darwin", "forty"])
def test_each_view_renders_and_the_filter_hides_a_witness_everywhere(
    which: str, open_page: Any
) -> None:
    loaded = open_page(_page(which))
    page = loaded.page
    assert page.evaluate("document.querySelector('main').dataset.view") == "app"
    assert _visible(page, "#apptext mark.v") > 0 and _visible(page, "#entries li.e") > 0
    page.click("#tab-table")
    assert _visible(page, "table.syn tbody tr") == (6 if which == "darwin" else 40)
    page.click("#tab-heat")
    assert _visible(page, "#apptext mark.v") > 0 and _visible(page, "#entries li.e") == 0
    page.click("#tab-sbs")
    assert _visible(page, "#sbscols .pane") == 3
    # hide the second witness: gone from the table, the entries and the detail panel
    siglum = page.evaluate("JSON.parse(document.getElementById('data').textContent).sigla[1]")
    page.click("details.wits summary")
    page.click(".wits input[data-w='1']")
    assert page.inner_text("#wshown") == str(5 if which == "darwin" else 39)
    page.click("#tab-table")
    sigla = page.evaluate(
        "Array.from(document.querySelectorAll('table.syn th.sig'), e => e.textContent)"
    )
    assert siglum not in sigla
    entries = page.evaluate(  # the entries in view (the others are rewritten as they come)
        "Array.from(document.querySelectorAll('#entries li.e:not(.wh)')).slice(0, 15)"
        ".map(e => e.querySelector('.sig')?.textContent || '').join(' ')"
    )
    assert siglum not in entries.split()
    page.click("#tab-app")
    page.keyboard.press("n")
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('#detail-body tbody tr'))"
        ".filter(e => e.checkVisibility()).map(e => e.querySelector('th').textContent)"
    )
    assert siglum not in rows and rows
    assert loaded.errors == [] and loaded.foreign_requests() == []


@pytest.mark.parametrize("which", ["darwin", "forty"])
def test_the_histogram_jumps_and_n_p_walk_the_variants(which: str, open_page: Any) -> None:
    loaded = open_page(_page(which))
    page = loaded.page
    current = "document.querySelector('#entries li.e.current')?.dataset.n"
    page.keyboard.press("n")
    first = page.evaluate(current)
    page.keyboard.press("n")
    second = page.evaluate(current)
    page.keyboard.press("p")
    assert first is not None and int(second) > int(first) and page.evaluate(current) == first
    box = page.locator("#histogram").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] - 2)
    far = int(page.evaluate(current))
    assert far > int(second)
    mark = page.evaluate(f"document.getElementById('a-v{far}').getBoundingClientRect().top")
    pane = page.evaluate("document.getElementById('apptext').getBoundingClientRect()")
    assert pane["top"] <= mark <= pane["bottom"]
    # a click in the heat map selects the variant clicked
    page.click("#tab-heat")
    page.locator("#apptext mark.v:not(.o)").nth(3).click()
    assert page.evaluate(current) is not None
    assert loaded.errors == [] and loaded.foreign_requests() == []


def test_the_base_chosen_in_the_page_leads_the_entries(open_page: Any) -> None:
    page = open_page(_page("darwin")).page
    page.select_option("#base", "5")
    page.wait_for_function("() => document.getElementById('e2').dataset.g === '1'")
    entry = page.inner_text("#e2")
    assert entry.startswith("2 compare]") and "1859" in entry
