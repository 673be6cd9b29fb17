"""Problems found in catalog data, each tied to a file, a line and a field.

One type for every finding (YAML syntax, schema, cross-entry checks, importer warnings) so that
the CLI prints them all the same way, ``path:line: field: message``, and ``--format json``
gives the same objects. Sorting is by file, then line, so output is stable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem concerns the file as a whole
    field: str  # dotted location, e.g. "code.0.url"; "-" for the document itself
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {self.field}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


class CatalogError(Exception):
    """Raised when catalog data is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies below it, so messages stay short."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
