"""Rendering ``README.md`` (the awesome list) from a :class:`~catalog.catalog.Catalog`.

The README is a view of ``papers/``: nobody edits it by hand. This module turns the catalog into
plain view data (headings, tables of already-escaped cells, counts, links) and hands it to the
Jinja2 templates in ``site_builder/templates/readme/``, which hold the layout. Cells keep the formats of the
original hand-edited list, so :mod:`catalog.importers.markdown` can read the README back (the
round-trip test does exactly that).

Rendering is deterministic (same catalog and metadata, same bytes). The table of contents is
built from the headings of the rendered text itself, with GitHub's anchor algorithm, and the
result is checked so that every in-page link resolves before anything is written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from catalog.catalog import Catalog
from catalog.metadata import RepoInfo, github_repo_key
from catalog.model import CodeLink, Paper
from catalog.taxonomy import Section, Taxonomy
from site_builder.markdown import Heading, Slugger, escape_cell, github_slug, internal_links, iter_headings, link, link_url
from site_builder.templating import readme_environment
from site_builder.urls import explorer_url, site_url

MAP_PATH = "map/"  # the site's map of the field (map.md)

KNOWN_PROBLEMS_HEADING = "Known problems"
NOT_FILED_HEADING = "Not yet filed in a section"
REVIEW_MARKER = "⚠️"
EMPTY = "-"


# -- cells ----------------------------------------------------------------------------------


def _code_kind(code: str) -> str:
    """How the list writes a structure code: single letters share one code span, ``other`` is
    `` `Other` ``, longer codes (``N:M``, ``1xN``) stand alone without a code span."""
    if len(code) == 1 and code.isalpha():
        return "letter"
    return "other" if code == "other" else "plain"


def type_cell(paper: Paper, tax: Taxonomy | None = None) -> str:
    """Structure codes (the facet of ``roles.type_column``) as the list writes them: `` `WFP` ``,
    `` `W`&N:M ``, 1xN, `` `Other` ``. Letters follow the taxonomy's order, then ``P`` for pioneer work.
    """
    tax = tax or paper.taxonomy
    facet = tax.roles.type_column if tax else ""
    order = tax.facets[facet].values if tax and facet else {}
    present = set(paper.facet(facet)) if facet else set()
    codes = [c for c in order if c in present]
    letters = "".join(c for c in codes if _code_kind(c) == "letter") + ("P" if paper.pioneer else "")
    parts = [f"`{letters}`"] if letters else []
    parts += [c for c in codes if _code_kind(c) == "plain"]
    parts += ["`Other`" for c in codes if _code_kind(c) == "other"]
    return "&".join(parts) or EMPTY


def venue_cell(paper: Paper) -> str:
    """``ICLR``, ``ICCV&TPAMI``, ``ICLR **(Spotlight)**`` (the award comes last, as the list has it)."""
    names = [paper.venue, *(v.venue for v in paper.other_venues)]
    text = "&".join(escape_cell(n) for n in names)
    if paper.award:
        text += f" **({escape_cell(paper.award)})**"
    return text


def year_cell(paper: Paper) -> str:
    return "&".join(str(y) for y in (paper.year, *(v.year for v in paper.other_venues)))


def framework_label(framework: str | None, tax: Taxonomy) -> str:
    """The framework name as a code label; names with parentheses use a plain alias (``Lua``).

    A code label is ``Framework(Author)``, so the framework itself must not contain parentheses;
    the alias is only used when the taxonomy maps it back to the same framework.
    """
    if framework is None:
        return "Code"
    if "(" not in framework and ")" not in framework:
        return framework
    inner = re.findall(r"\(([^()]*)\)", framework)
    outer = re.sub(r"\s*\([^()]*\)\s*", " ", framework).strip()
    for candidate in (*inner, outer):
        if candidate and tax.canonical_framework(candidate) == framework:
            return candidate
    return re.sub(r"[()]", "", framework)


def _stars(count: int) -> str:
    if count >= 1000:
        return f"{count / 1000:.1f}k".replace(".0k", "k")
    return str(count)


def code_link(code: CodeLink, tax: Taxonomy, metadata: Mapping[str, RepoInfo]) -> str:
    """``[PyTorch(Author)](url)``, ``[PyTorch(3rd)](url)``, ``[PyTorch](url)`` (official unknown),
    ``[PyTorch(Not Available)](url)``; ``(Releasing)`` after a link whose code is announced."""
    label = framework_label(code.framework, tax)
    if code.status == "unavailable":
        label += "(Not Available)"
    elif code.status == "deleted":
        label += "(Deleted)"
    elif code.status == "link-invalid":
        label += "(Link Invalid)"
    elif code.official is True:
        label += "(Author)"
    elif code.official is False:
        label += "(3rd)"
    text = link(label, code.url)
    if code.status == "releasing":
        text += " (Releasing)"
    info = metadata.get(github_repo_key(code.url) or "")
    if info is not None:
        notes = ([f"★ {_stars(info.stars)}"] if info.stars is not None else []) + (["archived"] if info.archived else [])
        if notes:
            text += " " + " · ".join(notes)
    return text


def title_cell(paper: Paper, review_anchor: str) -> str:
    """The title link; a paper with a review note gets a marker linking to the list of notes."""
    text = link(paper.title, paper.url)
    if paper.review:
        text += f" [{REVIEW_MARKER}](#{review_anchor})"
    return text


def paper_cells(paper: Paper, tax: Taxonomy, metadata: Mapping[str, RepoInfo], review_anchor: str) -> dict[str, str]:
    """Every column's cell for one paper (the row number is added per table)."""
    return {
        "title": title_cell(paper, review_anchor),
        "venue": venue_cell(paper),
        "type": type_cell(paper, tax),
        "algorithm": escape_cell(paper.algorithm) if paper.algorithm else EMPTY,
        "code": ", ".join(code_link(c, tax, metadata) for c in paper.code) or EMPTY,
        "app": "&".join(escape_cell(t) for t in paper.tasks) or EMPTY,
        "year": year_cell(paper),
    }


