"""``pruning-catalog schema``: write the editor JSON Schema of a paper file (and check it is fresh)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.canonical import SCHEMA_PATH
from catalog.dump import write_atomic
from catalog.schema import schema_text

EXAMPLE = f"""examples:
  pruning-catalog schema            write {SCHEMA_PATH}
  pruning-catalog schema --check    exit 1 when {SCHEMA_PATH} is out of date
  pruning-catalog schema --output -
"""


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    out: Path = args.output
    if str(out) == "-":
        sys.stdout.write(text)
        return 0
    current = out.read_text(encoding="utf-8") if out.exists() else None
    if args.check:
        if current != text:
            print(f"{out} is out of date: run 'pruning-catalog schema' and commit it", file=sys.stderr)
            return 1
        print(f"{out} is up to date", file=sys.stderr)
        return 0
    if current != text:
        write_atomic(out, text)
        print(f"wrote {out}", file=sys.stderr)
    else:
        print(f"{out} is up to date", file=sys.stderr)
    return 0


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
    parser.add_argument("--output", type=Path, default=Path(SCHEMA_PATH), metavar="FILE", help=f"where to write it; - for stdout (default: {SCHEMA_PATH})")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file differs from what would be written")
    parser.set_defaults(func=run)
