/* three or more witnesses (added only to such a page, before collate.js): the page's data,
   read once and shared by collate.js, nesting.js and many.js through collateData(). Each
   variant's readings, contexts and places (page and line) are packed field by field: the
   distinct values, and, when there are several, one character per witness whose code less
   48 is the index of the witness's value (an array of indices past the characters). A
   field is unpacked into one value per witness when it is first read; many.js compares
   readings by their indices without unpacking them. */
const collateData = (() => {
  "use strict";
  const FIRST = 48;
  let data = null;

  function index(field, w) {
    const codes = field[1];
    if (codes === undefined) return 0;
    return typeof codes === "string" ? codes.charCodeAt(w) - FIRST : codes[w];
  }

  class Variant {
    constructor(packed, count) {
      this.n = packed.n;
      this.kind = packed.kind;
      this.category = packed.category;
      if (packed.within !== undefined) this.within = packed.within;
      if (packed.contains !== undefined) this.contains = packed.contains;
      this.packed = packed;
      this.count = count;
      this.unpacked = {};
    }

    /* The index of witness w's value among the field's distinct values. */
    code(name, w) {
      return index(this.packed[name], w);
    }

    unpack(name) {
      if (!this.unpacked[name]) {
        const field = this.packed[name];
        this.unpacked[name] = Array.from({ length: this.count }, (_, w) => field[0][index(field, w)]);
      }
      return this.unpacked[name];
    }

    get readings() { return this.unpack("readings"); }
    get contexts() { return this.unpack("contexts"); }
    get where() { return this.unpack("where"); }
  }

  return () => {
    if (!data) {
      data = JSON.parse(document.getElementById("data").textContent);
      data.variants = data.variants.map((v) => new Variant(v, data.sigla.length));
    }
    return data;
  };
})();