# -- view data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Block:
    """One piece of the list body: a heading, a paper table, the type legend, or an empty note."""

    kind: str  # "heading" | "table" | "legend" | "empty"
    level: int = 0
    text: str = ""
    table: Table | None = None


@dataclass
class _Rows:
    """Cells per paper, computed once even when the paper sits in several sections."""

    tax: Taxonomy
    metadata: Mapping[str, RepoInfo]
    review_anchor: str
    cache: dict[str, dict[str, str]] = field(default_factory=dict)

    def table(self, columns: Sequence[str], papers: Sequence[Paper]) -> Table:
        rows = []
        width = max(2, len(str(len(papers))))
        for n, paper in enumerate(papers, start=1):
            cells = self.cache.get(paper.id)
            if cells is None:
                cells = self.cache[paper.id] = paper_cells(paper, self.tax, self.metadata, self.review_anchor)
            rows.append(tuple(str(n).zfill(width) if c == "no" else cells[c] for c in columns))
        return Table(columns=tuple(columns), rows=tuple(rows))


def section_heading(section: Section) -> str:
    """``1.1.1.1 Pruning CNNs``, ``5. Survey of Pruning``; just ``Papers`` under ``6. Other Works``."""
    if section.parent and section.parent[-1].startswith(f"{section.number}. "):
        return section.title
    return f"{section.number}. {section.title}" if "." not in section.number else f"{section.number} {section.title}"


def year_groups(section: Section, papers: Sequence[Paper]) -> list[tuple[str, list[Paper]]]:
    """Year tables of a section, newest first; years up to ``year_floor`` share one table."""
    groups: dict[str, list[Paper]] = {}
    for paper in papers:  # already newest first
        if section.year_floor is not None and paper.year <= section.year_floor:
            key = f"{section.year_floor} and earlier"
        else:
            key = str(paper.year)
        groups.setdefault(key, []).append(paper)
    return list(groups.items())


def section_blocks(catalog: Catalog, rows: _Rows) -> tuple[list[Block], dict[str, str]]:
    """The list's sections in taxonomy order, with parent headings opened as needed.

    Returns the blocks and the year headings (heading text -> short label for the contents).
    """
    blocks: list[Block] = []
    year_labels: dict[str, str] = {}
    open_parents: tuple[str, ...] = ()
    legend_done = False
    for section in catalog.taxonomy.sections:
        columns = section.columns
        common = 0
        while common < min(len(open_parents), len(section.parent)) and open_parents[common] == section.parent[common]:
            common += 1
        for depth in range(common, len(section.parent)):
            blocks.append(Block("heading", level=depth + 2, text=escape_cell(section.parent[depth])))
            if not legend_done and "type" in columns:
                blocks.append(Block("legend", level=depth + 3))
                legend_done = True
        open_parents = section.parent
        level = len(section.parent) + 2
        blocks.append(Block("heading", level=level, text=escape_cell(section_heading(section))))
        if not legend_done and "type" in columns:
            blocks.append(Block("legend", level=level + 1))
            legend_done = True
        papers = catalog.in_section(section.id)
        if not papers:
            blocks.append(Block("empty"))
        elif section.by_year:
            for label, group in year_groups(section, papers):
                text = f"{section.year_title} {label}"
                year_labels[text] = label
                blocks.append(Block("heading", level=min(level + 1, 6), text=escape_cell(text)))
                blocks.append(Block("table", table=rows.table(columns, group)))
        else:
            blocks.append(Block("table", table=rows.table(columns, papers)))
    return blocks, year_labels


