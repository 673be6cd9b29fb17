"""What several commands share beyond their options: loading the catalog they work on.

Every command that needs a valid catalog says the same thing when it is not: the problems,
one per line, then one line naming the command and the way out. One function keeps that
wording (and the exit code 1: the data is wrong) the same everywhere.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from catalog.catalog import Catalog
from catalog.errors import CatalogError
from catalog.load import load_catalog


def load_or_report(*paths: Path, command: str, err: TextIO | None = None) -> Catalog | None:
    """The catalog at ``paths``, or None after printing its problems and what to do to ``err``."""
    stream = err if err is not None else sys.stderr
    try:
        return load_catalog(*paths)
    except CatalogError as exc:
        for problem in exc.problems:
            print(problem, file=stream)
        count = len(exc.errors)
        print(f"{command}: the catalog has {count} error{'s' if count != 1 else ''}; "
              "fix them first (see 'pruning-catalog validate')", file=stream)
        return None
