"""The explorer's data: one compact JSON file with every paper's row, fetched by ``explorer.js``.

Why a file and not ``data-*`` attributes on thousands of rendered rows: with 10,000 papers the
attribute-laden table weighed 7.5 MB and took over 6 s to become usable in Chromium, because
the browser had to parse and lay out every row before the script could hide most of them. Now
the page carries only the first rows (all of them for a catalog small enough to read without
JavaScript) and the script builds table rows on demand from this file, a window at a time.

The file is generic over the taxonomy: every axis and facet with the ``filter`` flag becomes a
filter key, and the columns shown besides title, algorithm, venue, year and code are the
taxonomy's roles ``type_column`` and ``stage`` (``catalog/taxonomy.yaml``, ``roles:``).
Sort orders are not shipped as lists: rows come newest first (the default order) and carry
their title rank and venue index, from which the script derives every other order exactly as
:func:`site_builder.site.pages.sort_orders` does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from catalog.catalog import Catalog
from catalog.model import Paper
from catalog.taxonomy import Axis, Taxonomy


class SiteModel(Protocol):
    """What this module needs of :class:`site_builder.site.pages.SiteModel` (a protocol: pages imports this module)."""

    @property
    def catalog(self) -> Catalog: ...
    @property
    def tax(self) -> Taxonomy: ...
    @property
    def venues(self) -> Sequence[str]: ...
    @property
    def orders(self) -> Mapping[str, Sequence[Paper]]: ...
    @property
    def ranks(self) -> Mapping[str, Mapping[str, int]]: ...

    def axis(self, key: str) -> Axis: ...
    def label(self, key: str, value: str) -> str: ...
    def values(self, paper: Paper, key: str) -> tuple[str, ...]: ...
    def facet_keys(self) -> tuple[str, ...]: ...
    def first_code(self, paper: Paper) -> str | None: ...

DATA_FILE = "assets/explorer-rows.json"
# Catalogs up to this size get every row in the page's HTML (complete without JavaScript);
# larger ones carry the first window only and point readers without JavaScript to the year pages.
STATIC_ROWS_LIMIT = 1_000
STATIC_WINDOW = 100
AUTHORS_SHOWN = 3


def authors_line(paper: Paper, limit: int = AUTHORS_SHOWN) -> str:
    """The first authors, then "et al." (what a row has room for)."""
    if len(paper.authors) <= limit:
        return ", ".join(paper.authors)
    return ", ".join(paper.authors[:limit]) + " et al."


def column_keys(model: SiteModel) -> tuple[str, ...]:
    """The taxonomy keys shown as table columns (their own values, labelled): the roles' holders."""
    roles = model.tax.roles
    return tuple(k for k in (roles.type_column, roles.stage) if k)


def column_text(model: SiteModel, paper: Paper, key: str) -> str:
    """A paper's own values on an axis or facet (not the implied parents), as shown in a cell."""
    values = paper.axis_values(key) if key in model.tax.axes else tuple(getattr(paper, key))
    if key == model.tax.roles.type_column:
        return ", ".join(values)  # the list's short codes (W, C, N:M) fit a narrow column
    return ", ".join(model.label(key, v) for v in values)


def row_of(model: SiteModel, paper: Paper, venue_index: dict[str, int]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "year": paper.year,
        "venue": venue_index[paper.venue],
        "rank": model.ranks["title"][paper.id],
    }
    optional: dict[str, Any] = {
        "alg": paper.algorithm,
        "award": paper.award,
        "authors": list(paper.authors),
        "tasks": list(paper.tasks),
        "review": paper.review,
        "code": model.first_code(paper),
        "codeStatus": paper.code[0].status if paper.code and not paper.has_code else None,
    }
    row.update({k: v for k, v in optional.items() if v})
    values = {key: list(model.values(paper, key)) for key in model.facet_keys() if key != "venue"}
    row["values"] = {k: v for k, v in values.items() if v}
    row["cols"] = [column_text(model, paper, key) for key in column_keys(model)]
    return row


def explorer_data(model: SiteModel) -> dict[str, Any]:
    """Everything the explorer script needs about every paper, newest first."""
    venue_index = {v: i for i, v in enumerate(model.venues)}
    return {
        "total": len(model.catalog),
        "venues": list(model.venues),
        "columns": [{"key": k, "label": model.axis(k).short or model.axis(k).label} for k in column_keys(model)],
        "rows": [row_of(model, p, venue_index) for p in model.orders["-year"]],
    }


def explorer_json(model: SiteModel) -> str:
    """The data file's text: compact, deterministic (rows in default order, keys in insertion order)."""
    return json.dumps(explorer_data(model), ensure_ascii=False, separators=(",", ":")) + "\n"
