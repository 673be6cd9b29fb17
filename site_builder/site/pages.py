"""Which pages the website has and what each one shows, computed from the :class:`Catalog`.

Logic lives here, layout in ``site_builder/templates/site/pages/*.j2``: this module decides which papers go
on which page, in which order, what a row carries for the explorer's filters, and where every
link points; the templates only arrange it. Every page is rendered to Markdown (with raw HTML
tables) into the staging docs folder, then MkDocs turns the folder into the site.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from catalog.catalog import Catalog
from catalog.metadata import RepoInfo, github_repo_key
from catalog.model import Paper
from catalog.taxonomy import Axis
from site_builder.exports import EXPORT_FILES, bibtex_entry
from site_builder.site.chart import year_chart
from site_builder.templating import TEMPLATES_DIR as ALL_TEMPLATES
from site_builder.templating import anchor, site_environment
from site_builder.site.field_map import HEAT_LEVELS, field_map
from site_builder.site.paper_page import paper_context
from site_builder.site.recent import newest_first, recent_months
from site_builder.site.related import related_papers
from site_builder.site.explorer_data import DATA_FILE, STATIC_ROWS_LIMIT, STATIC_WINDOW, authors_line, column_keys, column_text
from site_builder.urls import explorer_query, state_keys

TEMPLATES_DIR = ALL_TEMPLATES / "site"

# Explorer sort orders; the first is the default (newest first) and the rows' rendered order.
SORT_KEYS = ("-year", "year", "title", "-title", "venue", "-venue")
DEFAULT_SORT = SORT_KEYS[0]


def search_text(paper: Paper) -> str:
    """What the explorer's text filter searches: title, algorithm, venue, tasks and authors, lower-cased.

    ``explorer.js`` (``haystack``) joins the same fields in the same order.
    """
    return " ".join([paper.title, paper.algorithm or "", paper.venue, *paper.tasks, *paper.authors]).lower()


def text_matches(paper: Paper, text: str) -> bool:
    """The explorer's text rule: every whitespace-separated term occurs in :func:`search_text`."""
    haystack = search_text(paper)
    return all(term in haystack for term in text.lower().split())


def sort_orders(papers: Iterable[Paper]) -> dict[str, list[Paper]]:
    """Every explorer sort order as a list of papers (ties broken by title, then id)."""
    papers = list(papers)
    venues = sorted({p.venue for p in papers}, key=str.casefold)
    venue_rank = {v: i for i, v in enumerate(venues)}

    def title(p: Paper) -> tuple[str, str]:
        return (p.title.casefold(), p.id)

    by_title = sorted(papers, key=title)
    return {
        "-year": sorted(papers, key=lambda p: (-p.year, *title(p))),
        "year": sorted(papers, key=lambda p: (p.year, *title(p))),
        "title": by_title,
        "-title": list(reversed(by_title)),
        "venue": sorted(papers, key=lambda p: (venue_rank[p.venue], -p.year, *title(p))),
        "-venue": sorted(papers, key=lambda p: (-venue_rank[p.venue], -p.year, *title(p))),
    }


def root_of(page_path: str) -> str:
    """The relative prefix from a page's URL back to the site root (``use_directory_urls``)."""
    parts = Path(page_path).parts
    depth = len(parts) - 1 if parts[-1] == "index.md" else len(parts)
    return "../" * depth


@dataclass(frozen=True)
class SitePage:
    path: str  # relative to docs_dir, e.g. "axes/when.md"
    template: str
    context: Mapping[str, Any]


