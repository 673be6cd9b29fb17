"""Where a paper came from: its file and the line of each of its fields.

A small value type of its own so that the loader (which makes it), the cross-entry checks and
the :class:`~catalog.catalog.Catalog` (which read it) need not import each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a paper came from: its file and the line of each field (for messages and reports)."""

    path: str
    lines: Mapping[str, int]

    def line_of(self, field: str) -> int:
        """The line of a dotted field (``code.0.url``), falling back to its nearest parent, then 1."""
        parts = field.split(".")
        while parts:
            line = self.lines.get(".".join(parts))
            if line:
                return line
            parts.pop()
        return 1