@dataclass(frozen=True)
class AxisValueView:
    label: str  # escaped
    url: str  # explorer link, encoded
    count: int
    depth: int
    description: str  # escaped


@dataclass(frozen=True)
class AxisView:
    id: str
    label: str
    description: str
    values: tuple[AxisValueView, ...]
    unclassified: int


def axis_views(catalog: Catalog, axis_counts: Mapping[str, Mapping[str, int]]) -> list[AxisView]:
    """Each axis or facet shown in Browse (``readme`` in the taxonomy) with each value, its paper
    count and the explorer view that lists them (when the explorer filters by it)."""
    views = []
    tax = catalog.taxonomy
    for axis in tax.with_flag("readme"):
        counts = axis_counts[axis.id]
        values = tuple(
            AxisValueView(
                label=escape_cell(v.label),
                url=link_url(explorer_url({axis.id: [v.id]}, taxonomy=tax)) if axis.filter else "",
                count=counts[v.id],
                depth=axis.depth(v.id),
                description=escape_cell(v.description),
            )
            for v in axis.values.values()
        )
        unclassified = catalog.unclassified(axis.id)
        views.append(AxisView(axis.id, escape_cell(axis.label), escape_cell(axis.description), values, unclassified))
    return views


@dataclass(frozen=True)
class YearView:
    year: int
    url: str
    papers: int
    with_code: int


def totals(catalog: Catalog) -> dict[str, object]:
    """Paper counts overall, with code, per year (newest first) and per list section."""
    tax = catalog.taxonomy
    return {
        "papers": len(catalog.papers),
        "with_code": len(catalog.with_code),
        "all_url": link_url(explorer_url({}, taxonomy=tax)),
        "code_url": link_url(explorer_url({"code": "1"}, taxonomy=tax)),
        "years": [
            YearView(
                y,
                link_url(explorer_url({"year": f"{y}-{y}"}, taxonomy=tax)),
                catalog.per_year.get(y, 0),
                catalog.with_code_per_year.get(y, 0),
            )
            for y in catalog.years
        ],
        "reviewed": len(catalog.reviewed),
    }


def mermaid_label(text: str) -> str:
    """Text for a quoted Mermaid label: anything but plain characters becomes an entity code."""
    return "".join(ch if (ch.isalnum() or ch in " ,.-/'()") else f"#{ord(ch)};" for ch in text)


def taxonomy_figure(catalog: Catalog, axis_counts: Mapping[str, Mapping[str, int]]) -> list[str]:
    """Mermaid flowchart lines for the five axes and their values, with paper counts."""
    lines = ["flowchart LR", f'  root["{mermaid_label("Neural network pruning")}"]']
    for a, axis in enumerate(catalog.taxonomy.axes.values()):
        counts = axis_counts[axis.id]
        lines.append(f'  root --> a{a}["{mermaid_label(axis.label)}"]')
        ids = {vid: f"a{a}v{v}" for v, vid in enumerate(axis.values)}
        for vid, value in axis.values.items():
            parent = ids[value.parent] if value.parent else f"a{a}"
            lines.append(f'  {parent} --> {ids[vid]}["{mermaid_label(f"{value.label} ({counts[vid]})")}"]')
    return lines


def legend(tax: Taxonomy) -> list[tuple[str, str]]:
    """The structure-type legend: (code as written in the Type column, explanation)."""
    if not tax.roles.type_column:
        return []
    values = tax.facets[tax.roles.type_column].values
    letters = [(f"`{c}`", escape_cell(v.label)) for c, v in values.items() if _code_kind(c) == "letter"]
    plain = [(escape_cell(c), escape_cell(v.label)) for c, v in values.items() if _code_kind(c) == "plain"]
    other = [("`Other`", escape_cell(v.label)) for c, v in values.items() if _code_kind(c) == "other"]
    return [*letters, ("`P`", "Pioneer work"), *plain, *other]


@dataclass(frozen=True)
class NoteView:
    title: str  # a link
    where: str  # escaped venue and year
    note: str  # escaped


