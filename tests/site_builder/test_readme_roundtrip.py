"""Reading the rendered README back with the importer gives the facts it was rendered from."""

from __future__ import annotations

from pathlib import Path

from catalog.catalog import Catalog
from catalog.importers.markdown import import_markdown_text
from catalog.load import load_catalog
from catalog.model import Paper
from catalog.normalize import normalize_title
from site_builder.markdown import link_url
from site_builder.readme import render_readme
from tests.site_builder.readme_fixtures import build_catalog, hostile_entries, standard_entries

ROOT = Path(__file__).resolve().parents[2]


def shown_facts(paper: Paper, catalog: Catalog, url: str | None = None) -> dict[str, object]:
    """The facts of a paper that its README rows show (a column shown in any of its sections)."""
    columns = {c for s in paper.sections for c in catalog.taxonomy.section(s).columns}
    facts: dict[str, object] = {
        "title": paper.title,
        "url": url if url is not None else paper.url,
        "venue": paper.venue,
        "award": paper.award,
        "year": paper.year,
        "other_venues": [(v.venue, v.year) for v in paper.other_venues],
        "code": [(c.url, c.framework, c.official if c.status != "unavailable" else None, c.status) for c in paper.code],
        "tasks": list(paper.tasks),
        "sections": list(paper.sections),
        "survey": paper.survey,
    }
    if "algorithm" in columns:
        facts["algorithm"] = paper.algorithm
    if "type" in columns:
        facts["structure"] = list(paper.structure)
        facts["pioneer"] = paper.pioneer
    return facts


def assert_round_trip(catalog: Catalog) -> None:
    text = render_readme(catalog)
    result = import_markdown_text(text, source="README.md")
    assert not result.problems
    assert not [r for r in result.rows if r.errors]
    imported = {(normalize_title(p.title), p.url): p for p in result.papers}
    filed = [p for p in catalog.papers if p.sections]
    assert len(result.papers) == len(filed)
    for paper in filed:
        # URLs come back percent-encoded where a character could have ended the link.
        key = (normalize_title(paper.title), link_url(paper.url))
        assert key in imported, paper.id
        back = imported[key]
        expected = shown_facts(paper, catalog, url=link_url(paper.url))
        expected["code"] = [(link_url(u), f, o, s) for u, f, o, s in expected["code"]]  # type: ignore[union-attr]
        assert shown_facts(back, catalog) == expected, paper.id


def test_round_trip_of_every_cell_format(tmp_path: Path) -> None:
    entries = standard_entries() + hostile_entries()
    assert_round_trip(build_catalog(tmp_path / "papers", entries))


def test_round_trip_of_the_real_catalog() -> None:
    assert_round_trip(load_catalog(ROOT / "papers"))


def test_round_trip_of_a_code_link_without_framework(tmp_path: Path) -> None:
    entry = standard_entries()[1] | {"code": [{"url": "https://github.com/example/no-framework", "official": True}]}
    assert_round_trip(build_catalog(tmp_path / "papers", [entry]))
