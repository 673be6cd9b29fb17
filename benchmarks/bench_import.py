"""Benchmark: importing and merging the five lists, and what the merged catalog costs downstream.

Prints (best of a few runs, wall and CPU seconds):

- import time of each list (the seed list and the four sister lists in ../shared/seeds),
- the merge of all five into an empty catalog (match, add facts, validate every entry),
- for the committed, merged catalog in papers/: validate (load_catalog) against a bare YAML
  parse of the same files (target: at most 2x), the README render, and a full site build
  (render + mkdocs build --strict; target: under 10 s here).

Run: ``python benchmarks/bench_import.py`` (skips the list parts when ../shared is absent).
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_catalog import best_of  # noqa: E402  (one timing loop for every benchmark)
from catalog.importers.markdown import ImportResult, import_markdown_text  # noqa: E402
from catalog.importers.merge_catalog import Merger  # noqa: E402
from catalog.load import load_catalog, paper_files  # noqa: E402
from site_builder.readme import render_readme  # noqa: E402
from site_builder.site import build_site  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
LISTS = (
    ("awesome-pruning", SEEDS / "awesome-pruning" / "README.md"),
    ("he-y", SEEDS / "sister-lists" / "he-y-Awesome-Pruning.md"),
    ("mingsun-tse", SEEDS / "sister-lists" / "MingSun-Tse-Awesome-Pruning-at-Initialization.md"),
    ("horseee", SEEDS / "sister-lists" / "horseee-Awesome-Efficient-LLM-pruning.md"),
    ("pprp", SEEDS / "sister-lists" / "pprp-Awesome-LLM-Prune.md"),
)
DAY = dt.date(2026, 12, 2)
TARGET_SITE_S = 10.0
TARGET_RATIO = 2.0


def bench_lists() -> None:
    if not all(path.exists() for _, path in LISTS):
        print(f"lists: {SEEDS} not present, skipped")
        return
    texts = {name: path.read_text(encoding="utf-8") for name, path in LISTS}
    results: dict[str, ImportResult] = {}
    total = 0.0
    for name, text in texts.items():

        def run(name: str = name, text: str = text) -> None:
            results[name] = import_markdown_text(text, source=name, added=DAY, list_name=name)

        wall, cpu = best_of(run)
        total += wall
        r = results[name]
        print(f"import {name:16} {len(r.rows):4} rows -> {len(r.papers):4} entries  {wall:.2f} s (cpu {cpu:.2f}) [{r.reader}]")

    def merge() -> Merger:
        merger = Merger([], added=DAY)
        for name, result in results.items():
            merger.merge(name, result)
        return merger

    wall, cpu = best_of(merge)
    print(
        f"import of all five lists: {total:.2f} s; merge of all five into an empty catalog: {wall:.2f} s (cpu {cpu:.2f}), "
        f"{len(merge().papers)} entries"
    )


def bench_catalog() -> None:
    papers = ROOT / "papers"
    files = paper_files([papers])
    catalog = load_catalog(papers)
    load_wall, load_cpu = best_of(lambda: load_catalog(papers))
    parse_wall, parse_cpu = best_of(lambda: [yaml.load(f.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader) for f in files])
    ratio = load_cpu / parse_cpu if parse_cpu else float("inf")
    print(
        f"validate {len(catalog)} papers: {load_wall:.2f} s (cpu {load_cpu:.2f}); bare parse {parse_wall:.2f} s (cpu {parse_cpu:.2f}); "
        f"ratio {ratio:.2f}x (cpu; target <= {TARGET_RATIO:.0f}x)"
    )
    wall, cpu = best_of(lambda: render_readme(catalog))
    print(f"README of {len(catalog)} papers: {wall:.2f} s (cpu {cpu:.2f})")
    with tempfile.TemporaryDirectory(prefix="bench-import-site-") as tmp:
        started = time.perf_counter()
        result = build_site(catalog, Path(tmp) / "site", staging=Path(tmp) / "staging", site_url="http://127.0.0.1:8000/")
        took = time.perf_counter() - started
    print(
        f"site of {len(catalog)} papers ({result.pages} pages): {took:.2f} s (render {result.render_seconds:.2f}, "
        f"mkdocs {result.mkdocs_seconds:.2f}; target < {TARGET_SITE_S:.0f} s)"
    )


def main() -> None:
    bench_lists()
    bench_catalog()


if __name__ == "__main__":
    main()
