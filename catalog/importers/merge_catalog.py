"""Merging imported lists into the catalog: match, add facts, never overwrite, account for every row.

Papers are matched by arXiv id (any version), OpenReview id, DOI, normalised URL and normalised
title, in that order. An identifier match counts only when the titles are alike; otherwise the
paper is added as its own entry with a ``review`` note (one of the two links is wrong). A title
that is nearly but not exactly the same (a typo, a method prefix) is never merged silently: the
paper is added with a ``review`` note naming the entry it may duplicate. arXiv ids that the
catalog already gives to two differently titled entries are never used as match keys.

Precedence, for venue, year, code and type:

1. an entry that was in the catalog before the merge (the seed list, hand curation) keeps its
   values: a list never overwrites a field that has a value, it only fills empty ones;
2. between the merged lists, the list merged first wins (the order of the command line),
   except that a peer-reviewed venue replaces a preprint venue set by an earlier list;
3. whatever loses is kept in that list's ``sources`` record and listed in the report's conflicts.

A re-import of a list replaces only that list's ``sources`` record and fills only empty fields.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from catalog.dump import paper_to_data
from catalog.identifiers import arxiv_from_url, github_repo_key, parse_doi, strip_arxiv_version
from catalog.importers.listtext import split_method_prefix
from catalog.importers.markdown import ImportResult
from catalog.importers.merge import slugify
from catalog.model import Paper, validate_paper
from catalog.normalize import normalize_title, normalize_url, titles_alike, word_overlap
from catalog.placement import needs_placing, placed_sections
from catalog.taxonomy import Taxonomy, default_taxonomy

STRONG_KEYS = frozenset({"arxiv", "openreview", "doi"})
DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s?#]+)", re.IGNORECASE)
NEAR_RATIO = 0.9
TYPE = "structure"  # the facet the lists' type codes fill (the taxonomy's type_column role)


def doi_of(url: str) -> str | None:
    """The DOI a link names: a doi.org link (catalog.identifiers), or a publisher path holding one (dl.acm.org/doi/10...)."""
    doi = parse_doi(url)
    if doi is not None:
        return doi.key
    m = DOI_RE.search(url)
    return m[1].rstrip(".").casefold() if m and ("doi" in url.casefold() or "/10." in url) else None


def paper_keys(paper: Paper, ambiguous: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """The match keys of a paper, strongest first: (kind, key)."""
    keys: list[tuple[str, str]] = []
    arxiv_ids = [paper.arxiv] if paper.arxiv else []
    arxiv_ids += [a for a in (arxiv_from_url(u) for u in paper.all_urls) if a]
    for a in dict.fromkeys(strip_arxiv_version(a) for a in arxiv_ids):
        if a not in ambiguous:
            keys.append(("arxiv", a))
    for u in paper.all_urls:
        n = normalize_url(u)
        if n.startswith("openreview:"):
            keys.append(("openreview", n.removeprefix("openreview:")))
    for u in paper.all_urls:
        d = doi_of(u)
        if d:
            keys.append(("doi", d))
    for u in paper.all_urls:
        n = normalize_url(u)
        if not n.startswith(("arxiv:", "openreview:", "doi:")):
            keys.append(("url", n))
    keys.append(("title", normalize_title(paper.title)))
    # Other spellings a curator kept for the entry (a list's typo) match too (field added by curation, issue 12).
    aliases: tuple[str, ...] = getattr(paper, "title_aliases", ())
    keys += [("title", normalize_title(t)) for t in aliases]
    return list(dict.fromkeys(keys))


def ambiguous_arxiv_ids(papers: Iterable[Paper]) -> frozenset[str]:
    """arXiv ids that the catalog gives to two entries with different titles (one link is wrong)."""
    titles: dict[str, set[str]] = {}
    for p in papers:
        if p.arxiv:
            titles.setdefault(strip_arxiv_version(p.arxiv), set()).add(normalize_title(p.title))
    return frozenset(a for a, t in titles.items() if len(t) > 1)


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row of a merged list."""

    line: int
    title: str
    action: str  # new | merged | merged-in-list | flagged-new | skipped
    entry: str | None
    matched_by: str | None = None
    why: str | None = None
    repaired: tuple[str, ...] = ()
    flagged: tuple[str, ...] = ()


