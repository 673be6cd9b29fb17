"""``pruning-catalog fmt``: rewrite paper files into their one canonical form, keeping comments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.canonical import format_text
from catalog.errors import CatalogError, Problem, display_path
from catalog.fileio import write_text_atomic
from catalog.load import paper_files
from catalog.options import paper_paths, paper_paths_options

EXAMPLE = """examples:
  pruning-catalog fmt                 rewrite every file of papers/ that is not canonical
  pruning-catalog fmt --check         list the files that are not canonical; exit 1 if any
  pruning-catalog fmt papers/my-paper.yaml
"""


def fmt(paths: list[Path], *, check: bool) -> tuple[list[Path], list[Problem]]:
    """The files that are (``check``) or were (otherwise) not canonical, and files that cannot be formatted."""
    changed: list[Path] = []
    problems: list[Problem] = []
    planned: list[tuple[Path, str]] = []
    for path in paper_files(paths):
        shown = display_path(path)
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(shown, 0, "-", f"cannot read file: {exc}"))
            continue
        result = format_text(text, shown)
        if result.text is None:
            problems.extend(result.problems)
        elif result.text != text:
            changed.append(path)
            planned.append((path, result.text))
    if not check:
        for path, new in planned:
            write_text_atomic(path, new)
    return changed, sorted(problems)


def run(args: argparse.Namespace) -> int:
    paths = paper_paths(args)
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        print(f"pruning-catalog fmt: error: {p}: no such file or folder", file=sys.stderr)
    if missing:
        return 2
    try:
        changed, problems = fmt(paths, check=args.check)
    except CatalogError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 2
    for path in changed:
        print(display_path(path))
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.check:
        if changed:
            print(f"{len(changed)} files are not in canonical form: run 'pruning-catalog fmt' to rewrite them", file=sys.stderr)
        return 1 if changed or problems else 0
    if changed:
        print(f"rewrote {len(changed)} files", file=sys.stderr)
    return 1 if problems else 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "fmt",
        help="rewrite paper files into the canonical form (keeps comments)",
        description="Rewrite paper files into the one canonical form: key order of the schema, short lists inline, LF, "
        "a final newline and the editor-schema line first. Comments are kept. With --check nothing is written; "
        "exit 1 lists the files that differ. Files that do not validate are reported and left alone (exit 1).",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    paper_paths_options(parser)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is not canonical")
    parser.set_defaults(func=run)
