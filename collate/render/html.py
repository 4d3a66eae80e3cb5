"""HTML rendering (``--format html``): one self-contained page to read a collation.

Reads a :class:`~collate.pipeline.Collation`, the selection of its variants to show
and, optionally, a :class:`~collate.fidelity.Fidelity` report; returns the text of
one HTML5 file with its CSS and script inline and a Content-Security-Policy that
forbids every fetch, so it works offline and never touches the network.

The page is rendered here, not by the script: every witness character goes
through :func:`html.escape`, so witness text can never become markup. The text
of each witness is emitted as runs of text with elements only for variants,
page breaks, furniture runs and sparse scroll anchors, which keeps a
100,000-token witness light. What the script needs about the variants (readings,
context, locations) goes in a ``<script type="application/json">`` block with
``<``, ``>``, ``&``, U+2028 and U+2029 escaped; the script reads it and builds the
detail panel with ``textContent`` only. Behaviour is in ``html_assets/``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from html import escape
from importlib.resources import files

from collate._safe import encodable, json_encodable
from collate.fidelity import Fidelity, Measures
from collate.model import Category, Segment, Token, Variant
from collate.pipeline import Collation
from collate.variants import places

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
ANCHOR_EVERY = 40  # ranks between scroll-sync anchors in agreeing text
LEMMA_WORDS = 6  # longer lemmas are shortened to their first and last words

# Letter (the colour-independent mark), background, and rule under the reading.
STYLES: dict[Category, tuple[str, str, str]] = {
    Category.SUBSTANTIVE: ("S", "#f9d0c4", "3px solid #b03a1a"),
    Category.ORTHOGRAPHIC: ("O", "#e6d3f1", "2px dashed #7b3fa0"),
    Category.CASE: ("C", "#fbeba6", "2px dotted #8a6d00"),
    Category.PUNCTUATION: ("P", "#c9ecf3", "2px solid #0b6f80"),
    Category.SPACING: ("W", "#d5e2fa", "2px dashed #2c58a6"),
    Category.MARKUP: ("M", "#d3efd3", "2px dotted #2c7a30"),
    Category.FURNITURE: ("F", "#e8e8e8", "1px dashed #777777"),
}


def _asset(name: str) -> str:
    return files("collate.render").joinpath("html_assets", name).read_text(encoding="utf-8")


def _script_json(data: object) -> str:
    """JSON that cannot end its ``<script>`` element or break a JavaScript string."""
    text = json_encodable(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _page_break(page: int) -> str:
    return f'<span class="pb" role="separator">p. {page}</span>'


class _Text:
    """The HTML of one witness's text: runs of escaped text, elements only where needed."""

    def __init__(self, segments: Sequence[Segment], prefix: str, first_page: int) -> None:
        self.segments = segments
        self.prefix = prefix
        self.first_page = first_page
        self.parts = [_page_break(first_page)]
        self.previous: Token | None = None
        self.furniture = False

    def _furniture(self, on: bool) -> None:
        if on != self.furniture:
            self.parts.append('<span class="fu">' if on else "</span>")
            self.furniture = on

    def _separate(self, token: Token) -> None:
        """Page break, paragraph break, line break between segments, or a space."""
        before = self.previous
        if before is None and token.page == self.first_page:
            return
        if before is None or token.page != before.page:
            self._furniture(False)
            self.parts.append(_page_break(token.page))
        elif self.segments[token.segment].paragraph != self.segments[before.segment].paragraph:
            self.parts.append("\n\n")
        elif token.segment != before.segment:
            self.parts.append("\n")
        elif token.space_before:
            self.parts.append(" ")

    def token(self, token: Token, separate: bool = True) -> None:
        if separate:
            self._separate(token)
        self._furniture(token.furniture)
        self.parts.append(escape(token.text))
        self.previous = token

    def anchor(self, rank: int) -> None:
        self._furniture(False)
        self.parts.append(f'<span class="a" data-r="{rank}"></span>')

    def variant(self, variant: Variant, tokens: Sequence[Token], first: int) -> None:
        if tokens:
            self._separate(tokens[0])
        elif self.previous is not None:
            self.parts.append(" ")
        self._furniture(False)
        n, category = variant.number, variant.category.value
        second = first != variant.first_rank  # a transposition's other place
        ident = f"{self.prefix}{n}" + ("m" if second else "")
        self.parts.append(
            f'<mark class="v c-{category}" id="{ident}" data-n="{n}" '
            f'data-r="{first}"><sup class="b">{n}'
            f'<span class="l">{STYLES[variant.category][0]}</span></sup>'
        )
        for i, token in enumerate(tokens):
            self.token(token, separate=i > 0)
        if not tokens:
            self.parts.append('<span class="gap">∅</span>')
        self._furniture(False)
        self.parts.append("</mark>")

    def html(self) -> str:
        self._furniture(False)
        return "".join(self.parts)


