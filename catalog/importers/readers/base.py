"""What every reader shares: the result type, the reader protocol, and heading helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from catalog.importers.markdown_tables import Row
from catalog.taxonomy import Taxonomy


@dataclass
class ReadResult:
    """What a reader made of a file: rows, and lines it saw as entries but could not read."""

    rows: list[Row] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


class Reader(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def looks_for(self) -> str: ...

    def score(self, text: str) -> int: ...

    def read(self, text: str, tax: Taxonomy) -> ReadResult: ...


def source_section(path: Sequence[tuple[int, str]]) -> str:
    """The section a list files a row under: its innermost heading, but never the document title (level 1)."""
    inner = [h for level, h in path if level > 1]
    return inner[-1] if inner else ""


def heading_texts(path: Sequence[tuple[int, str]]) -> list[str]:
    return [h for _, h in path]
