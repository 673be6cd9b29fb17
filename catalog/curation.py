"""Apply curated facts (a JSONL file, one paper per line) to the catalog's entries.

A facts record names a paper (``arxiv`` and/or ``title``, plus ``aliases``: other spellings such
as a list's typo) and says what a curator read about it: ``authors``, ``venue``/``year``, the
taxonomy axes (``when``, ``speedup``, ``criteria``, ``learn``, ``fusion``), the ``structure``
and ``models`` facets, ``kind`` (method, survey, benchmark, analysis, theory, related),
``unclassified_reason``, ``evidence`` (the URLs read) and ``confidence`` (high/medium;
``venue_confidence`` overrides it for venue and year).

The rules keep a run safe to repeat and safe on entries the facts do not know:

* an entry matches a record by arXiv id (when the titles agree: a few entries carry another
  paper's link) or by normalised title, its own or a record's alias; unmatched entries are only
  re-written in canonical form, records that match nothing are reported;
* empty values are filled, existing values are never overwritten (a disagreement is reported
  for a person to settle; a record value that refines an entry value, such as ``post-training``
  below ``after-training``, is added next to it), except where a person did settle it: a field
  the record lists under ``settled`` (authors, an axis, structure, models) takes the record's
  value; and a title the record lists as an alias of the real title (a typo) is replaced and
  kept in ``title_aliases``;
* venue and year change only on a high-confidence record naming both, and a preprint venue
  replaced by a publication is kept in ``other_venues``;
* ``curated`` records which axes and fields the facts cover, the evidence and the date; an entry
  whose facts are already applied is left byte-for-byte unchanged, so running twice is a no-op;
* an entry nobody filed in a section by hand is filed where its tags place it
  (:mod:`catalog.placement`), so a new ``when`` moves it out of the unplaced section.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.canonical import strip_schema_line, with_comments
from catalog.dump import dump_paper, paper_to_data
from catalog.errors import CatalogError, display_path
from catalog.fileio import write_text_atomic
from catalog.load import paper_files, parse_paper_text
from catalog.model import Paper
from catalog.normalize import normalize_title, strip_arxiv_version, titles_alike
from catalog.placement import needs_placing, placed_sections
from catalog.taxonomy import default_taxonomy

AXES = ("when", "speedup", "criteria", "learn", "fusion")
FILLED_FACETS = ("structure", "models")  # facets a reading settles as surely as an axis: filled when empty


@dataclass
class Fact:
    """One curated record, as read from the JSONL file."""

    data: Mapping[str, Any]
    line: int

    @property
    def arxiv(self) -> str | None:
        value = self.data.get("arxiv")
        return strip_arxiv_version(str(value)) if value else None

    @property
    def titles(self) -> list[str]:
        return [str(t) for t in [self.data.get("title"), *self.data.get("aliases", [])] if t]

    @property
    def classified(self) -> bool:
        """The record comes from reading the paper (its kind is known), not only from a list."""
        return bool(self.data.get("kind"))

    def settles(self, field_name: str) -> bool:
        """A curator compared the entry with the paper and the record's value wins (``settled: [field, ...]``)."""
        return field_name in (self.data.get("settled") or [])

    def values(self, axis: str) -> list[str]:
        value = self.data.get(axis) or []
        return [value] if isinstance(value, str) else [str(v) for v in value]


@dataclass
class Change:
    """What applying the facts did (or would do) to one entry."""

    paper_id: str
    fact_line: int
    applied: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.paper_id, "fact_line": self.fact_line, "applied": self.applied, "disagreements": self.disagreements}


@dataclass
class Report:
    files: int = 0
    written: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unmatched_papers: list[str] = field(default_factory=list)
    unused_facts: list[int] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "written": self.written,
            "matched": len(self.changes),
            "changes": [c.as_dict() for c in self.changes if c.applied or c.disagreements],
            "unmatched_papers": self.unmatched_papers,
            "unused_fact_lines": self.unused_facts,
            "invalid": self.invalid,
        }

    def disagreement_lines(self) -> list[str]:
        """One ``entry: disagreement`` line each, for the person who settles them."""
        return [f"{c.paper_id}: {d}" for c in self.changes for d in c.disagreements]

    def summary(self) -> str:
        applied = sum(1 for c in self.changes if c.applied)
        disagree = sum(1 for c in self.changes if c.disagreements)
        return (
            f"{self.files} entries, {len(self.changes)} matched a fact, {applied} changed by facts, {len(self.written)} files written, "
            f"{disagree} with disagreements left for a person, {len(self.unmatched_papers)} without facts, "
            f"{len(self.unused_facts)} facts matching no entry, {len(self.invalid)} not valid after the change (left as they were)"
        )


