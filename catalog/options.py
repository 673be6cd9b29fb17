"""Command-line options that several commands share, defined once so they read the same everywhere.

Command modules (in ``catalog/commands`` and ``site_builder/commands``) import these; nothing
here knows which commands exist, so no command module ever imports the CLI that registers it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from catalog.metadata import DEFAULT_METADATA_FILE

DEFAULT_PAPERS = Path("papers")


def papers_option(parser: argparse.ArgumentParser) -> None:
    """The ``--papers DIR`` option shared by every command that reads the catalog."""
    parser.add_argument("--papers", type=Path, default=DEFAULT_PAPERS, metavar="DIR", help="folder of paper YAML files (default: papers/)")


def repo_metadata_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    """The ``--repo-metadata FILE`` option: the link checker writes it, the renderers read it."""
    parser.add_argument(
        "--repo-metadata",
        type=Path,
        default=DEFAULT_METADATA_FILE,
        metavar="FILE",
        help=f"repository metadata file {purpose} (default: {DEFAULT_METADATA_FILE})",
    )
