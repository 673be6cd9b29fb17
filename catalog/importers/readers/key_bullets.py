"""pprp/Awesome-LLM-Prune: a bullet per paper with nested ``key: value`` bullets.

``- Title`` (sometimes ``- Wanda: Title``), then ``- Label:`` (badges), ``- Author(s):``,
``- Link:``, ``- Code:``, ``- Pub:``, ``- Summary:``, ``- 摘要:``, ``- Comment:``. Only facts are
taken (title, link, code, venue, labels, authors); the summaries are the list's own prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalog.importers.headings import place
from catalog.importers.listtext import apply_label, badges, finish_row, read_venue_text, split_method_prefix
from catalog.importers.markdown_tables import HEADING_RE, LINK_RE, CodeCell, Row, unescape
from catalog.importers.readers.base import ReadResult, heading_texts, source_section
from catalog.taxonomy import Taxonomy

TOP_RE = re.compile(r"^[-*+]\s+(?P<title>\S.*?)\s*$")
KEY_RE = re.compile(r"^\s+[-*+]\s+(?P<key>[^:：]{1,20}?)\s*[:：]\s*(?P<value>.*?)\s*$")
URL_RE = re.compile(r"https?://[^\s)>\]]+")
KEYS = ("label", "author", "authors", "author(s)", "link", "code", "pub", "summary", "摘要", "comment", "comments")


def _first_url(value: str) -> str | None:
    m = LINK_RE.search(value)
    if m and m["url"].strip():
        url = m["url"].strip()
        return url if re.match(r"^https?://", url) else "https://" + url
    u = URL_RE.search(value)
    if u:
        return u[0].rstrip(".,")
    bare = re.search(r"\b(?:arxiv\.org|github\.com|openreview\.net)/\S+", value)
    return "https://" + bare[0].rstrip(".,") if bare else None


@dataclass(frozen=True)
class _KeyBullets:
    name: str = "key-bullets"
    looks_for: str = "'- Title' bullets with nested '- Label:', '- Author:', '- Link:', '- Code:', '- Pub:' bullets"

    def score(self, text: str) -> int:
        return sum(1 for line in text.splitlines() if (m := KEY_RE.match(line)) and m["key"].strip().casefold() == "link")

    def read(self, text: str, tax: Taxonomy) -> ReadResult:
        result = ReadResult()
        path: list[tuple[int, str]] = []
        entries: list[tuple[int, str, dict[str, str], list[tuple[int, str]]]] = []
        current: tuple[int, str, dict[str, str], list[tuple[int, str]]] | None = None
        for lineno, line in enumerate(text.splitlines(), start=1):
            hm = HEADING_RE.match(line.strip())
            if hm:
                path = [(lv, h) for lv, h in path if lv < len(hm[1])] + [(len(hm[1]), hm[2])]
                current = None
                continue
            top = TOP_RE.match(line)
            if top and not line[0].isspace():
                current = (lineno, top["title"], {}, [(lv, h) for lv, h in path])
                entries.append(current)
                continue
            key = KEY_RE.match(line)
            if key and current is not None:
                name = key["key"].strip().casefold()
                if name in KEYS:
                    current[2].setdefault(name.replace("(s)", "s").rstrip("s") if name.startswith("author") else name, key["value"])
        for lineno, title, fields, heading_path in entries:
            if "link" not in fields:
                if any(k in fields for k in ("label", "code", "pub", "author")):
                    result.skipped.append((lineno, f"an entry without a Link: {title[:80]!r}"))
                continue  # a bullet of the prose (e.g. a note at the top), not a paper
            row = self._row(lineno, title, fields, heading_path, tax)
            if row is None:
                result.skipped.append((lineno, f"the Link: of {title[:60]!r} holds no URL"))
            else:
                result.rows.append(row)
        return result

    def _row(self, lineno: int, title: str, fields: dict[str, str], path: list[tuple[int, str]], tax: Taxonomy) -> Row | None:
        row = Row(line=lineno, section=None, heading=source_section(path))
        for key, ids in place(heading_texts(path), tax).values.items():
            row.add_values(key, ids)
        url = _first_url(fields["link"])
        if url is None:
            return None
        row.url = url
        clean = re.sub(r"\s+", " ", unescape(title)).strip()
        if clean != title.strip():
            row.repairs.append("title: collapsed runs of spaces")
        row.title = clean
        method, _rest = split_method_prefix(clean)
        if method:
            row.algorithm = method  # kept in the title as the list writes it; offered as the algorithm
        labels = []
        for badge in badges(fields.get("label", "")):
            if badge.kind == "label":
                labels.append(badge.label)
                if not apply_label(badge.label, row):
                    row.notes.append(f"label {badge.label!r}")
        row.type_text = ", ".join(labels)
        author = fields.get("author", "").strip()
        if author:
            names = re.sub(r"(?i)(?:,?\s*(?:etc\.?|et\.? al\.?))\s*$", "", author).strip(" ,.")
            row.authors = [a.strip() for a in names.split(",") if a.strip()]
        code = fields.get("code", "")
        code_url = _first_url(code)
        if code_url:
            row.code.append(CodeCell(url=code_url, framework=None, official=None, status="available"))
        pub = fields.get("pub", "").strip()
        if pub:
            row.venue_text = pub
            vt = read_venue_text(pub, tax)
            if vt.venue:
                row.venues = [vt.venue]
                row.award = vt.award
            if vt.year:
                row.years = [vt.year]
            if vt.note:
                row.notes.append(f"venue as the list gives it: {pub}")
        row.add_values("models", ("llm",))  # the list is about LLMs
        finish_row(row, tax)
        return row


KEY_BULLETS = _KeyBullets()