class FactsError(ValueError):
    """A facts file that cannot be read: the message names the file and line."""


def read_facts(path: Path) -> list[Fact]:
    """The records of a JSONL file (blank lines and ``#`` comments skipped)."""
    facts = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise FactsError(f"{path}:{n}: not valid JSON ({exc.msg} at column {exc.colno}); one record per line") from None
            if not isinstance(data, dict):
                raise FactsError(f"{path}:{n}: a record must be a JSON object, not {type(data).__name__}")
            facts.append(Fact(data, n))
    return facts


class FactIndex:
    """Find the record for an entry: by arXiv id (titles must agree), else by any normalised title."""

    def __init__(self, facts: Iterable[Fact]):
        self.by_arxiv: dict[str, list[Fact]] = {}
        self.by_title: dict[str, Fact] = {}
        for fact in facts:
            if fact.arxiv:
                self.by_arxiv.setdefault(fact.arxiv, []).append(fact)
            for title in fact.titles:
                self.by_title.setdefault(normalize_title(title), fact)

    def find(self, paper: Paper) -> Fact | None:
        names = [paper.title, *paper.title_aliases]
        if paper.arxiv:
            for fact in self.by_arxiv.get(strip_arxiv_version(paper.arxiv), []):
                if any(titles_alike(n, t) for n in names for t in fact.titles):
                    return fact
        for name in names:
            found = self.by_title.get(normalize_title(name))
            if found is not None:
                return found
        return None


def _venue_year(data: dict[str, Any], fact: Fact, change: Change) -> set[str]:
    """Correct venue and year from a high-confidence record naming both; returns the fields confirmed."""
    venue, year = fact.data.get("venue"), fact.data.get("year")
    if not venue or not isinstance(year, int):
        return set()
    tax = default_taxonomy()
    canonical = tax.canonical_venue(str(venue))
    if canonical is None:
        change.disagreements.append(f"venue {venue!r} is not in the taxonomy: not applied")
        return set()
    if (data["venue"], data["year"]) == (canonical, year):
        return {"venue", "year"}
    if fact.data.get("venue_confidence", fact.data.get("confidence")) != "high":
        change.disagreements.append(f"venue/year {data['venue']} {data['year']} vs {canonical} {year} (medium confidence): not applied")
        return set()
    old = (data["venue"], data["year"])
    if tax.venues.get(old[0]) == "preprint" and tax.venues.get(canonical) != "preprint":
        others = [o for o in data.get("other_venues", []) if (o["venue"], o["year"]) != old]
        data["other_venues"] = [{"venue": old[0], "year": old[1]}, *others]
    data["other_venues"] = [o for o in data.get("other_venues", []) if (o["venue"], o["year"]) != (canonical, year)]
    data["venue"], data["year"] = canonical, year
    change.applied.append(f"venue/year {old[0]} {old[1]} -> {canonical} {year}")
    return {"venue", "year"}


def _refinement(axis: str, have: list[str], wanted: list[str]) -> list[str] | None:
    """The entry's values plus the record's finer ones, when the two only differ in depth; else None.

    ``after-training`` on the entry and ``post-training`` (a child of it) in the facts agree: the
    entry gains the child and keeps the parent. Values of the record the entry lacks that are not
    below one of the entry's values, or entry values no record value lies at or below, disagree.
    """
    tax = default_taxonomy()
    ax = tax.axes.get(axis) or tax.facets.get(axis)
    if ax is None:
        return None
    below = set(ax.with_ancestors(wanted))
    if not set(have) <= below:
        return None
    extra = [v for v in wanted if v not in have]
    if any(not (set(ax.with_ancestors([v])) - {v}) & set(have) for v in extra):
        return None
    return [v for v in ax.ids() if v in set(have) | set(extra)]


# Reasons that only say nothing was read: a record that was read replaces them.
PLACEHOLDER_REASONS = ("not classified:", "could not tell")


def _placeholder(reason: str) -> bool:
    return reason.startswith(PLACEHOLDER_REASONS)


