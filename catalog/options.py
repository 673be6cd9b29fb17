"""Command-line options that several commands share, defined once so they read the same everywhere.

Command modules (in ``catalog/commands`` and ``site_builder/commands``) import these; nothing
here knows which commands exist, so no command module ever imports the CLI that registers it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from catalog.links.config import ENV, CheckConfig
from catalog.metadata import DEFAULT_METADATA_FILE

DEFAULT_PAPERS = Path("papers")


def papers_option(parser: argparse.ArgumentParser) -> None:
    """The ``--papers DIR`` option shared by every command that reads the catalog."""
    parser.add_argument("--papers", type=Path, default=DEFAULT_PAPERS, metavar="DIR", help="folder of paper YAML files (default: papers/)")


def paper_paths_options(parser: argparse.ArgumentParser, help: str = "paper files or folders (default: --papers)") -> None:
    """Positional ``PATH ...`` (files or folders) plus ``--papers DIR``, for commands that may work on part of the catalog."""
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help=help)
    papers_option(parser)


def paper_paths(args: argparse.Namespace) -> list[Path]:
    """The paths given, or the whole ``--papers`` folder when none were."""
    return list(args.paths) or [args.papers]


def arxiv_endpoint_options(parser: argparse.ArgumentParser) -> None:
    """The arXiv API endpoint, pacing and timeout (for tests and mirrors): ``add``, ``from-issue``, ``enrich``."""
    group = parser.add_argument_group("arXiv API (for tests and mirrors)")
    group.add_argument("--arxiv-api", metavar="URL", help=f"export API query endpoint (${ENV['arxiv_api']})")
    group.add_argument("--arxiv-delay", type=float, metavar="SECONDS", help=f"seconds between requests, default 3 (${ENV['arxiv_delay']})")
    group.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS", help="timeout of every request (default: 20)")


def arxiv_config(args: argparse.Namespace) -> CheckConfig:
    """The client configuration :func:`arxiv_endpoint_options` asked for (environment variables fill the rest)."""
    return CheckConfig.from_env(arxiv_api=args.arxiv_api, arxiv_delay=args.arxiv_delay, timeout=args.timeout)


def repo_metadata_option(parser: argparse.ArgumentParser, purpose: str) -> None:
    """The ``--repo-metadata FILE`` option: the link checker writes it, the renderers read it."""
    parser.add_argument(
        "--repo-metadata",
        type=Path,
        default=DEFAULT_METADATA_FILE,
        metavar="FILE",
        help=f"repository metadata file {purpose} (default: {DEFAULT_METADATA_FILE})",
    )
