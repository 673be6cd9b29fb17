"""MingSun-Tse/Awesome-Pruning-at-Initialization: ``- YEAR-VENUE-[title](url)`` under bold years.

After the title link a bullet may carry ``[[Code](url)]`` (or ``[[Code 1](u)] [[Code 2](u)]``),
another version (``[[ICLR'20 rejected version](url)]``), a code report, and notes such as
``(Oral)``, ``(Spotlight)``, ``[Best Paper!]`` or ``(Code link seems invalid now...)``. A preprint
is ``2019.7-[title](url)`` (year and month, no venue); a rejection ``2020-ICLR reject-``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.importers.headings import place
from catalog.importers.listtext import finish_row, read_venue_text
from catalog.importers.markdown_tables import HEADING_RE, LINK_RE, CodeCell, Row, unescape
from catalog.importers.readers.base import ReadResult, heading_texts, source_section
from catalog.taxonomy import Taxonomy

BULLET_RE = re.compile(r"^[-*+]\s+(?P<year>(?:19|20)\d\d)(?:\.(?P<month>\d{1,2}))?\s*-\s*(?:(?P<venue>[^\[]*?)\s*-\s*)?(?P<rest>\[.*)$")
BOLD_YEAR_RE = re.compile(r"^\*\*(?P<year>(?:19|20)\d\d)\*\*\s*$")


@dataclass(frozen=True)
class _YearBullets:
    name: str = "year-bullets"
    looks_for: str = "bullets '- YEAR-VENUE-[title](url) [[Code](url)]' under bold year lines such as **2020**"

    def score(self, text: str) -> int:
        return sum(1 for line in text.splitlines() if BULLET_RE.match(line.strip()))

    def read(self, text: str, tax: Taxonomy) -> ReadResult:
        result = ReadResult()
        path: list[tuple[int, str]] = []
        bold_year: int | None = None
        for lineno, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            hm = HEADING_RE.match(stripped)
            if hm:
                path = [(lv, h) for lv, h in path if lv < len(hm[1])] + [(len(hm[1]), hm[2])]
                continue
            bm = BOLD_YEAR_RE.match(stripped)
            if bm:
                bold_year = int(bm["year"])
                continue
            m = BULLET_RE.match(stripped)
            if not m:
                if re.match(r"^[-*+]\s+(?:19|20)\d\d", stripped):
                    result.skipped.append((lineno, f"a year bullet without a [title](url) link: {stripped[:80]!r}"))
                continue
            result.rows.append(self._row(lineno, m, bold_year, [(lv, h) for lv, h in path], tax))
        return result

    def _row(self, lineno: int, m: re.Match[str], bold_year: int | None, path: list[tuple[int, str]], tax: Taxonomy) -> Row:
        section = str(bold_year) if bold_year else (source_section(path))
        row = Row(line=lineno, section=None, heading=section)
        for key, ids in place(heading_texts(path), tax).values.items():
            row.add_values(key, ids)
        rest = m["rest"]
        links = list(LINK_RE.finditer(rest))
        first = links[0]
        row.title = re.sub(r"\s+", " ", unescape(first["text"])).strip()
        row.url = first["url"].strip()
        year = int(m["year"])
        venue = (m["venue"] or "").strip()
        row.venue_text = venue or (f"preprint {m['year']}.{m['month']}" if m["month"] else "")
        if venue:
            vt = read_venue_text(venue, tax)
            if vt.venue:
                row.venues = [vt.venue]
                row.award = vt.award
            else:
                row.notes.append(f"venue as the list gives it: {venue}")
        row.years = [year]
        for link in links[1:]:
            label = unescape(link["text"]).strip()
            url = link["url"].strip()
            if re.fullmatch(r"(?i)(?:pytorch\s+|tensorflow\s+|official\s+)?code(?:\s*\d+)?", label):
                row.code.append(CodeCell(url=url, framework=None, official=None, status="available"))
            elif url and re.search(r"(?i)version|paper|arxiv|openreview|pdf", label):
                row.alt_urls.append(url)  # the same paper elsewhere (e.g. a rejected version)
                row.notes.append(f"{label}: {url}")
            elif url:
                row.notes.append(f"{label}: {url}")
        tail = LINK_RE.sub(" ", rest)
        for note in re.findall(r"\(([^()]*)\)|\[([^\[\]]*)\]", tail):
            text = (note[0] or note[1]).strip(" !")
            if not re.search(r"\w", text):
                continue
            award = tax.canonical_award(text)
            if award:
                row.award = award
            elif re.search(r"(?i)invalid", text):
                for c in row.code:
                    c.status = "link-invalid"
                row.notes.append(text)
            else:
                row.notes.append(text)
        finish_row(row, tax)
        return row


YEAR_BULLETS = _YearBullets()
