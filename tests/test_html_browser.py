"""The HTML page in a real browser: Chromium driven by Playwright, fully offline.

Needs ``pip install playwright`` and a system Chromium at /usr/bin/chromium (Debian:
``apt-get install chromium``); never ``playwright install``. Without them these tests
skip, except under ``CI=true``, where they fail. ``COLLATE_UPDATE_SCREENSHOT=1``
rewrites docs/apparatus.png.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collate.fidelity import measure_fidelity
from collate.metrics import CountingRules
from collate.model import MarkupFormat, Witness
from collate.pipeline import Collation, collate
from collate.readers import load_witness, read_witnesses
from collate.render.html import render_html
from tests.conftest import (
    CHROMIUM,
    MEMO,
    ROOT,
    browser_skip_summary,
    launch_chromium,
    missing_browser,
    require_browser,
    script_module,
)

READY = "document.documentElement.dataset.ready === 'true'"

MISSING = missing_browser()
with contextlib.suppress(ImportError):  # MISSING says so; the browser fixture acts on it
    from playwright.sync_api import Page, sync_playwright


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A fresh Chromium profile; fails instead of skipping when CI=true."""
    require_browser(MISSING)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = launch_chromium(
            playwright, profile, viewport={"width": 1400, "height": 900}, service_workers="block"
        )
        yield context
        context.close()


def test_a_missing_browser_fails_under_ci_and_skips_elsewhere(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = missing_browser(tmp_path / "no-chromium")
    assert missing == f"no Chromium at {tmp_path / 'no-chromium'} (apt-get install chromium)"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"^browser tests cannot run: no Chromium"):
        require_browser(missing)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match=r"^no Chromium"):
        require_browser(missing)
    require_browser(None)


def test_skipped_browser_tests_are_counted_in_the_summary() -> None:
    missing = "no Chromium at /nowhere (apt-get install chromium)"
    reasons = [f"Skipped: {missing}", f"Skipped: {missing}", "Skipped: something else"]
    line = browser_skip_summary(reasons, missing)
    assert line is not None and line.startswith(f"2 browser tests skipped: {missing}; ")
    assert "under CI=true they fail" in line
    assert browser_skip_summary(["Skipped: something else"], missing) is None
    assert browser_skip_summary(reasons, None) is None


def test_readme_says_what_the_browser_tests_need() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "playwright" in readme and str(CHROMIUM) in readme and "CI=true" in readme


class Loaded:
    """A page loaded from a file:// URL, with what it logged and what it requested."""

    def __init__(self, page: Page, url: str) -> None:
        self.page, self.url = page, url
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))
        page.goto(url)
        page.wait_for_function(READY)

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    pages: list[Page] = []

    def load(html: str, name: str = "page.html") -> Loaded:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        page = browser.new_page()
        pages.append(page)
        return Loaded(page, path.as_uri())

    yield load
    for page in pages:
        page.close()


@pytest.fixture
def memo_page(memo: Collation, open_page: Any) -> Loaded:
    return open_page(render_html(memo, memo.variants))  # type: ignore[no-any-return]


def _highlighted(page: Page, pane: str = "c0") -> int:
    """Variants whose badge shows in a pane."""
    return page.evaluate(  # type: ignore[no-any-return]
        f"Array.from(document.querySelectorAll('#{pane} mark.v > sup'))"
        ".filter(e => e.checkVisibility()).length"
    )


def _entries(page: Page) -> int:
    """Apparatus entries displayed (whether or not their view is the one in front)."""
    return page.evaluate(  # type: ignore[no-any-return]
        "Array.from(document.querySelectorAll('#entries li.e'))"
        ".filter(e => e.checkVisibility()).length"
    )


def _current(page: Page) -> list[str]:
    return page.evaluate(  # type: ignore[no-any-return]
        "Array.from(document.querySelectorAll('.current'), e => e.id)"
    )


def _in_view(page: Page, element_id: str) -> bool:
    return page.evaluate(  # type: ignore[no-any-return]
        """id => { const e = document.getElementById(id), p = e.closest('.pane');
        const a = e.getBoundingClientRect(), b = p.getBoundingClientRect();
        return a.top >= b.top && a.bottom <= b.bottom; }""",
        element_id,
    )