class SiteModel:
    """Per-catalog lookups the templates need (labels, links, explorer row data)."""

    def __init__(self, catalog: Catalog, repo_metadata: Mapping[str, RepoInfo] | None = None):
        self.catalog = catalog
        self.tax = catalog.taxonomy
        self.repos = repo_metadata or {}
        self.orders = sort_orders(catalog.papers)
        self.ranks = {key: {p.id: i for i, p in enumerate(order)} for key, order in self.orders.items()}
        self.venues = sorted({p.venue for p in catalog.papers}, key=str.casefold)
        years = [p.year for p in catalog.papers]
        self.year_min, self.year_max = (min(years), max(years)) if years else (0, 0)
        # Values per paper and key (parents included), computed once: every page asks for them.
        keys = dict.fromkeys([*self.facet_keys(), *(a.id for a in self.tax.with_flag("page"))])
        self._values = {p.id: {key: self._compute_values(p, key) for key in keys} for p in catalog.papers}
        self._sections: dict[str, list[dict[str, Any]]] = {}

    # -- vocabularies -----------------------------------------------------------------------

    def axis(self, key: str) -> Axis:
        return self.tax.axes.get(key) or self.tax.facets[key]

    def label(self, key: str, value: str) -> str:
        spec = self.axis(key).values.get(value)
        return spec.label if spec else value

    def facet_keys(self) -> tuple[str, ...]:
        """The multi-value filters of the explorer, in URL key order (axes, facets, venue)."""
        return (*(a.id for a in self.tax.with_flag("filter")), "venue")

    def paged(self, kind: str) -> tuple[Axis, ...]:
        """The axes (``kind="axis"``) or facets (``"facet"``) that have a site page, in taxonomy order."""
        return tuple(a for a in self.tax.with_flag("page") if a.kind == kind)

    @property
    def paper_facets(self) -> tuple[str, ...]:
        """The facets a paper page lists (those with a page to link to)."""
        return tuple(a.id for a in self.paged("facet"))

    def _compute_values(self, paper: Paper, key: str) -> tuple[str, ...]:
        if key == "venue":
            return (paper.venue,)
        return self.catalog.values_of(paper, key)

    def values(self, paper: Paper, key: str) -> tuple[str, ...]:
        return self._values[paper.id][key]

    def with_value(self, key: str, value: str) -> list[Paper]:
        """Papers carrying ``value`` (a parent includes its refinements), newest first."""
        return [p for p in self.orders[DEFAULT_SORT] if value in self._values[p.id][key]]

    def page_of(self, key: str) -> str:
        return f"axes/{key}/" if key in self.tax.axes else f"facets/{key}/"

    def has_page(self, key: str) -> bool:
        return key in self.tax.groups and self.tax.groups[key].page

    # -- links ------------------------------------------------------------------------------

    @staticmethod
    def paper_href(root: str, paper: Paper) -> str:
        return f"{root}papers/{paper.id}/"

    def explorer_href(self, root: str, filters: Mapping[str, Any] | None = None) -> str:
        return f"{root}explorer/{explorer_query(filters or {}, self.tax)}"

    def value_href(self, root: str, key: str, value: str) -> str:
        if key == "venue":
            return f"{root}facets/venues/#{anchor(value)}"
        if key == "year":
            return f"{root}facets/years/#y{value}"
        if not self.has_page(key):
            return self.explorer_href(root, {key: [value]})
        return f"{root}{self.page_of(key)}#{anchor(value)}"

    # -- explorer rows ----------------------------------------------------------------------

    def first_code(self, paper: Paper) -> str | None:
        for link in paper.code:
            if link.status == "available":
                return link.url
        return None

    def repo_info(self, url: str) -> RepoInfo | None:
        key = github_repo_key(url)
        return self.repos.get(key) if key else None

    def papers_by_default_order(self, papers: Iterable[Paper]) -> list[Paper]:
        rank = self.ranks[DEFAULT_SORT]
        return sorted(papers, key=lambda p: rank[p.id])


# -- page lists ---------------------------------------------------------------------------


def value_sections(model: SiteModel, key: str) -> list[dict[str, Any]]:
    """One entry per value of an axis or facet: the value, its papers (newest first) and filters."""
    if key in model._sections:
        return model._sections[key]
    axis = model.axis(key)
    sections = []
    for vid, value in axis.values.items():
        papers = model.with_value(key, vid)
        sections.append(
            {
                "id": vid,
                "anchor": anchor(vid),
                "label": value.label,
                "description": value.description,
                "parent": axis.values[value.parent].label if value.parent else None,
                "parent_anchor": anchor(value.parent) if value.parent else None,
                "children": [c.label for c in axis.values.values() if c.parent == vid],
                "count": len(papers),
                "papers": papers,
                "filters": {key: [vid]},
            }
        )
    model._sections[key] = sections
    return sections


def home_context(model: SiteModel) -> dict[str, Any]:
    catalog = model.catalog
    recent = newest_first(catalog.papers)[:10]
    axes = [
        {"key": a.id, "axis": a, "classified": len(catalog) - catalog.unclassified(a.id), "value_count": len(a.values)}
        for a in model.paged("axis")
    ]
    return {
        "total": len(catalog),
        "with_code": len(catalog.with_code),
        "venues": len(model.venues),
        "year_min": model.year_min,
        "year_max": model.year_max,
        "axes": axes,
        "facets": [{"key": a.id, "axis": a} for a in model.paged("facet")],
        "chart": year_chart(catalog),
        "recent": recent,
        "months": recent_months(catalog.papers),
        "reviews": len(catalog.reviewed),
    }


