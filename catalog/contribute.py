"""Building a new catalog entry from arXiv metadata and a contributor's choices (``add``, ``from-issue``).

One path for every route into the catalog: the choices are checked against the taxonomy, the
sections follow from when/model where the taxonomy says so, the id is made the way the
importer makes ids (a slug of the title, cut at a word boundary; the year, then a counter, on a
clash), the entry is validated on its own and against the whole catalog (duplicates: same arXiv
id, OpenReview id or normalised URL, or a near-identical title), and only then written, in
canonical form, atomically.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from catalog.arxiv_api import ArxivRecord
from catalog.canonical import canonical_text
from catalog.catalog import Catalog
from catalog.checks import cross_checks
from catalog.errors import Problem
from catalog.fileio import write_text_atomic
from catalog.importers.merge import slugify
from catalog.load import parse_paper_text
from catalog.model import Paper
from catalog.normalize import normalize_title, normalize_url, strip_arxiv_version, word_overlap
from catalog.placement import stage_sections
from catalog.taxonomy import Taxonomy

NEAR_DUPLICATE = 0.9  # word overlap or character similarity of normalised titles from which two titles name one paper


@dataclass(frozen=True)
class Choices:
    """What a contributor says about a paper that arXiv cannot know (and, for --manual, what it could)."""

    when: tuple[str, ...] = ()
    structure: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    learn: tuple[str, ...] = ()
    fusion: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    venue: str | None = None
    year: int | None = None
    algorithm: str | None = None
    tasks: tuple[str, ...] = ()
    title: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    added: dt.date | None = None


@dataclass(frozen=True)
class Missing:
    """A choice that must be made before the entry can be written, with the values allowed."""

    name: str  # the option, e.g. "when"
    prompt: str
    allowed: tuple[str, ...] = ()  # empty: free text
    labels: tuple[str, ...] = ()  # one per allowed value, for prompts
    multiple: bool = True

    def describe(self) -> str:
        if self.allowed:
            return f"--{self.name}: {self.prompt}; one{' or more' if self.multiple else ''} of: {', '.join(self.allowed)}"
        return f"--{self.name}: {self.prompt}"


class EntryError(Exception):
    """The entry cannot be made; ``exit_code`` 1 for data problems, 2 for usage."""

    def __init__(self, message: str, exit_code: int = 1, problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.exit_code = exit_code
        self.problems = tuple(problems)


# -- choices -------------------------------------------------------------------------------


def split_values(values: Sequence[str]) -> tuple[str, ...]:
    """Values given as repeated options and/or comma-separated lists, trimmed, de-duplicated."""
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(dict.fromkeys(out))


def check_choices(choices: Choices, tax: Taxonomy) -> list[str]:
    """Values that the taxonomy does not know, each with the allowed ones."""
    problems = []
    vocab = {
        "when": tax.axes["when"].ids(),
        "criteria": tax.axes["criteria"].ids(),
        "learn": tax.axes["learn"].ids(),
        "fusion": tax.axes["fusion"].ids(),
        "structure": tax.facets["structure"].ids(),
        "model": tax.facets["models"].ids(),
        "section": tax.section_ids,
    }
    given = {
        "when": choices.when,
        "criteria": choices.criteria,
        "learn": choices.learn,
        "fusion": choices.fusion,
        "structure": choices.structure,
        "model": choices.models,
        "section": choices.sections,
    }
    for name, values in given.items():
        unknown = [v for v in values if v not in vocab[name]]
        if unknown:
            problems.append(f"--{name}: unknown value {', '.join(map(repr, unknown))}; allowed: {', '.join(vocab[name])}")
    if choices.venue is not None and tax.canonical_venue(choices.venue) is None:
        from catalog.model import VenueYear

        try:  # the model's own wording ("the year goes in its own field", award hints)
            VenueYear.model_validate({"venue": choices.venue, "year": 2000})
            why = f"unknown venue {choices.venue!r}"
        except ValueError as exc:
            why = str(exc).split("Value error, ", 1)[-1].split("\n")[0]
        problems.append(f"--venue: {why}; known venues: {', '.join(tax.venues)}")
    return problems


def infer_sections(when: Sequence[str], models: Sequence[str], tax: Taxonomy) -> tuple[str, ...]:
    """The list sections when/model place a new paper in: the rule merged and curated entries follow."""
    return stage_sections({tax.roles.stage: when, "models": models}, tax)


def implied_by_sections(sections: Sequence[str], tax: Taxonomy) -> dict[str, tuple[str, ...]]:
    """Tags and facets the chosen sections require (``survey`` as ("true",))."""
    implied: dict[str, list[str]] = {}
    for sid in sections:
        for key, values in tax.section(sid).implies.items():
            vals = ["true"] if key == "survey" and values else [] if key == "survey" else list(values)
            implied.setdefault(key, [])
            implied[key] = list(dict.fromkeys(implied[key] + vals))
    return {k: tuple(v) for k, v in implied.items()}


def complete_choices(choices: Choices, tax: Taxonomy) -> Choices:
    """Fill when/model from chosen sections, and sections from when/model, where the taxonomy says so."""
    implied = implied_by_sections(choices.sections, tax)
    when = tuple(dict.fromkeys(choices.when + implied.get("when", ())))
    models = tuple(dict.fromkeys(choices.models + implied.get("models", ())))
    sections = choices.sections or (infer_sections(when, models, tax) if models else ())  # the family picks the section
    return replace(choices, when=when, models=models, sections=sections)


def missing_choices(choices: Choices, tax: Taxonomy, *, manual: bool = False) -> list[Missing]:
    """What must still be chosen: when, structure, model, then a section if none follows from them."""
    missing: list[Missing] = []
    if manual:
        for name, prompt in (("title", "the paper's title"), ("url", "the paper's main link (http or https)")):
            if not getattr(choices, name):
                missing.append(Missing(name, prompt, multiple=False))
        if choices.year is None:
            missing.append(Missing("year", "the year of publication", multiple=False))
        if choices.venue is None:
            missing.append(Missing("venue", "where it was published", tuple(tax.venues), multiple=False))
    survey = "survey" in choices.sections
    if not choices.when and not survey:
        axis = tax.axes["when"]
        missing.append(Missing("when", "when the method prunes", axis.ids(), tuple(v.label for v in axis.values.values())))
    if not choices.structure and not survey:
        facet = tax.facets["structure"]
        missing.append(Missing("structure", "what it removes", facet.ids(), tuple(v.label for v in facet.values.values())))
    if not choices.models and not survey:
        facet = tax.facets["models"]
        missing.append(Missing("model", "the model family pruned", facet.ids(), tuple(v.label for v in facet.values.values())))
    if not missing and not choices.sections:
        missing.append(
            Missing(
                "section",
                "where it goes in the list (none follows from when and model)",
                tax.section_ids,
                tuple(s.title for s in tax.sections),
            )
        )
    return missing


def apply_answer(choices: Choices, name: str, values: Sequence[str]) -> Choices:
    """``choices`` with a prompt's answer for option ``name``."""
    if name == "model":
        return replace(choices, models=tuple(values))
    if name == "section":
        return replace(choices, sections=tuple(values))
    if name == "year":
        return replace(choices, year=int(values[0]))
    if name == "title":
        return replace(choices, title=values[0])
    if name == "url":
        return replace(choices, url=values[0])
    if name == "venue":
        return replace(choices, venue=values[0])
    if name == "when":
        return replace(choices, when=tuple(values))
    if name == "structure":
        return replace(choices, structure=tuple(values))
    raise KeyError(name)


