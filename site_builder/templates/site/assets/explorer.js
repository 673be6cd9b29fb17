// The explorer: filters, live counts, sorting and URL state over the catalog's rows.
//
// Why it is shaped like this:
// - Row data comes from one JSON file (data-rows), fetched once per page view and cached across
//   instant navigations. The page's HTML carries only the first rows (all of them for a small
//   catalog, so it reads without JavaScript); table rows are built from the data on demand, a
//   window at a time (more are appended as the reader scrolls, or with "show more"). Measured in
//   Chromium with 10,000 papers: parsing and laying out 10,000 rendered rows took seconds before
//   the page was usable; building 100 rows from data takes a few milliseconds.
// - Counts follow the other filters: one pass over the rows counts, for each row, how many
//   filter groups it fails. A row failing none counts for all its values; a row failing only one
//   facet counts for that facet's values (ticking one of them would bring the row in). So every
//   value shows how many papers it would leave, and the pass costs the same as filtering.
// - Material's instant navigation swaps pages without reloading scripts, so setup runs on every
//   emission of `document$`; Back/Forward between our own history entries fire only `popstate`.
// - Controls are buttons and form fields driven through the History API: same-page `?` links are
//   swallowed by instant navigation, and `q`/`h` belong to Material.

const WINDOW = 50; // rows added to the table at a time (several screens full; each row laid out costs time)
const AUTHORS_SHOWN = 3; // explorer_data.AUTHORS_SHOWN
let current = null; // the controller of the explorer on the page, if any
const dataCache = new Map(); // data URL -> promise of the parsed rows file

function encodeValue(text) {
  // Same bytes as Python's urllib.parse.quote(text, safe=",-:") so one view has one URL.
  return encodeURIComponent(text)
    .replace(/%2C/gi, ",")
    .replace(/%3A/gi, ":")
    .replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function loadData(url) {
  if (!dataCache.has(url)) {
    const promise = fetch(url).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.json();
    });
    promise.catch(() => dataCache.delete(url)); // a failed fetch may be retried on the next visit
    dataCache.set(url, promise);
  }
  return dataCache.get(url);
}