def explorer_context(model: SiteModel) -> dict[str, Any]:
    facets = []
    for key in model.facet_keys():
        if key == "venue":
            counts = {v: sum(1 for p in model.catalog.papers if p.venue == v) for v in model.venues}
            options = [{"id": v, "label": v, "count": counts[v], "child": False} for v in model.venues]
            facets.append({"key": "venue", "label": "Venue", "short": "Venue", "options": options})
            continue
        axis = model.axis(key)
        counts = {s["id"]: s["count"] for s in value_sections(model, key)}
        options = [{"id": vid, "label": v.label, "count": counts[vid], "child": v.parent is not None} for vid, v in axis.values.items()]
        facets.append({"key": key, "label": axis.label, "short": axis.short or axis.label, "options": options})
    papers = model.orders[DEFAULT_SORT]
    static = papers if len(papers) <= STATIC_ROWS_LIMIT else papers[:STATIC_WINDOW]
    return {
        "facets": facets,
        "state_keys": " ".join(state_keys(model.tax)),
        "sort_keys": " ".join(SORT_KEYS),
        "papers": static,
        "complete": len(static) == len(papers),
        "columns": [{"key": k, "label": model.axis(k).short or model.axis(k).label} for k in column_keys(model)],
        "data_file": DATA_FILE,
        "years": list(range(model.year_min, model.year_max + 1)),
        "total": len(model.catalog),
        "with_code": sum(1 for p in papers if p.has_code),
        "authors_line": authors_line,
        "column_text": column_text,
    }


def site_pages(catalog: Catalog, repo_metadata: Mapping[str, RepoInfo] | None = None) -> tuple[SiteModel, list[SitePage]]:
    """Every page of the site: path in the docs folder, template and context."""
    model = SiteModel(catalog, repo_metadata)
    tax = catalog.taxonomy
    pages = [
        SitePage("index.md", "home.md.j2", home_context(model)),
        SitePage("explorer.md", "explorer.md.j2", explorer_context(model)),
        SitePage(
            "axes/index.md",
            "axes_index.md.j2",
            {
                "axes": [
                    {"key": a.id, "axis": a, "sections": value_sections(model, a.id), "unclassified": catalog.unclassified(a.id)}
                    for a in model.paged("axis")
                ]
            },
        ),
        SitePage(
            "facets/index.md",
            "facets_index.md.j2",
            {
                "facets": [{"key": a.id, "axis": a, "sections": value_sections(model, a.id)} for a in model.paged("facet")],
                "venues": len(model.venues),
            },
        ),
        SitePage("downloads.md", "downloads.md.j2", {"files": EXPORT_FILES, "total": len(catalog)}),
        SitePage("map.md", "map.md.j2", {"map": field_map(catalog), "heat_levels": HEAT_LEVELS}),
    ]
    for axis in tax.with_flag("page"):
        key = axis.id
        ctx = {
            "key": key,
            "axis": axis,
            "sections": value_sections(model, key),
            "unclassified": catalog.unclassified(key),
            "is_axis": axis.kind == "axis",
        }
        pages.append(SitePage(f"{model.page_of(key)[:-1]}.md", "values.md.j2", ctx))
    venue_sections = []
    for venue in model.venues:
        papers = model.papers_by_default_order(p for p in catalog.papers if p.venue == venue)
        venue_sections.append(
            {"id": venue, "anchor": anchor(venue), "kind": tax.venues.get(venue, ""), "papers": papers, "filters": {"venue": [venue]}}
        )
    pages.append(SitePage("facets/venues.md", "venues.md.j2", {"sections": venue_sections}))
    year_sections = []
    for year in catalog.years:
        papers = model.papers_by_default_order(p for p in catalog.papers if p.year == year)
        year_sections.append({"year": year, "papers": papers, "filters": {"year": f"{year}-{year}"}})
    pages.append(SitePage("facets/years.md", "years.md.j2", {"sections": year_sections}))
    related = related_papers(catalog)
    for paper in catalog.papers:
        context = paper_context(catalog, paper, bibtex_entry(catalog, paper), related[paper.id])
        pages.append(SitePage(f"papers/{paper.id}.md", "paper.md.j2", context))
    return model, pages


# -- rendering ------------------------------------------------------------------------------

def make_environment(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    return site_environment(templates_dir.parent)


def render_pages(model: SiteModel, pages: list[SitePage], env: jinja2.Environment) -> dict[str, str]:
    """Page path -> Markdown text (LF endings, one trailing newline)."""
    rendered = {}
    for page in pages:
        template = env.get_template(page.template)
        text = template.render(page=page.context, m=model, root=root_of(page.path), path=page.path, tax=model.tax, SORT_KEYS=SORT_KEYS)
        rendered[page.path] = text.rstrip("\n") + "\n"
    return rendered
