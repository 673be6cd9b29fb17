// The explorer: filters, sorting and URL state over the table rendered at build time.
//
// Why it is shaped like this:
// - The table is complete in the HTML (readable without JavaScript, indexed by search). With
//   JavaScript the rows are kept in memory and only the matching ones are in the table, in the
//   chosen order, a window at a time (more are appended as the reader scrolls, or with the
//   "Show more" button). Measured in Chromium with 10,000 rows: toggling `hidden` on thousands
//   of rows costs 300-1400 ms of style and layout per change; swapping a window of rows costs a
//   few milliseconds whatever the catalog size.
// - Material's instant navigation swaps pages without reloading scripts, so setup runs on every
//   emission of `document$`; Back/Forward between our own history entries fire only `popstate`.
// - Controls are buttons and form fields driven through the History API: same-page `?` links are
//   swallowed by instant navigation, and `q`/`h` belong to Material.
// - Row data lives in data-* attributes (inline JSON scripts lose their attributes on swaps).

const SEP = "|";
const WINDOW = 100; // rows added to the table at a time (several screens full)
let current = null; // the controller of the explorer on the page, if any

function encodeValue(text) {
  // Same bytes as Python's urllib.parse.quote(text, safe=",-:") so one view has one URL.
  return encodeURIComponent(text)
    .replace(/%2C/gi, ",")
    .replace(/%3A/gi, ":")
    .replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

class Explorer {
  constructor(root) {
    this.root = root;
    this.path = location.pathname;
    this.keys = root.dataset.stateKeys.split(" ");
    this.defaultSort = root.dataset.defaultSort;
    this.yearMin = Number(root.dataset.yearMin);
    this.yearMax = Number(root.dataset.yearMax);
    this.form = root.querySelector("form.ap-filters");
    this.table = root.querySelector("table[data-explorer-table]");
    this.tbody = this.table.tBodies[0];
    this.sortKeys = this.table.dataset.sortKeys.split(" ");
    this.countEl = root.querySelector("#ap-count");
    this.emptyEl = root.querySelector("[data-empty]");
    this.text = root.querySelector("#ap-text");
    this.yearFrom = root.querySelector("#ap-year-from");
    this.yearTo = root.querySelector("#ap-year-to");
    this.code = root.querySelector("#ap-code");
    this.fieldsets = new Map();
    for (const fs of root.querySelectorAll("fieldset[data-facet]")) {
      const boxes = Array.from(fs.querySelectorAll("input[type=checkbox]"));
      this.fieldsets.set(fs.dataset.facet, { fieldset: fs, boxes, known: new Set(boxes.map((b) => b.value)) });
    }
    this.facetKeys = Array.from(this.fieldsets.keys());
    // Per-row data, read once: value lists per facet, year, code flag, text and sort ranks.
    this.rows = Array.from(this.tbody.rows, (tr) => {
      const d = tr.dataset;
      const values = {};
      for (const key of this.facetKeys) values[key] = d[key] ? d[key].split(SEP) : [];
      return { tr, values, year: Number(d.year), code: d.code === "1", text: d.text || "", ranks: d.ranks.split(" ").map(Number) };
    });
    this.total = this.rows.length;
    this.orders = new Map([[this.defaultSort, this.rows]]); // rows in each sort order, computed once
    this.matched = this.rows;
    this.limit = WINDOW;
    this.more = root.querySelector("[data-more]");
    this.moreCount = root.querySelector("[data-more-count]");
    this.sentinel = root.querySelector("[data-sentinel]");
    if ("IntersectionObserver" in window) {
      // Append the next window when the end of the table comes near the viewport; but not while
      // the "show more" button has focus: a keyboard reader who reached it asks for rows by
      // pressing it, and loading on scroll would move the focused button out of view, then hide it.
      this.observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting) && this.root.isConnected && !this.more.contains(document.activeElement)) this.showMore();
      }, { rootMargin: "600px 0px" });
      this.observer.observe(this.sentinel);
      // Observing afresh reports the current intersection, so leaving the button resumes loading.
      this.more.addEventListener("focusout", () => {
        this.observer.unobserve(this.sentinel);
        this.observer.observe(this.sentinel);
      });
    }
    this.sort = this.defaultSort;
    this.state = null;
    this.typing = false; // the current history entry was created by typing in the text box
    this.bind();
    this.form.hidden = false;
    this.apply(this.readUrl(), "replace");
    this.revealHash();
  }

  // "Back to the explorer" links point at a row (#p-<id>); make sure it is in the table.
  revealHash() {
    const id = decodeURIComponent(location.hash.slice(1));
    if (!id.startsWith("p-")) return;
    const index = this.matched.findIndex((row) => row.tr.id === id);
    if (index < 0) return;
    if (index >= this.rendered) this.showMore(index + 1 - this.rendered);
    this.matched[index].tr.scrollIntoView({ block: "center" });
  }

  emptyState(sort) {
    const state = { sort: sort || this.defaultSort, text: "", code: false, year: null };
    for (const key of this.facetKeys) state[key] = [];
    return state;
  }

  readUrl() {
    const params = new URLSearchParams(location.search);
    const state = this.emptyState(params.get("sort"));
    if (!this.sortKeys.includes(state.sort)) state.sort = this.defaultSort;
    for (const key of this.facetKeys) {
      const raw = params.get(key);
      if (!raw) continue;
      const wanted = new Set(raw.split(","));
      // Keep the page's value order (taxonomy order) and drop values the page does not know.
      state[key] = this.fieldsets.get(key).boxes.map((b) => b.value).filter((v) => wanted.has(v));
    }
    state.text = params.get("text") || "";
    state.code = params.get("code") === "1";
    state.year = this.parseYears(params.get("year"));
    return state;
  }

  parseYears(raw) {
    if (!raw) return null;
    const m = /^\s*(\d{4})?\s*(?:-\s*(\d{4})?)?\s*$/.exec(raw);
    if (!m || (!m[1] && !m[2])) return null;
    let from = m[1] ? Number(m[1]) : this.yearMin;
    let to = m[2] ? Number(m[2]) : raw.includes("-") ? this.yearMax : from;
    if (from > to) [from, to] = [to, from];
    from = Math.max(from, this.yearMin);
    to = Math.min(to, this.yearMax);
    if (from === this.yearMin && to === this.yearMax) return null;
    return [from, to];
  }

  readControls() {
    const state = this.emptyState(this.sort);
    for (const [key, f] of this.fieldsets) state[key] = f.boxes.filter((b) => b.checked).map((b) => b.value);
    state.text = this.text.value;
    state.code = this.code.checked;
    state.year = this.parseYears(`${this.yearFrom.value}-${this.yearTo.value}`);
    return state;
  }

  query(state) {
    const parts = [];
    for (const key of this.keys) {
      let value = "";
      if (this.fieldsets.has(key)) value = state[key].join(",");
      else if (key === "year") value = state.year ? `${state.year[0]}-${state.year[1]}` : "";
      else if (key === "code") value = state.code ? "1" : "";
      else if (key === "text") value = state.text.trim();
      else if (key === "sort") value = state.sort === this.defaultSort ? "" : state.sort;
      if (value) parts.push(`${key}=${encodeValue(value)}`);
    }
    return parts.length ? "?" + parts.join("&") : "";
  }

  bind() {
    this.form.addEventListener("submit", (ev) => ev.preventDefault());
    this.form.addEventListener("change", (ev) => {
      if (ev.target === this.text) return; // typing is handled by "input"
      this.apply(this.readControls(), "push");
    });
    this.text.addEventListener("input", () => {
      this.apply(this.readControls(), this.typing ? "replace" : "push");
      this.typing = true;
    });
    this.root.addEventListener("click", (ev) => {
      const button = ev.target.closest("button");
      if (!button || !this.root.contains(button)) return;
      if (button.dataset.action === "more") {
        this.showMore(WINDOW, true);
      } else if (button.dataset.action === "clear") {
        this.apply(this.emptyState(this.sort), "push");
        this.text.focus();
      } else if (button.dataset.sort) {
        const col = button.dataset.sort;
        const next = this.sort === col ? "-" + col : this.sort === "-" + col ? col : col === "year" ? "-year" : col;
        this.apply({ ...this.state, sort: next }, "push");
      }
    });
  }

  // Reflect `state` in the form, touching only what differs (every DOM write can cost layout).
  writeControls(state) {
    for (const [key, f] of this.fieldsets) {
      const chosen = new Set(state[key]);
      for (const box of f.boxes) {
        const on = chosen.has(box.value);
        if (box.checked !== on) box.checked = on;
      }
      const label = this.root.querySelector(`[data-selected-for="${key}"]`);
      const text = chosen.size ? `(${chosen.size} selected)` : "";
      if (label && label.textContent !== text) label.textContent = text;
      const details = f.fieldset.closest("details");
      if (chosen.size && details && !details.open) details.open = true;
    }
    if (this.text.value.trim() !== state.text.trim()) this.text.value = state.text;
    if (this.code.checked !== state.code) this.code.checked = state.code;
    const from = String(state.year ? state.year[0] : this.yearMin);
    const to = String(state.year ? state.year[1] : this.yearMax);
    if (this.yearFrom.value !== from) this.yearFrom.value = from;
    if (this.yearTo.value !== to) this.yearTo.value = to;
  }

  matches(row, state, facets, terms) {
    if (state.code && !row.code) return false;
    if (state.year && (row.year < state.year[0] || row.year > state.year[1])) return false;
    for (const [key, wanted] of facets) {
      const have = row.values[key];
      let hit = false;
      for (let i = 0; i < have.length && !hit; i++) hit = wanted.has(have[i]);
      if (!hit) return false;
    }
    for (const term of terms) if (!row.text.includes(term)) return false;
    return true;
  }

  ordered(sort) {
    if (!this.orders.has(sort)) {
      const index = this.sortKeys.indexOf(sort);
      this.orders.set(sort, this.rows.slice().sort((a, b) => a.ranks[index] - b.ranks[index]));
    }
    return this.orders.get(sort);
  }

  filter(state) {
    const facets = [];
    for (const key of this.facetKeys) if (state[key].length) facets.push([key, new Set(state[key])]);
    const terms = state.text.toLowerCase().split(/\s+/).filter(Boolean);
    this.matched = this.ordered(state.sort).filter((row) => this.matches(row, state, facets, terms));
    const shown = this.matched.length;
    const message = shown === this.total ? `${this.total} papers` : `${shown} of ${this.total} papers`;
    if (this.countEl.textContent !== message) this.countEl.textContent = message;
    this.emptyEl.hidden = shown !== 0;
    this.root.dataset.shown = String(shown);
  }

  // Put the first `limit` matching rows into the table (a fragment: one DOM update).
  render(limit) {
    this.limit = Math.max(WINDOW, limit);
    const fragment = document.createDocumentFragment();
    const end = Math.min(this.limit, this.matched.length);
    for (let i = 0; i < end; i++) fragment.appendChild(this.matched[i].tr);
    this.tbody.replaceChildren(fragment);
    this.rendered = end;
    this.updateMore();
  }

  // Append the next `count` matching rows. On a reader's request (`focusNew`) focus moves to the
  // first new row's link: reading goes on there, and focus is never left on a button that hides.
  showMore(count = WINDOW, focusNew = false) {
    if (this.rendered >= this.matched.length) return;
    const start = this.rendered;
    const end = Math.min(this.matched.length, start + count);
    const fragment = document.createDocumentFragment();
    for (let i = start; i < end; i++) fragment.appendChild(this.matched[i].tr);
    this.tbody.appendChild(fragment);
    this.rendered = end;
    this.limit = Math.max(this.limit, end);
    if (focusNew) this.matched[start].tr.querySelector("a")?.focus();
    this.updateMore();
  }

  updateMore() {
    const rest = this.matched.length - this.rendered;
    this.more.hidden = rest <= 0;
    if (rest > 0) this.moreCount.textContent = `${this.rendered} of ${this.matched.length} shown`;
  }

  markSort(sort) {
    const col = sort.replace(/^-/, "");
    for (const th of this.table.tHead.querySelectorAll("th[data-sort-col]")) {
      if (th.dataset.sortCol === col) th.setAttribute("aria-sort", sort.startsWith("-") ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    }
    this.sort = sort;
  }

  // Show `state`; `mode` says what happens to history: "push" a new entry, "replace" the current
  // one, or "none" (popstate: the URL is already right).
  apply(state, mode) {
    const start = performance.now();
    const query = this.query(state);
    this.writeControls(state);
    this.filter(state);
    if (state.sort !== this.sort) this.markSort(state.sort);
    this.render(WINDOW);
    this.state = state;
    this.root.dataset.query = query; // the view shown, for tests and for anyone debugging a link
    if (mode !== "none") {
      const url = this.path + query;
      if (url !== location.pathname + location.search) {
        if (mode === "push") history.pushState(null, "", url);
        else history.replaceState(history.state, "", url);
      }
    }
    if (mode !== "replace" || !this.typing) this.typing = false;
    this.root.dataset.filterMs = (performance.now() - start).toFixed(2);
  }

  onPopState() {
    this.typing = false;
    this.apply(this.readUrl(), "none");
  }
}

function setup() {
  const root = document.querySelector("[data-explorer]");
  current = root ? new Explorer(root) : null;
}

window.addEventListener("popstate", () => {
  if (current && current.root.isConnected && location.pathname === current.path) current.onPopState();
});

if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
  window.document$.subscribe(setup); // Material: fires on load and after every instant navigation
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setup);
} else {
  setup();
}
