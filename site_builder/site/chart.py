"""The home page chart: papers per year, stacked by when the pruning happens.

Drawn at build time as inline SVG so it shows without JavaScript and without a charting
library or CDN; colours come from CSS classes so the dark theme restyles it. Each paper counts
once per year: under its top-level when-to-prune value, under "several" when it has more than
one, or "not classified" when it has none, so a bar's height is exactly that year's paper count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from catalog.catalog import Catalog
from catalog.model import Paper


@dataclass(frozen=True)
class Series:
    id: str
    label: str


@dataclass(frozen=True)
class YearChart:
    svg: str
    series: tuple[Series, ...]
    years: tuple[int, ...]
    counts: dict[int, dict[str, int]]  # year -> series id -> papers

    def total(self, year: int) -> int:
        return sum(self.counts[year].values())


def when_series(catalog: Catalog) -> tuple[Series, ...]:
    """The stacks: each top-level value of the taxonomy's stage axis (``roles.stage``), several, none."""
    axis = catalog.taxonomy.axes[catalog.taxonomy.roles.stage]
    tops = tuple(Series(v.id, v.label) for v in axis.values.values() if v.parent is None)
    return (*tops, Series("several", "Several stages"), Series("unclassified", "Not classified"))


def stack_of(catalog: Catalog, paper: Paper) -> str:
    axis = catalog.taxonomy.axes[catalog.taxonomy.roles.stage]
    tops = [v for v in catalog.values_of(paper, axis.id) if axis.values[v].parent is None]
    if len(tops) == 1:
        return tops[0]
    return "several" if tops else "unclassified"


def _nice_step(maximum: int) -> int:
    """A round grid step giving about four to six grid lines."""
    if maximum <= 5:
        return 1
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)


def year_chart(catalog: Catalog, width: int = 760, height: int = 300) -> YearChart:
    series = when_series(catalog)
    if not catalog.papers:
        return YearChart(svg="", series=series, years=(), counts={})
    years = tuple(range(min(catalog.years), max(catalog.years) + 1))
    counts = {y: {s.id: 0 for s in series} for y in years}
    for paper in catalog.papers:
        counts[paper.year][stack_of(catalog, paper)] += 1
    peak = max(sum(c.values()) for c in counts.values())
    step = _nice_step(peak)
    top = step * math.ceil(peak / step)
    left, right, top_pad, bottom = 40, 8, 10, 34
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    slot = plot_w / len(years)
    bar_w = max(2.0, slot * 0.75)
    parts = [
        f'<svg class="ap-chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="ap-chart-title" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        '<title id="ap-chart-title">Papers per year, stacked by when to prune</title>',
    ]
    for tick in range(0, top + 1, step):
        y = top_pad + plot_h - plot_h * tick / top
        parts.append(f'<line class="ap-grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="ap-axis-label" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    label_every = max(1, math.ceil(len(years) / 12))
    for i, year in enumerate(years):
        x = left + i * slot + (slot - bar_w) / 2
        base: float = top_pad + plot_h
        for s in series:
            n = counts[year][s.id]
            if not n:
                continue
            h = plot_h * n / top
            base -= h
            parts.append(
                f'<rect class="ap-s-{s.id}" x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
                f"<title>{year}: {escape(s.label)}: {n}</title></rect>"
            )
        if i % label_every == 0 or i == len(years) - 1:
            parts.append(
                f'<text class="ap-axis-label" x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">{year}</text>'
            )
    parts.append("</svg>")
    return YearChart(svg="".join(parts), series=series, years=years, counts=counts)
