"""``pruning-catalog validate``: prove the catalog valid, or say exactly what is wrong where."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.catalog import Catalog
from catalog.errors import CatalogError, Problem
from catalog.load import load_catalog, paper_files
from catalog.options import paper_paths, paper_paths_options

EXAMPLE = """example:
  pruning-catalog validate
  pruning-catalog validate papers/snip-single-shot-network-pruning.yaml --format json
"""


@dataclass
class ValidationResult:
    papers: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def as_json(self) -> str:
        return json.dumps(
            {
                "valid": not self.errors,
                "papers": self.papers,
                "errors": [p.as_dict() for p in self.errors],
                "warnings": [p.as_dict() for p in self.warnings],
            },
            indent=2,
            sort_keys=True,
        )


def validate(paths: list[Path]) -> tuple[ValidationResult, Catalog | None]:
    """Load the papers under ``paths`` and collect every problem (errors and warnings)."""
    try:
        catalog = load_catalog(*paths)
    except CatalogError as exc:
        try:
            count = len(paper_files(p for p in paths if p.exists()))
        except CatalogError:
            count = 0  # the folder itself cannot be read; that problem is already in exc
        return ValidationResult(papers=count, problems=exc.problems), None
    return ValidationResult(papers=len(catalog), problems=list(catalog.warnings)), catalog


def validate_files(files: list[Path], papers: Path) -> ValidationResult:
    """Check single files against the whole catalog in ``papers``: themselves, then duplicates with every other entry.

    A file inside ``papers`` stands in for its committed version; a file elsewhere is checked as
    if it were added. Only problems that concern the given files are returned.
    """
    from catalog.checks import cross_checks
    from catalog.errors import display_path
    from catalog.load import load_papers

    targets = {f.resolve() for f in files}
    others = []
    if papers.is_dir():
        loaded, _ = load_papers([papers])  # the catalog's own problems are not this file's
        others = [(p, s) for p, s in loaded if Path(s.path).resolve() not in targets]
    mine, problems = load_papers(files)
    shown = {s.path for _, s in mine} | {display_path(f) for f in files}
    for problem in cross_checks(others + mine):
        if problem.path in shown or any(f"{path}:" in problem.message or f"{path})" in problem.message for path in shown):
            problems.append(problem)
    return ValidationResult(papers=len(files), problems=sorted(set(problems)))


def run(args: argparse.Namespace) -> int:
    paths = paper_paths(args)
    missing = [p for p in paths if not p.exists()]
    if missing:
        # A path that does not exist is a usage or environment problem (exit 2), not bad data.
        for p in missing:
            print(f"pruning-catalog validate: error: {p}: no such file or folder", file=sys.stderr)
        return 2
    if args.paths and all(p.is_file() for p in paths):
        result = validate_files(paths, args.papers)  # a contributor's file, checked against the whole catalog
    else:
        result, _ = validate(paths)
    if result.papers == 0 and not result.errors:
        print(f"pruning-catalog validate: error: no paper files (*.yaml) in {', '.join(map(str, paths))}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(result.as_json())
    else:
        for problem in result.problems:
            print(problem)
        status = "valid" if not result.errors else "INVALID"
        print(f"{status}: {result.papers} paper files, {len(result.errors)} errors, {len(result.warnings)} warnings", file=sys.stderr)
    return 1 if result.errors else 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "validate",
        help="check paper files against the schema, the taxonomy and each other",
        description="Check paper YAML files. Exit 0 when valid (warnings allowed), 1 on errors, 2 on usage errors.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    paper_paths_options(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    parser.set_defaults(func=run)
