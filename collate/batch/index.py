"""Batch index: the database -> ``index.csv``, ``index.json`` and ``index.html`` in OUTDIR.

Generated from the database alone (``collate batch --report OUTDIR`` does only this), one row
per document in name order. ``index.html`` is self-contained (inline CSS and script, a
Content-Security-Policy that forbids every fetch): a table sortable by any column and
filterable, linking each document's reports; every value is escaped.
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from collate import __version__
from collate._safe import spreadsheet_cell
from collate.batch.outdir import INDEX_FILES
from collate.batch.store import CATEGORIES, DocumentRow, rows
from collate.batch.summary import Summary, summarize
from collate.files import write_atomic
from collate.render.html import CSP
from collate.render.table import write_rows

SCHEMA_VERSION = 1
RATES = ("cer", "wer", "cer_text", "wer_text")
COLUMNS = (
    "document", "status", "message", "witnesses", "base", "hypothesis", "variants",
    *CATEGORIES, *RATES, "seconds", "json", "html", "tei",
)  # fmt: skip
NUMERIC = frozenset({"variants", *CATEGORIES, *RATES, "seconds"})

Value = str | int | float | None


def values(row: DocumentRow) -> tuple[Value, ...]:
    """The row's values in :data:`COLUMNS` order."""
    categories: Sequence[int | None] = row.categories or [None] * len(CATEGORIES)
    rates = row.rates
    return (
        row.name,
        row.status.value,
        row.message,
        " ".join(row.sigla),
        row.base,
        row.hypothesis,
        row.variants,
        *categories,
        *((rates.cer, rates.wer, rates.cer_text, rates.wer_text) if rates else [None] * 4),
        row.seconds,
        *row.outputs,
    )


def render_csv(rows: Sequence[DocumentRow]) -> str:
    """``index.csv``: a header and one line per document; empty cells for missing values, and
    text that a spreadsheet would take for a formula starting with ``'``."""
    buffer = io.StringIO()
    write_rows(buffer, [COLUMNS, *([_csv_cell(v) for v in values(row)] for row in rows)])
    return buffer.getvalue()


def _csv_cell(value: Value) -> str | int | float:
    if value is None:
        return ""
    return spreadsheet_cell(value) if isinstance(value, str) else value


def render_json(rows: Sequence[DocumentRow], summary: Summary) -> str:
    """``index.json``: the summary and one object per document (keys: :data:`COLUMNS`)."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"collate {__version__}",
        "summary": summary.to_dict(),
        "documents": [dict(zip(COLUMNS, values(row), strict=True)) for row in rows],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cell(column: str, value: Value) -> str:
    if value is None:
        return '<td data-v=""></td>'
    if column in ("json", "html", "tei"):
        href = escape(quote(str(value)))
        return f'<td data-v="{escape(str(value))}"><a href="{href}">{column}</a></td>'
    if isinstance(value, float):
        shown = f"{value:.2%}" if column in RATES else f"{value:.3f}"
        return f'<td data-v="{value!r}">{shown}</td>'
    return f'<td data-v="{escape(str(value))}">{escape(str(value))}</td>'


def _row(row: DocumentRow) -> str:
    cells = [_cell(c, v) for c, v in zip(COLUMNS, values(row), strict=True)]
    link = row.outputs[1]
    if link is not None:
        name = escape(row.name)
        cells[0] = f'<td data-v="{name}"><a href="{escape(quote(link))}">{name}</a></td>'
    return f'<tr class="{row.status.value}">{"".join(cells)}</tr>'


def _summary(summary: Summary) -> str:
    variants = ", ".join(f"{escape(c)} {n}" for c, n in summary.variants)
    return (
        f"<p>{summary.documents} documents: {summary.ok} ok, {summary.failed} failed, "
        f"{summary.flagged} flagged. Micro CER {summary.cer:.2%}, WER {summary.wer:.2%} "
        f"(text only: CER {summary.cer_text:.2%}, WER {summary.wer_text:.2%}).</p>"
        f"<p>Variants: {variants}.</p>"
    )


_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1em}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
td.n{text-align:right}th button{font:inherit;font-weight:bold;border:0;background:none;
cursor:pointer;padding:0}th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}tr.failed{background:#fbe3e0}
tr.flagged{background:#fdf3cf}thead th{position:sticky;top:0;background:#f4f4f4}
"""
_SCRIPT = """
(function(){
var table=document.getElementById("index"),body=table.tBodies[0];
var heads=table.tHead.rows[0].cells,filter=document.getElementById("filter");
function key(row,i,num){var v=row.cells[i].getAttribute("data-v");
 if(!num)return v;return v===""?-Infinity:parseFloat(v);}
Array.prototype.forEach.call(heads,function(th,i){
 th.querySelector("button").addEventListener("click",function(){
  var num=th.getAttribute("data-numeric")==="1";
  var up=th.getAttribute("aria-sort")!=="ascending";
  Array.prototype.forEach.call(heads,function(h){h.removeAttribute("aria-sort");});
  th.setAttribute("aria-sort",up?"ascending":"descending");
  var rows=Array.prototype.slice.call(body.rows);
  rows.sort(function(a,b){var x=key(a,i,num),y=key(b,i,num);
   var c=x<y?-1:x>y?1:0;return up?c:-c;});
  rows.forEach(function(r){body.appendChild(r);});});});
filter.addEventListener("input",function(){var q=filter.value.toLowerCase();
 Array.prototype.forEach.call(body.rows,function(r){
  r.hidden=q!==""&&r.textContent.toLowerCase().indexOf(q)<0;});});
})();
"""


def render_html(rows: Sequence[DocumentRow], summary: Summary) -> str:
    """``index.html``: the summary and the sortable, filterable table."""
    heads = "".join(
        f'<th data-numeric="{int(c in NUMERIC)}"><button type="button">{escape(c)}</button></th>'
        for c in COLUMNS
    )
    body = "\n".join(_row(row) for row in rows)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">'
        f"<title>collate batch index</title><style>{_STYLE}</style></head>\n<body>"
        f"<h1>collate batch index</h1>{_summary(summary)}"
        '<p><label>Filter: <input id="filter" type="search"></label> '
        "Click a column heading to sort.</p>\n"
        f'<table id="index"><thead><tr>{heads}</tr></thead><tbody>\n{body}\n</tbody></table>'
        f"\n<script>{_SCRIPT}</script></body></html>\n"
    )


def write_index(outdir: Path, conn: sqlite3.Connection) -> Summary:
    """Write the three index files from the database; the summary of every document."""
    found = list(rows(conn))
    summary = summarize(found)
    texts = (render_csv(found), render_json(found, summary), render_html(found, summary))
    for name, text in zip(INDEX_FILES, texts, strict=True):
        write_atomic(outdir / name, text)
    return summary
