"""``pruning-catalog readme``: render README.md from papers/, or check that it is up to date."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from catalog.fileio import write_text_atomic
from catalog.options import papers_option, repo_metadata_option
from site_builder.commands.inputs import load_inputs
from site_builder.readme import ReadmeError, readme_diff, render_readme

EXAMPLE = """example:
  pruning-catalog readme                 # write README.md from papers/
  pruning-catalog readme --check         # exit 1 with a short diff when README.md is stale
  pruning-catalog readme --output /tmp/README.md --papers papers
"""


def run(args: argparse.Namespace) -> int:
    papers: Path = args.papers
    loaded = load_inputs(papers, args.repo_metadata, "README")
    if isinstance(loaded, int):
        return loaded
    catalog, metadata = loaded
    try:
        text = render_readme(catalog, metadata)
    except ReadmeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    output: Path = args.output
    note = f"{len(catalog)} papers" + (f", {len(catalog.warnings)} warnings: see 'pruning-catalog validate'" if catalog.warnings else "")
    if args.check:
        diff = readme_diff(output, text)
        if diff is None:
            print(f"{output} is up to date ({note})", file=sys.stderr)
            return 0
        sys.stdout.write(diff)
        print(f"{output} is stale: run 'pruning-catalog readme' to render it from {papers}/", file=sys.stderr)
        return 1
    changed = write_text_atomic(output, text)
    print(f"{'wrote' if changed else 'unchanged:'} {output} ({note})", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "readme",
        help="render README.md from the catalog (or --check that it is up to date)",
        description=(
            "Render the awesome list README.md from papers/ with the templates in templates/readme/. "
            "Exit 0 when written or up to date, 1 when the catalog is invalid or (with --check) README.md is stale, "
            "2 on usage errors or a missing papers folder."
        ),
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    papers_option(parser)
    parser.add_argument(
        "--output", type=Path, default=Path("README.md"), metavar="PATH", help="file to write or check (default: README.md)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 and print a short diff when PATH differs from the rendering"
    )
    repo_metadata_option(parser, "shown after code links (stars, archived) when it exists")
    parser.set_defaults(func=run)