def test_loads_offline_without_errors(memo_page: Loaded) -> None:
    page = memo_page.page
    for key in "nnnp":
        page.keyboard.press(key)
    page.click("label[for=f-punctuation]")
    page.click("#tab-app")
    page.click("#e29")
    page.click("#tab-sbs")
    page.mouse.move(300, 600)
    page.mouse.wheel(0, 800)
    page.wait_for_timeout(100)
    assert memo_page.errors == []
    assert memo_page.foreign_requests() == []


def test_filters_hide_and_show_their_variants(memo_page: Loaded) -> None:
    page = memo_page.page
    assert _highlighted(page, "c0") == _highlighted(page, "c1") == 30
    assert page.text_content("#shown") == "30"
    page.uncheck("#f-punctuation")
    assert (
        _highlighted(page, "c0") == _highlighted(page, "c1") == _highlighted(page, "apptext") == 28
    )
    assert page.text_content("#shown") == "28"
    assert page.text_content("output[data-shown=punctuation]") == "0"
    assert _entries(page) == 28
    assert page.locator("#c0-v22 > sup").count() == 1 and not page.is_visible("#c0-v22 > sup")
    assert "--" in (page.text_content("#c0-v22") or "")  # the text stays
    page.check("#f-punctuation")
    assert _highlighted(page) == 30 and page.text_content("#shown") == "30"
    page.click("#quiet")
    assert page.text_content("#shown") == str(30 - 2 - 9)
    assert not page.is_checked("#f-markup") and page.is_checked("#f-substantive")
    page.click("#all")
    assert page.text_content("#shown") == "30"


def test_next_and_previous_move_the_current_variant(memo_page: Loaded) -> None:
    page = memo_page.page
    page.keyboard.press("n")
    assert _current(page) == ["c0-v1", "c1-v1", "a-v1", "e1"]
    page.keyboard.press("n")
    page.keyboard.press("p")
    assert _current(page) == ["c0-v1", "c1-v1", "a-v1", "e1"]
    page.uncheck("#f-furniture")
    page.uncheck("#f-markup")
    assert _current(page) == []  # the current variant was hidden
    for _ in range(3):
        page.keyboard.press("n")
    assert _current(page) == ["c0-v29", "c1-v29", "a-v29", "e29"]  # 22, 24, then 29
    for element_id in ("c0-v29", "c1-v29", "e29"):
        assert _in_view(page, element_id), element_id
    page.click("#tab-app")
    assert _in_view(page, "a-v29")
    page.keyboard.press("p")
    assert _current(page)[0] == "c0-v24"


def test_clicking_a_variant_shows_its_readings(memo_page: Loaded) -> None:
    page = memo_page.page
    page.click("#c1-v29")
    detail = page.locator("#detail-body")
    assert detail.locator("h3").text_content() == "Variant 29"
    assert page.get_attribute("#detail-body", "aria-live") == "polite"
    rows = detail.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("th").text_content() == "scan (base)"
    assert rows.nth(0).locator("mark").text_content() == "∅ (no reading)"
    assert rows.nth(1).locator("mark").text_content() == "have"
    assert "explained" in (rows.nth(1).locator("td.ctx").text_content() or "")
    assert rows.nth(0).locator("td.where").text_content() == "2:54"
    text = detail.text_content() or ""
    assert "substantive (S)" in text and "addition" in text
    assert _current(page) == ["c0-v29", "c1-v29", "a-v29", "e29"]
    page.click("#tab-app")
    page.click("#e30 .num")
    assert detail.locator("h3").text_content() == "Variant 30"
    # each witness's reading in its own context, as written (issue 19 item 1)
    contexts = detail.locator("tbody td.ctx").all_text_contents()
    assert contexts == [
        "in the invading of the Japanese islands. It",
        "in the invading of ∅ (no reading) Japanese islands. It",
    ]


def test_columns_scroll_together_by_anchor(memo_page: Loaded) -> None:
    page = memo_page.page
    page.mouse.move(300, 600)  # over the scan column
    page.mouse.wheel(0, 1200)
    page.wait_for_timeout(300)
    positions = page.evaluate(
        """Array.from(document.querySelectorAll('#sbs .pane'), p => {
        const a = Array.from(p.querySelectorAll('[data-r]'));
        let k = -1; a.forEach((e, i) => { if (e.offsetTop <= p.scrollTop) k = i; });
        return [p.scrollTop, k]; })"""
    )
    (scan_top, scan_k), (transcript_top, transcript_k) = positions
    assert scan_top > 0 and transcript_top > 0
    assert scan_top != transcript_top  # not by proportion or pixel: the texts differ
    assert scan_k == transcript_k  # the same anchor is at the top of both


