"""The ``pruning-catalog`` command line: a thin shell over functions that tests call directly.

Each subcommand lives in its own module exposing ``register(subparsers)``; the module sets
``func`` on its parser to a ``run(args) -> int`` function. Exit codes: 0 success (warnings
allowed), 1 the data is wrong, 2 the command was used wrongly or something is missing.

To add a command: write the module (in ``catalog/commands/`` when it needs only the catalog, in
``site_builder/commands/`` when it renders), then add it to :data:`COMMANDS` below. The order
of :data:`COMMANDS` is the order of ``pruning-catalog --help``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from catalog.commands import add, check_links, enrich, fmt, from_issue, import_markdown, merge, schema, stats, validate
from site_builder.commands import readme, site


class CommandModule(Protocol):
    """What a command module provides: ``register`` adds its parser and sets ``func`` on it."""

    __name__: str

    def register(self, sub: argparse._SubParsersAction[Any]) -> None: ...


# The registry: one line per subcommand, in help order.
COMMANDS: tuple[CommandModule, ...] = (
    validate,
    import_markdown,
    merge,
    readme,
    site,
    check_links,
    add,
    from_issue,
    enrich,
    fmt,
    schema,
    stats,
)


def refresh_readme(papers: Path) -> int:
    """Re-render README.md after a command added to ``papers`` (add, from-issue).

    The application composes the layers: ``catalog`` never imports ``site_builder``, so the
    commands that change papers/ receive this step as ``args.refresh_readme``.
    """
    from catalog.metadata import DEFAULT_METADATA_FILE

    return int(readme.run(argparse.Namespace(papers=papers, repo_metadata=DEFAULT_METADATA_FILE, output=Path("README.md"), check=False)))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pruning-catalog",
        description="Validate, import, render and check the awesome-pruning paper catalog.",
        epilog="Run 'pruning-catalog COMMAND --help' for a command's options and an example.",
    )
    parser.set_defaults(refresh_readme=refresh_readme)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(sub)
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