@dataclass
class ListReport:
    """The account of merging one list."""

    name: str
    source: str
    reader: str
    rows: list[RowOutcome] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        count = {a: sum(r.action == a for r in self.rows) for a in ("new", "merged", "merged-in-list", "flagged-new", "skipped")}
        entries = {r.entry for r in self.rows if r.entry}
        return {
            "rows": len(self.rows),
            "papers": len(entries) + count["skipped"],
            "in_catalog": len(entries),
            "new_entries": count["new"] + count["flagged-new"],
            "merged_into_existing": count["merged"],
            "rows_merged_within_list": count["merged-in-list"],
            "flagged": len(self.flags),
            "conflicts": len(self.conflicts),
            "skipped": count["skipped"],
        }

    def as_json(self) -> str:
        data = {
            "list": self.name,
            "source": self.source,
            "reader": self.reader,
            "precedence": PRECEDENCE,
            "summary": self.summary(),
            "rows": [asdict(r) for r in self.rows],
            "conflicts": self.conflicts,
            "flags": self.flags,
            "facts_added": self.filled,
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def as_text(self) -> str:
        s = self.summary()
        flagged_new = sum(r.action == "flagged-new" for r in self.rows)
        out = [
            f"Merge of {self.name} ({self.source}, read as {self.reader})",
            f"  {s['rows']} rows -> {s['papers']} papers of the list: {s['in_catalog']} in the catalog, {s['skipped']} skipped",
            f"  {s['new_entries']} new entries ({flagged_new} of them flagged as possible duplicates)",
            f"  {s['merged_into_existing']} merged into existing entries, {s['rows_merged_within_list']} rows merged within the list",
            f"  {s['conflicts']} conflicts resolved by precedence, {s['flagged']} flags for review",
            "",
            "Precedence: " + PRECEDENCE,
            "",
            "Rows:",
        ]
        for r in self.rows:
            how = f" by {r.matched_by}" if r.matched_by else ""
            why = f" ({r.why})" if r.why else ""
            out.append(f"  line {r.line}: {r.title[:70]!r} -> {r.entry or '-'} ({r.action}{how}){why}")
            out += [f"      repaired: {x}" for x in r.repaired]
            out += [f"      flagged: {x}" for x in r.flagged if x != r.why]
        for title, items in (("Conflicts", self.conflicts), ("Flags", self.flags), ("Facts added to existing entries", self.filled)):
            if items:
                out += ["", f"{title}:"] + [f"  {x}" for x in items]
        return "\n".join(out) + "\n"


PRECEDENCE = (
    "an entry already in the catalog keeps its values (a list only fills empty fields); between merged lists the one "
    "merged first wins, except that a peer-reviewed venue replaces a preprint venue set by an earlier list; the losing "
    "value stays in that list's sources record and is listed here"
)


class _Index:
    def __init__(self, papers: Iterable[Paper], ambiguous: frozenset[str]) -> None:
        self.ambiguous = ambiguous
        self.by_key: dict[tuple[str, str], list[str]] = {}
        self.words: dict[str, set[str]] = {}
        self.titles: dict[str, str] = {}
        for p in papers:
            self.add(p)

    def add(self, paper: Paper) -> None:
        for key in paper_keys(paper, self.ambiguous):
            ids = self.by_key.setdefault(key, [])
            if paper.id not in ids:
                ids.append(paper.id)
        title = normalize_title(paper.title)
        self.titles[paper.id] = title
        for w in set(title.split()):
            self.words.setdefault(w, set()).add(paper.id)

    def near(self, title: str, exclude: set[str]) -> list[str]:
        """Entries whose normalised title is nearly ``title`` (a typo, a prefix), best first."""
        norm = normalize_title(title)
        _method, rest = split_method_prefix(title)
        bare = normalize_title(rest)
        words = norm.split()
        candidates: dict[str, int] = {}
        for w in set(words):
            for pid in self.words.get(w, ()):
                candidates[pid] = candidates.get(pid, 0) + 1
        scored = []
        for pid, common in candidates.items():
            if pid in exclude or common < max(2, len(set(words)) // 2):
                continue
            other = self.titles[pid]
            if other == bare and bare != norm:
                scored.append((1.0, pid))
                continue
            if word_overlap(norm, other) < 0.6:
                continue
            ratio = difflib.SequenceMatcher(None, norm, other).ratio()
            if ratio >= NEAR_RATIO:
                scored.append((ratio, pid))
        return [pid for _r, pid in sorted(scored, key=lambda x: (-x[0], x[1]))]


def _trim_source(record: dict[str, Any], paper: Paper, tax: Taxonomy, structure: Sequence[str], speedup: Sequence[str]) -> dict[str, Any]:
    """The list's record with only what differs from the entry (plus the list and its section)."""
    out = dict(record)
    if normalize_title(out.get("title", "")) == normalize_title(paper.title):
        out.pop("title", None)
    if "url" in out and normalize_url(out["url"]) in {normalize_url(u) for u in paper.all_urls}:
        out.pop("url")
    venue_text = out.get("venue")
    if venue_text is not None and _venue_agrees(venue_text, paper, tax):
        out.pop("venue")
    if out.get("year") == paper.year:
        out.pop("year")
    have_code = {code_key(c.url) for c in paper.code}
    code = [u for u in out.get("code", []) if code_key(u) not in have_code]
    if code:
        out["code"] = code
    else:
        out.pop("code", None)
    if "type" in out and set(structure) <= set(paper.facet(TYPE)) and set(speedup) <= set(paper.axis_values("speedup")):
        out.pop("type")
    return out


def _venue_agrees(text: str, paper: Paper, tax: Taxonomy) -> bool:
    folded = re.sub(r"\*|\(.*?\)", "", text).strip()
    canonical = tax.canonical_venue(folded)
    if canonical is None:
        m = re.match(r"^([A-Za-z][A-Za-z .&-]*?)\s*'?(?:(?:19|20)?\d\d)?'?(?:\s+\w+)?$", folded)
        canonical = tax.canonical_venue(m[1]) if m else None
    return canonical is not None and canonical in {paper.venue, *(v.venue for v in paper.other_venues)}


def _arxiv_conflict(a: Paper, b: Paper) -> bool:
    return bool(a.arxiv and b.arxiv and strip_arxiv_version(a.arxiv) != strip_arxiv_version(b.arxiv))


def code_key(url: str) -> str:
    """Code links compare without case (GitHub owners and repositories), query or fragment."""
    repo = github_repo_key(url)
    return f"github:{repo}" if repo else normalize_url(url.split("#", 1)[0])


def _is_preprint(venue: str, tax: Taxonomy) -> bool:
    return tax.venues.get(venue) == "preprint"


class Merger:
    """Merges imported lists into a set of papers, one list at a time, in precedence order."""

    def __init__(self, papers: Iterable[Paper], added: dt.date, tax: Taxonomy | None = None) -> None:
        self.tax = tax or default_taxonomy()
        self.papers: dict[str, Paper] = {p.id: p for p in papers}
        self.before = frozenset(self.papers)  # entries that existed before this merge: never overwritten
        self.ambiguous = ambiguous_arxiv_ids(self.papers.values())
        self.index = _Index(self.papers.values(), self.ambiguous)
        self.added = added
        self._this_list: set[str] = set()
        # Each list's full record per entry, trimmed again against the final entry by finish().
        self._full: dict[tuple[str, str], tuple[dict[str, Any], tuple[str, ...], tuple[str, ...]]] = {}

    def merge(self, list_name: str, result: ImportResult) -> ListReport:
        report = ListReport(name=list_name, source=result.source, reader=result.reader)
        # An id the list itself gives to two different titles is no match key either.
        self.ambiguous = self.ambiguous | ambiguous_arxiv_ids(result.papers)
        self.index.ambiguous = self.ambiguous
        self._this_list = set()  # entries this list touched: its own papers never merge with each other
        final_id: dict[str, str] = {}
        how: dict[str, tuple[str, str | None, str | None]] = {}
        for imported in result.papers:
            action, entry, matched_by, why = self._merge_one(list_name, imported, report)
            final_id[imported.id] = entry
            how[imported.id] = (action, matched_by, why)
        for row in result.rows:
            if row.entry is None:
                why = "; ".join(row.errors) or "not imported"
                report.rows.append(RowOutcome(row.line, row.title, "skipped", None, None, why, row.repaired))
                continue
            action, matched_by, why = how[row.entry]
            if row.merged:
                outcome = RowOutcome(
                    row.line, row.title, "merged-in-list", final_id[row.entry], None, "another row of the list is the same paper"
                )
            else:
                outcome = RowOutcome(row.line, row.title, action, final_id[row.entry], matched_by, why)
            flagged = row.flagged + ((why,) if why and action in ("flagged-new",) or (action == "merged" and why) else ())
            report.rows.append(dataclasses.replace(outcome, repaired=row.repaired, flagged=flagged))
        for p in result.problems:
            report.rows.append(RowOutcome(p.line, "", "skipped", None, None, p.message))
        report.rows.sort(key=lambda r: r.line)
        return report

    def finish(self) -> dict[str, Paper]:
        """The merged papers, each list's record trimmed against the entry as it finally is.

        A later list may change an entry an earlier list created (a peer-reviewed venue over a
        preprint), so what "differs" is decided at the end; this makes a second run a no-op.
        """
        for (pid, list_name), (record, structure, speedup) in sorted(self._full.items()):
            paper = self.papers[pid]
            trimmed = _trim_source(record, paper, self.tax, structure, speedup)
            sources = [trimmed if s.list == list_name else s.model_dump(exclude_defaults=True) for s in paper.sources]
            data = paper_to_data(paper)
            data["sources"] = sources
            self.papers[pid] = validate_paper(data, self.tax)
        self._full.clear()
        return self.papers

    # -- one paper -------------------------------------------------------------------------

    def _match(self, paper: Paper) -> tuple[str | None, str | None, str | None, list[str]]:
        """The entry that is this paper: (id, key kind, a flag when titles differ, ids of link clashes)."""
        clashes: list[str] = []
        for kind, key in paper_keys(paper, self.ambiguous):
            for pid in self.index.by_key.get((kind, key), []):
                if pid in self._this_list:
                    continue  # the list's own grouping already decided these are different papers
                other = self.papers[pid]
                if kind == "title" or titles_alike(other.title, paper.title):
                    return pid, kind, None, clashes
                if kind in STRONG_KEYS:  # an identifier of the paper itself: a renamed version, or a misspelt title
                    return pid, kind, f"the same {kind} id {key} under another title", clashes
                clashes.append(pid)  # a generic URL given to a different title: one of the links is wrong
        for pid in self.index.near(paper.title, set(clashes) | self._this_list):
            if not _arxiv_conflict(self.papers[pid], paper):
                return pid, "near title", "a nearly identical title (a typo or a prefix)", clashes
        return None, None, None, clashes

    def _merge_one(self, list_name: str, paper: Paper, report: ListReport) -> tuple[str, str, str | None, str | None]:
        record = paper.sources[0].model_dump(exclude_defaults=True) if paper.sources else {"list": list_name}
        pid, kind, differs, clashes = self._match(paper)
        if pid is not None:
            note = None
            if differs:
                other = self.papers[pid]
                note = f"{list_name} lists this paper as “{paper.title}” ({differs}): merged; check which title is right."
                report.flags.append(f"{paper.title!r} merged into {pid} ({other.title!r}) by {differs}")
            self._add_facts(pid, paper, record, report, note)
            self._this_list.add(pid)
            return ("merged", pid, kind, differs)
        notes = []
        for other_id in dict.fromkeys(clashes):
            other = self.papers[other_id]
            note = (
                f"{list_name} gives this paper a link of “{other.title}” ({other_id}) under another title: one of the two links is wrong."
            )
            notes.append(note)
            report.flags.append(f"{paper.title!r} shares a link with {other_id} but the titles differ: added apart, flagged")
        near = [pid for pid in self.index.near(paper.title, set(clashes))][:2]
        for other_id in near:
            other = self.papers[other_id]
            notes.append(f"Possibly the same paper as “{other.title}” ({other_id}), whose arXiv id differs: merge by hand if it is.")
            report.flags.append(
                f"{paper.title!r} is nearly the title of {other_id} ({other.title!r}) but the arXiv ids differ: added apart, flagged"
            )
        new_id = self._new_id(paper)
        data = paper_to_data(paper)
        data["id"] = new_id
        data["added"] = self.added
        data["sources"] = [_trim_source(record, paper, self.tax, paper.facet(TYPE), paper.tags.values("speedup"))]
        self._full[(new_id, list_name)] = (record, paper.facet(TYPE), paper.tags.values("speedup"))
        if needs_placing(paper, self.tax):
            data["sections"] = list(placed_sections(paper, self.tax))
        if notes:
            data["review"] = " ".join(filter(None, [paper.review, *notes]))
        new = validate_paper(data, self.tax)
        self.papers[new_id] = new
        self.index.add(new)
        self._this_list.add(new_id)
        action = "flagged-new" if (near or clashes) else "new"
        why = "; ".join(notes) if notes else None
        return action, new_id, None, why

    def _new_id(self, paper: Paper) -> str:
        base = paper.id if paper.id not in self.papers else slugify(paper.title)
        for candidate in [base, f"{base}-{paper.year}", *(f"{base}-{n}" for n in range(2, 1000))]:
            if candidate not in self.papers:
                return candidate
        raise RuntimeError(f"no free id for {paper.title!r}")  # pragma: no cover - 1000 papers of one title

    def _add_facts(self, pid: str, paper: Paper, record: dict[str, Any], report: ListReport, note: str | None) -> None:
        entry = self.papers[pid]
        data = paper_to_data(entry)
        if note and note not in (entry.review or ""):
            data["review"] = f"{entry.review} {note}" if entry.review else note
        curated = pid in self.before
        filled: list[str] = []
        # Venue and year: the earlier value wins, except a peer-reviewed venue over an earlier list's preprint.
        if not curated and _is_preprint(entry.venue, self.tax) and not _is_preprint(paper.venue, self.tax):
            report.conflicts.append(
                f"{pid}: venue {entry.venue} {entry.year} (earlier list) vs {paper.venue} {paper.year} ({record['list']}): "
                "took the peer-reviewed venue"
            )
            data["venue"], data["year"] = paper.venue, paper.year
            data.pop("award", None)
            if paper.award:
                data["award"] = paper.award
        elif paper.venue != entry.venue and not _is_preprint(paper.venue, self.tax):
            report.conflicts.append(f"{pid}: venue {entry.venue} (kept) vs {paper.venue} ({record['list']})")
        elif paper.year != entry.year and paper.venue == entry.venue:
            report.conflicts.append(f"{pid}: year {entry.year} (kept) vs {paper.year} ({record['list']})")
        if not entry.award and paper.award and paper.venue == data["venue"]:
            data["award"] = paper.award
            filled.append("award")
        # Links: the list's links of the paper become alternate links; code links are added.
        known = {normalize_url(u) for u in entry.all_urls}
        extra = [u for u in paper.all_urls if normalize_url(u) not in known]
        if extra:
            data["alternate_urls"] = [*data.get("alternate_urls", []), *extra]
            filled.append("links")
        have_code = {code_key(c.url) for c in entry.code}
        new_code = [c.model_dump(exclude_defaults=True) for c in paper.code if code_key(c.url) not in have_code]
        if new_code:
            if entry.code:
                report.conflicts.append(
                    f"{pid}: code {', '.join(c.url for c in entry.code)} (kept first) vs "
                    f"{', '.join(c['url'] for c in new_code)} ({record['list']}): added"
                )
            data["code"] = [*data.get("code", []), *new_code]
            filled.append("code")
        # Type: fill when the entry has none; otherwise a disagreement is a conflict (kept).
        if paper.facet(TYPE) or paper.tags.values("speedup"):
            if not entry.facet(TYPE) and not entry.tags.values("speedup"):
                if paper.facet(TYPE):
                    data[TYPE] = list(paper.facet(TYPE))
                if paper.tags.values("speedup"):
                    data.setdefault("tags", {})["speedup"] = list(paper.tags.values("speedup"))
                filled.append("type")
            elif not set(paper.axis_values("speedup")) <= set(entry.axis_values("speedup")) or not set(paper.facet(TYPE)) <= set(
                entry.facet(TYPE)
            ):
                theirs = "".join(paper.facet(TYPE)) or ",".join(paper.tags.values("speedup"))
                ours = "".join(entry.facet(TYPE)) or ",".join(entry.axis_values("speedup"))
                report.conflicts.append(
                    f"{pid}: type {ours} (kept) vs {theirs} ({record['list']})"
                )
        for name in ("authors", "algorithm"):
            if not getattr(entry, name) and getattr(paper, name):
                value = getattr(paper, name)
                data[name] = list(value) if isinstance(value, tuple) else value
                filled.append(name)
        for facet in self.tax.facets:
            if facet == TYPE:
                continue
            mine, given = entry.facet(facet), paper.facet(facet)
            if given and not mine:
                data[facet] = list(given)
                filled.append(facet)
        if paper.survey and not entry.survey and not entry.sections:
            data["survey"] = True
        sources = [s for s in data.get("sources", []) if s.get("list") != record["list"]]
        probe = validate_paper({**data, "sources": []}, self.tax)
        sources.append(_trim_source(record, probe, self.tax, paper.facet(TYPE), paper.tags.values("speedup")))
        self._full[(pid, record["list"])] = (record, paper.facet(TYPE), paper.tags.values("speedup"))
        data["sources"] = sources
        if needs_placing(probe, self.tax):
            data["sections"] = list(placed_sections(probe, self.tax))
        updated = validate_paper(data, self.tax)
        if filled:
            report.filled.append(f"{pid}: {', '.join(filled)} from {record['list']}")
        self.papers[pid] = updated
        self.index.add(updated)