def test_hostile_witness_runs_nothing(open_page: Any) -> None:
    hostile = (
        "Dear <script>window.__pwned=1</script> sir, "
        '<img src=x onerror="window.__pwned=2"> & &amp; "quoted"'
    )
    plain = MarkupFormat.PLAIN  # as written: no Markdown to detect in ``__pwned``
    witnesses = [load_witness(hostile, "A", markup=plain), load_witness("Dear sir, & ok", "B")]
    collation = collate(witnesses)
    loaded = open_page(render_html(collation, collation.variants, title="<i>t</i>"))
    page = loaded.page
    for n in range(len(collation.variants), 0, -1):
        page.click(f"#c0-v{n}")  # the detail panel shows the readings too
    assert page.evaluate("typeof window.__pwned") == "undefined"
    text = page.text_content("#c0") or ""
    assert "<script>window.__pwned=1</script>" in text
    assert '<img src=x onerror="window.__pwned=2">' in text and '&amp; "quoted"' in text
    assert "<script>window.__pwned=1</script>" in (page.text_content("#detail-body") or "")
    assert page.title() == "<i>t</i>"
    assert page.locator("img").count() == 0 and page.locator("script").count() == 2
    assert loaded.errors == [] and loaded.foreign_requests() == []


def test_print_shows_the_apparatus_without_controls(memo_page: Loaded) -> None:
    page = memo_page.page
    page.emulate_media(media="print")
    assert not page.is_visible("nav") and not page.is_visible("#detail")
    assert not page.is_visible("#sbs") and page.is_visible("#apptext")
    assert page.locator("#entries li.e:visible").count() == 30
    page.emulate_media(media="screen")


def _large_pair(copies: int) -> tuple[str, str]:
    """The memo's scan and transcript, each repeated (pages apart), the copies edited."""
    scan = (MEMO / "scan.txt").read_text(encoding="utf-8")
    transcript = (MEMO / "transcript.txt").read_text(encoding="utf-8")
    rng = random.Random(1944)
    edited = []
    for _ in range(copies):
        words = transcript.split(" ")
        for _ in range(6):
            i = rng.randrange(len(words))
            words[i] = rng.choice([words[i][::-1], "", words[i] + " extra", words[i].upper()])
        edited.append(" ".join(words))
    return "\n\f\n".join([scan] * copies), "\n\f\n".join(edited)


def test_a_large_collation_loads_and_scrolls(open_page: Any) -> None:
    """Two witnesses of about 100,000 tokens each: ready in seconds, scrolls in step."""
    scan, transcript = _large_pair(110)
    collation = collate([load_witness(scan, "scan"), load_witness(transcript, "transcript")])
    assert min(len(t) for t in collation.tokens) > 95_000
    started = time.perf_counter()
    page = open_page(render_html(collation, collation.variants)).page
    assert time.perf_counter() - started < 20
    page.mouse.move(300, 600)
    for _ in range(10):
        page.mouse.wheel(0, 5000)
    page.wait_for_timeout(300)
    positions = page.evaluate(
        """Array.from(document.querySelectorAll('#sbs .pane'), p => {
        const a = Array.from(p.querySelectorAll('[data-r]'));
        let k = -1; a.forEach((e, i) => { if (e.offsetTop <= p.scrollTop) k = i; });
        return [p.scrollTop, k]; })"""
    )
    assert positions[0][0] > 10_000 and positions[0][1] == positions[1][1] > 100
    page.keyboard.press("n")
    assert _current(page)[0] == "c0-v1"


