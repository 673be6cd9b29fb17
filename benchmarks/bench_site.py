"""Benchmark: website build time, and the explorer's weight, start-up and filter latency at scale.

Targets (issues 4 and 13): building the site for the real catalog under 10 s, for 5,000 synthetic
entries under 30 s; with 10,000 synthetic entries the explorer page weighs at most 1.5 MB
gzip-compressed (everything the page loads: HTML, row data, scripts, styles), is usable (filters
shown and applied) within 1 s of navigation start, and every filter change, including the
update of every value's count, takes under 50 ms in Chromium, measured with ``performance.now()``
around the change (event handler plus the forced style and layout, so the cost of swapping rows
and writing counts counts). For those figures only the explorer page is built for the 10,000
entries (a full 10,000-page site is not needed to time the table).
Run alone: ``python benchmarks/bench_site.py [real|synthetic|latency]``.
"""

from __future__ import annotations

import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalog.catalog import Catalog  # noqa: E402
from catalog.load import load_catalog  # noqa: E402
from catalog.source import Source  # noqa: E402
from site_builder.site.build import DEFAULT_CONFIG, build_site, run_mkdocs, site_files, write_staging  # noqa: E402
from site_builder.site.explorer_data import DATA_FILE as EXPLORER_DATA_FILE  # noqa: E402
from site_builder.site.explorer_data import explorer_json  # noqa: E402
from site_builder.site.pages import SiteModel, SitePage, explorer_context, make_environment, render_pages  # noqa: E402
from tests.support.browser import CHROMIUM, StaticServer, chromium, guard_page  # noqa: E402
from tests.support.factory import synthetic_paper, write_synthetic_catalog  # noqa: E402

SYNTHETIC_BUILD = 5_000
SYNTHETIC_ROWS = 10_000
CHANGES_PER_KIND = 15

MEASURE_JS = """
async ({kind, rounds}) => {
  const root = document.querySelector('[data-explorer]');
  const next = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const actions = {
    checkbox: i => document.querySelector(
      ['input[name=when][value="after-training"]', 'input[name=structure][value="C"]', 'input[name=models][value="llm"]'][i % 3]
    ).click(),
    text: i => {
      const t = document.querySelector('#ap-text');
      t.value = ['l', 'lo', 'lot', 'lott', 'lotter', 'lottery', 'lotter', 'lot', ''][i % 9];
      t.dispatchEvent(new Event('input', {bubbles: true}));
    },
    year: i => {
      const s = document.querySelector('#ap-year-from');
      s.value = String(2016 + (i % 8));
      s.dispatchEvent(new Event('change', {bubbles: true}));
    },
    code: i => document.querySelector('#ap-code').click(),
    sort: i => document.querySelector(['button[data-sort=title]', 'button[data-sort=venue]', 'button[data-sort=year]'][i % 3]).click(),
  };
  const times = [];
  for (let i = 0; i < rounds; i++) {
    await next();
    const t0 = performance.now();
    actions[kind](i);
    document.body.offsetHeight;  // force style + layout now, inside the measured span
    times.push(performance.now() - t0);
  }
  return {times, shown: Number(root.dataset.shown)};
}
"""


def _time_build(catalog: Catalog, work: Path) -> tuple[float, float, int]:
    result = build_site(catalog, work / "site", staging=work / "staging", site_url="http://127.0.0.1:8000/")
    return result.render_seconds, result.mkdocs_seconds, result.pages


def bench_real(work: Path) -> None:
    papers = ROOT / "papers"
    if not papers.is_dir() or not any(papers.glob("*.yaml")):
        print("real catalog: papers/ not present, skipped")
        return
    started = time.perf_counter()
    catalog = load_catalog(papers)
    loaded = time.perf_counter() - started
    render, mkdocs, pages = _time_build(catalog, work / "real")
    total = loaded + render + mkdocs
    print(
        f"real catalog ({len(catalog)} papers, {pages} pages): {total:.2f} s  "
        f"(load {loaded:.2f}, render {render:.2f}, mkdocs {mkdocs:.2f}; target < 10 s)"
    )


def bench_synthetic(work: Path) -> None:
    folder = work / "synthetic-papers"
    write_synthetic_catalog(folder, SYNTHETIC_BUILD, seed=4)
    started = time.perf_counter()
    catalog = load_catalog(folder)
    loaded = time.perf_counter() - started
    render, mkdocs, pages = _time_build(catalog, work / "synthetic")
    total = loaded + render + mkdocs
    size = sum(f.stat().st_size for f in (work / "synthetic" / "site").rglob("*") if f.is_file()) / 1e6
    index = (work / "synthetic" / "site" / "search" / "search_index.json").read_bytes()
    rows = (work / "synthetic" / "site" / "assets" / "explorer-rows.json").read_bytes()
    print(
        f"{SYNTHETIC_BUILD} synthetic papers ({pages} pages, {size:.0f} MB): {total:.2f} s  "
        f"(load {loaded:.2f}, render {render:.2f}, mkdocs {mkdocs:.2f}; target < 30 s)"
    )
    print(
        f"  search index {len(index) / 1e6:.1f} MB ({len(gzip.compress(index)) / 1e6:.2f} MB gzip, one entry per paper); "
        f"explorer rows {len(rows) / 1e6:.1f} MB ({len(gzip.compress(rows)) / 1e6:.2f} MB gzip)"
    )