def _text(
    collation: Collation, w: int, shown: dict[int, tuple[Variant, int, int]], prefix: str
) -> str:
    """Witness ``w`` as HTML; variants in ``shown`` (by first rank) marked, anchors between."""
    tokens = collation.tokens[w]
    text = _Text(collation.segments[w], prefix, tokens[0].page if tokens else 1)
    ranks = collation.alignment.ranks
    r = 0
    while r < len(ranks):
        if r in shown:
            variant, first, last = shown[r]
            cells = ranks[first : last + 1]
            text.variant(variant, [t for rank in cells for t in rank.cells[w]], first)
            r = last + 1
            continue
        if r % ANCHOR_EVERY == 0:
            text.anchor(r)
        for token in ranks[r].cells[w]:
            text.token(token)
        r += 1
    return text.html()


def _lemma(reading: str) -> str:
    words = reading.split()
    if len(words) <= LEMMA_WORDS:
        return reading
    return " ".join(words[:2]) + " … " + " ".join(words[-2:])


def entry_parts(variant: Variant, base: str) -> tuple[str, list[tuple[str, str, list[str]]]]:
    """The lemma and each other reading as ``(om./add./"", reading, sigla)``.

    The lemma is the base reading, or the added reading when the base has none;
    witnesses that read as the base are left out, witnesses that agree are grouped.
    """
    b = variant.sigla.index(base)
    lemma_reading = variant.readings[b]
    groups: dict[str, list[str]] = {}
    for i, (siglum, reading) in enumerate(zip(variant.sigla, variant.readings, strict=True)):
        if i != b and reading != lemma_reading:
            groups.setdefault(reading, []).append(siglum)
    if lemma_reading:
        items = [("om." if not r else "", r, sigla) for r, sigla in groups.items()]
        return _lemma(lemma_reading), items
    added = next(iter(groups), "")
    items = [("add.", "" if r == added else r, sigla) for r, sigla in groups.items()]
    return _lemma(added), items


def _entry(variant: Variant, base: str) -> str:
    lemma, items = entry_parts(variant, base)
    readings = "; ".join(
        (f"<i>{label}</i> " if label else "")
        + (f'<span class="rdg">{escape(reading)}</span> ' if reading else "")
        + f'<span class="sig">{escape(" ".join(sigla))}</span>'
        for label, reading, sigla in items
    )
    n, c = variant.number, variant.category
    where = variant.locations[variant.sigla.index(base)]
    return (
        f'<li class="e c-{c.value}" id="e{n}" data-n="{n}">'
        f'<button type="button" class="num" data-n="{n}">{n}</button> '
        f'<span class="lem">{escape(lemma)}</span>] {readings} '
        f'<span class="meta"><span class="l">{STYLES[c][0]}</span> {c.value}, '
        f"{variant.kind.value if variant.kind else 'no base'}, "
        f"p. {where.page}:{where.line}</span></li>"
    )