def test_screenshot(open_page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The side-by-side view with a variant selected (docs/apparatus.png)."""
    monkeypatch.chdir(ROOT)  # paths as a reader would give them
    memo = collate(read_witnesses([MEMO.relative_to(ROOT)]))
    fidelity = measure_fidelity(memo, CountingRules())
    page = open_page(render_html(memo, memo.variants, fidelity)).page
    page.click("#c1-v29")
    shot = tmp_path / "apparatus.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("COLLATE_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, ROOT / "docs" / "apparatus.png")


def test_an_override_and_invisible_characters_render_visibly(open_page: Any) -> None:
    """'1000' and U+202E '0001' both look like 1000 as raw text; the page shows them apart,
    and a siglum ending in U+202E does not reverse the labels after it."""
    witnesses = [
        load_witness("the sum is 1000 dollars", "A"),
        load_witness("the sum is \u202e0001 dollars", "B\u202e"),
        load_witness("the sum is 1000\u200b dollars", "C"),
    ]
    collation = collate(witnesses)
    page = open_page(render_html(collation, collation.variants)).page
    variant = collation.variants[0].number
    page.click("#tab-sbs")  # three witnesses: side by side is built by the script
    shots = [page.locator(f"#s{w}-v{variant}").screenshot() for w in range(3)]
    assert shots[0] != shots[1] and shots[0] != shots[2]
    assert "\\u202e0001" in page.locator(f"#s1-v{variant}").inner_text()
    heading = page.locator("#sbscols h3").nth(1).inner_text()
    assert heading.startswith("B\\u202e")
    page.click(f"#s1-v{variant}")
    names = page.locator("#detail-body tbody th").all_inner_texts()
    assert names == ["A (base)", "B\\u202e", "C"]


@pytest.fixture
def nested_page(open_page: Any) -> tuple[Loaded, Collation]:
    """Four witnesses: C has nothing over variant 1, D over variant 3, which lies in 1."""
    texts = ("a b c d e f g h i j", "a b <x>&amp; d e y g z i j", "a j", "a b g z i j")
    witnesses = [load_witness(t, chr(ord("A") + i)) for i, t in enumerate(texts)]
    collation = collate(witnesses)
    return open_page(render_html(collation, collation.variants)), collation


def _facts(page: Page) -> dict[str, str]:
    return page.evaluate(  # type: ignore[no-any-return]
        """Object.fromEntries(Array.from(document.querySelectorAll('#detail-body dt'),
        dt => [dt.textContent, dt.nextElementSibling.textContent]))"""
    )


def test_clicking_an_outer_and_an_inner_variant(nested_page: tuple[Loaded, Collation]) -> None:
    """Four witnesses: the page opens on the apparatus, whose base text holds the nesting."""
    loaded, _ = nested_page
    page = loaded.page
    outer_style = page.evaluate("getComputedStyle(document.getElementById('a-v1')).borderTopStyle")
    inner_style = page.evaluate("getComputedStyle(document.getElementById('a-v4')).borderTopStyle")
    assert (outer_style, inner_style) == ("dashed", "none")
    page.click("#a-v1 > sup")  # the outer variant's own badge, outside the marks inside it
    detail = page.locator("#detail-body")
    assert detail.locator("h3").text_content() == "Variant 1"
    assert _current(page) == ["a-v1", "e1"]
    assert _facts(page)["Holds"] == "5: 2, 3, 7, 8, 9" and "In" not in _facts(page)
    readings = detail.locator("tbody tr mark").all_text_contents()
    assert readings == ["b c d e f g h i", "b <x>&amp; d e y g z i", "∅ (no reading)", "b g z i"]
    page.click("#a-v4")  # inside variant 3, inside variant 1
    assert detail.locator("h3").text_content() == "Variant 4"
    assert _current(page) == ["a-v4", "e4"]
    assert _facts(page)["In"] == "variant 3" and "Holds" not in _facts(page)
    assert detail.locator("tbody tr mark").nth(1).text_content() == "<x>&amp;"
    page.click("#a-v3 > sup")
    assert _facts(page) | {"Kind": ""} == {
        "Category": "substantive (S)",
        "Kind": "",
        "Base": "A",
        "In": "variant 1",
        "Holds": "3: 4, 5, 6",
    }
    page.click("#tab-sbs")  # the outermost places of the chosen witnesses, as text
    assert page.locator("#s1-v1").inner_text().endswith("b <x>&amp; d e y g z i")
    page.click("#tab-app")
    page.click("#e1 .num")
    assert detail.locator("h3").text_content() == "Variant 1"
    assert loaded.errors == [] and loaded.foreign_requests() == []
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_next_and_previous_walk_outer_variants_too(
    nested_page: tuple[Loaded, Collation],
) -> None:
    loaded, collation = nested_page
    page = loaded.page
    seen = []
    for _ in collation.variants:
        page.keyboard.press("n")
        seen.append(_current(page)[0])
    assert seen == [f"a-v{v.number}" for v in collation.variants]
    page.keyboard.press("p")
    page.keyboard.press("p")
    assert _current(page)[0] == "a-v7"
    page.uncheck("#f-substantive")  # every variant here is substantive: the brackets go too
    assert page.evaluate(
        "getComputedStyle(document.getElementById('a-v1'), '::before').content"
    ) in ("none", "normal")
    assert loaded.errors == []


# Three or more witnesses: the apparatus, table, heat map, histogram and witness filter

DARWIN = ROOT / "tests/data/collatex/darwin_origin_ch1_paragraphs_6editions.json"
VIEWS = ("app", "table", "heat", "sbs")


def _tradition(count: int, words: int) -> list[Witness]:
    """benchmarks/many_witnesses.py's seeded tradition."""
    module = script_module("benchmarks/many_witnesses.py")
    return module.tradition(count, words)  # type: ignore[no-any-return]


def _many_page(which: str) -> str:
    """The page of Darwin's six editions or of a seeded tradition of forty witnesses."""
    if which == "darwin":
        collation = collate(read_witnesses([DARWIN]))
    else:
        collation = collate(_tradition(40, 1500))
    return render_html(collation, collation.variants)


def _shown(page: Any, selector: str) -> int:
    return page.evaluate(  # type: ignore[no-any-return]
        f"Array.from(document.querySelectorAll({selector!r}))"
        ".filter(e => e.checkVisibility()).length"
    )


@pytest.mark.parametrize("which", ["darwin", "forty"])
def test_each_view_renders_and_the_filter_hides_a_witness_everywhere(
    which: str, open_page: Any
) -> None:
    loaded = open_page(_many_page(which))
    page = loaded.page
    assert page.evaluate("document.querySelector('main').dataset.view") == "app"
    assert _shown(page, "#apptext mark.v") > 0 and _shown(page, "#entries li.e") > 0
    page.click("#tab-table")
    assert _shown(page, "table.syn tbody tr") == (6 if which == "darwin" else 40)
    page.click("#tab-heat")
    assert _shown(page, "#apptext mark.v") > 0 and _shown(page, "#entries li.e") == 0
    page.click("#tab-sbs")
    assert _shown(page, "#sbscols .pane") == 3
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
    page.click("#tab-app")  # entries are rewritten as they come into view
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#entries li.e')).slice(0, 5)"
        ".every(e => e.dataset.g === '1')"
    )
    entries = page.evaluate(
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
    loaded = open_page(_many_page(which))
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


_BAND = """() => {  // the first and last x of the grey band in the histogram's top row
  const c = document.getElementById("histogram");
  const d = c.getContext("2d").getImageData(0, 0, c.width, 1).data;
  const grey = [];
  for (let x = 0; x < c.width; x++) {
    if (d[4 * x] === 220 && d[4 * x + 1] === 220 && d[4 * x + 2] === 220) grey.push(x);
  }
  return grey.length ? [grey[0] / c.width, grey[grey.length - 1] / c.width] : null;
}"""


def test_the_histogram_band_shows_where_the_base_text_is_scrolled(open_page: Any) -> None:
    loaded = open_page(_many_page("forty"))
    page = loaded.page
    page.wait_for_function(f"() => ({_BAND})() !== null")
    top = page.evaluate(_BAND)
    assert top[0] < 0.05  # the top of the text
    page.evaluate("document.getElementById('apptext').scrollTop = 1e9")
    page.wait_for_function(f"() => ({_BAND})()[0] > 0.5")
    bottom = page.evaluate(_BAND)
    assert bottom[1] > 0.95  # the end of the text
    assert loaded.errors == []


def test_the_side_by_side_panes_of_many_witnesses_follow_each_other(open_page: Any) -> None:
    loaded = open_page(_many_page("darwin"))
    page = loaded.page
    page.click("#tab-sbs")
    page.wait_for_function("() => document.querySelectorAll('#sbscols .pane mark.v').length > 0")
    # scroll the first pane to a mark far down: the others bring the same variant level with it
    number = page.evaluate(
        """() => { const pane = document.querySelector('#sbscols .pane');
        const marks = pane.querySelectorAll('mark.v'); const mark = marks[marks.length >> 1];
        pane.scrollTop = mark.offsetTop; return mark.dataset.n; }"""
    )
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#sbscols .pane')).slice(1)"
        ".every(p => p.scrollTop > 0)"
    )
    tops = page.evaluate(
        f"""() => Array.from(document.querySelectorAll('#sbscols .pane'), p => {{
        const m = document.getElementById(`s${{p.dataset.w}}-v{number}`);
        return m ? m.offsetTop - p.scrollTop : null; }})"""
    )
    assert tops[0] is not None and all(t == tops[0] for t in tops if t is not None)
    assert sum(t is not None for t in tops) >= 2
    assert loaded.errors == []


