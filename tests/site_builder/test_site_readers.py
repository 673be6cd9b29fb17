"""The site for readers, without a browser: search index, paper pages, related papers, the map, dates.

Rules covered:
- the header search finds every paper by title, algorithm name, author, venue and year, searched
  the way Material's lunr index matches (terms split on whitespace and hyphens, prefix match);
  review notes, links and BibTeX stay out of the index;
- paper pages show authors, venue with award, every link, an edit link to the entry's file, the
  axes (one line for the unclassified ones), BibTeX with authors keyed by the id, related papers
  with what they share;
- related papers are deterministic, never the paper itself, and share something;
- every cell of the map counts exactly the papers carrying both values and links to the explorer
  filtered on both;
- "Recently added" goes by ``added`` date, newest first, then title.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from catalog.catalog import Catalog
from catalog.load import load_catalog
from site_builder.site import build_site
from site_builder.site.build import PROJECT_ROOT
from site_builder.site.field_map import field_map
from site_builder.site.paper_page import paper_lists, provenance
from site_builder.site.recent import newest_first, recent_months
from site_builder.site.related import related_papers
from tests.support.catalog_files import write_distinct_paper
from tests.support.site_catalog import write_site_catalog

BASE = "http://127.0.0.1:9/"
SEPARATOR = re.compile(r"[\s\-]+")  # Material's search.config.separator


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, Path]:
    root = tmp_path_factory.mktemp("site-readers")
    catalog = write_site_catalog(root / "papers", synthetic=30)
    build_site(catalog, root / "site", staging=root / "staging", site_url=BASE)
    return catalog, root / "site"


def tokens(text: str) -> list[str]:
    return [t for t in SEPARATOR.split(unescape(re.sub(r"<[^>]+>", " ", text)).lower()) if t]


def findable(index: dict, location: str, query: str) -> bool:
    """Every term of ``query`` is a prefix of a term of the paper's entry (Material adds a trailing wildcard)."""
    docs = [d for d in index["docs"] if d["location"] == location]
    words = [t for d in docs for t in tokens(d["title"] + " " + d["text"])]
    return all(any(w.startswith(term) for w in words) for term in tokens(query))


