"""Reading the paper tables of an awesome-pruning style Markdown list, cell by cell.

This module knows only Markdown: headings give the list section, table rows give cells, and
each cell kind (title link, venue, type codes, code links, tasks, year) is parsed into plain
values. Every mechanical repair it makes (stray ``)``, a URL without scheme, ``Anthor``, a
misspelt framework, ``2017&2019``) is recorded on the row, so the import report can account
for it. Deciding which rows are the same paper is :mod:`catalog.importers.merge`'s job.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from catalog.importers.headings import place
from catalog.taxonomy import Taxonomy

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
HEADING_NUMBER_RE = re.compile(r"^(\d+(?:\.\d+)*)\.?\s")
# A Markdown link whose URL may hold balanced parentheses (OpenReview referrers do).
LINK_RE = re.compile(r"\[(?P<text>(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*)\]\(\s*(?P<url>(?:[^()\s]|\([^()\s]*\))*)\s*\)")
COLUMN_KEYS = {
    "no.": "no",
    "no": "no",
    "#": "no",
    "title": "title",
    "paper": "title",
    "title & authors": "title",
    "paper title": "title",
    "first used paper": "title",
    "venue": "venue",
    "conference": "venue",
    "publication": "venue",
    "pub": "venue",
    "published": "venue",
    "type": "type",
    "algorithm name": "algorithm",
    "algorithm": "algorithm",
    "method": "algorithm",
    "code": "code",
    "repo": "code",
    "github": "code",
    "links": "code",
    "app": "app",
    "year": "year",
    "date": "year",
    "first used year": "year",
}
STRUCTURE_LETTERS = "LFCNHBMEW"
# CommonMark lets a backslash escape any ASCII punctuation character.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass
class CodeCell:
    url: str
    framework: str | None
    official: bool | None
    status: str


@dataclass
class Row:
    """One table row of the list, parsed; ``repairs`` and ``errors`` explain what happened to it."""

    line: int
    section: str | None
    heading: str
    title: str = ""
    url: str = ""
    venues: list[str] = field(default_factory=list)
    award: str | None = None
    years: list[int] = field(default_factory=list)
    structure: list[str] = field(default_factory=list)
    pioneer: bool = False
    algorithm: str | None = None
    code: list[CodeCell] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What lists other than the seed say; empty for the seed's own tables.
    alt_urls: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)  # taxonomy values the list gives (axis/facet -> ids)
    kinds: list[str] = field(default_factory=list)  # paper kinds (survey, benchmark)
    venue_text: str = ""  # the venue as the list writes it
    type_text: str = ""  # the type/label as the list writes it
    notes: list[str] = field(default_factory=list)

    def add_values(self, key: str, ids: Sequence[str]) -> None:
        have = self.values.setdefault(key, [])
        have += [v for v in ids if v not in have]


def unescape(text: str) -> str:
    """Undo Markdown backslash escapes and HTML entities, each in one pass (``&amp;#124;`` stays ``&#124;``)."""
    return html.unescape(_ESCAPED.sub(lambda m: html.escape(m[1], quote=False), text))


def split_cells(line: str) -> list[str]:
    """Split a table line on unescaped pipes; the outer pipes are optional."""
    cells, current, i = [], [], 0
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            current.append(body[i : i + 2])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    tail = "".join(current).strip()
    if tail:
        cells.append(tail)
    return cells


def _fix_url(url: str, row: Row, what: str) -> str:
    """Repair a URL mechanically: surrounding spaces, a missing scheme."""
    if url != url.strip():
        row.repairs.append(f"{what}: removed spaces around the URL")
        url = url.strip()
    doubled = re.match(r"^(https?://)+(?=https?://)", url)
    if doubled:
        row.repairs.append(f"{what}: removed a doubled scheme from {url!r}")
        url = url[doubled.end() :]
    if url and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", url):
        row.repairs.append(f"{what}: added the missing https:// to {url!r}")
        url = "https://" + url
    url, repair = repair_arxiv_url(url)
    if repair:
        row.repairs.append(f"{what}: {repair}")
    problem = url_problem(url)
    if problem:
        row.errors.append(f"{what}: {problem}")
    return url


_ARXIV_JUNK_RE = re.compile(r"^(?P<keep>https?://(?:www\.)?arxiv\.org/(?:abs|pdf|html)/\d{4}\.\d{4,5}(?:v\d+)?)(?P<junk>[A-Za-z]+)$")


def repair_arxiv_url(url: str) -> tuple[str, str | None]:
    """``.../abs/2407.11681mini`` is ``.../abs/2407.11681`` with a word stuck to it (the link checker calls it invalid)."""
    m = _ARXIV_JUNK_RE.match(url)
    if not m or re.fullmatch(r"v\d+", m["junk"]):
        return url, None
    return m["keep"], f"removed {m['junk']!r} stuck to the arXiv id in {url!r}"

def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a link (e.g. a bracket left by a title broken over two lines), or None."""
    try:
        urlsplit(url)
    except ValueError as exc:
        return f"unreadable URL {url!r} ({exc})"
    return None


def _raw_url(m: re.Match[str]) -> str:
    """The link's URL, with a marker space kept when the source had spaces inside the parentheses."""
    spaced = re.search(r"\]\(\s|\s\)$", m.group(0)) is not None
    return (" " + m["url"]) if spaced else m["url"]


def parse_title(cell: str, row: Row) -> None:
    m = LINK_RE.search(cell)
    if not m:
        row.errors.append(f"title cell has no [title](url) link: {cell!r}")
        return
    raw_url = _raw_url(m)
    row.title = re.sub(r"\s+", " ", unescape(m["text"])).strip()
    row.url = _fix_url(raw_url, row, "title link")
    rest = cell[m.end() :].strip()
    if rest.startswith(")"):
        row.repairs.append("title cell: removed a stray ')' after the link")


def parse_venue(cell: str, row: Row, tax: Taxonomy) -> None:
    text = unescape(cell).replace("*", "").strip()
    m = re.match(r"^(?P<venue>[^()]+?)\s*(?:\((?P<award>[^()]*)\))?\s*$", text)
    if not m or not text or text == "-":
        row.errors.append(f"venue cell is empty or unreadable: {cell!r}")
        return
    if m["award"]:
        award = tax.canonical_award(m["award"].strip())
        if award is None:
            row.errors.append(f"unknown award or track {m['award']!r} in venue cell {cell!r}")
        else:
            row.award = award
            row.repairs.append(f"venue cell: moved {m['award'].strip()!r} to the award field as {award!r}")
    for name in (v.strip() for v in m["venue"].split("&")):
        canonical = tax.canonical_venue(name)
        if canonical is None:
            row.errors.append(f"unknown venue {name!r}")
            continue
        if canonical != name:
            row.repairs.append(f"venue: {name!r} is spelt {canonical!r}")
        row.venues.append(canonical)


def parse_year(cell: str, row: Row) -> None:
    text = cell.strip()
    if not text or text == "-":
        return  # may be filled from another row of the same paper; checked after merging
    parts = [p.strip() for p in text.split("&")]
    if not all(re.fullmatch(r"(19|20)\d\d", p) for p in parts):
        row.errors.append(f"year cell is not a year: {cell!r}")
        return
    row.years = [int(p) for p in parts]
    if len(parts) > 1:
        row.repairs.append(f"year cell {text!r}: first year kept, the others go with the other venues")


# Structure codes longer than one letter, as the README writes them (``token``, ``kv-cache``).
_PLAIN_CODES = {"activation": "activation", "token": "token", "expert": "expert", "kv-cache": "kv-cache"}


def parse_type(cell: str, row: Row) -> None:
    text = cell.replace("`", "").strip()
    if not text or text == "-":
        return
    for part in (p.strip() for p in text.split("&")):
        if re.fullmatch(r"(?i)n:m", part):
            row.structure.append("N:M")
        elif re.fullmatch(r"(?i)1xn", part):
            if part != "1xN":
                row.repairs.append(f"type {part!r} is written '1xN'")
            row.structure.append("1xN")
        elif re.fullmatch(r"(?i)other", part):
            row.structure.append("other")
        elif part.casefold() in _PLAIN_CODES:
            row.structure.append(_PLAIN_CODES[part.casefold()])
        elif re.fullmatch(r"[A-Za-z]+", part):
            for ch in part:
                up = ch.upper()
                if up == "P":
                    row.pioneer = True
                elif up == "S" and ch == "S":
                    row.add_values("models", ["special"])  # he-y's `S`: special networks (graph, spiking, quantum)
                elif up == "O" and ch == "O":
                    row.structure.append("other")  # he-y's `FO`: filter and other
                elif up in STRUCTURE_LETTERS:
                    if ch != up:
                        row.repairs.append(f"type code {ch!r} is upper case {up!r}")
                    row.structure.append(up)
                else:
                    row.errors.append(f"unknown type code {ch!r} in {cell!r}")
        else:
            row.errors.append(f"unreadable type cell {cell!r}")


def parse_code(cell: str, row: Row, tax: Taxonomy) -> None:
    text = cell.strip()
    if not text or text == "-":
        return
    matches = list(LINK_RE.finditer(text))
    if not matches:
        row.errors.append(f"code cell has no link: {cell!r}")
        return
    for i, m in enumerate(matches):
        label = unescape(m["text"]).strip()
        raw_url = _raw_url(m)
        url = _fix_url(raw_url, row, "code link")
        following = text[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        status = "releasing" if re.search(r"(?i)\(releasing\)", following) else "available"
        lm = re.match(r"^(?P<fw>[^()]+?)\s*(?:\((?P<who>[^()]*)\))?$", label)
        framework, official = None, None
        if not lm:
            row.errors.append(f"unreadable code label {label!r}")
            continue
        fw_raw = lm["fw"].strip()
        if fw_raw.casefold() in ("code deleted", "deleted"):
            row.code.append(CodeCell(url=url, framework=None, official=None, status="deleted"))
            continue
        framework = None if fw_raw.casefold() == "code" else tax.canonical_framework(fw_raw)
        if framework is None and fw_raw.casefold() != "code":
            row.errors.append(f"unknown framework {fw_raw!r} in code cell")
            continue
        if framework is None:
            pass  # "Code": a link whose framework the list does not say
        elif fw_raw.casefold() != framework.casefold():
            row.repairs.append(f"framework {fw_raw!r} is {framework!r}")
        elif framework != fw_raw:
            row.repairs.append(f"framework spelling {fw_raw!r} -> {framework!r}")
        who = (lm["who"] or "").strip().casefold()
        if who in ("author", "anthor", "authors"):
            official = True
            if who == "anthor":
                row.repairs.append("code label: 'Anthor' is 'Author'")
        elif who in ("3rd", "third-party", "third party"):
            official = False
        elif who == "not available":
            status = "unavailable"
        elif who in ("deleted", "code deleted"):
            status = "deleted"
        elif who in ("link invalid", "link-invalid"):
            status = "link-invalid"
        elif who:
            row.errors.append(f"unknown code label {lm['who']!r}")
        row.code.append(CodeCell(url=url, framework=framework, official=official, status=status))


def parse_tasks(cell: str, row: Row) -> None:
    text = unescape(cell).strip()
    if not text or text == "-":
        return
    row.tasks = [t.strip() for t in text.split("&") if t.strip() and t.strip() != "-"]


def read_rows(text: str, tax: Taxonomy, *, numbered: bool = True) -> tuple[list[Row], list[tuple[int, str]]]:
    """Every paper row of every table, with its section; plus problems with tables themselves.

    A table is a paper table when a header cell names the title column (``Title``, ``Paper``,
    ``Title & Authors``...). With ``numbered`` (the seed's layout) every row starts with its
    number; otherwise a number column is optional. Headings place the rows (see
    :mod:`catalog.importers.headings`); a year heading gives the year when no column does.
    """
    rows: list[Row] = []
    problems: list[tuple[int, str]] = []
    path: list[tuple[int, str]] = []
    placement = place([], tax)
    columns: list[str | None] | None = None
    in_code_block = False
    previous_was_row = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code_block = not in_code_block
            continue
        if in_code_block:
            continue
        hm = HEADING_RE.match(stripped)
        if hm:
            level = len(hm[1])
            path = [(lv, h) for lv, h in path if lv < level] + [(level, hm[2])]
            placement = place([h for _, h in path], tax)
            columns = None
            continue
        if not stripped.startswith("|"):
            if stripped and columns and previous_was_row:
                # A row broken over several lines: the line goes on where the row left off.
                problems.append((lineno, "this line continues a table row broken over several lines; the row is not read whole"))
            elif stripped:
                columns = None
            previous_was_row = False
            continue
        previous_was_row = True
        cells = split_cells(stripped)
        if all(re.fullmatch(r":?-{3,}:?", c.replace(" ", "")) for c in cells if c):
            continue  # alignment row
        keys = [COLUMN_KEYS.get(unescape(c).strip().casefold()) for c in cells]
        if "title" in keys and not LINK_RE.search(stripped):
            columns = keys  # a paper table's header (also when a new table follows without a blank line)
            continue
        if columns is None:
            if LINK_RE.search(stripped) and re.fullmatch(r"\d+", cells[0] if cells else ""):
                problems.append((lineno, f"a numbered table row with no header above it: {stripped[:80]!r}"))
                columns = []
                continue
            columns = []
            continue
        if not columns:
            if LINK_RE.search(stripped) and re.fullmatch(r"\d+", cells[0] if cells else "") and numbered:
                problems.append((lineno, f"a numbered table row in a table whose header names no Title column: {stripped[:80]!r}"))
            continue  # a table that is not a paper table (e.g. the type legend)
        if (numbered or "no" in columns) and (not cells or not re.fullmatch(r"\d+", cells[0])):
            problems.append((lineno, f"table row without a number in the first column: {stripped[:80]!r}"))
            continue
        heading = path[-1][1] if path else ""
        row = _parse_row(lineno, placement.section, heading, columns, cells, tax)
        for key, ids in placement.values.items():
            row.add_values(key, ids)
        if not row.years and placement.year and "year" not in columns:
            row.years = [placement.year]
        rows.append(row)
    return rows, problems


def _parse_row(lineno: int, section: str | None, heading: str, columns: list[str | None], cells: list[str], tax: Taxonomy) -> Row:
    row = Row(line=lineno, section=section, heading=heading)
    values = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(columns) if key}
    if len(cells) > len(columns):
        row.errors.append(f"row has {len(cells)} cells, the table has {len(columns)} columns")
    parse_title(values.get("title", ""), row)
    row.venue_text = unescape(values.get("venue", "")).replace("*", "").strip()
    row.type_text = values.get("type", "").replace("`", "").strip()
    parse_venue(values.get("venue", ""), row, tax)
    parse_year(values.get("year", ""), row)
    parse_type(values.get("type", ""), row)
    algorithm = unescape(values.get("algorithm", "")).strip()
    row.algorithm = algorithm if algorithm and algorithm != "-" else None
    parse_code(values.get("code", ""), row, tax)
    parse_tasks(values.get("app", ""), row)
    return row