def test_the_base_chosen_in_the_page_leads_the_entries(open_page: Any) -> None:
    page = open_page(_many_page("darwin")).page
    page.select_option("#base", "5")
    page.wait_for_function("() => document.getElementById('e2').dataset.g === '1'")
    entry = page.inner_text("#e2")
    assert entry.startswith("2 compare]") and "1859" in entry
    page.click("#e2")
    assert _facts(page)["Base"] == "1872"
    assert page.locator("#detail-body tbody th").nth(5).inner_text() == "1872 (base)"


def test_a_many_witness_page_prints_the_apparatus_from_any_view(open_page: Any) -> None:
    page = open_page(_many_page("darwin")).page
    page.click("#tab-table")
    page.emulate_media(media="print")
    assert not page.is_visible("nav") and not page.is_visible("#minimap")
    assert not page.is_visible("#table") and page.is_visible("#apptext")
    assert page.evaluate("document.querySelector('#entries li.e').checkVisibility()")


def test_at_800_px_the_panels_stack_and_nothing_covers_the_text(open_page: Any) -> None:
    page = open_page(_many_page("darwin")).page
    page.set_viewport_size({"width": 800, "height": 900})
    box = "(s) => { const r = document.querySelector(s).getBoundingClientRect(); return r; }"
    detail = page.evaluate(box, "#detail")
    for pane in ("#apptext", "#entries"):
        assert page.evaluate(box, pane)["bottom"] <= detail["top"] + 1
    page.click("#tab-sbs")
    lefts = page.evaluate(
        "Array.from(document.querySelectorAll('#sbscols .pane'), p => p.getBoundingClientRect())"
    )
    assert len(lefts) == 3 and len({round(r["x"]) for r in lefts}) == 1
    assert all(r["bottom"] <= detail["top"] + 1 for r in lefts)


