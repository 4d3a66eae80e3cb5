/* collate HTML page: filters, navigation, scroll sync and the detail panel.
   Reads the JSON data block; builds DOM only with createElement and textContent. */
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("data").textContent);
  const body = document.body;
  const main = document.querySelector("main");
  const variants = data.variants.slice().sort((a, b) => a.n - b.n);
  const byNumber = new Map(variants.map((v) => [v.n, v]));
  const columns = Array.from(document.querySelectorAll("#sbs .pane"));
  const appText = document.getElementById("apptext");
  const entries = document.getElementById("entries");
  const detail = document.getElementById("detail-body");
  const boxes = Array.from(document.querySelectorAll(".filters input[type=checkbox]"));
  const hidden = new Set();
  let current = null; // number of the selected variant
  let lead = null; // the column the reader scrolls; the others follow it
  let tops = null; // per column: 0, offsetTop of each anchor, scrollHeight
  let pending = false;

  body.classList.add("js");

  function make(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  /* [pane, element] for every place variant n stands: each column, base text, entry. */
  function places(n) {
    const found = [];
    columns.forEach((pane, i) => {
      const element = document.getElementById(`c${i}-v${n}`);
      if (element) found.push([pane, element]);
    });
    for (const [pane, id] of [[appText, `a-v${n}`], [entries, `e${n}`]]) {
      const element = document.getElementById(id);
      if (element) found.push([pane, element]);
    }
    return found;
  }

  function place(pane, element, offset) {
    if (pane === entries) {
      const top = element.offsetTop;
      if (top < pane.scrollTop || top + element.offsetHeight > pane.scrollTop + pane.clientHeight) {
        pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
      }
      return;
    }
    pane.scrollTop = Math.max(0, element.offsetTop - offset);
  }

  function clear() {
    if (current === null) return;
    for (const [, element] of places(current)) {
      element.classList.remove("current");
      element.removeAttribute("aria-current");
    }
    current = null;
    detail.replaceChildren(make("p", "No variant selected."));
  }

  /* Select variant n: mark it everywhere, line it up in every pane, show its detail.
     origin: [pane, element] that was clicked, whose place on screen the others copy. */
  function select(n, origin) {
    const variant = byNumber.get(n);
    if (!variant || hidden.has(variant.category)) return;
    clear();
    current = n;
    lead = null; // the scrolling below is ours, not the reader's
    let offset = null;
    if (origin) {
      const [pane, element] = origin;
      const y = element.offsetTop - pane.scrollTop;
      if (y >= 0 && y < pane.clientHeight) offset = y;
    }
    for (const [pane, element] of places(n)) {
      element.classList.add("current");
      element.setAttribute("aria-current", "true");
      place(pane, element, offset === null ? pane.clientHeight / 3 : offset);
    }
    showDetail(variant);
  }

  function step(direction) {
    const visible = variants.filter((v) => !hidden.has(v.category));
    if (!visible.length) return;
    let target;
    if (current === null) {
      target = direction > 0 ? visible[0] : visible[visible.length - 1];
    } else if (direction > 0) {
      target = visible.find((v) => v.n > current) || visible[visible.length - 1];
    } else {
      target = visible.filter((v) => v.n < current).pop() || visible[0];
    }
    select(target.n, null);
  }

  function showDetail(variant) {
    const letter = data.letters[variant.category];
    const heading = make("h3", `Variant ${variant.n}`);
    const facts = make("dl");
    for (const [term, value] of [
      ["Category", `${variant.category} (${letter})`],
      ["Kind", variant.kind],
      ["Base", data.base],
    ]) {
      facts.append(make("dt", term), make("dd", value));
    }
    const table = make("table");
    const head = make("tr");
    for (const label of ["Witness", "Reading in context", "Page:line"]) {
      const th = make("th", label);
      th.scope = "col";
      head.append(th);
    }
    table.append(make("thead"));
    table.tHead.append(head);
    const rows = make("tbody");
    data.sigla.forEach((siglum, i) => {
      const row = make("tr");
      const name = make("th", siglum === data.base ? `${siglum} (base)` : siglum);
      name.scope = "row";
      const context = make("td", null, "ctx");
      const [before, after] = variant.contexts[i];  // the witness's own, as it writes it
      if (before) context.append(make("span", before));
      const reading = variant.readings[i];
      // an empty reading's marker is set apart by a space where its context has none
      if (!reading && before && !/\s$/.test(before)) context.append(" ");
      context.append(make("mark", reading || "∅ (no reading)", `c-${variant.category}`));
      if (!reading && after && !/^\s/.test(after)) context.append(" ");
      if (after) context.append(make("span", after));
      const [page, line] = variant.where[i];
      row.append(name, context, make("td", `${page}:${line}`, "where"));
      rows.append(row);
    });
    table.append(rows);
    detail.replaceChildren(heading, facts, table);
  }

  function applyFilters() {
    hidden.clear();
    for (const box of boxes) {
      const category = box.dataset.category;
      body.classList.toggle(`hide-${category}`, !box.checked);
      if (!box.checked) hidden.add(category);
    }
    const counts = new Map();
    for (const v of variants) counts.set(v.category, (counts.get(v.category) || 0) + 1);
    let total = 0;
    for (const output of document.querySelectorAll("output[data-shown]")) {
      const category = output.dataset.shown;
      const shown = hidden.has(category) ? 0 : counts.get(category) || 0;
      output.textContent = String(shown);
      total += shown;
    }
    document.getElementById("shown").textContent = String(total);
    for (const output of document.querySelectorAll("output[data-total]")) {
      output.textContent = String(total);
    }
    if (current !== null && hidden.has(byNumber.get(current).category)) clear();
    tops = null; // badges came or went: the anchors moved
    if (columns.length) sync(lead || columns[0]);
  }

  function setAll(categories, checked) {
    for (const box of boxes) if (categories.includes(box.dataset.category)) box.checked = checked;
    applyFilters();
  }

  /* Scroll sync: every column has the same anchors (variants and a mark every few ranks) in the
     same order. Find the anchor at or above the top of the scrolled column, and how far the top
     is towards the next one; put every other column at the same point between the same two. */
  function measure() {
    tops = columns.map((pane) => {
      const anchors = pane.querySelectorAll("[data-r]");
      const list = [0];
      for (const anchor of anchors) list.push(anchor.offsetTop);
      list.push(pane.scrollHeight);
      return list;
    });
  }

  function sync(source) {
    if (!tops) measure();
    const mine = tops[columns.indexOf(source)];
    const y = source.scrollTop;
    let low = 0;
    let high = mine.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (mine[middle] <= y) low = middle;
      else high = middle - 1;
    }
    const k = Math.min(low, mine.length - 2);
    const span = mine[k + 1] - mine[k];
    const fraction = span > 0 ? Math.min(1, (y - mine[k]) / span) : 0;
    columns.forEach((pane, j) => {
      if (pane === source) return;
      const theirs = tops[j];
      pane.scrollTop = theirs[k] + fraction * (theirs[k + 1] - theirs[k]);
    });
  }

  for (const pane of columns) {
    for (const type of ["wheel", "pointerdown", "touchstart", "keydown"]) {
      pane.addEventListener(type, () => { lead = pane; }, { passive: true });
    }
    pane.addEventListener("scroll", () => {
      if (lead !== pane || pending) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; sync(pane); });
    }, { passive: true });
  }
  window.addEventListener("resize", () => { tops = null; });

  function showView(name) {
    main.dataset.view = name;
    for (const [id, view] of [["tab-sbs", "sbs"], ["tab-app", "app"]]) {
      document.getElementById(id).setAttribute("aria-pressed", String(view === name));
    }
  }

  main.addEventListener("click", (event) => {
    const element = event.target.closest("mark.v, li.e");
    if (!element) return;
    const pane = element.closest(".pane");
    const n = Number(element.dataset.n);
    select(n, pane && pane !== entries ? [pane, element] : null);
  });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
    const target = event.target;
    const typing = target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName)
      || (target.tagName === "INPUT" && target.type !== "checkbox");
    if (typing) return;
    if (event.key === "n") step(1);
    else if (event.key === "p") step(-1);
    else if (event.key === "Escape") clear();
    else return;
    event.preventDefault();
  });
  for (const box of boxes) box.addEventListener("change", applyFilters);
  document.getElementById("quiet").addEventListener("click",
    () => setAll(["punctuation", "case", "markup"], false));
  document.getElementById("all").addEventListener("click",
    () => setAll(boxes.map((box) => box.dataset.category), true));
  document.getElementById("next").addEventListener("click", () => step(1));
  document.getElementById("prev").addEventListener("click", () => step(-1));
  document.getElementById("tab-sbs").addEventListener("click", () => showView("sbs"));
  document.getElementById("tab-app").addEventListener("click", () => showView("app"));

  applyFilters(); // checkboxes a reload left unchecked
  measure();
  document.documentElement.dataset.ready = "true";
})();
