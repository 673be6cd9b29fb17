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
from catalog.model import Paper

EXPORT_FILES = {"json": "catalog.json", "bibtex": "catalog.bib", "csv": "catalog.csv"}

CSV_COLUMNS = (
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
    "structure",
    "models",
    "settings",
    "applications",
    "speedup",
    "when",
    "criteria",
    "learn",
    "fusion",
    "pioneer",
    "survey",
    "sections",
    "added",
    "review",
)


def paper_record(catalog: Catalog, paper: Paper) -> dict[str, Any]:
    """One paper as plain JSON data: stored fields, derived speedup and axis values with parents."""
    data = paper.model_dump(mode="json")
    data["tags"] = {axis: list(paper.axis_values(axis)) for axis in catalog.taxonomy.axes}
    data["axes_with_parents"] = {axis: list(catalog.values_of(paper, axis)) for axis in catalog.taxonomy.axes}
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
    writer.writerow(CSV_COLUMNS)
    for paper in catalog.papers:
        writer.writerow(_csv_row(catalog, paper))
    return buffer.getvalue()


def _csv_row(catalog: Catalog, paper: Paper) -> list[str]:
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
        "structure": joined(paper.structure),
        "models": joined(paper.models),
        "settings": joined(paper.settings),
        "applications": joined(paper.applications),
        "pioneer": "true" if paper.pioneer else "false",
        "survey": "true" if paper.survey else "false",
        "sections": joined(paper.sections),
        "added": paper.added.isoformat(),
        "review": paper.review or "",
    }
    for axis in catalog.taxonomy.axes:
        row[axis] = joined(paper.axis_values(axis))
    return [row[c] for c in CSV_COLUMNS]


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