def test_hiding_witnesses_keeps_the_base_text_whole(open_page: Any) -> None:
    page = open_page(_many_page("darwin")).page
    words = page.evaluate(
        """(() => { const pane = document.getElementById('apptext').cloneNode(true);
        for (const e of pane.querySelectorAll('sup, .gap')) e.remove();
        return pane.textContent.split(/\\s+/).filter(Boolean); })()"""
    )
    page.click("details.wits summary")
    page.click("#w-none")  # the base alone: no variant left, every word of it still there
    assert page.inner_text("#wshown") == "1"
    assert _shown(page, "#entries li.e") == 0 and _shown(page, "#apptext mark.v > sup") == 0
    assert "".join(page.inner_text("#apptext").split()) == "".join(words)


def test_an_entry_far_down_the_list_is_brought_into_view(open_page: Any) -> None:
    """The entries of a page of many witnesses come in lists laid out on their own; selecting
    a variant near the end of the text brings its entry into the entries pane."""
    loaded = open_page(_many_page("forty"))
    page = loaded.page
    last = page.evaluate(
        "Array.from(document.querySelectorAll('#apptext mark.v:not(.o)')).at(-1).dataset.n"
    )
    assert page.evaluate("document.querySelectorAll('#entries > ol').length") > 2
    page.evaluate(f"document.getElementById('a-v{last}').click()")
    assert _in_view(page, f"e{last}") and _in_view(page, f"a-v{last}")
    assert loaded.errors == []
