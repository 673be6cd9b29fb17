"""``pruning-catalog schema``: write the editor JSON Schema of a paper file (and check it is fresh)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.canonical import SCHEMA_PATH
from catalog.fileio import write_text_atomic
from catalog.issue_form import FORM_PATH, form_text
from catalog.schema import schema_text
from catalog.taxonomy import default_taxonomy

EXAMPLE = f"""examples:
  pruning-catalog schema            write {SCHEMA_PATH} and {FORM_PATH}
  pruning-catalog schema --check    exit 1 when either is out of date
  pruning-catalog schema --output -
"""


def run(args: argparse.Namespace) -> int:
    if str(args.output) == "-":
        sys.stdout.write(schema_text())
        return 0
    outputs: list[tuple[Path, str]] = [(args.output, schema_text())]
    if args.issue_form is not None:
        outputs.append((args.issue_form, form_text(default_taxonomy())))
    stale = []
    for path, text in outputs:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            print(f"{path} is up to date", file=sys.stderr)
        elif args.check:
            stale.append(path)
            print(f"{path} is out of date: run 'pruning-catalog schema' and commit it", file=sys.stderr)
        else:
            write_text_atomic(path, text)
            print(f"wrote {path}", file=sys.stderr)
    return 1 if stale else 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "schema",
        help="write the JSON Schema editors use to complete and check paper files",
        description="Write the JSON Schema of a paper file, generated from the model and the taxonomy (enums for tags, "
        "facets, venues and sections). Every paper file's first line points at it, so editors with a YAML language "
        "server complete fields and flag errors while typing.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--output", type=Path, default=Path(SCHEMA_PATH), metavar="FILE", help=f"where to write it; - for stdout (default: {SCHEMA_PATH})"
    )
    parser.add_argument(
        "--issue-form",
        type=Path,
        default=Path(FORM_PATH),
        metavar="FILE",
        help=f"the 'Add a paper' issue form, also generated from the taxonomy (default: {FORM_PATH})",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file differs from what would be written")
    parser.set_defaults(func=run)