class Explorer {
  constructor(root, data) {
    this.root = root;
    this.path = location.pathname;
    this.keys = root.dataset.stateKeys.split(" ");
    this.defaultSort = root.dataset.defaultSort;
    this.yearMin = Number(root.dataset.yearMin);
    this.yearMax = Number(root.dataset.yearMax);
    this.paperBase = root.dataset.paperBase;
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
    this.codeCount = root.querySelector("[data-code-count]");
    this.sortSelect = root.querySelector("#ap-sort");
    // Every value of every facet gets one global number: counts and wanted values are flat arrays.
    this.fieldsets = new Map();
    this.countEls = [];
    let offset = 0;
    for (const fs of root.querySelectorAll("fieldset[data-facet]")) {
      const boxes = Array.from(fs.querySelectorAll("input[type=checkbox]"));
      const index = new Map(boxes.map((b, i) => [b.value, offset + i]));
      for (const b of boxes) this.countEls.push(b.closest("label").querySelector(".ap-count"));
      const selected = root.querySelector(`[data-selected-for="${CSS.escape(fs.dataset.facet)}"]`);
      this.fieldsets.set(fs.dataset.facet, { fieldset: fs, boxes, index, selected, number: this.fieldsets.size });
      offset += boxes.length;
    }
    this.optionCount = offset;
    this.shownCounts = new Int32Array(offset).fill(-1);
    this.counts = new Int32Array(offset);
    this.wanted = new Uint8Array(offset);
    this.facetKeys = Array.from(this.fieldsets.keys());
    this.columns = data.columns;
    this.venues = data.venues;
    // Rows in the default order, with each facet's values as indices of its checkboxes.
    const existing = new Map(Array.from(this.tbody.rows, (tr) => [tr.dataset.id, tr]));
    const venueFacet = this.fieldsets.get("venue");
    this.rows = data.rows.map((d, i) => {
      const by = []; // per facet (page order): the row's values as global numbers
      const all = [];
      for (const [key, f] of this.fieldsets) {
        const list = f === venueFacet ? [data.venues[d.venue]] : d.values[key] || [];
        const nums = [];
        for (const v of list) {
          const n = f.index.get(v);
          if (n !== undefined) nums.push(n);
        }
        by.push(nums);
        all.push(...nums);
      }
      return { d, i, by, all: Int32Array.from(all), text: null, year: d.year, code: Boolean(d.code), ok: true, tr: existing.get(d.id) || null };
    });
    this.total = this.rows.length;
    this.orders = new Map([[this.defaultSort, this.rows]]); // rows in each sort order, computed once
    this.matched = this.rows;
    this.rendered = 0;
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
    if (this.sortSelect) this.sortSelect.closest("label").hidden = false;
    this.apply(this.readUrl(), "replace");
    this.revealHash();
    root.dataset.readyMs = performance.now().toFixed(0); // since navigation start: "usable" for the benchmark
    // Prepare the text haystacks while the reader looks at the page, so the first keystroke
    // does not pay for lower-casing every row (done on demand if typing comes first).
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 200));
    idle(() => {
      for (const row of this.rows) this.haystack(row);
    });
  }

  // The markup of one row; the same as the page template's (explorer.md.j2).
  rowHtml(d) {
    const note = d.review ? esc("Review note: " + d.review) : "";
    const review = d.review ? `<span class="ap-review-marker" role="img" title="${note}" aria-label="${note}">&#9888;</span>` : "";
    let authors = "";
    if (d.authors) {
      const shown = d.authors.slice(0, AUTHORS_SHOWN).join(", ");
      authors = `<span class="ap-authors">${esc(d.authors.length > AUTHORS_SHOWN ? shown + " et al." : shown)}</span>`;
    }
    const award = d.award ? ` <span class="ap-award">${esc(d.award)}</span>` : "";
    let code = "&mdash;";
    if (d.code) code = `<a href="${esc(d.code)}" rel="noopener">code</a>`;
    else if (d.codeStatus) code = `<span title="code announced, not available">${esc(d.codeStatus)}</span>`;
    const extra = this.columns.map((c, i) => `<td class="ap-c-extra" data-label="${esc(c.label)}">${esc(d.cols[i])}</td>`).join("");
    return (
      `<td class="ap-c-title"><a href="${esc(this.paperBase + d.id)}/">${esc(d.title)}</a>${review}${authors}</td>` +
      `<td class="ap-c-alg">${esc(d.alg || "")}</td><td class="ap-c-venue">${esc(this.venues[d.venue])}${award}</td>` +
      `<td class="ap-c-year">${d.year}</td>${extra}<td class="ap-c-code">${code}</td>`
    );
  }

  // Table rows for rows[from..to) of `list`, building the missing ones in one HTML parse.
  build(list, from, to) {
    let html = "";
    const missing = [];
    for (let i = from; i < to; i++) {
      const row = list[i];
      if (row.tr) continue;
      missing.push(row);
      html += `<tr id="p-${esc(row.d.id)}" data-id="${esc(row.d.id)}">${this.rowHtml(row.d)}</tr>`;
    }
    if (missing.length) {
      const template = document.createElement("template");
      template.innerHTML = `<table><tbody>${html}</tbody></table>`;
      const trs = template.content.querySelector("tbody").children;
      for (let i = 0; i < missing.length; i++) missing[i].tr = trs[i];
    }
    const fragment = document.createDocumentFragment();
    for (let i = from; i < to; i++) fragment.appendChild(list[i].tr);
    return fragment;
  }

  // "Back to the explorer" links point at a row (#p-<id>); make sure it is in the table.
  revealHash() {
    const id = decodeURIComponent(location.hash.slice(1));
    if (!id.startsWith("p-")) return;
    const index = this.matched.findIndex((row) => "p-" + row.d.id === id);
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

  closeFacets(except) {
    for (const d of this.root.querySelectorAll("details.ap-facet[open]")) if (d !== except) d.open = false;
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
    if (this.sortSelect) {
      this.sortSelect.addEventListener("change", () => this.apply({ ...this.state, sort: this.sortSelect.value }, "push"));
    }
    // One filter panel open at a time; Escape closes it. (Panels sit in the page's flow and cover
    // nothing, so a click elsewhere leaves them open: closing on pointerdown would move the page
    // under the pointer and turn the click into a miss.)
    // Done on the click (Enter and Space on a summary click it too), before the box opens, and not
    // on the "toggle" event: toggle events are queued tasks, and a busy browser may run one late,
    // after the reader has opened the next box, which it would then close.
    this.root.addEventListener("click", (ev) => {
      const summary = ev.target.closest && ev.target.closest("details.ap-facet > summary");
      if (summary && !summary.parentElement.open) this.closeFacets(summary.parentElement);
    });
    this.root.addEventListener("keydown", (ev) => {
      if (ev.key !== "Escape") return;
      const open = ev.target.closest && ev.target.closest("details.ap-facet[open]");
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      }
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
      const text = chosen.size ? `${chosen.size} selected` : "";
      if (f.selected && f.selected.textContent !== text) f.selected.textContent = text;
      const details = f.fieldset.closest("details");
      if (details) details.classList.toggle("ap-active", chosen.size > 0);
    }
    if (this.text.value.trim() !== state.text.trim()) this.text.value = state.text;
    if (this.code.checked !== state.code) this.code.checked = state.code;
    const from = String(state.year ? state.year[0] : this.yearMin);
    const to = String(state.year ? state.year[1] : this.yearMax);
    if (this.yearFrom.value !== from) this.yearFrom.value = from;
    if (this.yearTo.value !== to) this.yearTo.value = to;
    if (this.sortSelect && this.sortSelect.value !== state.sort) this.sortSelect.value = state.sort;
  }

  ordered(sort) {
    if (!this.orders.has(sort)) {
      // The same orders as pages.sort_orders: ties by title rank (title, then id).
      const by = {
        year: (a, b) => a.year - b.year || a.d.rank - b.d.rank,
        title: (a, b) => a.d.rank - b.d.rank,
        "-title": (a, b) => b.d.rank - a.d.rank,
        venue: (a, b) => a.d.venue - b.d.venue || b.year - a.year || a.d.rank - b.d.rank,
        "-venue": (a, b) => b.d.venue - a.d.venue || b.year - a.year || a.d.rank - b.d.rank,
      }[sort];
      this.orders.set(sort, by ? this.rows.slice().sort(by) : this.rows);
    }
    return this.orders.get(sort);
  }

  // What the text box searches, computed on first use: title, algorithm, venue, tasks, authors
  // (pages.search_text joins the same fields).
  haystack(row) {
    if (row.text === null) {
      const d = row.d;
      row.text = [d.title, d.alg || "", this.venues[d.venue], ...(d.tasks || []), ...(d.authors || [])].join(" ").toLowerCase();
    }
    return row.text;
  }

  // One pass: which rows match, and how many papers each facet value would leave.
  filter(state) {
    const wanted = this.wanted;
    wanted.fill(0);
    const active = []; // numbers of the facets with a choice
    for (const [key, f] of this.fieldsets) {
      if (!state[key].length) continue;
      for (const v of state[key]) wanted[f.index.get(v)] = 1;
      active.push(f.number);
    }
    const terms = state.text.toLowerCase().split(/\s+/).filter(Boolean);
    const counts = this.counts;
    counts.fill(0);
    const year = state.year;
    let withCode = 0; // papers the "with code" box would leave
    let shown = 0;
    for (const row of this.rows) {
      // Year and text misses count for no facet value; so do code misses (below).
      let fails = year && (row.year < year[0] || row.year > year[1]) ? 2 : 0;
      if (fails === 0 && terms.length) {
        const text = this.haystack(row);
        for (let t = 0; t < terms.length; t++) {
          if (!text.includes(terms[t])) {
            fails = 2;
            break;
          }
        }
      }
      let failed = -1; // the facet missed, when it is the only miss
      for (let k = 0; k < active.length && fails < 2; k++) {
        const have = row.by[active[k]];
        let hit = false;
        for (let i = 0; i < have.length; i++) {
          if (wanted[have[i]] === 1) {
            hit = true;
            break;
          }
        }
        if (!hit) {
          fails++;
          failed = active[k];
        }
      }
      if (fails === 0 && row.code) withCode++;
      if (state.code && !row.code) fails = 2;
      row.ok = fails === 0;
      if (fails === 0) {
        shown++;
        const all = row.all;
        for (let i = 0; i < all.length; i++) counts[all[i]]++;
      } else if (fails === 1) {
        const have = row.by[failed];
        for (let i = 0; i < have.length; i++) counts[have[i]]++;
      }
    }
    this.matched = this.ordered(state.sort).filter((row) => row.ok);
    this.writeCounts(withCode);
    const message = shown === this.total ? `${this.total} papers` : `${shown} of ${this.total} papers`;
    if (this.countEl.textContent !== message) this.countEl.textContent = message;
    this.emptyEl.hidden = shown !== 0;
    this.root.dataset.shown = String(shown);
  }

  writeCounts(withCode) {
    const counts = this.counts;
    const shown = this.shownCounts;
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i];
      if (shown[i] === n) continue;
      const el = this.countEls[i];
      el.textContent = String(n);
      if ((shown[i] === 0) !== (n === 0)) el.parentElement.classList.toggle("ap-zero", n === 0);
      shown[i] = n;
    }
    if (this.codeCount && this.codeCount.textContent !== String(withCode)) this.codeCount.textContent = String(withCode);
  }

  // Put the first `limit` matching rows into the table (a fragment: one DOM update).
  render(limit) {
    const end = Math.min(limit, this.matched.length);
    this.tbody.replaceChildren(this.build(this.matched, 0, end));
    this.rendered = end;
    this.updateMore();
  }

  // Append the next `count` matching rows. On a reader's request (`focusNew`) focus moves to the
  // first new row's link: reading goes on there, and focus is never left on a button that hides.
  showMore(count = WINDOW, focusNew = false) {
    if (this.rendered >= this.matched.length) return;
    const start = this.rendered;
    const end = Math.min(this.matched.length, start + count);
    this.tbody.appendChild(this.build(this.matched, start, end));
    this.rendered = end;
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
  current = null;
  if (!root) return;
  const url = new URL(root.dataset.rows, location.href).href;
  loadData(url).then(
    (data) => {
      if (root.isConnected) current = new Explorer(root, data);
    },
    (error) => {
      root.dataset.error = String(error);
      const count = root.querySelector("#ap-count");
      if (count) count.textContent += " (the filters could not load their data; reload the page to try again)";
    },
  );
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
