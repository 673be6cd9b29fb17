"""What the rendering commands (``readme``, ``site``, ``site --serve``) read before rendering, with their errors.

All of them need the catalog and the optional repository metadata and must fail the same way:
bad data prints its problems and exits 1 (a malformed ``repositories.json`` in one line, never
a traceback), a missing folder exits 2. The preview server rebuilds through :func:`read_inputs`
too, so it reads exactly what ``site`` reads. Keeping it here keeps the commands from drifting apart.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from catalog.catalog import Catalog
from catalog.errors import CatalogError
from catalog.load import load_catalog
from catalog.metadata import MetadataError, RepoInfo, load_repo_metadata


class InputError(Exception):
    """The inputs cannot be had: the catalog's problems (for stdout), the lines for stderr, the exit code."""

    def __init__(self, lines: list[str], code: int, problems: tuple[str, ...] = ()):
        super().__init__("\n".join([*problems, *lines]))
        self.lines, self.code, self.problems = lines, code, problems


def read_metadata(metadata_file: Path) -> Mapping[str, RepoInfo]:
    """The repository metadata, or :class:`InputError` with one line saying what is wrong with the file."""
    try:
        return load_repo_metadata(metadata_file)
    except MetadataError as exc:
        raise InputError([f"{metadata_file}: -: not a repository metadata file: {exc}"], 1) from None
    except OSError as exc:
        raise InputError([f"{metadata_file}: -: cannot read repository metadata: {exc.strerror or exc}"], 1) from None


def read_inputs(papers: Path, metadata_file: Path, what: str) -> tuple[Catalog, Mapping[str, RepoInfo]]:
    """The catalog and repository metadata; :class:`InputError` says why they cannot be had.

    ``what`` names the output in messages ("README", "site").
    """
    if not papers.is_dir():
        raise InputError([f"error: {papers}: no such folder of paper files (use --papers DIR)"], 2)
    try:
        catalog = load_catalog(papers)
    except CatalogError as exc:
        summary = f"{what} not built: the catalog has {len(exc.errors)} errors (see 'pruning-catalog validate')"
        raise InputError([summary], 1, tuple(str(problem) for problem in exc.problems)) from None
    return catalog, read_metadata(metadata_file)


def load_inputs(papers: Path, metadata_file: Path, what: str) -> tuple[Catalog, Mapping[str, RepoInfo]] | int:
    """The catalog and repository metadata, or the exit code after printing why they cannot be had."""
    try:
        return read_inputs(papers, metadata_file, what)
    except InputError as exc:
        for problem in exc.problems:
            print(problem)
        for line in exc.lines:
            print(line, file=sys.stderr)
        return exc.code
