"""``pruning-catalog merge``: merge other Markdown lists of papers into the catalog in papers/."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from catalog.checks import cross_checks
from catalog.commands.common import load_or_report
from catalog.dump import dump_paper
from catalog.errors import display_path
from catalog.fileio import write_text_atomic
from catalog.importers.markdown import import_markdown_text
from catalog.importers.merge_catalog import ListReport, Merger
from catalog.options import papers_option
from catalog.source import Source

EXAMPLE = """example:
  pruning-catalog merge he-y=../shared/seeds/sister-lists/he-y-Awesome-Pruning.md \\
      pprp=../shared/seeds/sister-lists/pprp-Awesome-LLM-Prune.md \\
      --added 2026-12-02 --report-dir data/import

Lists are merged in the order given; that order is the precedence between them. Entries
already in papers/ are never overwritten: a list adds new papers, fills empty fields and
records what it says in the entry's `sources`. Every row of every list is accounted for in
<report-dir>/<name>-report.json and .txt. Rows that cannot be placed make the merge fail
(exit 1, nothing written) unless --accept-skipped is given; they are then listed in the report.
"""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _named_list(text: str) -> tuple[str, Path]:
    name, sep, path = text.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f"expected NAME=PATH (e.g. he-y=he-y.md), got {text!r}")
    return name, Path(path)


def run(args: argparse.Namespace) -> int:
    catalog = load_or_report(args.papers, command="merge (nothing merged)")
    if catalog is None:
        return 1
    merger = Merger(catalog.papers, added=args.added or dt.date.today())
    reports: list[ListReport] = []
    for name, path in args.lists:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{path}: cannot read the list: {exc}", file=sys.stderr)
            return 2
        result = import_markdown_text(text, source=display_path(path), added=merger.added, list_name=name)
        report = merger.merge(name, result)
        reports.append(report)
        s = report.summary()
        print(
            f"{name}: {s['rows']} rows, {s['papers']} papers: {s['merged_into_existing']} merged into existing entries, "
            f"{s['new_entries']} new, {s['rows_merged_within_list']} rows merged within the list, "
            f"{s['conflicts']} conflicts, {s['flagged']} flags, {s['skipped']} skipped"
        )
        for row in report.rows:
            if row.action == "skipped":
                print(f"{result.source}:{row.line}: skipped: {row.why}", file=sys.stderr)
    skipped = sum(r.summary()["skipped"] for r in reports)
    merged = merger.finish()
    loaded = [(p, Source(path=f"{p.id}.yaml", lines={})) for p in merged.values()]
    errors = [p for p in cross_checks(loaded) if p.severity == "error"]
    for problem in errors:
        print(problem, file=sys.stderr)
    if errors or (skipped and not args.accept_skipped):
        why = (
            "cross-entry errors above" if errors else f"{skipped} rows could not be placed (see above; --accept-skipped to merge the rest)"
        )
        print(f"nothing written: {why}", file=sys.stderr)
        return 1
    if args.dry_run:
        return 0
    if args.report_dir:
        for report in reports:
            write_text_atomic(args.report_dir / f"{report.name}-report.json", report.as_json())
            write_text_atomic(args.report_dir / f"{report.name}-report.txt", report.as_text())
    changed = 0
    for paper in sorted(merged.values(), key=lambda p: p.id):
        if write_text_atomic(args.papers / f"{paper.id}.yaml", dump_paper(paper)):
            changed += 1
    print(f"wrote {changed} files in {display_path(args.papers)} ({len(merged)} entries in all)")
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "merge",
        help="merge other Markdown lists of papers into the catalog",
        description="Merge Markdown lists (any layout the importer reads) into papers/, matching papers already there.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("lists", nargs="+", type=_named_list, metavar="NAME=PATH", help="a list's short name and its Markdown file")
    papers_option(parser)
    parser.add_argument("--added", type=_date, default=None, metavar="DATE", help="the 'added' date of new entries (default: today)")
    parser.add_argument("--report-dir", type=Path, default=None, metavar="DIR", help="write <name>-report.json and .txt here")
    parser.add_argument("--accept-skipped", action="store_true", help="merge even when some rows cannot be placed (they are listed)")
    parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    parser.set_defaults(func=run)
