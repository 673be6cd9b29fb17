"""``pruning-catalog enrich``: fill missing authors, abstracts and first-version dates from the arXiv API.

Only fields that are missing change; what a contributor wrote is never overwritten. Ids go to
the API 100 a call, 3 s apart (the shared arXiv client), and answers are cached so a rerun
within a month asks nothing. ``--dry-run`` prints the diff and writes nothing.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from catalog.arxiv_api import DEFAULT_METADATA_CACHE, ArxivMetadata, ArxivRecord, MetadataCache
from catalog.canonical import strip_schema_line, with_comments
from catalog.catalog import Catalog
from catalog.commands.common import load_or_report
from catalog.dump import dump_paper
from catalog.fileio import write_text_atomic
from catalog.links.config import CheckConfig
from catalog.links.http import Clock
from catalog.model import Paper, validate_paper
from catalog.normalize import strip_arxiv_version
from catalog.options import arxiv_config, arxiv_endpoint_options, paper_paths, paper_paths_options

EXAMPLE = """examples:
  pruning-catalog enrich --dry-run        show what would be filled in, as a diff
  pruning-catalog enrich                  fill missing authors, abstracts and dates in papers/
  pruning-catalog enrich papers/snip-single-shot-network-pruning.yaml
"""
FILLED = ("authors", "abstract", "published")


@dataclass
class EnrichResult:
    changed: dict[Path, tuple[str, str]] = field(default_factory=dict)  # path -> (old text, new text)
    failed: dict[str, str] = field(default_factory=dict)  # paper id -> why
    requests: int = 0
    asked: int = 0


def _missing(paper: Paper) -> list[str]:
    return [name for name in FILLED if not getattr(paper, name)]


def _update(paper: Paper, record: ArxivRecord) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if not paper.authors and record.authors:
        update["authors"] = list(record.authors)
    if not paper.abstract and record.abstract:
        update["abstract"] = record.abstract
    if not paper.published and record.published:
        update["published"] = record.published
    return update


def enrich(
    catalog: Catalog,
    *,
    config: CheckConfig,
    clock: Clock | None = None,
    cache: MetadataCache | None = None,
    only: Sequence[str] | None = None,
) -> EnrichResult:
    """The new text of every file that gains a field; nothing is written here."""
    result = EnrichResult()
    wanted = [p for p in catalog.papers if p.arxiv and _missing(p) and (only is None or p.id in only)]
    bases = list(dict.fromkeys(strip_arxiv_version(p.arxiv) for p in wanted if p.arxiv))
    records: dict[str, ArxivRecord] = {}
    to_ask = []
    for base in bases:
        cached = cache.get(base) if cache else None
        if cached is not None:
            records[base] = cached
        else:
            to_ask.append(base)
    if to_ask:
        with ArxivMetadata(config, clock) as api:
            fetched = api.fetch(to_ask)
        result.requests, result.asked = fetched.requests, len(to_ask)
        for base, record in fetched.found.items():
            records[base] = record
            if cache:
                cache.put(record)
        for base, failure in fetched.failed.items():
            for paper in wanted:
                if paper.arxiv and strip_arxiv_version(paper.arxiv) == base:
                    result.failed[paper.id] = failure.detail
    for paper in wanted:
        assert paper.arxiv is not None
        found = records.get(strip_arxiv_version(paper.arxiv))
        if found is None:
            continue
        update = _update(paper, found)
        if not update:
            continue
        new_paper = validate_paper({**paper.model_dump(exclude_defaults=True), **update}, catalog.taxonomy)
        path = Path(catalog.sources[paper.id].path)
        old_text = path.read_text(encoding="utf-8")
        formatted = with_comments(strip_schema_line(old_text), dump_paper(new_paper), str(path))
        if formatted.text is not None and formatted.text != old_text:
            result.changed[path] = (old_text, formatted.text)
    return result


def print_diff(result: EnrichResult, out: TextIO) -> None:
    for path, (old, new) in sorted(result.changed.items()):
        out.writelines(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"))


def run(args: argparse.Namespace) -> int:
    paths = paper_paths(args)
    catalog = load_or_report(args.papers, command="enrich")
    if catalog is None:
        return 1
    only = None
    if args.paths:
        resolved = {p.resolve() for p in paths}
        only = [
            pid
            for pid, src in catalog.sources.items()
            if Path(src.path).resolve() in resolved or Path(src.path).resolve().parent in resolved
        ]
    cache = None if args.no_cache else MetadataCache(args.cache, now=time.time())
    config = arxiv_config(args)
    result = enrich(catalog, config=config, cache=cache, only=only)
    if cache:
        cache.save()
    for pid, why in sorted(result.failed.items()):
        print(f"warning: {pid}: {why}", file=sys.stderr)
    if args.dry_run:
        print_diff(result, sys.stdout)
        print(
            f"dry run: {len(result.changed)} files would change ({result.asked} ids asked in {result.requests} requests)", file=sys.stderr
        )
    else:
        for path, (_, new) in sorted(result.changed.items()):
            write_text_atomic(path, new)
            print(path)
        print(f"enriched {len(result.changed)} files ({result.asked} ids asked in {result.requests} requests)", file=sys.stderr)
    if result.asked and len(result.failed) == result.asked and all("try again" in w for w in result.failed.values()):
        return 2  # the API could not be reached at all: an environment problem, not bad data
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "enrich",
        help="fill missing authors, abstracts and dates from the arXiv API",
        description="Fill the authors, abstract and first-version date of entries that lack them, from the arXiv API "
        "(100 ids a call, 3 s apart, cached). Only missing fields change. Exit 0 (papers the API does not know are "
        "warnings), 2 when the API cannot be reached.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    paper_paths_options(parser, help="only these paper files or folders (default: all of --papers)")
    parser.add_argument("--dry-run", action="store_true", help="print the diff; write nothing")
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_METADATA_CACHE, metavar="FILE", help=f"metadata cache (default: {DEFAULT_METADATA_CACHE})"
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    arxiv_endpoint_options(parser)
    parser.set_defaults(func=run)
