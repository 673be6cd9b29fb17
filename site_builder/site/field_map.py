"""The map of the field: how many papers sit at each crossing of two axes, or of an axis and a year.

Matrices are computed here and drawn by ``map.md.j2`` as plain HTML tables (caption, row and
column headers, one link per non-empty cell to the explorer filtered on both values), so they
work without JavaScript, read well in a screen reader and need no chart library. Everything is
generic over the taxonomy: every pair of axes, every axis against every facet, and every axis
against the years. A refined value counts for its parent too, as everywhere on the site.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from catalog.catalog import Catalog

HEAT_LEVELS = 4
RECENT_YEARS = 12  # year columns shown one by one; earlier years share one column


@dataclass(frozen=True)
class Header:
    """A row or column of a matrix: its label and the explorer filter it stands for."""

    label: str
    filters: Mapping[str, Any]
    child: bool = False


@dataclass(frozen=True)
class Cell:
    count: int
    heat: int  # 0 (empty) to HEAT_LEVELS (the densest cells)
    filters: Mapping[str, Any]
    description: str


@dataclass(frozen=True)
class Matrix:
    id: str
    title: str
    row_label: str
    column_label: str
    columns: tuple[Header, ...]
    rows: tuple[tuple[Header, tuple[Cell, ...]], ...]
    empty_cells: int
    total_cells: int


def _values(catalog: Catalog, key: str) -> list[Header]:
    axis = catalog.taxonomy.axes.get(key) or catalog.taxonomy.facets[key]
    return [Header(v.label, {key: [vid]}, child=v.parent is not None) for vid, v in axis.values.items()]


def year_headers(catalog: Catalog, recent: int = RECENT_YEARS) -> list[Header]:
    """One column per recent year, plus one for all earlier years (filters use year ranges)."""
    if not catalog.papers:
        return []
    first, last = min(catalog.years), max(catalog.years)
    start = max(first, last - recent + 1)
    headers = []
    if start > first:
        headers.append(Header(f"{first}–{start - 1}", {"year": f"{first}-{start - 1}"}))
    headers += [Header(str(y), {"year": f"{y}-{y}"}) for y in range(start, last + 1)]
    return headers


class _Lookup:
    """Which headers of one side of a matrix a paper falls under, by dictionary lookups.

    Every header filters on one value of one key, or on a year range; the lookup maps each value
    (or each year) to the indices of the headers it satisfies.
    """

    def __init__(self, headers: Sequence[Header]):
        self.by_value: dict[tuple[str, str], list[int]] = {}
        self.by_year: dict[int, list[int]] = {}
        for i, h in enumerate(headers):
            ((key, wanted),) = h.filters.items()
            if key == "year":
                low, high = (int(y) for y in str(wanted).split("-"))
                for year in range(low, high + 1):
                    self.by_year.setdefault(year, []).append(i)
            else:
                for v in wanted:
                    self.by_value.setdefault((key, v), []).append(i)
        self.keys = sorted({k for k, _ in self.by_value})

    def hits(self, values: Mapping[str, set[str]], year: int) -> list[int]:
        found = list(self.by_year.get(year, ()))
        for key in self.keys:
            for v in values[key]:
                found.extend(self.by_value.get((key, v), ()))
        return found


PaperValues = Sequence[tuple[Mapping[str, set[str]], int]]  # per paper: values per key (parents included), year


def paper_values(catalog: Catalog) -> PaperValues:
    keys = (*catalog.taxonomy.axes, *catalog.taxonomy.facets)
    return [({k: set(catalog.values_of(p, k)) for k in keys}, p.year) for p in catalog.papers]


def matrix(
    per_paper: PaperValues, matrix_id: str, title: str, rows: Sequence[Header], columns: Sequence[Header], labels: tuple[str, str]
) -> Matrix:
    counts = [[0] * len(columns) for _ in rows]
    row_lookup, column_lookup = _Lookup(rows), _Lookup(columns)
    for values, year in per_paper:
        cols = column_lookup.hits(values, year)
        if not cols:
            continue
        for i in row_lookup.hits(values, year):
            for j in cols:
                counts[i][j] += 1
    peak = max((n for row in counts for n in row), default=0)
    built = []
    empty = 0
    for r, row_counts in zip(rows, counts, strict=True):
        cells = []
        for c, n in zip(columns, row_counts, strict=True):
            heat = 0 if n == 0 else max(1, math.ceil(HEAT_LEVELS * n / peak))
            empty += n == 0
            description = f"{n} {'paper' if n == 1 else 'papers'}: {r.label} and {c.label}"
            cells.append(Cell(n, heat, {**r.filters, **c.filters}, description))
        built.append((r, tuple(cells)))
    return Matrix(matrix_id, title, labels[0], labels[1], tuple(columns), tuple(built), empty, len(rows) * len(columns))


def field_map(catalog: Catalog) -> dict[str, list[Matrix]]:
    """The page's matrices in three groups: axis x axis, axis x facet, axis x year."""
    tax = catalog.taxonomy

    def label(key: str) -> str:
        spec = tax.axes.get(key) or tax.facets[key]
        return spec.short or spec.label

    axes = list(tax.axes)
    per_paper = paper_values(catalog)
    pairs = [
        matrix(per_paper, f"{a}-{b}", f"{label(a)} × {label(b)}", _values(catalog, a), _values(catalog, b), (label(a), label(b)))
        for i, a in enumerate(axes)
        for b in axes[i + 1 :]
    ]
    facets = [
        matrix(per_paper, f"{a}-{f}", f"{label(a)} × {label(f)}", _values(catalog, a), _values(catalog, f), (label(a), label(f)))
        for a in axes
        for f in tax.facets
    ]
    years = year_headers(catalog)
    by_year = [
        matrix(per_paper, f"{a}-years", f"{label(a)} × year", _values(catalog, a), years, (label(a), "Year"))
        for a in axes
    ]
    return {"pairs": pairs, "facets": facets, "years": by_year}
