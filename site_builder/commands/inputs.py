"""What the rendering commands (``readme``, ``site``) read before rendering, with their errors.

Both need the catalog and the optional repository metadata and must fail the same way: bad
data prints its problems and exits 1, a missing folder exits 2. Keeping it here keeps the two
commands from drifting apart.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

from catalog.catalog import Catalog
from catalog.errors import CatalogError
from catalog.load import load_catalog
from catalog.metadata import RepoInfo, load_repo_metadata


def load_inputs(papers: Path, metadata_file: Path, what: str) -> tuple[Catalog, Mapping[str, RepoInfo]] | int:
    """The catalog and repository metadata, or the exit code after printing why they cannot be had.

    ``what`` names the output in messages ("README", "site").
    """
    if not papers.is_dir():
        print(f"error: {papers}: no such folder of paper files (use --papers DIR)", file=sys.stderr)
        return 2
    try:
        catalog = load_catalog(papers)
    except CatalogError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{what} not built: the catalog has {len(exc.errors)} errors (see 'pruning-catalog validate')", file=sys.stderr)
        return 1
    try:
        metadata = load_repo_metadata(metadata_file)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError, TypeError, ValueError) as exc:
        print(f"{metadata_file}: -: cannot read repository metadata: {exc}", file=sys.stderr)
        return 1
    return catalog, metadata
