"""The ``pruning-catalog`` command line: a thin shell over functions that tests call directly.

Each subcommand lives in its own module exposing ``register(subparsers)``; the module sets
``func`` on its parser to a ``run(args) -> int`` function. Exit codes: 0 success (warnings
allowed), 1 the data is wrong, 2 the command was used wrongly or something is missing.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

# One line per subcommand.
COMMAND_MODULES = (
    "catalog.commands.validate",
    "catalog.commands.import_markdown",
    "site_builder.commands.readme",
    "site_builder.commands.site",
    "catalog.commands.check_links",
)


def papers_option(parser: argparse.ArgumentParser) -> None:
    """The ``--papers DIR`` option shared by every command that reads the catalog."""
    parser.add_argument("--papers", type=Path, default=Path("papers"), metavar="DIR", help="folder of paper YAML files (default: papers/)")


def repo_metadata_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    """The ``--repo-metadata FILE`` option: the link checker writes it, the renderers read it."""
    from catalog.metadata import DEFAULT_METADATA_FILE

    parser.add_argument(
        "--repo-metadata", type=Path, default=DEFAULT_METADATA_FILE, metavar="FILE", help=f"repository metadata file {purpose} (default: {DEFAULT_METADATA_FILE})"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pruning-catalog",
        description="Validate, import, render and check the awesome-pruning paper catalog.",
        epilog="Run 'pruning-catalog COMMAND --help' for a command's options and an example.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