def _explorer_only_site(work: Path, count: int) -> Path:
    """Build just the explorer page (and its assets) for ``count`` synthetic papers."""
    rng = random.Random(10)
    papers = [synthetic_paper(i, rng) for i in range(count)]
    catalog = Catalog.build((p, Source(path=f"{p.id}.yaml", lines={})) for p in papers)
    model = SiteModel(catalog)
    page = SitePage("explorer.md", "explorer.md.j2", explorer_context(model))
    files: dict[str, str | bytes] = {**render_pages(model, [page], make_environment()), EXPLORER_DATA_FILE: explorer_json(model)}
    files.update({k: v for k, v in site_files(Catalog.build([])).items() if k.startswith("assets/") and k != EXPLORER_DATA_FILE})
    files["index.md"] = "# Explorer benchmark\n\n[Explorer](explorer.md)\n"
    staging = work / "explorer-staging"
    write_staging(files, staging)
    config_text = DEFAULT_CONFIG.read_text(encoding="utf-8").replace("custom_dir: theme", f"custom_dir: {DEFAULT_CONFIG.parent / 'theme'}")
    config_text = config_text[: config_text.index("\nnav:")] + "\nnav:\n  - Home: index.md\n  - Explorer: explorer.md\n"
    config = work / "mkdocs-explorer.yml"
    config.write_text(config_text, encoding="utf-8")
    site = work / "explorer-site"
    run_mkdocs(config, staging, site, site_url="http://127.0.0.1:1/", strict=True)
    return site


def _gzip_size(response: object) -> int:
    try:
        body = response.body()  # type: ignore[attr-defined]
    except Exception:  # redirects and aborted requests have no body
        return 0
    return len(gzip.compress(body, compresslevel=6))


def bench_filter_latency(work: Path) -> None:
    if not CHROMIUM.exists():
        print(f"explorer filter latency: {CHROMIUM} missing, skipped")
        return
    started = time.perf_counter()
    site = _explorer_only_site(work, SYNTHETIC_ROWS)
    size = (site / "explorer" / "index.html").stat().st_size / 1e6
    print(
        f"explorer page with {SYNTHETIC_ROWS} rows built in {time.perf_counter() - started:.1f} s ({size:.1f} MB HTML; explorer page only)"
    )
    with StaticServer(site) as server, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        guard = guard_page(page)
        loaded: dict[str, int] = {}  # URL -> gzip-compressed size of what the page fetched
        page.on("response", lambda r: loaded.__setitem__(r.url, _gzip_size(r)))
        page.goto(server.url("explorer/"))
        page.wait_for_selector("form.ap-filters:not([hidden])", state="attached", timeout=60_000)
        page.wait_for_load_state("networkidle")
        rows = page.eval_on_selector_all("table[data-explorer-table] tbody tr", "rows => rows.length")
        root = "document.querySelector('[data-explorer]').dataset"
        setup = float(page.evaluate(f"{root}.filterMs"))
        ready = float(page.evaluate(f"{root}.readyMs"))
        weight = sum(loaded.values()) / 1e6
        largest = max(loaded, key=loaded.__getitem__)
        print(
            f"  page weight: {weight:.2f} MB gzip over {len(loaded)} requests (largest {largest.rsplit('/', 1)[-1]} "
            f"{loaded[largest] / 1e6:.2f} MB; target <= 1.5 MB)"
        )
        print(f"  usable (filters shown and applied) {ready / 1000:.2f} s after navigation start (target < 1 s); {rows} rows in the table")
        print(f"  first state applied in {setup:.1f} ms")
        # A reader opens a facet's box before ticking in it; opening is not part of a filter change.
        page.evaluate("document.querySelectorAll('details.ap-facet').forEach(d => { d.open = true; })")
        worst = 0.0
        for kind in ("checkbox", "text", "year", "code", "sort"):
            result = page.evaluate(MEASURE_JS, {"kind": kind, "rounds": CHANGES_PER_KIND})
            times = result["times"]
            worst = max(worst, max(times))
            label = "sort (reorder rows)" if kind == "sort" else f"{kind} filter change"
            print(f"  {label:24s} median {statistics.median(times):6.1f} ms  max {max(times):6.1f} ms  over {len(times)} changes")
        guard.assert_clean()
        print(f"explorer filter latency, {SYNTHETIC_ROWS} rows: worst change (counts included) {worst:.1f} ms (target < 50 ms)")


def main(parts: list[str] | None = None) -> None:
    """Run every part, or only those named (``real``, ``synthetic``, ``latency``)."""
    chosen = parts or ["real", "synthetic", "latency"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} at start (times grow with the load)")
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        work = Path(tmp)
        for name, part in (("real", bench_real), ("synthetic", bench_synthetic), ("latency", bench_filter_latency)):
            if name in chosen:
                part(work)


if __name__ == "__main__":
    main(sys.argv[1:])
