"""Turning parsed list rows into catalog entries: one entry per paper, whatever its placements.

Rows are the same paper when their titles are equal once normalised, or when they share an
arXiv id and their titles are alike (one contains the other, or most words agree). Rows that
disagree are merged all the same, and every disagreement is recorded. Problems that facts in
the list cannot settle (one link for two different papers, a code link given for two papers,
a link whose file name names another paper, two algorithm names for one paper) are kept and
described in the entry's ``review`` note: never dropped, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from catalog.identifiers import arxiv_from_url, arxiv_year, strip_arxiv_version
from catalog.importers.markdown_tables import CodeCell, Row
from catalog.normalize import normalize_title, normalize_url, titles_alike
from catalog.taxonomy import Taxonomy

MAX_ID_LENGTH = 60
_CVF_FILE_RE = re.compile(
    r"openaccess\.thecvf\.com/.*/(?:[^/_]+)_(?P<slug>.+?)_(?:CVPR|ICCV|WACV|ECCV|CVPRW)_\d{4}_paper\.(?:pdf|html)$", re.I
)


def slugify(title: str) -> str:
    """A file-name id from a title: lower-case words joined by hyphens, cut at a word boundary."""
    words = normalize_title(title).split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_ID_LENGTH:
            break
        slug = candidate
    return slug or "paper"


@dataclass
class Draft:
    """A paper being assembled from one or more rows."""

    rows: list[Row]
    title: str
    urls: list[str]
    algorithm: str | None
    structure: list[str]
    pioneer: bool
    code: list[CodeCell]
    tasks: list[str]
    sections: list[str]
    authors: list[str] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    id: str = ""

    @classmethod
    def start(cls, row: Row) -> Draft:
        return cls(
            rows=[row],
            title=row.title,
            urls=list(dict.fromkeys([row.url, *row.alt_urls])),
            algorithm=row.algorithm,
            structure=list(dict.fromkeys(row.structure)),
            pioneer=row.pioneer,
            code=list(row.code),
            tasks=list(row.tasks),
            sections=[row.section] if row.section else [],
            authors=list(row.authors),
            values={k: list(v) for k, v in row.values.items()},
            kinds=list(row.kinds),
        )

    @property
    def arxiv(self) -> str | None:
        found = arxiv_from_url(self.urls[0])
        return strip_arxiv_version(found) if found else None

    def add(self, row: Row) -> None:
        """Merge another row of the same paper, recording what disagrees."""
        first = self.rows[0]
        self.rows.append(row)
        where = f"line {row.line} vs line {first.line}"
        if normalize_title(row.title) != normalize_title(self.title) or row.title != self.title:
            if len(normalize_title(row.title)) > len(normalize_title(self.title)):
                self.conflicts.append(f"title {self.title!r} vs {row.title!r} ({where}): kept the longer")
                self.title = row.title
            else:
                self.conflicts.append(f"title {self.title!r} vs {row.title!r} ({where}): kept the first")
        if normalize_url(row.url) not in {normalize_url(u) for u in self.urls}:
            self.conflicts.append(f"link {row.url} vs {self.urls[0]} ({where}): kept both")
            self.urls.append(row.url)
        if row.algorithm and self.algorithm and row.algorithm.casefold() != self.algorithm.casefold():
            self.conflicts.append(f"algorithm {self.algorithm!r} vs {row.algorithm!r} ({where}): kept the first")
            self.review.append(f"The list gives two algorithm names for this paper: {self.algorithm} and {row.algorithm}.")
        elif row.algorithm and not self.algorithm:
            self.algorithm = row.algorithm
        if row.structure and self.structure and set(row.structure) != set(self.structure):
            self.conflicts.append(f"type {''.join(self.structure)} vs {''.join(row.structure)} ({where}): kept both")
        self.structure = list(dict.fromkeys(self.structure + row.structure))
        known_urls = {normalize_url(u) for u in self.urls}
        self.urls += [u for u in row.alt_urls if normalize_url(u) not in known_urls]
        self.authors = self.authors or list(row.authors)
        for key, ids in row.values.items():
            have = self.values.setdefault(key, [])
            have += [v for v in ids if v not in have]
        self.kinds += [k for k in row.kinds if k not in self.kinds]
        self.pioneer = self.pioneer or row.pioneer
        known = {normalize_url(c.url): c for c in self.code}
        for c in row.code:
            existing = known.get(normalize_url(c.url))
            if existing is None:
                self.code.append(c)
                known[normalize_url(c.url)] = c
            elif existing.official is None and c.official is not None:
                existing.official = c.official
        seen = {t.casefold() for t in self.tasks}
        self.tasks += [t for t in row.tasks if t.casefold() not in seen and not seen.add(t.casefold())]  # type: ignore[func-returns-value]
        if row.section and row.section not in self.sections:
            self.sections.append(row.section)
        elif row.section in self.sections:
            self.conflicts.append(f"listed twice in the same section {row.section!r} ({where})")

    def publication(self, tax: Taxonomy) -> tuple[Row | None, list[str]]:
        """The row whose venue and year stand for the paper: the first peer-reviewed one, else the first with a year."""
        with_year = [r for r in self.rows if r.years and r.venues]
        reviewed = [r for r in with_year if tax.venues.get(r.venues[0]) != "preprint"]
        chosen = reviewed[0] if reviewed else with_year[0] if with_year else None
        notes = []
        if chosen is not None:
            for r in with_year:
                if (r.venues, r.years, r.award) != (chosen.venues, chosen.years, chosen.award):
                    notes.append(
                        f"venue/year {_venue_text(r)} (line {r.line}) vs {_venue_text(chosen)} (line {chosen.line}): kept the latter"
                    )
        return chosen, notes


def _venue_text(row: Row) -> str:
    award = f" ({row.award})" if row.award else ""
    return f"{'&'.join(row.venues)}{award} {'&'.join(map(str, row.years))}"


def group_rows(rows: list[Row]) -> list[Draft]:
    """Merge rows into drafts, one per paper, in order of first appearance."""
    drafts: list[Draft] = []
    by_title: dict[str, list[Draft]] = {}
    by_arxiv: dict[str, list[Draft]] = {}
    for row in rows:
        title_key = normalize_title(row.title)
        arxiv = arxiv_from_url(row.url)
        arxiv_key = strip_arxiv_version(arxiv) if arxiv else None
        target, clash = None, None
        for d in by_title.get(title_key, []):
            different_algorithms = row.algorithm and d.algorithm and row.algorithm.casefold() != d.algorithm.casefold()
            different_links = normalize_url(row.url) not in {normalize_url(u) for u in d.urls}
            if different_algorithms and different_links:
                clash = d
                continue
            target = d
            break
        if target is None and arxiv_key:
            target = next((d for d in by_arxiv.get(arxiv_key, []) if titles_alike(d.title, row.title)), None)
        if target is not None:
            target.add(row)
            continue
        draft = Draft.start(row)
        if clash is not None:
            note = (
                f"Two rows of the list carry the title “{row.title}” with different links and algorithm names "
                f"({clash.algorithm} at {clash.urls[0]}, {row.algorithm} at {row.url}): they are different papers, or one title is wrong."
            )
            clash.review.append(note)
            draft.review.append(note)
        drafts.append(draft)
        by_title.setdefault(title_key, []).append(draft)
        if arxiv_key:
            by_arxiv.setdefault(arxiv_key, []).append(draft)
    return drafts


def flag_shared_links(drafts: list[Draft]) -> None:
    """Review notes for links that the list gives for two different papers."""
    paper_links: dict[str, list[Draft]] = {}
    code_links: dict[str, list[Draft]] = {}
    for d in drafts:
        for u in dict.fromkeys(normalize_url(u) for u in d.urls):
            paper_links.setdefault(u, []).append(d)
        for u in dict.fromkeys(normalize_url(c.url) for c in d.code):
            code_links.setdefault(u, []).append(d)
    for key, group in sorted(paper_links.items()):
        for d in group:
            for other in group:
                if other is not d:
                    d.review.append(
                        f"The paper link ({key}) is also given for “{other.title}”: one of the two links points at the wrong paper."
                    )
    for key, group in sorted(code_links.items()):
        for d in group:
            for other in group:
                if other is not d:
                    d.review.append(f"The code link ({key}) is also given for “{other.title}”: it may belong to only one of them.")
    for d in drafts:
        for u in d.urls:
            m = _CVF_FILE_RE.search(u)
            if m and not titles_alike(m["slug"].replace("_", " "), d.title):
                d.review.append(f"The link's file name names another paper (“{m['slug'].replace('_', ' ')}”), not this title.")


def assign_ids(drafts: list[Draft]) -> None:
    """Unique slug ids from titles; a clash gets the year, then a counter."""
    taken: set[str] = set()
    for d in drafts:
        base = slugify(d.title)
        years = [y for r in d.rows for y in r.years[:1]]
        candidates = [base] + [f"{base}-{y}" for y in years[:1]] + [f"{base}-{n}" for n in range(2, 1000)]
        d.id = next(c for c in candidates if c not in taken)
        taken.add(d.id)


def source_record(d: Draft, list_name: str) -> dict[str, Any]:
    """What the list says about the paper, in full; trimmed to what differs once the entry is known."""
    first = d.rows[0]
    # The venue as written is the record's `venue` already; a note saying so again is noise.
    notes = list(dict.fromkeys(n for r in d.rows for n in r.notes if not n.startswith("venue as the list gives it")))
    record: dict[str, Any] = {
        "list": list_name,
        "section": first.heading or None,
        "title": first.title,
        "url": first.url,
        "venue": first.venue_text or None,
        "year": first.years[0] if first.years else None,
        "type": first.type_text or None,
        "code": [c.url for c in d.code],
        "notes": notes,
    }
    return {k: v for k, v in record.items() if v not in (None, [], "")}


def draft_to_data(
    d: Draft, tax: Taxonomy, added: dt.date, list_name: str | None = None
) -> tuple[dict[str, Any] | None, list[str], list[str]]:
    """The paper data of a draft, the repairs made on the way, and errors that prevent an entry.

    Disagreements between rows are appended to ``d.conflicts``.
    """
    chosen, venue_notes = d.publication(tax)
    d.conflicts.extend(venue_notes)
    if chosen is None:
        return None, [], ["no row of this paper gives both a venue and a year"]
    repairs: list[str] = []
    year = chosen.years[0]
    arxiv = d.arxiv
    issued = arxiv_year(arxiv) if arxiv else None
    if issued and year < issued:
        # A warning, not a rewrite: papers are sometimes published before their preprint appears
        # (OPQ: AAAI 2021, arXiv 2022), so the list's year is kept and flagged for a curator.
        d.review.append(
            f"The list gives the year {year}, earlier than the arXiv id {arxiv} ({issued}); kept as given, since a paper can be "
            "published before its preprint: check the year."
        )
    other_years = chosen.years[1:] + [chosen.years[-1]] * max(0, len(chosen.venues) - len(chosen.years))
    other_venues = [{"venue": v, "year": y} for v, y in zip(chosen.venues[1:], other_years, strict=False)]
    tags: dict[str, list[str]] = {axis: [] for axis in tax.axes}
    type_facet = tax.roles.type_column  # the list's Type column fills it; sections imply the others
    facets: dict[str, list[str]] = {facet: [] for facet in tax.facets if facet != type_facet}
    survey = "survey" in d.kinds
    for key, ids in d.values.items():
        target = tags if key in tags else facets if key in facets else None
        if target is not None:
            target[key] = list(dict.fromkeys(target[key] + ids))
    if "kind" in facets:
        facets["kind"] = list(dict.fromkeys(facets["kind"] + [k for k in d.kinds if k in tax.facets["kind"].values]))
    for sid in d.sections:
        for key, values in tax.section(sid).implies.items():
            if key == "survey":
                survey = bool(values)
            elif key in tags:
                tags[key] = list(dict.fromkeys(tags[key] + list(values)))
            else:
                facets[key] = list(dict.fromkeys(facets[key] + list(values)))
    data: dict[str, Any] = {
        "id": d.id,
        "title": d.title,
        "url": d.urls[0],
        "alternate_urls": d.urls[1:],
        "venue": chosen.venues[0],
        "award": chosen.award,
        "year": year,
        "other_venues": other_venues,
        "algorithm": d.algorithm,
        "code": [{"url": c.url, "framework": c.framework, "official": c.official, "status": c.status} for c in d.code],
        "tasks": d.tasks,
        type_facet: d.structure,
        "pioneer": d.pioneer,
        "survey": survey,
        "tags": tags,
        "sections": d.sections,
        "added": added,
        "review": " ".join(dict.fromkeys(d.review)) or None,
        "authors": d.authors,
        **{k: v for k, v in facets.items() if v},
    }
    if list_name is not None:
        data["sources"] = [source_record(d, list_name)]
    for c in data["code"]:
        for key in ("framework", "official"):
            if c[key] is None:
                del c[key]
        if c["status"] == "available":
            del c["status"]
    return {k: v for k, v in data.items() if v is not None}, repairs, []