def apply_fact(paper: Paper, fact: Fact, today: dt.date, titles: Mapping[str, str] | None = None) -> tuple[dict[str, Any], Change]:
    """The entry's data with the record applied, and what changed.

    ``titles`` maps the normalised title of every entry to its id: a title is not corrected to
    one another entry already has (the same paper twice), which is reported instead.
    """
    data = paper_to_data(paper)
    change = Change(paper.id, fact.line)
    covered: set[str] = set()

    title = fact.data.get("title")
    aliases = {normalize_title(a) for a in fact.data.get("aliases", [])}
    if title and normalize_title(paper.title) != normalize_title(str(title)) and normalize_title(paper.title) in aliases:
        holder = (titles or {}).get(normalize_title(str(title)))
        if holder is not None and holder != paper.id:
            change.disagreements.append(
                f"the real title {title!r} is already the title of {holder!r}: the same paper twice? title left as it is"
            )
        else:
            data["title_aliases"] = list(dict.fromkeys([*data.get("title_aliases", []), paper.title]))
            data["title"] = str(title)
            change.applied.append(f"title {paper.title!r} -> {title!r} (old spelling kept as an alias)")
            covered.add("title")

    # De-duplicated as the model stores them (two co-authors can share a name: CPrune has two Taeho Kims).
    if paper.arxiv and fact.arxiv and strip_arxiv_version(paper.arxiv) != fact.arxiv:
        change.disagreements.append(f"arXiv id: entry {paper.arxiv} vs facts {fact.arxiv} (a link to another paper?)")

    authors = list(dict.fromkeys(str(a) for a in fact.data.get("authors") or []))
    if authors and fact.data.get("authors_partial"):
        if not paper.authors:
            change.disagreements.append(f"only a partial author list was read ({', '.join(authors)}, ...): not applied")
    elif authors:
        if not paper.authors:
            data["authors"] = authors
            change.applied.append(f"authors ({len(authors)})")
        elif list(paper.authors) == authors:
            covered.add("authors")
        elif fact.settles("authors"):
            data["authors"] = authors
            change.applied.append(f"authors settled: {list(paper.authors)} -> {authors}")
        else:
            change.disagreements.append(f"authors differ: {list(paper.authors)} vs {authors}")
        if list(data.get("authors", [])) == authors:
            covered.add("authors")

    covered |= _venue_year(data, fact, change)

    tags = data["tags"]
    if fact.classified:
        for axis in AXES:
            wanted = fact.values(axis)
            have = list(paper.tags.values(axis)) if axis == "speedup" else list(tags.get(axis, []))
            if axis == "speedup" and not wanted:
                continue
            derived = paper.axis_values(axis)  # speedup follows the structure facet when not stored
            if axis == "speedup" and derived and not have:
                if set(wanted) != set(derived):
                    change.disagreements.append(f"speedup from structure {list(derived)} vs {wanted}")
                covered.add(axis)
                continue
            if not have and wanted:
                tags[axis] = wanted
                change.applied.append(f"{axis}: {wanted}")
            elif have and wanted and set(have) != set(wanted):
                refined = _refinement(axis, have, wanted)
                if fact.settles(axis):
                    tags[axis] = wanted
                    change.applied.append(f"{axis} settled: {have} -> {wanted}")
                    # a section implying the old value was filed by the same mistake: leave it, to be placed anew
                    data["sections"] = [
                        sid for sid in data.get("sections", [])
                        if set(default_taxonomy().section(sid).implies.get(axis, ())) <= set(wanted)
                    ]
                elif refined is None:
                    change.disagreements.append(f"{axis}: entry {have} vs facts {wanted}")
                elif refined != have:
                    tags[axis] = refined
                    change.applied.append(f"{axis}: {have} refined to {refined}")
            covered.add(axis)

    if fact.classified:
        for facet in FILLED_FACETS:
            wanted = fact.values(facet)
            known = default_taxonomy().facets[facet].values
            unknown = [v for v in wanted if v not in known]
            if unknown:
                change.disagreements.append(f"{facet}: {unknown} not in the taxonomy: not applied")
            elif wanted and not data.get(facet):
                data[facet] = wanted
                change.applied.append(f"{facet}: {wanted}")
            elif wanted and set(data[facet]) != set(wanted) and fact.settles(facet):
                change.applied.append(f"{facet} settled: {list(data[facet])} -> {wanted}")
                data[facet] = wanted
            elif wanted and set(data[facet]) != set(wanted):
                change.disagreements.append(f"{facet}: entry {list(data[facet])} vs facts {wanted}")
            if wanted and not unknown:
                covered.add(facet)

    kind = str(fact.data.get("kind") or "")
    kinds = default_taxonomy().facets.get("kind")
    if kinds is not None and kind in kinds.values and not paper.facet("kind"):
        data["kind"] = [kind]  # the taxonomy's 'kind' facet (benchmark, ...): not a method paper
        change.applied.append(f"kind: [{kind}]")
    elif fact.settles("kind") and paper.facet("kind") and [kind] != list(paper.facet("kind")):
        data["kind"] = [kind] if kinds is not None and kind in kinds.values else []  # "method": no kind
        change.applied.append(f"kind settled: {list(paper.facet('kind'))} -> {data['kind']}")
    elif kind and kind != "survey" and paper.facet("kind") and [kind] != list(paper.facet("kind")):
        change.disagreements.append(f"kind: entry {list(paper.facet('kind'))} vs facts {kind!r}")
    if fact.data.get("kind") == "survey" and not paper.survey:
        change.disagreements.append("the facts say survey, the entry does not")
    classified = bool(tags.get("criteria") or tags.get("learn"))
    reason = fact.data.get("unclassified_reason") or ("survey" if kind == "survey" else None)  # a survey the entry does not mark
    if classified or paper.survey or data.get("kind"):  # the reason explains an unplaced *method* paper
        if data.pop("unclassified_reason", None):
            change.applied.append("unclassified_reason removed (classified, or not a method paper)")
    elif reason and (
        not (old_reason := data.get("unclassified_reason"))
        or (_placeholder(str(old_reason)) or fact.settles("unclassified_reason")) and reason != old_reason
    ):
        data["unclassified_reason"] = str(reason)
        change.applied.append(f"unclassified_reason: {reason}")

    if covered:
        evidence = [str(u) for u in fact.data.get("evidence") or [] if str(u).startswith(("http://", "https://"))]
        old = data.get("curated") or {}
        axes = list(dict.fromkeys([*old.get("axes", []), *sorted(covered)]))
        sources = list(dict.fromkeys([*old.get("source", []), *evidence]))
        if set(axes) != set(old.get("axes", [])) or sources != list(old.get("source", [])) or change.applied:
            data["curated"] = {"axes": axes, "date": today, "source": sources}
    return data, change


