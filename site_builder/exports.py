"""Downloads of the whole catalog as JSON, BibTeX and CSV.

Researchers take the catalog into their own tools (reference managers, spreadsheets, scripts),
so each export carries every field, plus the derived values a reader would otherwise have to
recompute (speedup implied by the structure types, parents of refined axis values). Output is
deterministic: papers in catalog order (by id), sorted JSON keys, LF line endings, no timestamps,
so an unchanged catalog gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from catalog.catalog import Catalog
from catalog.dump import field_order
from catalog.model import Paper
from catalog.taxonomy import Taxonomy

EXPORT_FILES = {"json": "catalog.json", "bibtex": "catalog.bib", "csv": "catalog.csv"}

# The taxonomy's axes and facets (those exported to CSV) come after "tasks", facets first.
CSV_HEAD = (
    "id",
    "title",
    "authors",
    "venue",
    "year",
    "award",
    "other_venues",
    "url",
    "alternate_urls",
    "arxiv",
    "algorithm",
    "code",
    "has_code",
    "tasks",
)
CSV_TAIL = ("pioneer", "survey", "sections", "added", "review")


def csv_columns(taxonomy: Taxonomy) -> tuple[str, ...]:
    """The CSV header: paper fields, then the exported facets and axes in taxonomy order, then the rest."""
    return (*CSV_HEAD, *(a.id for a in taxonomy.exported_to("csv")), *CSV_TAIL)


def paper_record(catalog: Catalog, paper: Paper) -> dict[str, Any]:
    """One paper as plain JSON data: stored fields, derived axis values (speedup) and axis values with parents.

    Facets and axes appear when the taxonomy exports them to JSON (facets as top-level fields,
    axes under ``tags``), always with every one of them present.
    """
    tax = catalog.taxonomy
    dumped = paper.model_dump(mode="json")
    data = {name: dumped[name] for name in field_order(paper) if name in dumped and name not in tax.groups}
    exported = tax.exported_to("json")
    for facet in (a for a in exported if a.kind == "facet"):
        data[facet.id] = list(paper.facet(facet.id))
    axes = [a.id for a in exported if a.kind == "axis"]
    data["tags"] = {axis: list(paper.axis_values(axis, tax)) for axis in axes}
    data["axes_with_parents"] = {axis: list(catalog.values_of(paper, axis)) for axis in axes}
    data["has_code"] = paper.has_code
    return data


def catalog_json(catalog: Catalog) -> str:
    """The catalog as one JSON document: ``{"count": n, "papers": [...]}``, one paper per line.

    One line per paper keeps the file greppable and line-diffable while using the C encoder
    (``indent`` would fall back to the pure-Python one, several times slower for 5,000 papers).
    """
    lines = [json.dumps(paper_record(catalog, p), sort_keys=True, ensure_ascii=False) for p in catalog.papers]
    if not lines:
        return '{"count": 0, "papers": []}\n'
    body = ",\n".join(lines)
    return f'{{"count": {len(catalog)}, "papers": [\n{body}\n]}}\n'


def catalog_csv(catalog: Catalog) -> str:
    """One row per paper; list fields joined with ``; `` so the file opens cleanly in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = csv_columns(catalog.taxonomy)
    writer.writerow(columns)
    for paper in catalog.papers:
        writer.writerow(_csv_row(catalog, paper, columns))
    return buffer.getvalue()


def _csv_row(catalog: Catalog, paper: Paper, columns: tuple[str, ...]) -> list[str]:
    def joined(values: Any) -> str:
        return "; ".join(str(v) for v in values)

    row: dict[str, str] = {
        "id": paper.id,
        "title": paper.title,
        "authors": joined(paper.authors),
        "venue": paper.venue,
        "year": str(paper.year),
        "award": paper.award or "",
        "other_venues": joined(f"{v.venue} {v.year}" for v in paper.other_venues),
        "url": paper.url,
        "alternate_urls": joined(paper.alternate_urls),
        "arxiv": paper.arxiv or "",
        "algorithm": paper.algorithm or "",
        "code": joined(c.url for c in paper.code),
        "has_code": "true" if paper.has_code else "false",
        "tasks": joined(paper.tasks),
        "pioneer": "true" if paper.pioneer else "false",
        "survey": "true" if paper.survey else "false",
        "sections": joined(paper.sections),
        "added": paper.added.isoformat(),
        "review": paper.review or "",
    }
    tax = catalog.taxonomy
    for facet in tax.facets:
        row[facet] = joined(paper.facet(facet))
    for axis in tax.axes:
        row[axis] = joined(paper.axis_values(axis, tax))
    return [row[c] for c in columns]


# -- BibTeX ---------------------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))


def latex_escape(text: str) -> str:
    """Escape the characters BibTeX/LaTeX would otherwise interpret (non-ASCII stays UTF-8)."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIALS[m.group(0)], text)


def _entry_type(catalog: Catalog, paper: Paper) -> tuple[str, str | None]:
    """BibTeX type and the field holding the venue (journal or booktitle)."""
    kind = catalog.taxonomy.venues.get(paper.venue, "conference")
    if kind == "journal":
        return "article", "journal"
    if kind == "preprint":
        return "misc", None
    return "inproceedings", "booktitle"


def bibtex_entry(catalog: Catalog, paper: Paper) -> str:
    """A BibTeX entry keyed by the paper id (stable, unique, and valid as a citation key)."""
    entry_type, venue_field = _entry_type(catalog, paper)
    fields: list[tuple[str, str]] = [("title", "{" + latex_escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(latex_escape(a) for a in paper.authors)))
    if venue_field:
        fields.append((venue_field, latex_escape(paper.venue)))
    elif paper.venue not in ("arXiv",):
        fields.append(("howpublished", latex_escape(paper.venue)))
    fields.append(("year", str(paper.year)))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archiveprefix", "arXiv")]
    fields.append(("url", paper.url))
    if paper.award:
        fields.append(("note", latex_escape(paper.award)))
    for group in catalog.taxonomy.exported_to("bibtex"):  # e.g. keywords a reference manager can filter on
        values = paper.axis_values(group.id, catalog.taxonomy) if group.kind == "axis" else paper.facet(group.id)
        if values:
            fields.append((group.id, latex_escape(", ".join(group.values[v].label for v in values))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{paper.id},\n{body}\n}}\n"


def catalog_bibtex(catalog: Catalog) -> str:
    return "\n".join(bibtex_entry(catalog, p) for p in catalog.papers)


def render_exports(catalog: Catalog) -> dict[str, str]:
    """File name -> content of every download, ready to be written next to the site pages."""
    return {
        EXPORT_FILES["json"]: catalog_json(catalog),
        EXPORT_FILES["bibtex"]: catalog_bibtex(catalog),
        EXPORT_FILES["csv"]: catalog_csv(catalog),
    }
