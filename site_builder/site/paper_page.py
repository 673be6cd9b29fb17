"""What a paper's page shows beyond the entry itself: where to edit it, where its facts come from,
which lists include it, and its related papers.

Fields that other parts of the project add over time (``abstract``, ``curated``, ``sources``) are
read when the model has them, so the page grows with the data instead of waiting for it:
``curated`` may be a flag for the whole entry, a list of the axes a person checked, or a mapping
from axis to a flag; ``sources`` a list of list names, URLs or records with ``name``/``list``/
``url`` attributes.
"""

from __future__ import annotations

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


def provenance(paper: Paper, key: str) -> str | None:
    """"curated" when a person checked this axis, "imported" when it came from a list, None if unknown."""
    curated: Any = getattr(paper, "curated", None)
    if curated is None:
        return None
    if isinstance(curated, bool):
        return "curated" if curated else "imported"
    if isinstance(curated, Mapping):
        return "curated" if curated.get(key) else "imported"
    if isinstance(curated, (list, tuple, set, frozenset)):
        return "curated" if key in curated else "imported"
    for attr in ("axes", "fields", "tags"):  # a record naming what was checked
        checked = getattr(curated, attr, None)
        if checked is not None:
            return "curated" if key in checked else "imported"
    return "curated" if curated else "imported"


def paper_lists(paper: Paper) -> list[dict[str, str | None]]:
    """The lists (imported sources) that include the paper: label and, when known, a link."""
    found: list[dict[str, str | None]] = []
    for source in getattr(paper, "sources", None) or ():
        if isinstance(source, str):
            url = source if source.startswith(("http://", "https://")) else None
            found.append({"label": source, "url": url})
            continue
        label = next((str(v) for a in ("name", "list", "title", "repo", "id") if (v := getattr(source, a, None))), None)
        url = next((str(v) for a in ("url", "list_url", "href") if (v := getattr(source, a, None))), None)
        found.append({"label": label or url or str(source), "url": url})
    return found


def paper_context(catalog: Catalog, paper: Paper, bibtex: str, related: tuple[Related, ...]) -> dict[str, Any]:
    tax = catalog.taxonomy
    axes = []
    for key, axis in tax.axes.items():
        axes.append({"key": key, "axis": axis, "values": paper.axis_values(key), "provenance": provenance(paper, key)})
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
        "unclassified": [a["axis"].short or a["axis"].label for a in axes if not a["values"]],
        "facets": facets,
        "lists": paper_lists(paper),
        "edit_url": edit_url(catalog, paper),
        "file_url": file_url(catalog, paper),
        "related": related,
    }
