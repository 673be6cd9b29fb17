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
from typing import Any, Protocol

from catalog.commands import check_links, import_markdown, stats, validate
from site_builder.commands import readme, site


class CommandModule(Protocol):
    """What a command module provides: ``register`` adds its parser and sets ``func`` on it."""

    __name__: str

    def register(self, sub: argparse._SubParsersAction[Any]) -> None: ...


# The registry: one line per subcommand, in help order.
COMMANDS: tuple[CommandModule, ...] = (
    validate,
    import_markdown,
    readme,
    site,
    check_links,
    stats,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pruning-catalog",
        description="Validate, import, render and check the awesome-pruning paper catalog.",
        epilog="Run 'pruning-catalog COMMAND --help' for a command's options and an example.",
    )
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
