"""An Atom feed (RFC 4287) of the papers most recently added to the catalog, for feed readers.

Hand-written with the standard library's ElementTree rather than a feed library: the feed is
small and fixed, and a test parses it back and checks it against the RFC's rules. Output is
deterministic: entries newest first by ``added`` (then by title, as on the home page), timestamps are the ``added``
dates at midnight UTC, and ids are ``tag:`` URIs made from paper ids, so they never change when
the site moves.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from catalog.catalog import Catalog
from catalog.model import Paper
from site_builder.site.recent import newest_first

FEED_FILE = "feed.xml"
FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
TAG_AUTHORITY = "tag:hrcheng1066.github.io,2024:awesome-pruning"


def paper_tag(paper_id: str) -> str:
    """The stable Atom id of a paper's entry."""
    return f"{TAG_AUTHORITY}:paper:{paper_id}"


def _stamp(paper: Paper) -> str:
    return f"{paper.added.isoformat()}T00:00:00Z"


def recent_papers(catalog: Catalog, size: int = FEED_SIZE) -> list[Paper]:
    """The ``size`` most recently added papers, in the home page's order (newest first, then title)."""
    return newest_first(catalog.papers)[:size]


def render_feed(catalog: Catalog, site_url: str, size: int = FEED_SIZE) -> str:
    """The feed's XML text; ``site_url`` is the website's absolute base URL (ending in '/')."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    papers = recent_papers(catalog, size)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", f"{TAG_AUTHORITY}:recently-added")
    sub(feed, "title", "Awesome Pruning: recently added papers")
    sub(feed, "subtitle", "Neural-network pruning papers newly added to the awesome-pruning catalog.")
    sub(feed, "updated", _stamp(papers[0]) if papers else "1970-01-01T00:00:00Z")
    sub(feed, "link", rel="self", type="application/atom+xml", href=f"{site_url}{FEED_FILE}")
    sub(feed, "link", rel="alternate", type="text/html", href=site_url)
    author = sub(feed, "author")
    sub(author, "name", "awesome-pruning contributors")
    sub(feed, "generator", "pruning-catalog")
    tax = catalog.taxonomy
    for paper in papers:
        entry = sub(feed, "entry")
        sub(entry, "id", paper_tag(paper.id))
        sub(entry, "title", paper.title)
        sub(entry, "updated", _stamp(paper))
        sub(entry, "published", _stamp(paper))
        sub(entry, "link", rel="alternate", type="text/html", href=f"{site_url}papers/{paper.id}/")
        sub(entry, "link", rel="related", href=paper.url)
        for name in paper.authors:
            sub(sub(entry, "author"), "name", name)
        for axis in tax.axes.values():
            if axis.derived_from is None:  # the classified axes; a derived one (speedup) repeats the facets
                for value in paper.tags.values(axis.id):
                    sub(entry, "category", term=f"{axis.id}:{value}", label=axis.values[value].label)
        venue = f"{paper.venue} {paper.year}" + (f" ({paper.award})" if paper.award else "")
        summary = f"{venue}. {paper.abstract}" if paper.abstract else venue + "."
        sub(entry, "summary", summary)
    ET.indent(feed, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
