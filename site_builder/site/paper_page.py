"""What a paper's page shows beyond the entry itself: where to edit it, where its facts come from,
which lists include it, and its related papers.

Fields that other parts of the project add over time (``abstract``, ``curated``, ``sources``) are
read when the model has them, so the page grows with the data instead of waiting for it:
``curated`` may be a flag for the whole entry, a list of the axes a person checked, or a mapping
from axis to a flag; ``sources`` a list of list names, URLs or records with ``name``/``list``/
``url`` attributes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from catalog.catalog import Catalog
from catalog.model import Paper
from site_builder.site.related import Related

REPOSITORY = "https://github.com/hrcheng1066/awesome-pruning"
BRANCH = "main"


def edit_url(catalog: Catalog, paper: Paper) -> str:
    """GitHub's editor for the paper's YAML file (``papers/<file>`` in the repository)."""
    source = catalog.sources.get(paper.id)
    name = PurePath(source.path).name if source else f"{paper.id}.yaml"
    return f"{REPOSITORY}/edit/{BRANCH}/papers/{name}"


def file_url(catalog: Catalog, paper: Paper) -> str:
    source = catalog.sources.get(paper.id)
    name = PurePath(source.path).name if source else f"{paper.id}.yaml"
    return f"{REPOSITORY}/blob/{BRANCH}/papers/{name}"


def _has_field(paper: object, name: str) -> bool:
    fields = getattr(type(paper), "model_fields", None)
    return name in fields if isinstance(fields, Mapping) else hasattr(paper, name)


def provenance(paper: Paper, key: str) -> str | None:
    """"curated" when a person checked this axis, "imported" when it came from a list, None if the model cannot say."""
    if not _has_field(paper, "curated"):
        return None
    curated: Any = getattr(paper, "curated", None)
    if curated is None:
        return "imported"
    if isinstance(curated, bool):
        return "curated" if curated else "imported"
    if isinstance(curated, Mapping):
        return "curated" if curated.get(key) else "imported"
    if isinstance(curated, (list, tuple, set, frozenset)):
        return "curated" if key in curated else "imported"
    for attr in ("axes", "fields", "tags"):  # a record naming what was checked (catalog.model.Curation: axes, date, source)
        checked = getattr(curated, attr, None)
        if checked is not None:
            return "curated" if key in checked else "imported"
    return "curated"


def curated_on(paper: Paper) -> str | None:
    """The date a curator checked the entry, when the data says."""
    date = getattr(getattr(paper, "curated", None), "date", None)
    return date.isoformat() if isinstance(date, dt.date) else None


def paper_lists(paper: Paper) -> list[dict[str, str | None]]:
    """The lists (imported sources) that include the paper: label and, when known, a link to the list.

    A record (``catalog.model.ListSource``) names its list and the section that files the paper;
    its ``url`` is the paper's address as that list gives it, not the list's, so it is not linked.
    """
    found: list[dict[str, str | None]] = []
    for source in getattr(paper, "sources", None) or ():
        if isinstance(source, str):
            url = source if source.startswith(("http://", "https://")) else None
            found.append({"label": source, "url": url})
            continue
        label = next((str(v) for a in ("list", "name", "title", "repo", "id") if (v := getattr(source, a, None))), str(source))
        section = getattr(source, "section", None)
        found.append({"label": f"{label} ({section})" if section else label, "url": getattr(source, "list_url", None)})
    return found


def paper_context(catalog: Catalog, paper: Paper, bibtex: str, related: tuple[Related, ...]) -> dict[str, Any]:
    tax = catalog.taxonomy
    axes: list[dict[str, Any]] = []
    unclassified: list[str] = []
    for key, axis in tax.axes.items():
        values = paper.axis_values(key)
        axes.append({"key": key, "axis": axis, "values": values, "provenance": provenance(paper, key)})
        if not values:
            unclassified.append(axis.short or axis.label)
    facets = [
        {"key": key, "axis": axis, "values": tuple(getattr(paper, key, ()))}
        for key, axis in tax.facets.items()
        if getattr(paper, key, ())
    ]
    return {
        "paper": paper,
        "bibtex": bibtex,
        "abstract": getattr(paper, "abstract", None),
        "axes": axes,
        "unclassified": unclassified,
        "facets": facets,
        "lists": paper_lists(paper),
        "edit_url": edit_url(catalog, paper),
        "curated_on": curated_on(paper),
        "unclassified_reason": getattr(paper, "unclassified_reason", None),
        "file_url": file_url(catalog, paper),
        "related": related,
    }
