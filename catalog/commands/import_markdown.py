"""``pruning-catalog import-markdown``: migrate an awesome-pruning Markdown list into papers/."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from catalog.errors import display_path
from catalog.fileio import write_text_atomic
from catalog.importers.markdown import import_markdown_text, write_entries
from catalog.importers.readers import readers

EXAMPLE = """example:
  pruning-catalog import-markdown ../shared/seeds/awesome-pruning/README.md --out papers/ \\
      --added 2024-08-01 --report import-report.json

Every table row is accounted for in the report (row -> entry id, merged, repaired, flagged).
Existing entries that would change are not overwritten unless --overwrite is given, so hand
corrections made after an earlier import are never lost.
"""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def run(args: argparse.Namespace) -> int:
    source: Path = args.path
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{source}: cannot read the list: {exc}", file=sys.stderr)
        return 2
    result = import_markdown_text(text, source=display_path(source), added=args.added, reader=args.reader)
    if args.report:
        report = result.as_json() if args.report.suffix == ".json" else result.as_text()
        write_text_atomic(args.report, report)
    s = result.summary()
    print(
        f"{s['rows']} table rows -> {s['entries']} entries; {s['rows_merged']} rows merged; "
        f"{s['repairs']} repairs on {s['rows_repaired']} rows; {s['entries_with_conflicts']} entries with conflicting rows; "
        f"{s['entries_flagged']} entries flagged for review; {s['rows_failed']} rows failed"
    )
    for row in result.rows:
        for error in row.errors:
            print(f"{result.source}:{row.line}: row: {error}", file=sys.stderr)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.skipped_lines:
        shown = ", ".join(map(str, result.skipped_lines[:50])) + (" ..." if len(result.skipped_lines) > 50 else "")
        print(f"skipped lines: {shown}", file=sys.stderr)
    if not result.ok:
        print("nothing written: fix the errors above first", file=sys.stderr)
        return 1
    if args.dry_run:
        return 0
    try:
        written, unchanged = write_entries(result, args.out, overwrite=args.overwrite)
    except FileExistsError as exc:
        differing = exc.args[0]
        for path in differing:
            print(f"{display_path(path)}: exists and differs from the import (hand-edited?)", file=sys.stderr)
        print(f"nothing written: {len(differing)} existing entries would change; use --overwrite to replace them", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} files, {len(unchanged)} unchanged, in {display_path(args.out)}")
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "import-markdown",
        help="import the paper tables of a Markdown list into paper YAML files",
        description="Import every paper table of an awesome-pruning style Markdown list into one YAML file per paper.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", type=Path, metavar="PATH", help="the Markdown list to import")
    parser.add_argument("--out", type=Path, default=Path("papers"), metavar="DIR", help="folder for the paper files (default: papers/)")
    parser.add_argument(
        "--report", type=Path, metavar="FILE", help="write the per-row report here (JSON when FILE ends in .json, else text)"
    )
    parser.add_argument("--added", type=_date, default=None, metavar="DATE", help="the 'added' date of new entries (default: today)")
    parser.add_argument("--overwrite", action="store_true", help="replace existing entries that differ from the import")
    parser.add_argument("--dry-run", action="store_true", help="report only; write no paper files")
    parser.add_argument(
        "--reader",
        choices=[r.name for r in readers()],
        default=None,
        help="read the file as this layout (default: recognised from the content)",
    )
    parser.set_defaults(func=run)
