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
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from html import escape
from importlib.resources import files
from itertools import accumulate, chain

from collate._safe import encodable, json_encodable, revealed
from collate.fidelity import Fidelity, Measures
from collate.model import NONE, Category, Location, Segment, TokenColumns, Variant, Witness
from collate.pipeline import Collation
from collate.variants import starts

MANY = 3  # witnesses from which the page opens on the apparatus, with the many-witness views
TITLE_SIGLA = 8  # more sigla than this are not all named in the page's title
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
ANCHOR_EVERY = 40  # ranks between scroll-sync anchors in agreeing text
LEMMA_WORDS = 6  # longer lemmas are shortened to their first and last words
ENTRY_LIST = 100  # apparatus entries per list on a page of many witnesses
FIRST_CODE = 48  # the character ("0") that stands for a packed field's first value
_READ_DATA = 'JSON.parse(document.getElementById("data").textContent)'  # in every script

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


def _html(text: str) -> str:
    """``text`` escaped for HTML, its bidi controls and invisible characters shown as escapes
    (``\\u202e``): a reading that differs never looks the same, and none reorders the page."""
    return escape(revealed(text))


def _siglum(siglum: str) -> str:
    """A siglum for HTML; one with characters beyond ASCII (right-to-left letters, say) in a
    ``<bdi>``, so that it cannot reorder the page's text around it."""
    return _html(siglum) if siglum.isascii() else f"<bdi>{_html(siglum)}</bdi>"


def _asset(name: str) -> str:
    return files("collate.render").joinpath("html_assets", name).read_text(encoding="utf-8")


