/* nested variants (added only to a page that has them): the detail panel of a variant says
   which variant it lies in and which lie in it. Runs after collate.js, watching the panel it
   fills; builds DOM only with createElement and textContent. */
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("data").textContent);
  const byNumber = new Map(data.variants.map((v) => [v.n, v]));
  const detail = document.getElementById("detail-body");

  function facts() {
    const entry = document.querySelector("#entries li.e.current");
    const list = detail.querySelector("dl");
    const variant = entry && list ? byNumber.get(Number(entry.dataset.n)) : undefined;
    if (!variant) return;
    const rows = [];
    if (variant.within !== undefined) rows.push(["In", `variant ${variant.within}`]);
    if (variant.contains) {
      const numbers = variant.contains.join(", ");
      rows.push(["Holds", `${variant.contains.length}: ${numbers}`]);
    }
    for (const [term, value] of rows) {
      const dt = document.createElement("dt");
      const dd = document.createElement("dd");
      dt.textContent = term;
      dd.textContent = value;
      dd.className = "nest";
      list.append(dt, dd);
    }
  }

  new MutationObserver(facts).observe(detail, { childList: true });
})();
