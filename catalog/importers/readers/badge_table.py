"""horseee/Awesome-Efficient-LLM: one table whose cells hold HTML and shields.io badges.

``| Title & Authors | Introduction | Links |`` where the first cell is badges (stars, venue,
type), ``<br>``, the ``[title](url)``, ``<br>``, the authors; the second a figure; the third
``[Github](url)`` and ``[Paper](url)`` links (sometimes Project or model links). A hidden
``[//]: #MM/DD`` comment after the row is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.importers.headings import place
from catalog.importers.listtext import apply_label, badges, finish_row, read_venue_text, strip_badges
from catalog.importers.markdown_tables import HEADING_RE, LINK_RE, CodeCell, Row, split_cells, unescape
from catalog.importers.readers.base import ReadResult, heading_texts, source_section
from catalog.taxonomy import Taxonomy

_HEADER_RE = re.compile(r"^\|\s*title\s*&\s*authors\s*\|", re.IGNORECASE)
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _authors(text: str) -> list[str]:
    text = re.sub(r"(?i)\bet\.? al\.?$", "", text.strip()).strip(" ,.")
    return [a.strip() for a in re.split(r",|\band\b", text) if a.strip()]


@dataclass(frozen=True)
class _BadgeTable:
    name: str = "badge-table"
    looks_for: str = "a 'Title & Authors | Introduction | Links' table with badges, <br>-separated title and authors, Github/Paper links"

    def score(self, text: str) -> int:
        if not any(_HEADER_RE.match(line.strip()) for line in text.splitlines()):
            return 0
        return sum(1 for line in text.splitlines() if line.strip().startswith("|") and "](" in line)

    def read(self, text: str, tax: Taxonomy) -> ReadResult:
        result = ReadResult()
        path: list[tuple[int, str]] = []
        in_table = False
        for lineno, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            hm = HEADING_RE.match(stripped)
            if hm:
                path = [(lv, h) for lv, h in path if lv < len(hm[1])] + [(len(hm[1]), hm[2])]
                in_table = False
                continue
            if _HEADER_RE.match(stripped):
                in_table = True
                continue
            if not in_table or not stripped.startswith("|"):
                in_table = in_table and (not stripped or stripped.startswith("[//]"))
                continue
            cells = split_cells(stripped)
            if all(re.fullmatch(r":?-{3,}:?", c.replace(" ", "")) for c in cells if c):
                continue
            row = self._row(lineno, cells, [(lv, h) for lv, h in path], tax)
            if row is None:
                result.skipped.append((lineno, "a table row without a [title](url) link"))
                continue
            result.rows.append(row)
        return result

    def _row(self, lineno: int, cells: list[str], path: list[tuple[int, str]], tax: Taxonomy) -> Row | None:
        first = cells[0] if cells else ""
        placement = place(heading_texts(path), tax)
        row = Row(line=lineno, section=None, heading=source_section(path))
        for key, ids in placement.values.items():
            row.add_values(key, ids)
        labels = []
        for badge in badges(first):
            if badge.kind == "stars":
                row.code.append(CodeCell(url=f"https://github.com/{badge.value}", framework=None, official=None, status="available"))
            elif badge.kind == "venue":
                row.venue_text = badge.value
            else:
                labels.append(badge.label)
                if not apply_label(badge.label, row):
                    row.notes.append(f"label {badge.label!r}")
        row.type_text = ", ".join(labels)
        parts = [p.strip() for p in _BR_RE.split(strip_badges(first))]
        parts = [p for p in parts if p]
        link_part = next((i for i, p in enumerate(parts) if LINK_RE.search(p)), None)
        if link_part is None:
            return None
        m = LINK_RE.search(parts[link_part])
        assert m is not None
        row.title = re.sub(r"\s+", " ", unescape(m["text"])).strip().replace(":star:", "").strip()
        row.url = m["url"].strip()
        if link_part + 1 < len(parts):
            row.authors = _authors(unescape(strip_badges(parts[link_part + 1])))
        for cell in cells[2:]:
            for lm in LINK_RE.finditer(cell):
                label, url = unescape(lm["text"]).strip().casefold(), lm["url"].strip()
                if not url:
                    continue
                if label in ("github", "code") or "github.com" in url and label not in ("paper", "project"):
                    if url.rstrip("/") not in {c.url.rstrip("/") for c in row.code}:
                        row.code.append(CodeCell(url=url, framework=None, official=None, status="available"))
                elif url != row.url:
                    row.alt_urls.append(url)
        # The paper link: prefer the Paper link when the title points at the code.
        if "github.com" in row.url and row.alt_urls:
            row.url, row.alt_urls = row.alt_urls[0], row.alt_urls[1:]
        if row.venue_text:
            vt = read_venue_text(row.venue_text, tax)
            if vt.venue:
                row.venues = [vt.venue]
            if vt.year:
                row.years = [vt.year]
            row.award = vt.award
            if vt.note:
                row.notes.append(f"venue as the list gives it: {row.venue_text}")
        row.add_values("models", ("llm",))  # the list is about LLMs
        finish_row(row, tax)
        return row


BADGE_TABLE = _BadgeTable()