def search_index(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_every_paper_is_findable_by_title_algorithm_authors_venue_and_year(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    index = search_index(site)
    for paper in catalog.papers:
        location = f"papers/{paper.id}/"
        for query in (paper.title, paper.algorithm or "", *paper.authors, paper.venue, str(paper.year)):
            assert findable(index, location, query), (paper.id, query)
    # The entry's text is clean words, not glued table cells.
    wanda = next(d for d in index["docs"] if d["location"] == "papers/wanda/")
    assert "Mingjie Sun" in wanda["text"] and re.search(r"\bWanda\b", wanda["text"]) and "ICLR 2024" in wanda["text"]


def test_review_notes_links_and_bibtex_stay_out_of_search_snippets(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    text = json.dumps(search_index(site))
    for paper in catalog.papers:
        if paper.review:
            assert paper.review[:40] not in text
    assert "@inproceedings" not in text and "@article" not in text and "github.com" not in text


REAL_PAPERS = PROJECT_ROOT / "papers"


@pytest.mark.skipif(not REAL_PAPERS.is_dir() or not any(REAL_PAPERS.glob("*.yaml")), reason="papers/ is not present")
def test_every_algorithm_of_the_real_catalog_is_findable(tmp_path: Path) -> None:
    catalog = load_catalog(REAL_PAPERS)
    build_site(catalog, tmp_path / "site", staging=tmp_path / "staging", site_url=BASE)
    index = search_index(tmp_path / "site")
    algorithms = [p for p in catalog.papers if p.algorithm]
    assert len(algorithms) > 100
    missing = [p.algorithm for p in algorithms if not findable(index, f"papers/{p.id}/", p.algorithm or "")]
    assert not missing
    with_authors = [p for p in catalog.papers if p.authors]
    for paper in with_authors[:: max(1, len(with_authors) // 25)]:  # a sample of authors, when the data has them
        for author in paper.authors[:3]:
            assert findable(index, f"papers/{paper.id}/", author), (paper.id, author)


def test_paper_page_shows_what_a_reader_needs(built: tuple[Catalog, Path]) -> None:
    _, site = built
    page = (site / "papers" / "lottery-ticket-hypothesis" / "index.html").read_text(encoding="utf-8")
    assert "Jonathan Frankle, Michael Carbin" in page
    assert '<span class="ap-award">Best Paper</span>' in page and ">ICLR</a>" in page
    assert 'href="https://github.com/hrcheng1066/awesome-pruning/edit/main/papers/lottery-ticket-hypothesis.yaml"' in page
    assert "Edit this entry on GitHub" in page
    assert "https://arxiv.org/abs/1803.03635" in page and "https://github.com/google-research/lottery-ticket-hypothesis" in page
    assert page.count("Not classified yet") == 1 and "not classified yet" not in page  # one line, not one per axis
    bib = re.search(r"@inproceedings\{lottery-ticket-hypothesis,.*?\n\}", unescape(re.sub(r"<[^>]+>", "", page)), re.S)
    assert bib and "author = {Jonathan Frankle and Michael Carbin}" in bib.group(0)
    assert 'id="related-papers"' in page and "How related papers are chosen" in page
    assert re.search(r'<span class="ap-why">Shares [^<]+</span>', page)


def test_provenance_and_lists_read_whatever_shape_the_data_has() -> None:
    assert provenance(SimpleNamespace(), "when") is None  # the field does not exist yet
    assert provenance(SimpleNamespace(curated=True), "when") == "curated"
    assert provenance(SimpleNamespace(curated=("when",)), "when") == "curated"
    assert provenance(SimpleNamespace(curated=("when",)), "criteria") == "imported"
    assert provenance(SimpleNamespace(curated={"criteria": True}), "when") == "imported"
    assert provenance(SimpleNamespace(curated=SimpleNamespace(axes=["fusion"])), "fusion") == "curated"
    assert paper_lists(SimpleNamespace()) == []
    assert provenance(SimpleNamespace(curated=None), "when") == "imported"  # the field exists, nobody checked
    record = SimpleNamespace(list="awesome-llm-prune", section="Unstructured", url="https://example.org/paper")
    lists = paper_lists(SimpleNamespace(sources=("he-y/awesome-Pruning", record)))
    assert lists == [{"label": "he-y/awesome-Pruning", "url": None}, {"label": "awesome-llm-prune (Unstructured)", "url": None}]


def test_related_papers_are_deterministic_and_share_something(built: tuple[Catalog, Path]) -> None:
    catalog, _ = built
    first = related_papers(catalog)
    again = related_papers(catalog)
    assert first == again
    sparsegpt = first["sparsegpt"]
    assert sparsegpt and all(r.paper.id != "sparsegpt" for r in sparsegpt)
    assert "wanda" in [r.paper.id for r in sparsegpt[:3]]  # same models, structure, when; "language models"
    for rel in (r for rs in first.values() for r in rs):
        assert rel.values or rel.words
    scores = [r.score for r in sparsegpt]
    assert scores == sorted(scores, reverse=True)


def brute_count(catalog: Catalog, filters: dict) -> int:
    n = 0
    for paper in catalog.papers:
        ok = True
        for key, wanted in filters.items():
            if key == "year":
                low, high = (int(y) for y in wanted.split("-"))
                ok = ok and low <= paper.year <= high
            else:
                ok = ok and any(v in catalog.values_of(paper, key) for v in wanted)
        n += ok
    return n


def test_every_map_cell_counts_the_papers_with_both_values(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    fmap = field_map(catalog)
    tax = catalog.taxonomy
    assert len(fmap["pairs"]) == len(tax.axes) * (len(tax.axes) - 1) // 2
    assert len(fmap["facets"]) == len(tax.axes) * len(tax.facets) and len(fmap["years"]) == len(tax.axes)
    for group in fmap.values():
        for mx in group:
            for _, cells in mx.rows:
                for cell in cells:
                    assert cell.count == brute_count(catalog, dict(cell.filters)), (mx.id, cell.description)
    page = (site / "map" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="\.\./explorer/\?([^"]+)" aria-label="(\d+) papers?: ', page)
    assert len(links) > 50
    for query, count in links:
        filters = {k: (v[0] if k == "year" else v[0].split(",")) for k, v in parse_qs(unescape(query)).items()}
        assert brute_count(catalog, filters) == int(count)
    assert "<caption>" in page and 'scope="row"' in page and 'scope="col"' in page
    assert "<script" not in re.search(r"<article.*?</article>", page, re.S).group(0)


def test_recently_added_goes_by_date_then_title(tmp_path: Path) -> None:
    for i, (title, added) in enumerate([("Beta", "2024-05-03"), ("alpha", "2024-05-03"), ("Gamma", "2024-03-30"), ("Old", "2023-01-02")]):
        write_distinct_paper(f"p{i}", tmp_path / "papers", title=title, added=dt.date.fromisoformat(added), sections=[])
    catalog = load_catalog(tmp_path / "papers")
    assert [p.title for p in newest_first(catalog.papers)] == ["alpha", "Beta", "Gamma", "Old"]
    months = recent_months(catalog.papers)
    assert [(m.label, [p.title for p in m.papers]) for m in months] == [("May 2024", ["alpha", "Beta"]), ("March 2024", ["Gamma"])]
    build_site(catalog, tmp_path / "site", staging=tmp_path / "staging", site_url=BASE)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    recent = home[home.index('id="recently-added"') :]
    assert recent.index(">alpha<") < recent.index(">Beta<") < recent.index(">Gamma<") and ">Old<" not in recent
    assert 'id="added-2024-05"' in home


def test_explorer_links_in_the_map_use_only_explorer_keys(built: tuple[Catalog, Path]) -> None:
    _, site = built
    page = (site / "map" / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="([^"]*explorer/\?[^"]*)"', page):
        keys = parse_qs(urlsplit(unescape(href)).query).keys()
        assert keys and not {"q", "h"} & set(keys)


def test_an_abstract_is_shown_collapsible_when_the_model_has_one(tmp_path: Path) -> None:
    from catalog.model import Paper

    if "abstract" not in Paper.model_fields:
        pytest.skip("the paper model has no abstract field yet")
    abstract = "We prune 90% of the weights of a transformer and keep its accuracy."
    write_distinct_paper("with-abstract", tmp_path / "papers", abstract=abstract)
    catalog = load_catalog(tmp_path / "papers")
    build_site(catalog, tmp_path / "site", staging=tmp_path / "staging", site_url=BASE)
    page = (tmp_path / "site" / "papers" / "with-abstract" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<details class="ap-abstract" open>\s*<summary>Abstract</summary>\s*<p>We prune 90% of the weights', page)
    entry = next(d for d in search_index(tmp_path / "site")["docs"] if d["location"] == "papers/with-abstract/")
    assert "We prune 90% of the weights" in entry["text"]  # abstracts are searchable too
