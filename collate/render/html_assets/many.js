/* three or more witnesses (added only to such a page; runs after collate.js): the witness
   filter, the choice of base, the table, the heat map, the histogram and the side-by-side view
   of two or three chosen witnesses. Views are built when shown, the table a page of places at a
   time; DOM only with createElement and textContent. Selecting a variant goes through
   collate.js (a click on its entry or mark); this script follows the selection. */
(() => {
  "use strict";
  const data = collateData(); // many-data.js
  const many = data.many;
  const main = document.querySelector("main");
  const byNumber = new Map(data.variants.map((v) => [v.n, v]));
  const order = data.variants.slice().sort((a, b) => a.n - b.n);
  const sigla = data.sigla;
  const shown = new Set(sigla.map((_, w) => w));
  const detail = document.getElementById("detail-body");
  const entries = document.getElementById("entries");
  const appText = document.getElementById("apptext");
  const canvas = document.getElementById("histogram");
  const wrap = document.getElementById("tablewrap");
  const PAGE = 40; // places (and the stretches between them) per page of the table
  let base = sigla.indexOf(data.base);
  let differ = new Map(); // variant number -> shown witnesses reading otherwise than the base
  let tablePage = -1;
  let sbsBuilt = "";

  function make(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }
  const current = () => {
    const element = document.querySelector("#entries li.e.current");
    return element ? Number(element.dataset.n) : null;
  };
  const others = () => sigla.map((_, w) => w).filter((w) => w !== base && shown.has(w));

  /* The readings of variant v among the shown witnesses: [reading, [witness]] in order of
     first appearance, the base's reading first. */
  function groups(v) {
    const found = new Map([[v.readings[base], []]]);
    for (const w of [base, ...others()]) {
      const r = v.readings[w];
      if (!found.has(r)) found.set(r, []);
      found.get(r).push(w);
    }
    return Array.from(found);
  }

  /* The marks of the base text by variant number (an outer variant's and its inner ones'). */
  const marksOf = new Map();
  for (const mark of appText.querySelectorAll("mark.v")) {
    const n = Number(mark.dataset.n);
    if (!marksOf.has(n)) marksOf.set(n, []);
    marksOf.get(n).push(mark);
  }

  /* Readings are compared by their indices among the variant's distinct readings. */
  function countDiffer() {
    differ = new Map();
    const ws = others();
    for (const v of order) {
      const lemma = v.code("readings", base);
      let d = 0;
      for (const w of ws) if (v.code("readings", w) !== lemma) d += 1;
      differ.set(v.n, d);
    }
  }

  function lemma(reading) {
    const words = reading.split(/\s+/).filter(Boolean);
    if (words.length <= 6) return reading;
    return `${words.slice(0, 2).join(" ")} … ${words.slice(-2).join(" ")}`;
  }

  /* An entry's body: lemma] reading A B; om. C (the shown witnesses, grouped). */
  function fillEntry(li, v) {
    const button = li.querySelector("button.num");
    const meta = li.querySelector(".meta");
    const parts = [button, " "];
    const all = groups(v);
    const lem = v.readings[base];
    const rest = all.filter(([r]) => r !== lem);
    const head = lem || (rest.length ? rest[0][0] : "");
    parts.push(make("span", lemma(head), "lem"), "] ");
    rest.forEach(([reading, ws], i) => {
      if (i) parts.push("; ");
      if (!lem) parts.push(make("i", "add."), " ");
      else if (!reading) parts.push(make("i", "om."), " ");
      if (reading && !(!lem && i === 0)) parts.push(make("span", reading, "rdg"), " ");
      parts.push(make("span", ws.map((w) => sigla[w]).join(" "), "sig"));
    });
    parts.push(" ", meta);
    li.replaceChildren(...parts);
  }

  /* The base's reading in its marks of the base text (marks holding others keep theirs),
     rewritten only where it differs from the reading of the base before (``was``). */
  function swapText(was) {
    for (const mark of appText.querySelectorAll("mark.v:not(.o)")) {
      const v = byNumber.get(Number(mark.dataset.n));
      if (v.code("readings", base) === v.code("readings", was)) continue;
      const sup = mark.querySelector("sup");
      const reading = v.readings[base];
      mark.replaceChildren(sup, reading ? reading : make("span", "∅", "gap"));
    }
  }

  /* Entries are rewritten for the shown witnesses and the base when their list comes near
     the view (each entry holds the generation it was written for): the rest wait until
     scrolled to. The positions of the lists are read before any entry is written. */
  let generation = 0;
  let filling = false;
  const lists = Array.from(entries.querySelectorAll("ol.el"));
  function fillNear() {
    filling = false;
    if (!entries.clientHeight) return;
    const top = entries.scrollTop - 1500;
    const bottom = entries.scrollTop + entries.clientHeight + 1500;
    const near = lists.filter((list) => list.offsetTop <= bottom
      && list.offsetTop + list.offsetHeight >= top);
    for (const list of near) {
      for (const li of list.children) {
        if (Number(li.dataset.g || 0) === generation || li.classList.contains("wh")) continue;
        li.dataset.g = String(generation);
        fillEntry(li, byNumber.get(Number(li.dataset.n)));
      }
    }
  }
  const fillSoon = () => {
    if (filling) return;
    filling = true;
    requestAnimationFrame(fillNear);
  };
  entries.addEventListener("scroll", fillSoon, { passive: true });
  new ResizeObserver(fillSoon).observe(entries);

  function refill() {
    generation += 1;
  }

  /* Each variant's state as last written: whether every shown witness reads as the base
     ("wh") and its heat; an element is written only where its state changes, so that hiding
     a witness restyles few elements. */
  const written = new Map();
  function update(rebuild) {
    if (rebuild) refill();
    countDiffer();
    const visible = others().length + 1;
    for (const v of order) {
      const d = differ.get(v.n);
      // the heat: 0 (none differ), 1 to 5 (fifths of the others shown)
      const heat = d === 0 ? "0" : String(1 + Math.min(4, Math.floor((d / (visible - 1)) * 5)));
      const was = written.get(v.n);
      if (was === heat) continue;
      written.set(v.n, heat);
      if (was === undefined || (was === "0") !== (heat === "0")) {
        const entry = document.getElementById(`e${v.n}`);
        if (entry) entry.classList.toggle("wh", d === 0);
        for (const mark of marksOf.get(v.n) || []) mark.classList.toggle("wh", d === 0);
      }
      for (const mark of marksOf.get(v.n) || []) mark.dataset.h = heat;
    }
    document.getElementById("wshown").textContent = String(shown.size);
    if (rebuild) fillSoon();
    tablePage = -1;
    bins = null;
    placed = null;
    render();
  }

  /* Histogram: variation (witnesses differing, summed) along the text in bins. */
  /* The part of the text the base-text pane shows, as ranks [first, last]: from the marks and
     anchors (data-r, in the order of the text) at its top and bottom edges. */
  let placed = null;
  function shownRanks() {
    if (!appText.clientHeight) return null;
    if (!placed) placed = Array.from(appText.querySelectorAll("[data-r]"));
    if (!placed.length) return null;
    const at = (y) => Number(placed[firstFrom(placed, y)].dataset.r);
    return [at(appText.scrollTop), at(appText.scrollTop + appText.clientHeight)];
  }

  /* The index of the first of the elements (in the order of the text) whose top is at or
     below y, by halving; the last one if none is. */
  function firstFrom(elements, y) {
    let low = 0;
    let high = elements.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (elements[middle].offsetTop < y) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  let bins = null; // variation per bin of the histogram, for the shown witnesses and categories
  function draw() {
    const width = canvas.clientWidth;
    if (!width) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(36 * ratio);
    const ranks = Math.max(1, many.ranks);
    const count = Math.max(1, Math.floor(width / 3));
    if (!bins || bins.length !== count) {
      bins = new Float64Array(count);
      for (const v of order) {
        const d = differ.get(v.n);
        if (!d || hiddenCategory(v)) continue;
        bins[Math.min(count - 1, Math.floor((many.rank[v.n] / ranks) * count))] += d;
      }
    }
    const top = Math.max(1, ...bins);
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, 36);
    const view = main.dataset.view;
    const band = view === "app" || view === "heat" ? shownRanks() : null;
    if (band) { // where the base text is scrolled to
      context.fillStyle = "#dcdcdc";
      const x = (band[0] / ranks) * width;
      context.fillRect(x, 0, Math.max(3, ((band[1] - band[0]) / ranks) * width), 36);
    }
    context.fillStyle = "#b03a1a";
    const step = width / count;
    bins.forEach((value, i) => {
      const h = value ? Math.max(2, (value / top) * 34) : 0;
      context.fillRect(i * step, 36 - h, Math.max(1, step - 1), h);
    });
    const n = current();
    if (n !== null) {
      context.fillStyle = "#111";
      context.fillRect((many.rank[n] / ranks) * width - 1, 0, 2, 36);
    }
  }
  let drawing = false;
  function drawSoon() { // in the next frame, after the layout that frame makes anyway
    if (drawing) return;
    drawing = true;
    requestAnimationFrame(() => { drawing = false; draw(); });
  }
  appText.addEventListener("scroll", drawSoon, { passive: true });

  function hiddenCategory(v) {
    return document.body.classList.contains(`hide-${v.category}`);
  }
  const walkable = (v) => differ.get(v.n) > 0 && !hiddenCategory(v);

  function choose(n) {
    const entry = document.getElementById(`e${n}`);
    if (entry) entry.click(); // collate.js selects it everywhere it knows
  }

  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    const rank = ((event.clientX - box.left) / box.width) * many.ranks;
    const target = order.find((v) => many.rank[v.n] >= rank - many.ranks / 400 && walkable(v))
      || order.filter(walkable).pop();
    if (target) choose(target.n);
  });

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (/^(TEXTAREA|SELECT)$/.test(target.tagName)
      || (target.tagName === "INPUT" && target.type !== "checkbox")) return;
    if (event.key !== "n" && event.key !== "p") return;
    const list = order.filter(walkable);
    if (!list.length) return;
    const n = current();
    let next;
    if (event.key === "n") next = n === null ? list[0] : list.find((v) => v.n > n) || list.at(-1);
    else next = n === null ? list.at(-1) : list.filter((v) => v.n < n).pop() || list[0];
    event.preventDefault(); // collate.js leaves it to this walk, which skips hidden witnesses
    choose(next.n);
  }, true);

  /* The table: the places of one page and the stretches between them. */
  function units() {
    const list = [];
    many.stretches.forEach((text, i) => {
      if (text.trim()) list.push({ text });
      if (i < many.places.length) list.push({ n: many.places[i] });
    });
    return list;
  }
  const allUnits = units();
  const pages = Math.max(1, Math.ceil(allUnits.filter((u) => u.n !== undefined).length / PAGE));

  /* The page of the table holding place n (an outermost variant). */
  function pageOf(n) {
    let k = 0;
    for (const u of allUnits) {
      if (u.n === undefined) continue;
      if (u.n === n) return Math.floor(k / PAGE);
      k += 1;
    }
    return 0;
  }
  function outer(n) {
    let v = byNumber.get(n);
    while (v && v.within !== undefined && byNumber.has(v.within)) v = byNumber.get(v.within);
    return v ? v.n : n;
  }

  /* A table cell's text: more than twelve words show their first and last five. */
  function shorten(text) {
    const words = text.trim().split(/\s+/);
    if (words.length <= 12) return text.trim();
    return `${words.slice(0, 5).join(" ")} … ${words.slice(-5).join(" ")}`;
  }

  function buildTable(page) {
    tablePage = page;
    const rows = [base, ...others()];
    const table = make("table", null, "syn");
    const head = make("tr");
    const corner = make("th", "Witness", "sig");
    corner.scope = "col";
    head.append(corner);
    const body = rows.map((w) => {
      const tr = make("tr", null, w === base ? "base" : "");
      const th = make("th", w === base ? `${sigla[w]} (base)` : sigla[w], "sig");
      th.scope = "row";
      tr.append(th);
      return tr;
    });
    let k = 0;
    for (const u of allUnits) {
      const onPage = Math.floor(k / PAGE) === page;
      if (u.n !== undefined) k += 1;
      if (!onPage) continue;
      if (u.n === undefined) {
        head.append(make("th", "shared"));
        const td = make("td", shorten(u.text), "sh");
        td.title = u.text.length > 2000 ? `${u.text.slice(0, 2000)} …` : u.text;
        td.rowSpan = rows.length;
        body[0].append(td);
        continue;
      }
      const v = byNumber.get(u.n);
      const th = make("th");
      th.dataset.n = String(u.n);
      th.append(make("button", String(u.n)));
      head.append(th);
      const found = groups(v);
      const group = new Map();
      found.forEach(([, ws], g) => { for (const w of ws) group.set(w, g); });
      rows.forEach((w, i) => {
        const g = group.get(w);
        const reading = v.readings[w];
        const td = make("td", reading ? shorten(reading) : "∅", `g${g === 0 ? 0 : ((g - 1) % 6) + 1}`);
        if (reading.length > 60) td.title = reading; // a long reading whole on hover
        td.dataset.n = String(u.n);
        if (g > 0) td.append(make("span", String.fromCharCode(64 + g), "gl"));
        body[i].append(td);
      });
    }
    table.append(make("thead"), make("tbody"));
    table.tHead.append(head);
    table.tBodies[0].append(...body);
    wrap.replaceChildren(table);
    document.getElementById("tpage").textContent = `page ${page + 1} of ${pages}`;
  }

  wrap.addEventListener("click", (event) => {
    const cell = event.target.closest("[data-n]");
    if (cell) choose(Number(cell.dataset.n));
  });
  document.getElementById("tprev").addEventListener("click",
    () => { buildTable(Math.max(0, tablePage - 1)); wrap.scrollLeft = 0; });
  document.getElementById("tnext").addEventListener("click",
    () => { buildTable(Math.min(pages - 1, tablePage + 1)); wrap.scrollLeft = 0; });

  /* Side by side: each chosen witness's text, built from the stretches and its readings. */
  const picks = Array.from(document.querySelectorAll("select.pick"));
  function buildSbs() {
    const chosen = picks.map((s) => s.value).filter((x) => x !== "").map(Number)
      .filter((w, i, list) => list.indexOf(w) === i);
    const key = chosen.join(",");
    if (key === sbsBuilt) return;
    sbsBuilt = key;
    const cols = document.getElementById("sbscols");
    cols.style.setProperty("--n", String(chosen.length));
    cols.replaceChildren(...chosen.map((w) => {
      const section = make("section", null, "col");
      section.append(make("h3", w === base ? `${sigla[w]} (base)` : sigla[w]));
      const pane = make("div", null, "pane text");
      pane.tabIndex = 0;
      pane.dataset.w = String(w);
      const parts = [];
      many.stretches.forEach((text, i) => {
        parts.push(text);
        if (i >= many.places.length) return;
        const v = byNumber.get(many.places[i]);
        const mark = make("mark", null, `v c-${v.category}`);
        mark.id = `s${w}-v${v.n}`;
        mark.dataset.n = String(v.n);
        const sup = make("sup", String(v.n), "b");
        mark.append(sup, v.readings[w] || make("span", "∅", "gap"));
        parts.push(" ", mark, " ");
      });
      pane.append(...parts);
      pane.addEventListener("scroll", () => follow(pane), { passive: true });
      section.append(pane);
      return section;
    }));
  }
  let following = false;
  function follow(source) {
    if (following) return;
    following = true;
    requestAnimationFrame(() => {
      const top = source.scrollTop;
      if (!source.marks) source.marks = Array.from(source.querySelectorAll("mark.v"));
      const mark = source.marks[firstFrom(source.marks, top)];
      if (mark) {
        const offset = mark.offsetTop - top;
        for (const pane of document.querySelectorAll("#sbscols .pane")) {
          if (pane === source) continue;
          const other = document.getElementById(`s${pane.dataset.w}-v${mark.dataset.n}`);
          if (other) pane.scrollTop = other.offsetTop - offset;
        }
      }
      requestAnimationFrame(() => { following = false; });
    });
  }
  for (const s of picks) s.addEventListener("change", () => { sbsBuilt = ""; render(); });

  /* collate.js brings the selected entry into view by its offsetTop, which an entry's list
     (laid out on its own) measures from the list: the entry is placed again by its top in
     the pane, when it is not in view. */
  function placeEntry(entry) {
    if (!entry || !entry.offsetParent || entry.offsetParent === entries) return;
    const top = entry.offsetTop + entry.offsetParent.offsetTop;
    const bottom = top + entry.offsetHeight;
    if (top < entries.scrollTop || bottom > entries.scrollTop + entries.clientHeight) {
      entries.scrollTop = Math.max(0, top - entries.clientHeight / 3);
    }
  }

  /* The view in front, built if it is not; the selected variant brought into it. */
  function render() {
    const view = main.dataset.view;
    const n = current();
    if (view === "table") {
      const page = n === null ? Math.max(0, tablePage) : pageOf(outer(n));
      if (page !== tablePage) buildTable(page);
      for (const cell of wrap.querySelectorAll(".cur")) cell.classList.remove("cur");
      if (n !== null) {
        const cells = wrap.querySelectorAll(`[data-n="${outer(n)}"]`);
        for (const cell of cells) cell.classList.add("cur");
        if (cells[0]) {
          wrap.scrollLeft = Math.max(0, cells[0].offsetLeft - wrap.clientWidth / 3);
        }
      }
    } else if (view === "sbs") {
      buildSbs();
      for (const mark of document.querySelectorAll("#sbscols mark.current")) {
        mark.classList.remove("current");
      }
      if (n !== null) {
        for (const pane of document.querySelectorAll("#sbscols .pane")) {
          const mark = document.getElementById(`s${pane.dataset.w}-v${outer(n)}`);
          if (!mark) continue;
          mark.classList.add("current");
          following = true;
          pane.scrollTop = Math.max(0, mark.offsetTop - pane.clientHeight / 3);
          requestAnimationFrame(() => { following = false; });
        }
      }
    } else if (n !== null) {
      fillSoon();
      const mark = document.getElementById(`a-v${n}`);
      if (mark) appText.scrollTop = Math.max(0, mark.offsetTop - appText.clientHeight / 3);
      placeEntry(document.getElementById(`e${n}`));
    }
    if (view === "app") fillSoon();
    hideDetailRows();
    drawSoon();
  }

  /* The detail panel (filled by collate.js) follows the witness filter and the base. */
  function hideDetailRows() {
    const rows = detail.querySelectorAll("tbody tr");
    rows.forEach((row, w) => { row.hidden = !shown.has(w); });
    for (const term of detail.querySelectorAll("dt")) {
      if (term.textContent === "Base") term.nextElementSibling.textContent = sigla[base];
    }
    rows.forEach((row, w) => {
      row.querySelector("th").textContent = w === base ? `${sigla[w]} (base)` : sigla[w];
    });
  }

  const views = ["app", "table", "heat", "sbs"];
  function showView(name) {
    main.dataset.view = name;
    for (const view of views) {
      document.getElementById(`tab-${view}`).setAttribute("aria-pressed", String(view === name));
    }
    render();
  }
  for (const view of views) {
    document.getElementById(`tab-${view}`).addEventListener("click", () => showView(view));
  }

  const witnessBoxes = Array.from(document.querySelectorAll(".wits input[data-w]"));
  function readBoxes() {
    shown.clear();
    for (const box of witnessBoxes) if (box.checked) shown.add(Number(box.dataset.w));
    shown.add(base);
    update(true);
  }
  for (const box of witnessBoxes) box.addEventListener("change", readBoxes);
  for (const [id, value] of [["w-all", true], ["w-none", false]]) {
    document.getElementById(id).addEventListener("click", () => {
      for (const box of witnessBoxes) box.checked = value;
      readBoxes();
    });
  }
  document.getElementById("base").addEventListener("change", (event) => {
    const was = base;
    base = Number(event.target.value);
    sbsBuilt = "";
    const box = witnessBoxes[base];
    if (box) box.checked = true;
    swapText(was);
    readBoxes();
  });
  for (const box of document.querySelectorAll(".filters input")) {
    box.addEventListener("change", () => { bins = null; placed = null; draw(); });
  }
  window.addEventListener("resize", () => { placed = null; });
  for (const id of ["quiet", "all"]) { // collate.js sets the boxes without a change event
    document.getElementById(id).addEventListener("click", () => { bins = null; draw(); });
  }
  new MutationObserver(render).observe(detail, { childList: true });
  window.addEventListener("resize", draw);

  update(false);
})();