# -- identity ------------------------------------------------------------------------------


def derive_id(title: str, year: int, taken: set[str]) -> str:
    """The id the importer would give: the title's slug; on a clash the year, then a counter."""
    base = slugify(title)
    for candidate in [base, f"{base}-{year}", *(f"{base}-{n}" for n in range(2, 1000))]:
        if candidate not in taken:
            return candidate
    raise EntryError(f"no free id for {title!r}")


@dataclass(frozen=True)
class Duplicate:
    paper: Paper
    path: str
    reason: str

    def message(self) -> str:
        return f"already in the catalog: {self.path} ({self.reason}); edit that file instead"


def find_duplicate(catalog: Catalog, *, arxiv: str | None, urls: Sequence[str], title: str | None) -> Duplicate | None:
    """An existing entry for the same paper: same arXiv id, same OpenReview id or URL, or a near-identical title."""
    base = strip_arxiv_version(arxiv) if arxiv else None
    keys = {normalize_url(u) for u in urls}
    folded = normalize_title(title) if title else ""
    for paper in catalog.papers:
        path = catalog.sources[paper.id].path
        if base and paper.arxiv and strip_arxiv_version(paper.arxiv) == base:
            return Duplicate(paper, path, f"same arXiv id {base}")
        shared = keys & {normalize_url(u) for u in paper.all_urls}
        if shared:
            key = sorted(shared)[0]
            what = "same OpenReview id" if key.startswith("openreview:") else "same arXiv id" if key.startswith("arxiv:") else "same URL"
            return Duplicate(paper, path, f"{what} {key.split(':', 1)[-1] if ':' in key and what != 'same URL' else key}")
    if folded:
        for paper in catalog.papers:
            other = normalize_title(paper.title)
            if other == folded:
                return Duplicate(paper, catalog.sources[paper.id].path, f"same title {paper.title!r}")
        for paper in catalog.papers:
            other = normalize_title(paper.title)
            similar = difflib.SequenceMatcher(None, other, folded)
            if word_overlap(other, folded) >= NEAR_DUPLICATE or (
                similar.quick_ratio() >= NEAR_DUPLICATE and similar.ratio() >= NEAR_DUPLICATE
            ):
                return Duplicate(paper, catalog.sources[paper.id].path, f"a near-identical title {paper.title!r}")
    return None


# -- the entry -------------------------------------------------------------------------------


@dataclass
class NewEntry:
    paper: Paper
    path: Path
    text: str
    warnings: list[Problem] = field(default_factory=list)


