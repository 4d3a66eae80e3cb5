"""Screenshots of the many-witness page for docs/apparatus.md, in Debian's Chromium.

Darwin's six editions (tests/data/collatex) and a seeded tradition of 45 witnesses
(benchmarks/many_witnesses.py), each view at 1400 and 800 px wide, after walking to the
fifth variant (``n`` five times):

    python scripts/apparatus_shots.py docs/apparatus
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from collate.pipeline import collate
from collate.readers import read_witnesses
from collate.render.html import render_html

ROOT = Path(__file__).resolve().parent.parent
DARWIN = ROOT / "tests/data/collatex/darwin_origin_ch1_paragraphs_6editions.json"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
READY = "() => document.documentElement.dataset.ready === 'true'"


def _pages() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("many", ROOT / "benchmarks/many_witnesses.py")
    assert spec and spec.loader
    many = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(many)
    darwin = collate(read_witnesses([DARWIN]))
    forty = collate(many.tradition(45, 3000))
    return {
        "darwin": render_html(darwin, darwin.variants),
        "many45": render_html(forty, forty.variants),
    }


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, html in _pages().items():
            path = Path(tmp) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            for width in (1400, 800):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(path.as_uri())
                page.wait_for_function(READY)
                for _ in range(5):
                    page.keyboard.press("n")
                for view in ("app", "table", "heat", "sbs"):
                    page.click(f"#tab-{view}")
                    page.wait_for_timeout(300)
                    page.screenshot(path=out / f"{name}-{view}-{width}.png")
                page.close()
        browser.close()


if __name__ == "__main__":
    main()