def _placed(paper: Paper) -> Paper:
    """The entry filed in the sections its (possibly new) tags place it in, if nobody filed it by hand."""
    tax = default_taxonomy()
    if not needs_placing(paper, tax) or (sections := placed_sections(paper, tax)) == paper.sections:
        return paper
    return Paper.model_validate({**paper_to_data(paper), "sections": list(sections)})


def apply_facts(papers_dir: Path, facts: list[Fact], today: dt.date | None = None, dry_run: bool = False) -> Report:
    """Apply ``facts`` to every entry under ``papers_dir``; write changed files unless ``dry_run``.

    Raises :class:`CatalogError` (every problem, nothing written) when a paper file does not load.
    """
    today = today or dt.date.today()
    index = FactIndex(facts)
    used: set[int] = set()
    report = Report()
    entries = [(path, path.read_text(encoding="utf-8")) for path in paper_files([papers_dir])]
    parsed = [parse_paper_text(text, display_path(path)) for path, text in entries]  # the loader's rules and messages
    errors = [problem for _, _, problems in parsed for problem in problems if problem.severity == "error"]
    if errors:
        raise CatalogError(errors)  # nothing is written to a catalog that does not load
    papers = [paper for paper, _, _ in parsed if paper is not None]
    titles = {normalize_title(p.title): p.id for p in papers}
    for (path, text), paper in zip(entries, papers, strict=True):
        report.files += 1
        fact = index.find(paper)
        if fact is None:
            report.unmatched_papers.append(paper.id)
            data = paper_to_data(paper)
        else:
            used.add(fact.line)
            data, change = apply_fact(paper, fact, today, titles)
            report.changes.append(change)
        try:
            canonical = dump_paper(_placed(Paper.model_validate(data)))
        except ValueError as exc:
            report.invalid.append(f"{paper.id}: {exc}")
            continue
        new_text = with_comments(strip_schema_line(text), canonical, str(path)).text  # fmt's form: comments kept
        if new_text is None:
            report.invalid.append(f"{paper.id}: cannot keep the file's comments; left as it was")
            continue
        if new_text != text:
            report.written.append(paper.id)
            if not dry_run:
                write_text_atomic(path, new_text)
    report.unused_facts = [f.line for f in facts if f.line not in used]
    return report