def entry_data(record: ArxivRecord | None, choices: Choices, tax: Taxonomy, taken: set[str], today: dt.date) -> dict[str, Any]:
    """The plain data of the new entry (validated by the caller through the model)."""
    title = choices.title or (record.title if record else None)
    if not title:
        raise EntryError("the paper has no title", 2)
    published = record.published if record else None
    year = choices.year or (published.year if published else None)
    if year is None:
        raise EntryError("no year: give --year", 2)
    url = choices.url or (f"https://arxiv.org/abs/{record.id}" if record else None)
    if not url:
        raise EntryError("no URL: give --url", 2)
    venue = tax.canonical_venue(choices.venue) if choices.venue else "arXiv"
    implied = implied_by_sections(choices.sections, tax)
    data: dict[str, Any] = {
        "id": derive_id(title, year, taken),
        "title": title,
        "authors": list(choices.authors or (record.authors if record else ())),
        "abstract": (record.abstract or None) if record else None,
        "url": url,
        "venue": venue,
        "year": year,
        "published": published,
        "algorithm": choices.algorithm,
        "code": [{"url": u} for u in choices.code],
        "tasks": list(choices.tasks),
        "structure": list(choices.structure),
        "models": list(choices.models),
        "settings": list(implied.get("settings", ())),
        "applications": list(implied.get("applications", ())),
        "survey": bool(implied.get("survey")),
        "tags": {
            "when": list(choices.when),
            "criteria": list(choices.criteria),
            "learn": list(choices.learn),
            "fusion": list(dict.fromkeys([*choices.fusion, *implied.get("fusion", ())])),
        },
        "sections": list(choices.sections),
        "added": choices.added or today,
    }
    return {k: v for k, v in data.items() if v is not None}


def build_entry(record: ArxivRecord | None, choices: Choices, catalog: Catalog, papers_dir: Path, today: dt.date) -> NewEntry:
    """Validate the new entry on its own and against the whole catalog; nothing is written."""
    tax = catalog.taxonomy
    duplicate = find_duplicate(
        catalog,
        arxiv=record.id if record else None,
        urls=[u for u in [choices.url, f"https://arxiv.org/abs/{record.id}" if record else None] if u],
        title=choices.title or (record.title if record else None),
    )
    if duplicate:
        raise EntryError(duplicate.message(), 1)
    data = entry_data(record, choices, tax, {p.id for p in catalog.papers}, today)
    path = papers_dir / f"{data['id']}.yaml"
    shown = str(path)
    # Through the loader, so that every problem is worded exactly as `validate` words it for a file.
    paper, _, problems = parse_paper_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), shown, tax)
    if paper is None:
        raise EntryError("the entry is not valid:\n" + "\n".join(f"  {p.field}: {p.message}" for p in problems), 1, problems)
    text = canonical_text(paper)
    again, source, problems = parse_paper_text(text, shown, tax)
    if again is None or source is None:
        raise EntryError("the entry does not read back:\n" + "\n".join(str(p) for p in problems), 1, problems)
    loaded = [(p, catalog.sources[p.id]) for p in catalog.papers] + [(again, source)]
    found = [p for p in cross_checks(loaded) if p.path == shown or shown in p.message]
    errors = [p for p in found if p.severity == "error"]
    if errors:
        raise EntryError("the entry clashes with the catalog:\n" + "\n".join(str(p) for p in errors), 1, errors)
    return NewEntry(paper, path, text, [p for p in found if p.severity == "warning"])


def write_entry(entry: NewEntry) -> None:
    if entry.path.exists():
        raise EntryError(f"{entry.path} already exists", 1)
    write_text_atomic(entry.path, entry.text)


Ask = Callable[[Missing], list[str]]


def terminal_ask(missing: Missing, *, read: Callable[[str], str] = input, say: Callable[[str], None] = print) -> list[str]:
    """Ask for one choice on a terminal, offering the allowed values by number or name."""
    say(f"{missing.prompt}:")
    for i, value in enumerate(missing.allowed, 1):
        label = missing.labels[i - 1] if i - 1 < len(missing.labels) else ""
        say(f"  {i:>2}. {value}" + (f"  ({label})" if label and label != value else ""))
    hint = "numbers or names, comma-separated" if missing.multiple else "a number or a name"
    while True:
        answer = read(f"{missing.name} [{hint}]: " if missing.allowed else f"{missing.name}: ").strip()
        if not answer:
            continue
        if not missing.allowed:
            return [answer]
        picked: list[str] = []
        bad: list[str] = []
        for part in [p.strip() for p in answer.split(",") if p.strip()]:
            if part.isdigit() and 1 <= int(part) <= len(missing.allowed):
                picked.append(missing.allowed[int(part) - 1])
            elif part in missing.allowed:
                picked.append(part)
            else:
                bad.append(part)
        if bad or not picked or (len(picked) > 1 and not missing.multiple):
            say(f"  not understood: {', '.join(bad) or answer}; choose from the list above")
            continue
        return list(dict.fromkeys(picked))