def _witnesses(collation: Collation) -> str:
    rows = "".join(
        f'<tr><th scope="row">{escape(w.siglum)}{" (base)" if w.siglum == collation.base else ""}'
        f"</th><td>{escape(w.label)}</td><td>{escape(w.path or '—')}</td>"
        f"<td>{escape(w.source_format)}, {escape(w.markup_format.value)}</td>"
        f"<td>{len(tokens)}</td></tr>"
        for w, tokens in zip(collation.witnesses, collation.tokens, strict=True)
    )
    return (
        '<table class="wit"><caption>Witnesses</caption><thead><tr><th scope="col">Siglum</th>'
        '<th scope="col">Label</th><th scope="col">Source</th><th scope="col">Format</th>'
        f'<th scope="col">Tokens</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _counts(collation: Collation, counts: Counter[Category], total: int) -> str:
    """Variants by category, shown (updated by the filters) and selected."""
    head = "".join(
        f'<th scope="col" class="c-{c.value}"><span class="l">{STYLES[c][0]}</span> {c.value}</th>'
        for c in Category
    )
    shown = "".join(
        f'<td><output data-shown="{c.value}">{counts[c]}</output></td>' for c in Category
    )
    selected = "".join(f"<td>{counts[c]}</td>" for c in Category)
    return (
        f'<table class="counts"><caption><output id="shown">{total}</output> of {total} '
        f"selected variants shown ({len(collation.variants)} in the collation)</caption>"
        f'<thead><tr><td></td>{head}<th scope="col">total</th></tr></thead><tbody>'
        f'<tr><th scope="row">shown</th>{shown}<td><output data-total>{total}</output></td></tr>'
        f'<tr><th scope="row">selected</th>{selected}<td>{total}</td></tr></tbody></table>'
    )


def _measures(name: str, m: Measures) -> str:
    return (
        f'<tr><th scope="row">{name}</th><td>{m.chars.rate:.2%}</td><td>{m.words.rate:.2%}</td>'
        f"<td>{m.chars.distance} / {m.chars.reference}</td>"
        f"<td>{m.words.distance} / {m.words.reference}</td></tr>"
    )


def _fidelity(fidelity: Fidelity | None) -> str:
    if fidelity is None:
        return ""
    return (
        '<table class="fid"><caption>Fidelity of '
        f"{escape(fidelity.hypothesis)} against {escape(fidelity.reference)}</caption>"
        '<thead><tr><th scope="col">Scope</th><th scope="col">CER</th><th scope="col">WER</th>'
        '<th scope="col">Char. edits</th><th scope="col">Word edits</th></tr></thead><tbody>'
        + _measures(escape(fidelity.scope), fidelity.measures)
        + _measures("text only", fidelity.text_only)
        + "</tbody></table>"
    )


def _filters(counts: Counter[Category]) -> str:
    boxes = "".join(
        f'<span class="f c-{c.value}"><input type="checkbox" id="f-{c.value}" '
        f'data-category="{c.value}" checked><label for="f-{c.value}"><span class="l">'
        f"{STYLES[c][0]}</span> {c.value} ({counts[c]})</label></span>"
        for c in Category
    )
    return (
        '<nav aria-label="Views, filters and navigation"><div class="tabs" role="group" '
        'aria-label="View"><button type="button" id="tab-sbs" aria-controls="sbs" '
        'aria-pressed="true">Side by side</button><button type="button" id="tab-app" '
        'aria-controls="app" aria-pressed="false">Apparatus</button></div>'
        f'<fieldset class="filters"><legend>Show categories</legend>{boxes}</fieldset>'
        '<div class="quick"><button type="button" id="quiet">Hide punctuation, case and markup'
        '</button><button type="button" id="all">Show all</button>'
        '<button type="button" id="prev" aria-keyshortcuts="p">Previous (p)</button>'
        '<button type="button" id="next" aria-keyshortcuts="n">Next (n)</button></div></nav>'
    )


def _side_by_side(collation: Collation, shown: dict[int, tuple[Variant, int, int]]) -> str:
    columns = "".join(
        f'<section class="col" aria-labelledby="h-c{w}"><h3 id="h-c{w}">{escape(wit.siglum)} '
        f"<small>{escape(wit.label)}</small></h3>"
        f'<div class="pane text" id="c{w}" tabindex="0" role="region" '
        f'aria-labelledby="h-c{w}">{_text(collation, w, shown, f"c{w}-v")}</div></section>'
        for w, wit in enumerate(collation.witnesses)
    )
    return (
        '<section id="sbs" class="view" aria-labelledby="h-sbs">'
        '<h2 id="h-sbs">Side by side</h2>'
        f'<div class="cols" style="--n:{len(collation.witnesses)}">{columns}</div></section>'
    )


def _apparatus(
    collation: Collation, variants: Sequence[Variant], shown: dict[int, tuple[Variant, int, int]]
) -> str:
    base = collation.alignment.sigla.index(collation.base)
    entries = "".join(_entry(v, collation.base) for v in variants)
    return (
        '<section id="app" class="view" aria-labelledby="h-app">'
        f'<h2 id="h-app">Apparatus <small>base text: {escape(collation.base)}</small></h2>'
        f'<div class="pane text" id="apptext" tabindex="0" role="region" aria-label="Base text">'
        f"{_text(collation, base, shown, 'a-v')}</div>"
        '<h3 class="vh" id="h-entries">Apparatus entries</h3>'
        f'<ol class="pane entries" id="entries" aria-labelledby="h-entries" tabindex="0">'
        f"{entries or '<li>No variants in the selection.</li>'}</ol></section>"
    )


def _data(collation: Collation, variants: Sequence[Variant]) -> str:
    return _script_json(
        {
            "sigla": list(collation.alignment.sigla),
            "base": collation.base,
            "letters": {c.value: letter for c, (letter, _, _) in STYLES.items()},
            "variants": [
                {
                    "n": v.number,
                    "kind": v.kind.value if v.kind else "-",
                    "category": v.category.value,
                    "readings": list(v.readings),
                    "where": [[loc.page, loc.line] for loc in v.locations],
                    "before": v.context_before,
                    "after": v.context_after,
                }
                for v in variants
            ],
        }
    )


def _category_css() -> str:
    rules = []
    for c, (_, background, rule) in STYLES.items():
        name, (_, style, colour) = c.value, rule.split()
        rules.append(
            f"mark.c-{name}{{background:{background};border-bottom:{rule}}}"
            f".c-{name} .l{{background:{background};border:1px {style} {colour}}}"
            f"body.hide-{name} mark.c-{name}{{background:none;border:0;cursor:text}}"
            f"body.hide-{name} mark.c-{name}>sup,body.hide-{name} mark.c-{name}>.gap,"
            f"body.hide-{name} li.c-{name}{{display:none}}"
        )
    return "\n".join(rules)


def render_html(
    collation: Collation,
    variants: Sequence[Variant],
    fidelity: Fidelity | None = None,
    title: str = "",
) -> str:
    """The page; ``variants`` is the selection to mark, the rest shows as plain text."""
    title = title or "Collation of " + " / ".join(collation.alignment.sigla)
    counts = Counter(v.category for v in variants)
    shown = places(variants)
    rules = ", ".join(collation.rules) or "none"
    return encodable(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title>"
        f"<style>{_asset('collate.css')}\n{_category_css()}</style></head>\n<body>"
        f'<header><div class="about"><h1>{escape(title)}</h1>{_witnesses(collation)}'
        f"<p>Base text: <b>{escape(collation.base)}</b>; normalisation: "
        f"{escape(collation.normalization)} ({escape(rules)}).</p></div>"
        f'<div class="figures">{_counts(collation, counts, len(variants))}'
        f"{_fidelity(fidelity)}</div></header>\n"
        f'{_filters(counts)}\n<main data-view="sbs">{_side_by_side(collation, shown)}\n'
        f"{_apparatus(collation, variants, shown)}\n"
        '<aside id="detail" aria-labelledby="h-detail"><h2 id="h-detail">Variant</h2>'
        '<div id="detail-body" aria-live="polite"><p>Click a variant, or press <kbd>n</kbd> '
        "for the next one and <kbd>p</kbd> for the previous one.</p></div></aside></main>\n"
        '<noscript><p class="noscript">Filters, navigation and the detail panel need '
        "JavaScript; the texts and the apparatus above are complete without it.</p></noscript>"
        f'<script type="application/json" id="data">{_data(collation, variants)}</script>\n'
        f"<script>{_asset('collate.js')}</script></body></html>\n"
    )
