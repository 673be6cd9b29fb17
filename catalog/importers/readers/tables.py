"""Markdown tables of papers: the seed's numbered tables, and tables without a number column.

Both share the cell parsers of :mod:`catalog.importers.markdown_tables`. The seed's layout
(``| No. | Title | Venue | ...`` under numbered headings) keeps its strict rule that every row
starts with its number; the plain layout (he-y: ``| Title | Venue | Type | Code |`` under
``### 2023`` headings) takes the year from the heading and reads the venue cell's track.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.importers.listtext import finish_row
from catalog.importers.markdown_tables import COLUMN_KEYS, read_rows, split_cells, unescape
from catalog.importers.readers.base import ReadResult
from catalog.taxonomy import Taxonomy


def _header_keys(text: str) -> list[list[str | None]]:
    headers = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("|"):
            keys = [COLUMN_KEYS.get(unescape(c).strip().casefold()) for c in split_cells(s)]
            if "title" in keys:
                headers.append(keys)
    return headers


def _row_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if re.match(r"^\s*\|.*\]\(", line))


@dataclass(frozen=True)
class _Tables:
    name: str
    looks_for: str
    numbered: bool

    def score(self, text: str) -> int:
        headers = _header_keys(text)
        if not headers or any("code" in h and h.count("title") and "venue" not in h and "year" not in h for h in headers):
            return 0  # "Title & Authors | Introduction | Links": the badge table's layout
        has_number = any(h and h[0] == "no" for h in headers)
        if has_number != self.numbered:
            return 0
        return _row_lines(text)

    def read(self, text: str, tax: Taxonomy) -> ReadResult:
        rows, problems = read_rows(text, tax, numbered=self.numbered)
        if not self.numbered:  # the seed's rows of one paper share a year across rows: checked after merging
            for row in rows:
                if not row.errors:
                    finish_row(row, tax)
        return ReadResult(rows=rows, skipped=problems)


NUMBERED_TABLES = _Tables(
    name="numbered-tables",
    looks_for="tables whose header has No. and Title (or Paper) columns, under numbered or named section headings",
    numbered=True,
)
PLAIN_TABLES = _Tables(
    name="tables",
    looks_for="tables with a Title/Paper column and Venue, Type, Code or Year columns, under year or section headings",
    numbered=False,
)
