"""How fast a page of many witnesses opens, answers and scrolls in Chromium.

Opens an HTML page written by ``collate`` (for instance by ``many_witnesses.py``) in
Debian's Chromium with Playwright (headless, 1400x900, a fresh profile) and prints one JSON
object of figures in milliseconds:

- ``ready``: from the start of navigation to the first frame painted after the page's
  scripts have run (``data-ready`` on the root element), the first view usable;
- ``response_end`` and ``dom_content_loaded``: navigation timing;
- ``longest_task``: the longest task the browser reports while loading;
- ``hide``, ``show`` and ``base``: from a click on a witness's box (hiding it, then
  showing it again) or a change of the base to the next frame painted;
- ``scroll_<pane>``: the median, 90th percentile and longest of the frame-to-frame times
  while the pane scrolls 200 px a frame for 120 frames.

    python benchmarks/page_timing.py /tmp/many.html [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
from tests.conftest import launch_chromium  # noqa: E402  (the tests' Chromium, started alike)

# Recorded from the first script on: the frame after the page says it is ready, long tasks.
RECORDER = """
window.__timing = { longest: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    window.__timing.longest = Math.max(window.__timing.longest, e.duration);
  }
}).observe({ type: "longtask", buffered: true });
new MutationObserver((_, observer) => {
  if (document.documentElement.dataset.ready !== "true") return;
  observer.disconnect();
  requestAnimationFrame(() => setTimeout(() => { window.__timing.ready = performance.now(); }, 0));
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
"""

# Milliseconds from an action to the next frame painted (the page's policy forbids eval).
AFTER = """async (action) => {
  const started = performance.now();
  if (action === "hide") document.querySelector(".wits input[data-w='1']").click();
  else if (action === "base") {
    const select = document.getElementById("base");
    select.value = String((Number(select.value) + 1) % select.options.length);
    select.dispatchEvent(new Event("change"));
  } else document.getElementById(action).click();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - started;
}"""

SCROLL = """async (selector) => {
  const pane = document.querySelector(selector);
  const times = [];
  let last = performance.now();
  for (let k = 0; k < 120; k += 1) {
    pane.scrollTop += 200;
    await new Promise((done) => requestAnimationFrame(done));
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  return times;
}"""


def _frames(times: list[float]) -> dict[str, float]:
    ordered = sorted(times[1:])  # the first includes the wait for a frame to start
    return {
        "median": round(statistics.median(ordered), 1),
        "p90": round(ordered[int(len(ordered) * 0.9)], 1),
        "max": round(ordered[-1], 1),
    }


def measure(page: Page, url: str) -> dict[str, Any]:
    """The figures of one load of ``url`` in a new tab."""
    page.add_init_script(RECORDER)
    page.goto(url, timeout=120_000)
    for _ in range(2400):  # two minutes
        if page.evaluate("() => Boolean(window.__timing && window.__timing.ready)"):
            break
        page.wait_for_timeout(50)
    else:
        raise SystemExit(f"{url}: not ready after two minutes")
    timing = page.evaluate("window.__timing")
    nav = page.evaluate("performance.getEntriesByType('navigation')[0].toJSON()")
    figures: dict[str, Any] = {
        "ready": round(timing["ready"]),
        "response_end": round(nav["responseEnd"]),
        "dom_content_loaded": round(nav["domContentLoadedEventEnd"]),
        "longest_task": round(timing["longest"]),
        "elements": page.evaluate("document.getElementsByTagName('*').length"),
    }
    page.wait_for_timeout(1000)
    for pane in ("#apptext", "#entries"):
        figures[f"scroll_{pane[1:]}"] = _frames(page.evaluate(SCROLL, pane))
    figures["hide"] = round(page.evaluate(AFTER, "hide"))
    figures["show"] = round(page.evaluate(AFTER, "hide"))
    figures["base"] = round(page.evaluate(AFTER, "base"))
    page.wait_for_timeout(500)
    figures["scroll_entries_after_base"] = _frames(page.evaluate(SCROLL, "#entries"))
    page.click("#tab-table")
    page.wait_for_timeout(300)
    figures["scroll_tablewrap"] = _frames(
        page.evaluate(SCROLL.replace("scrollTop", "scrollLeft"), "#tablewrap")
    )
    figures["heat"] = round(page.evaluate(AFTER, "tab-heat"))
    figures["sbs"] = round(page.evaluate(AFTER, "tab-sbs"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    url = options.page.resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = launch_chromium(playwright, profile, viewport={"width": 1400, "height": 900})
        for _ in range(options.runs):
            page = context.new_page()
            print(json.dumps(measure(page, url)), flush=True)
            page.close()
        context.close()


if __name__ == "__main__":
    main()