def _script_json(data: object) -> str:
    """JSON that cannot end its ``<script>`` element or break a JavaScript string."""
    text = json_encodable(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _page_break(page: int | str) -> str:
    return f'<span class="pb" role="separator">p. {_html(str(page))}</span>'


_OPEN, _CLOSE = '<span class="fu">', "</span>"
# what to write between a token and the next (in the same page), by (furniture open, next
# token is furniture): nothing, or the furniture span's end or start
_TOGGLE = {(False, False): "", (False, True): _OPEN, (True, False): _CLOSE, (True, True): ""}


def _changes(column: Sequence[int]) -> Iterator[int]:
    """The positions where ``column`` differs from the position before."""
    return (k for k in range(1, len(column)) if column[k] != column[k - 1])


def _separators(
    columns: TokenColumns, paragraphs: Sequence[int], page_label: Callable[[int], str] = str
) -> list[str]:
    """What goes between each token and the one before it: a page break (the page shown by
    ``page_label``), a paragraph break, a line break between segments, a space, or nothing."""
    separators = [" " if space else "" for space in columns.space_before]
    page, segment = columns.page, columns.segment
    if separators:
        separators[0] = ""
    for k in _changes(segment):
        separators[k] = "\n\n" if paragraphs[segment[k]] != paragraphs[segment[k - 1]] else "\n"
    for k in _changes(page):
        separators[k] = _page_break(page_label(page[k]))
    return separators


class _Text:
    """The HTML of one witness's text: runs of escaped text, elements only where needed.

    Written from the witness's token columns: every token is written once, in order, so what
    goes before a token (a page break, a paragraph or line break, a space, the start or end
    of a furniture run) depends only on that token and the one before it, unless an anchor or
    a variant's mark came between them (after which no furniture run is open). What goes
    before each token is worked out once for the usual case (:meth:`_lead`, where it is not
    just the separator), and a run of text is written by interleaving those leads with the
    escaped token texts (each spelling escaped once): no object or new string per token.
    """

    def __init__(
        self,
        columns: TokenColumns,
        row: array[int],
        segments: Sequence[Segment],
        page_label: Callable[[int], str] = str,
    ):
        self.columns = columns
        self.page_label = page_label
        # tokens of this witness before each rank
        self.before = array("q", accumulate((k != NONE for k in row), initial=0))
        escaped = {t: _html(t) for t in set(columns.text)}
        self.escaped = [escaped[t] for t in columns.text]
        # What goes before each token after the one before it (kept apart from the text, so
        # that no new string is made per token): its separator, except where a page or a
        # furniture run starts or ends; the separators replaced there are kept aside.
        self.leads = _separators(columns, [s.paragraph for s in segments], page_label)
        furniture = columns.furniture
        starts = {*_changes(columns.page), *_changes(furniture)} | ({0} if len(columns) else set())
        self.replaced = {k: self.leads[k] for k in starts}
        for k in starts:
            self.leads[k] = self._lead(k, bool(furniture[k - 1]) if k else False)
        self.parts: list[str] = []
        self.furniture = False  # whether a furniture run is open
        self.next = 0  # the next token to write

    def _lead(self, k: int, furniture: bool) -> str:
        """What goes before token ``k`` when a furniture run is open or not."""
        on = bool(self.columns.furniture[k])
        if k and self.columns.page[k] != self.columns.page[k - 1]:
            return (_CLOSE if furniture else "") + self._separator(k) + (_OPEN if on else "")
        return self._separator(k) + _TOGGLE[furniture, on]

    def _separator(self, k: int) -> str:
        return self.replaced.get(k, self.leads[k])

    def html(self, shown: dict[int, list[tuple[Variant, int, int]]], prefix: str) -> str:
        """The text; variants in ``shown`` (by first rank) marked, anchors between; an outer
        variant's mark holds the marks of the variants inside it."""
        columns = self.columns
        self.parts = [_page_break(self.page_label(columns.page[0] if len(columns) else 1))]
        self.furniture = False  # whether a furniture run is open
        self.next = 0  # the next token to write
        self.bare = False  # whether the next token's separator is written (before an outer)
        ranks = len(self.before) - 1
        outer: list[int] = []  # the last rank of each outer variant whose mark is open
        r = 0
        for rank in sorted(shown):
            if rank >= ranks:
                break
            for variant, first, last in _ordered(shown[rank]):
                if first < r:  # within the place before
                    continue
                while outer and outer[-1] < first:
                    r = self._close(r, outer.pop())
                self._agreed(r, first)
                if variant.contains:
                    self._open(variant, first, self.before[last + 1], prefix)
                    outer.append(last)
                    r = first
                else:
                    self._variant(variant, first, self.before[last + 1], prefix)
                    r = last + 1
        while outer:
            r = self._close(r, outer.pop())
        self._agreed(r, ranks)
        self._end_furniture()
        text, self.parts = "".join(self.parts), []
        return text

    def _close(self, r: int, last: int) -> int:
        """The rest of an outer variant's ranks, from ``r`` to ``last``, and its mark's end;
        the rank after it."""
        self._agreed(r, last + 1)
        self._end_furniture()
        self.parts.append("</mark>")
        self.bare = False
        return last + 1

    def _end_furniture(self) -> None:
        if self.furniture:
            self.parts.append(_CLOSE)
            self.furniture = False

    def _tokens(self, end: int) -> None:
        """The tokens from the next one to ``end`` (exclusive)."""
        k = self.next
        if k >= end:
            return
        furniture = self.columns.furniture
        if self.bare:  # its separator stands before the outer mark
            self.parts.append(_OPEN if furniture[k] else "")
            self.bare = False
        elif self.furniture == (bool(furniture[k - 1]) if k else False):
            self.parts.append(self.leads[k])
        else:
            self.parts.append(self._lead(k, self.furniture))
        self.parts.append(self.escaped[k])
        leads, texts = self.leads[k + 1 : end], self.escaped[k + 1 : end]
        self.parts.extend(chain.from_iterable(zip(leads, texts, strict=True)))
        self.furniture = bool(furniture[end - 1])
        self.next = end

    def _agreed(self, lo: int, hi: int) -> None:
        """Ranks ``lo`` to ``hi`` (exclusive), with an anchor every ``ANCHOR_EVERY`` ranks."""
        for anchor in range(-(-lo // ANCHOR_EVERY) * ANCHOR_EVERY, hi, ANCHOR_EVERY):
            self._tokens(self.before[anchor])
            self._end_furniture()
            self.parts.append(f'<span class="a" data-r="{anchor}"></span>')
        self._tokens(self.before[hi])

    def _lead_in(self, end: int) -> None:
        """What goes before a variant's mark whose tokens end before ``end``: the next
        token's separator; for an empty reading a space, unless the witness joins the tokens
        on either side of it (``0;`` shows as ``0∅;``, not as ``0 ∅;``); nothing when an
        outer mark around it has written that."""
        k = self.next
        if not self.bare:
            if k < end:
                separator = self._separator(k)
                if k and self.columns.page[k] != self.columns.page[k - 1]:
                    self._end_furniture()
                self.parts.append(separator)
            elif k and (k == len(self.leads) or self._separator(k)):
                self.parts.append(" ")
        self._end_furniture()

    def _mark(self, variant: Variant, first: int, prefix: str, outer: str = "") -> None:
        n, category = variant.number, variant.category.value
        second = first != variant.first_rank  # a transposition's other place
        ident = f"{prefix}{n}" + ("m" if second else "")
        self.parts.append(
            f'<mark class="v{outer} c-{category}" id="{ident}" data-n="{n}" '
            f'data-r="{first}"><sup class="b">{n}'
            f'<span class="l">{STYLES[variant.category][0]}</span></sup>'
        )

    def _open(self, variant: Variant, first: int, end: int, prefix: str) -> None:
        """The start of an outer variant's mark (its ranks and end follow); an empty reading
        shows its gap at the start."""
        self._lead_in(end)
        self._mark(variant, first, prefix, " o")
        self.bare = True
        if self.next >= end:
            self.parts.append('<span class="gap">∅</span>')

    def _variant(self, variant: Variant, first: int, end: int, prefix: str) -> None:
        """A variant's place at rank ``first``, holding the tokens up to ``end`` (exclusive)."""
        k = self.next
        self._lead_in(end)
        self.bare = False
        self._mark(variant, first, prefix)
        if k < end:
            on = bool(self.columns.furniture[k])
            self.parts.append((_OPEN if on else "") + self.escaped[k])
            self.furniture, self.next = on, k + 1
            self._tokens(end)
        else:
            self.parts.append('<span class="gap">∅</span>')
        self._end_furniture()
        self.parts.append("</mark>")


def _ordered(found: list[tuple[Variant, int, int]]) -> list[tuple[Variant, int, int]]:
    """The places to mark at one rank: the outer variants (outermost first), then the last
    other place listed there."""
    outer = [p for p in found if p[0].contains]
    rest = [p for p in found if not p[0].contains]
    return outer + rest[-1:]


def _texts(
    collation: Collation, shown: dict[int, list[tuple[Variant, int, int]]]
) -> tuple[list[str], str]:
    """Each witness's text for its column, and the base text for the apparatus (one
    witness's pieces held at a time)."""
    table = collation.alignment
    base = collation.alignment.sigla.index(collation.base)
    columns, apparatus = [], ""
    for w, segments in enumerate(collation.segments):
        text = _Text(table.tokens[w], table.rows[w], segments, collation.witnesses[w].page_label)
        columns.append(text.html(shown, f"c{w}-v"))
        if w == base:
            apparatus = text.html(shown, "a-v")
    return columns, apparatus


def _base_text(
    collation: Collation, shown: dict[int, list[tuple[Variant, int, int]]]
) -> tuple[list[str], str]:
    """No columns, and the base text for the apparatus (a page of many witnesses writes the
    texts it shows side by side with its script)."""
    table = collation.alignment
    base = table.sigla.index(collation.base)
    segments, label = collation.segments[base], collation.witnesses[base].page_label
    return [], _Text(table.tokens[base], table.rows[base], segments, label).html(shown, "a-v")


def _outermost(variants: Sequence[Variant]) -> list[Variant]:
    """The variants that no other variant's ranks hold, in the order of the text."""
    found: list[Variant] = []
    end = -1
    for v in sorted(variants, key=lambda v: (v.first_rank, -v.last_rank, v.number)):
        if v.first_rank > end:
            found.append(v)
            end = v.last_rank
    return found


def _stretches(collation: Collation, places: Sequence[Variant]) -> list[str]:
    """The base text between the places (before the first, between each two, after the
    last), as plain text with a blank line between paragraphs."""
    table = collation.alignment
    b = table.sigla.index(collation.base)
    columns, row = table.tokens[b], table.rows[b]
    before = array("q", accumulate((k != NONE for k in row), initial=0))
    paragraphs = [s.paragraph for s in collation.segments[b]]
    separators = [
        sep if sep.startswith("\n") or sep in ("", " ") else " "
        for sep in _separators(columns, paragraphs)
    ]
    bounds = [0, *chain.from_iterable((v.first_rank, v.last_rank + 1) for v in places)]
    bounds.append(len(row))
    found = []
    for lo, hi in zip(bounds[::2], bounds[1::2], strict=True):
        k, end = before[lo], before[hi]
        found.append(
            "".join((separators[i] if i > k else "") + columns.text[i] for i in range(k, end))
        )
    return found


def _many_data(collation: Collation, variants: Sequence[Variant]) -> dict[str, object]:
    """What the views of many witnesses need beyond the variants: the outermost places in
    the order of the text, the shared text between them, and each variant's first rank."""
    places = _outermost(variants)
    return {
        "ranks": len(collation.alignment),
        "places": [v.number for v in places],
        "stretches": [revealed(s) for s in _stretches(collation, places)],
        "rank": {str(v.number): v.first_rank for v in variants},
    }


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


def _place(witness: Witness | None, where: Location) -> str:
    """A reading's page as the source names it, after its section where there is one
    (``§ 3.2, p. 67``)."""
    if witness is None:
        return f"p. {where.page}"
    section = witness.section_at(where.start) if witness.sections else ""
    page = f"p. {witness.page_label(where.page)}"
    return f"§ {section}, {page}" if section else page


def _entry(variant: Variant, base: str, witness: Witness | None = None) -> str:
    lemma, items = entry_parts(variant, base)
    readings = "; ".join(
        (f"<i>{label}</i> " if label else "")
        + (f'<span class="rdg">{_html(reading)}</span> ' if reading else "")
        + f'<span class="sig">{" ".join(map(_siglum, sigla))}</span>'
        for label, reading, sigla in items
    )
    n, c = variant.number, variant.category
    where = variant.locations[variant.sigla.index(base)]
    return (
        f'<li class="e c-{c.value}" id="e{n}" data-n="{n}">'
        f'<button type="button" class="num" data-n="{n}">{n}</button> '
        f'<span class="lem">{_html(lemma)}</span>] {readings} '
        f'<span class="meta"><span class="l">{STYLES[c][0]}</span> {c.value}, '
        f"{variant.kind.value if variant.kind else 'no base'}, "
        f"{_html(_place(witness, where))}:{where.line}{_nesting(variant)}</span></li>"
    )


def _nesting(variant: Variant) -> str:
    """An entry's place among nested variants: ``in N`` (the variant it lies in), ``holds K``
    (the number of variants lying directly in it)."""
    within = f", in {variant.within}" if variant.within is not None else ""
    holds = f", holds {len(variant.contains)}" if variant.contains else ""
    return within + holds


def _witnesses(collation: Collation) -> str:
    rows = "".join(
        f'<tr><th scope="row">{_siglum(w.siglum)}{" (base)" if w.siglum == collation.base else ""}'
        f"</th><td>{_html(w.label)}</td><td>{_html(w.path or '—')}</td>"
        f"<td>{_html(w.source_format)}, {_html(w.markup_format.value)}</td>"
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
    words = next((r for r in fidelity.rules if r.startswith("words:")), "words:tokens")
    return (
        '<table class="fid"><caption>Fidelity of '
        f"{_siglum(fidelity.hypothesis)} against {_siglum(fidelity.reference)}: reference "
        f"{_siglum(fidelity.reference)}, hypothesis {_siglum(fidelity.hypothesis)}, as "
        f"<code>collate fidelity {_siglum(fidelity.reference)} "
        f"{_siglum(fidelity.hypothesis)}</code> reports them (CER: edits per reference "
        "character, so the other order gives another figure)</caption>"
        '<thead><tr><th scope="col">Scope</th><th scope="col">CER</th>'
        f'<th scope="col">WER ({_html(words)})</th>'
        '<th scope="col">Char. edits</th><th scope="col">Word edits</th></tr></thead><tbody>'
        + _measures(_html(fidelity.scope), fidelity.measures)
        + _measures("text only", fidelity.text_only)
        + "</tbody></table>"
    )


def _category_boxes(counts: Counter[Category]) -> str:
    boxes = "".join(
        f'<span class="f c-{c.value}"><input type="checkbox" id="f-{c.value}" '
        f'data-category="{c.value}" checked><label for="f-{c.value}"><span class="l">'
        f"{STYLES[c][0]}</span> {c.value} ({counts[c]})</label></span>"
        for c in Category
    )
    return f'<fieldset class="filters"><legend>Show categories</legend>{boxes}</fieldset>'


_QUICK = (
    '<div class="quick"><button type="button" id="quiet">Hide punctuation, case and markup'
    '</button><button type="button" id="all">Show all</button>'
    '<button type="button" id="prev" aria-keyshortcuts="p">Previous (p)</button>'
    '<button type="button" id="next" aria-keyshortcuts="n">Next (n)</button></div></nav>'
)


def _filters(counts: Counter[Category]) -> str:
    return (
        '<nav aria-label="Views, filters and navigation"><div class="tabs" role="group" '
        'aria-label="View"><button type="button" id="tab-sbs" aria-controls="sbs" '
        'aria-pressed="true">Side by side</button><button type="button" id="tab-app" '
        'aria-controls="app" aria-pressed="false">Apparatus</button></div>'
        f"{_category_boxes(counts)}{_QUICK}"
    )


def _many_nav(collation: Collation, counts: Counter[Category]) -> str:
    """The navigation of a page of three or more witnesses: four views, the category and
    witness filters, the choice of base."""
    tabs = "".join(
        f'<button type="button" id="tab-{view}" aria-controls="{target}" '
        f'aria-pressed="{"true" if view == "app" else "false"}">{label}</button>'
        for view, target, label in (
            ("app", "app", "Apparatus"),
            ("table", "table", "Table"),
            ("heat", "app", "Heat map"),
            ("sbs", "sbs", "Side by side"),
        )
    )
    sigla = collation.alignment.sigla
    boxes = "".join(
        f'<label class="w"><input type="checkbox" data-w="{w}" checked> {_siglum(s)}</label>'
        for w, s in enumerate(sigla)
    )
    options = "".join(
        f'<option value="{w}"{" selected" if s == collation.base else ""}>{_html(s)}</option>'
        for w, s in enumerate(sigla)
    )
    return (
        '<nav aria-label="Views, filters and navigation"><div class="tabs" role="group" '
        f'aria-label="View">{tabs}</div>'
        f'<details class="wits"><summary>Witnesses: <span id="wshown">{len(sigla)}</span> '
        f"of {len(sigla)} shown</summary>"
        '<fieldset><legend class="vh">Show witnesses</legend>'
        '<button type="button" id="w-all">All</button> '
        f'<button type="button" id="w-none">None</button>{boxes}</fieldset></details>'
        f'<label class="basec">Base <select id="base">{options}</select></label>'
        f"{_category_boxes(counts)}{_QUICK}"
    )


def _minimap() -> str:
    return (
        '<div id="minimap" role="group" aria-label="Variation along the text: click to go there">'
        '<canvas id="histogram" height="36"></canvas></div>'
    )


def _chosen(collation: Collation) -> Iterator[str]:
    """The side-by-side view of a page of many witnesses: the two or three witnesses to show
    (their texts are written by the script)."""
    sigla = collation.alignment.sigla
    base = sigla.index(collation.base)
    first = [base, *(w for w in range(len(sigla)) if w != base)][:3]
    selects = "".join(
        f'<label>Witness {k + 1} <select class="pick" data-k="{k}">'
        + ('<option value="">—</option>' if k == 2 else "")
        + "".join(
            f'<option value="{w}"{" selected" if w == chosen else ""}>{_html(s)}</option>'
            for w, s in enumerate(sigla)
        )
        + "</select></label> "
        for k, chosen in enumerate(first)
    )
    yield (
        '<section id="sbs" class="view" aria-labelledby="h-sbs">'
        f'<h2 id="h-sbs">Side by side <small class="picks">{selects}</small></h2>'
        '<div class="cols" id="sbscols"></div></section>'
    )


def _table_view() -> str:
    return (
        '<section id="table" class="view" aria-labelledby="h-table">'
        '<h2 id="h-table">Table <small>one row per witness, one column per variation unit '
        'and shared stretch; <span id="tpage"></span> '
        '<button type="button" id="tprev">◀ earlier</button> '
        '<button type="button" id="tnext">later ▶</button></small></h2>'
        '<div class="pane" id="tablewrap" tabindex="0" role="region" aria-label="Table">'
        "</div></section>"
    )


def _side_by_side(collation: Collation, texts: list[str]) -> Iterator[str]:
    """The side-by-side view in pieces, each witness's text one of them (``texts`` is
    emptied as it goes, so that no text is held longer than it is written)."""
    yield (
        '<section id="sbs" class="view" aria-labelledby="h-sbs">'
        '<h2 id="h-sbs">Side by side</h2>'
        f'<div class="cols" style="--n:{len(collation.witnesses)}">'
    )
    for w, wit in enumerate(collation.witnesses):
        yield (
            f'<section class="col" aria-labelledby="h-c{w}"><h3 id="h-c{w}">{_siglum(wit.siglum)} '
            f"<small>{_html(wit.label)}</small></h3>"
            f'<div class="pane text" id="c{w}" tabindex="0" role="region" '
            f'aria-labelledby="h-c{w}">'
        )
        text, texts[w] = texts[w], ""
        yield text
        del text
        yield "</div></section>"
    yield "</div></section>"


def _apparatus(
    collation: Collation, text: str, variants: Sequence[Variant], many: bool = False
) -> str:
    """The base text and the entries; a page of many witnesses writes its entries as lists
    of ``ENTRY_LIST`` entries each, which the browser lays out only when near the view."""
    witness = next((w for w in collation.witnesses if w.siglum == collation.base), None)
    entries = [_entry(v, collation.base, witness) for v in variants]
    head = (
        '<section id="app" class="view" aria-labelledby="h-app">'
        f'<h2 id="h-app">Apparatus <small>base text: {_siglum(collation.base)}</small></h2>'
        f'<div class="pane text" id="apptext" tabindex="0" role="region" aria-label="Base text">'
        f"{text}</div>"
        '<h3 class="vh" id="h-entries">Apparatus entries</h3>'
    )
    if many and entries:
        lists = "".join(
            f'<ol class="el">{"".join(entries[k : k + ENTRY_LIST])}</ol>'
            for k in range(0, len(entries), ENTRY_LIST)
        )
        return (
            f'{head}<div class="pane entries" id="entries" role="region" '
            f'aria-labelledby="h-entries" tabindex="0">{lists}</div></section>'
        )
    return (
        f'{head}<ol class="pane entries" id="entries" aria-labelledby="h-entries" tabindex="0">'
        f"{''.join(entries) or '<li>No variants in the selection.</li>'}</ol></section>"
    )


def _contexts(variant: Variant) -> Sequence[tuple[str, str]]:
    """Each witness's context of the variant, as it writes it (the base's, set off by
    spaces, for a variant made without them)."""
    if variant.contexts:
        return variant.contexts
    before = variant.context_before + " " if variant.context_before else ""
    after = " " + variant.context_after if variant.context_after else ""
    return [(before, after)] * len(variant.sigla)


def _spots(variant: Variant, named: dict[str, Witness]) -> list[list[object]]:
    """Each witness's page and line; for a witness of ``named`` (whose source names pages or
    gives sections) the page as :func:`_place` shows it."""
    return [
        [loc.page, loc.line] if s not in named else [_place(named[s], loc), loc.line]
        for s, loc in zip(variant.sigla, variant.locations, strict=True)
    ]


def _listed(values: Sequence[Hashable]) -> list[Hashable]:
    """A field of a variant as one value per witness."""
    return list(values)


def _packed(values: Sequence[Hashable]) -> list[object]:
    """A field of a variant as its distinct values and, when there are several, one
    character per witness whose code less ``FIRST_CODE`` is the index of the witness's value
    (a list of indices when there are more values than characters below the surrogates):
    most witnesses of a variant share their reading, context and place, so the page of 45
    witnesses holds each once."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) == 1:
        return [distinct]
    index = {value: k for k, value in enumerate(distinct)}
    if FIRST_CODE + len(distinct) <= 0xD800:
        return [distinct, "".join(chr(FIRST_CODE + index[value]) for value in values)]
    return [distinct, [index[value] for value in values]]


def _data(collation: Collation, variants: Sequence[Variant], many: bool = False) -> str:
    """The script's data; a page of many witnesses also has what its views need (``many``),
    and its variants' fields are packed (``many-data.js`` unpacks them)."""
    field: Callable[[Sequence[Hashable]], object] = _packed if many else _listed
    named = {w.siglum: w for w in collation.witnesses if w.sections or w.page_names}
    return _script_json(
        {
            "sigla": [revealed(s) for s in collation.alignment.sigla],
            "base": revealed(collation.base),
            "letters": {c.value: letter for c, (letter, _, _) in STYLES.items()},
            "variants": [
                {
                    "n": v.number,
                    "kind": v.kind.value if v.kind else "-",
                    "category": v.category.value,
                    "readings": field([revealed(r) for r in v.readings]),
                    "where": field([tuple(spot) for spot in _spots(v, named)]),
                    "contexts": field([(revealed(b), revealed(a)) for b, a in _contexts(v)]),
                    **({"within": v.within} if v.within is not None else {}),
                    **({"contains": list(v.contains)} if v.contains else {}),
                }
                for v in variants
            ],
            **({"many": _many_data(collation, variants)} if many else {}),
        }
    )


def _script(nested: bool, many: bool) -> str:
    """The page's script: collate.js, nesting.js where variants nest, and for a page of
    many witnesses many-data.js before them and many.js after, every script reading the
    data through many-data.js's ``collateData()`` (parsed once, fields unpacked on use)."""
    scripts = [_asset("collate.js"), *([_asset("nesting.js")] if nested else [])]
    if not many:
        return "\n".join(scripts)
    shared = [s.replace(_READ_DATA, "collateData()") for s in scripts]
    if any(_READ_DATA in s or "collateData()" not in s for s in shared):
        raise AssertionError(f"every script reads the data with {_READ_DATA}")
    return "\n".join([_asset("many-data.js"), *shared, _asset("many.js")])


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


def _nesting_css() -> str:
    """An outer variant of a hidden category loses its brackets too."""
    return "".join(
        f"\nbody.hide-{c.value} mark.o.c-{c.value}::before,"
        f"body.hide-{c.value} mark.o.c-{c.value}::after{{content:none}}"
        for c in Category
    )


def _title(sigla: Sequence[str]) -> str:
    """The page's title: the sigla, or for more than ``TITLE_SIGLA`` of them their number and
    the first and last."""
    if len(sigla) <= TITLE_SIGLA:
        return "Collation of " + " / ".join(sigla)
    return f"Collation of {len(sigla)} witnesses ({sigla[0]} … {sigla[-1]})"


def render_html_pieces(
    collation: Collation,
    variants: Sequence[Variant],
    fidelity: Fidelity | None = None,
    title: str = "",
) -> Iterator[str]:
    """:func:`render_html`'s text in pieces, to be written one after the other: the page of
    a long collation is never held whole (each witness's text is one piece)."""
    title = title or _title(collation.alignment.sigla)
    counts = Counter(v.category for v in variants)
    shown = starts(variants)
    rules = ", ".join(collation.rules) or "none"
    many = len(collation.witnesses) >= MANY
    columns, base_text = _base_text(collation, shown) if many else _texts(collation, shown)
    nested = any(v.contains for v in variants)  # the nesting assets only where they are used
    nesting_css = "\n" + _asset("nesting.css") + _nesting_css() if nested else ""
    many_css = "\n" + _asset("many.css") if many else ""
    witnesses = _witnesses(collation)
    if many:
        witnesses = (
            f'<details class="witd"><summary>{len(collation.witnesses)} witnesses</summary>'
            f"{witnesses}</details>"
        )
    yield encodable(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">'
        f"<title>{_html(title)}</title>"
        f"<style>{_asset('collate.css')}\n{_category_css()}{nesting_css}{many_css}</style></head>\n<body>"
        f'<header><div class="about"><h1>{_html(title)}</h1>{witnesses}'
        f"<p>Base text: <b>{_siglum(collation.base)}</b>; normalisation: "
        f"{_html(collation.normalization)} ({_html(rules)}).</p></div>"
        f'<div class="figures">{_counts(collation, counts, len(variants))}'
        f"{_fidelity(fidelity)}</div></header>\n"
        + (
            f'{_many_nav(collation, counts)}\n{_minimap()}\n<main data-view="app">'
            if many
            else f'{_filters(counts)}\n<main data-view="sbs">'
        )
    )
    for piece in (
        _chosen(collation) if many else _side_by_side(collation, columns)
    ):  # a lone surrogate is one character:
        yield encodable(piece)  # escaped piece by piece as in the whole
    yield "\n"
    apparatus = _apparatus(collation, base_text, variants, many)
    del base_text
    yield encodable(apparatus)
    del apparatus
    if many:
        yield encodable(_table_view() + "\n")
    yield encodable(
        "\n"
        '<aside id="detail" aria-labelledby="h-detail"><h2 id="h-detail">Variant</h2>'
        '<div id="detail-body" aria-live="polite"><p>Click a variant, or press <kbd>n</kbd> '
        "for the next one and <kbd>p</kbd> for the previous one.</p></div></aside></main>\n"
        '<noscript><p class="noscript">Filters, navigation and the detail panel need '
        "JavaScript; the texts and the apparatus above are complete without it.</p></noscript>"
        f'<script type="application/json" id="data">{_data(collation, variants, many)}</script>\n'
        f"<script>{_script(nested, many)}</script></body></html>\n"
    )


def render_html(
    collation: Collation,
    variants: Sequence[Variant],
    fidelity: Fidelity | None = None,
    title: str = "",
) -> str:
    """The page; ``variants`` is the selection to mark, the rest shows as plain text."""
    return "".join(render_html_pieces(collation, variants, fidelity, title))