def paper_notes(papers: Iterable[Paper], with_note: bool) -> list[NoteView]:
    return [
        NoteView(link(p.title, p.url), f"{escape_cell(p.venue)} {p.year}", escape_cell(p.review or "") if with_note else "")
        for p in sorted(papers, key=lambda p: (p.title.casefold(), p.id))
    ]


# -- table of contents --------------------------------------------------------------------------


@dataclass(frozen=True)
class TocEntry:
    depth: int
    links: tuple[tuple[str, str], ...]  # (escaped label, anchor); several for a line of years
    years: bool = False


def table_of_contents(headings: Sequence[Heading], year_labels: Mapping[str, str]) -> list[TocEntry]:
    """Nested entries for headings of level 2 and below; year tables share one line per section."""
    entries: list[TocEntry] = []
    for h in headings:
        if h.level < 2:
            continue
        depth = h.level - 2
        label = year_labels.get(h.text)
        if label is None:
            entries.append(TocEntry(depth, ((escape_cell(h.text), h.anchor),)))
        elif entries and entries[-1].years and entries[-1].depth == depth:
            last = entries[-1]
            entries[-1] = TocEntry(depth, (*last.links, (escape_cell(label), h.anchor)), years=True)
        else:
            entries.append(TocEntry(depth, ((escape_cell(label), h.anchor),), years=True))
    return entries


# -- rendering ------------------------------------------------------------------------------------


def _tidy(text: str) -> str:
    """LF endings, no trailing spaces, no runs of blank lines, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


class ReadmeError(RuntimeError):
    """The rendered README would be broken (a bug in the templates, never in the data)."""


def render_readme(catalog: Catalog, metadata: Mapping[str, RepoInfo] | None = None) -> str:
    """The complete README.md text for ``catalog`` (``metadata``: optional repository facts)."""
    env = readme_environment()
    tax = catalog.taxonomy
    review_anchor = github_slug(KNOWN_PROBLEMS_HEADING)
    rows = _Rows(tax, metadata or {}, review_anchor)
    blocks, year_labels = section_blocks(catalog, rows)
    axis_counts = {axis.id: catalog.counts(axis.id) for axis in tax.groups.values()}
    context = {
        "blocks": blocks,
        "legend": legend(tax),
        "axes": axis_views(catalog, axis_counts),
        "totals": totals(catalog),
        "figure": taxonomy_figure(catalog, axis_counts),
        "known_problems": paper_notes(catalog.reviewed, with_note=True),
        "known_problems_heading": KNOWN_PROBLEMS_HEADING,
        "known_problems_anchor": review_anchor,
        "not_filed": paper_notes(catalog.unfiled, with_note=False),
        "not_filed_heading": NOT_FILED_HEADING,
        "review_marker": REVIEW_MARKER,
        "has_metadata": bool(metadata),
        "explorer_url": link_url(explorer_url({}, taxonomy=tax)),
        "map_url": link_url(site_url() + MAP_PATH),
    }
    head = _tidy(env.get_template("head.md.j2").render(context))
    body = _tidy(env.get_template("body.md.j2").render(context))
    slugger = Slugger()
    head_headings = list(iter_headings(head, slugger))
    body_headings = list(iter_headings(body, slugger))
    toc = _tidy(env.get_template("toc.md.j2").render(entries=table_of_contents(body_headings, year_labels)))
    text = _tidy(env.get_template("README.md.j2").render(head=head, toc=toc, body=body))
    _check_anchors(text, [*head_headings, *body_headings])
    return text


def _check_anchors(text: str, headings: Sequence[Heading]) -> None:
    anchors = {h.anchor for h in headings}
    rendered = {h.anchor for h in iter_headings(text)}
    if anchors != rendered:
        raise ReadmeError(f"the README layout moved headings around the table of contents: {sorted(anchors ^ rendered)[:5]}")
    missing = sorted({a for a in internal_links(text) if a not in rendered})
    if missing:
        raise ReadmeError(f"in-page links to headings that do not exist: {', '.join(missing[:10])}")


def readme_diff(path: Path, text: str, max_lines: int = 40) -> str | None:
    """None when ``path`` holds exactly ``text``; otherwise a short unified diff (file -> rendered)."""
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    except UnicodeDecodeError:
        current = ""
    if current == text:
        return None
    if current is None:
        return f"{path} does not exist\n"
    diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(), f"{path} (on disk)", f"{path} (rendered)", lineterm="", n=1))
    shown = diff[:max_lines]
    if len(diff) > max_lines:
        shown.append(f"... {len(diff) - max_lines} more diff lines")
    return "\n".join(shown) + "\n"
