"""Building the website: strict MkDocs build, complete pages, no broken internal links."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest

from catalog.catalog import Catalog
from catalog.load import load_catalog
from pruning_catalog.cli import main
from site_builder.feed import FEED_FILE
from site_builder.site import SiteBuildError, StagingError, build_site, site_files, write_staging
from site_builder.site.build import DEFAULT_CONFIG, PROJECT_ROOT, run_mkdocs
from site_builder.site.chart import year_chart
from tests.support.crawl import crawl
from tests.support.factory import write_paper
from tests.support.site_catalog import write_site_catalog

BASE = "http://127.0.0.1:9/"  # never contacted: builds only need a URL for canonical links


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, Path]:
    root = tmp_path_factory.mktemp("site-build")
    catalog = write_site_catalog(root / "papers")
    metadata = root / "repositories.json"
    metadata.write_text(
        json.dumps(
            {
                "repositories": {
                    "ist-daslab/sparsegpt": {"canonical": "IST-DASLab/sparsegpt", "stars": 1234, "archived": False},
                    "liuzhuang13/slimming": {"canonical": "Eric-mingjie/network-slimming", "stars": 88, "archived": True},
                }
            }
        ),
        encoding="utf-8",
    )
    from catalog.metadata import load_repo_metadata

    build_site(catalog, root / "site", staging=root / "staging", site_url=BASE, repo_metadata=load_repo_metadata(metadata))
    return catalog, root / "site"


def html(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def explorer_rows(page: str) -> list[str]:
    return re.findall(r'<tr id="p-[^"]+" data-id="([^"]+)"', page)


def test_every_internal_link_resolves(built: tuple[Catalog, Path]) -> None:
    _, site = built
    checked, broken = crawl(site, BASE)
    assert checked > 1000
    assert not broken, "\n".join(map(str, broken[:20]))


def test_crawler_reports_missing_files_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<p id="here"></p><a href="../b/">b</a><a href="#nope">x</a><a href="#here">ok</a><img src="../x.png">', encoding="utf-8"
    )
    (tmp_path / "index.html").write_text('<a href="a/#here">a</a><a href="https://example.org/">ext</a>', encoding="utf-8")
    checked, broken = crawl(tmp_path, "http://127.0.0.1:1/")
    assert checked == 5
    assert sorted((b.url, b.reason.split(" ")[0]) for b in broken) == [("#nope", "no"), ("../b/", "no"), ("../x.png", "no")]


def test_explorer_table_is_complete_without_javascript(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    page = html(site, "explorer/index.html")
    ids = explorer_rows(page)
    assert sorted(ids) == sorted(p.id for p in catalog.papers)
    assert ids == [p.id for p in sorted(catalog.papers, key=lambda p: (-p.year, p.title.casefold(), p.id))]
    assert " hidden" not in re.search(r"<tbody>.*?</tbody>", page, re.S).group(0).replace("data-", "")
    assert "<noscript>" in page
    assert 'data-rows="../assets/explorer-rows.json"' in page


def test_explorer_data_file_carries_every_row_in_default_order(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    data = json.loads((site / "assets" / "explorer-rows.json").read_text(encoding="utf-8"))
    rows = {r["id"]: r for r in data["rows"]}
    assert [r["id"] for r in data["rows"]] == [p.id for p in sorted(catalog.papers, key=lambda p: (-p.year, p.title.casefold(), p.id))]
    assert data["total"] == len(catalog) and data["venues"] == sorted({p.venue for p in catalog.papers}, key=str.casefold)
    row = rows["sparsegpt"]
    assert row["values"]["when"] == ["after-training", "post-training"]  # parents included
    assert row["values"]["speedup"] == ["unstructured", "semi-structured"]
    assert row["values"]["structure"] == ["W", "N:M"] and row["code"].startswith("https://github.com/")
    assert data["venues"][row["venue"]] == "ICML" and row["authors"] == ["Elias Frantar", "Dan Alistarh"]
    by_title = sorted(catalog.papers, key=lambda p: (p.title.casefold(), p.id))
    assert [rows[p.id]["rank"] for p in by_title] == list(range(len(catalog)))
    assert [c["key"] for c in data["columns"]] == ["structure", "when"]


def test_a_large_catalog_puts_only_the_first_rows_in_the_page(tmp_path: Path) -> None:
    from site_builder.site.explorer_data import STATIC_ROWS_LIMIT, STATIC_WINDOW
    from tests.support.factory import write_synthetic_catalog

    write_synthetic_catalog(tmp_path / "papers", STATIC_ROWS_LIMIT + 1, seed=5)
    catalog = load_catalog(tmp_path / "papers")
    files = site_files(catalog)
    assert len(explorer_rows(str(files["explorer.md"]))) == STATIC_WINDOW
    assert "Years</a> page lists them all" in str(files["explorer.md"])
    assert len(json.loads(files["assets/explorer-rows.json"])["rows"]) == len(catalog)


def test_no_inline_json_no_cdn_no_reserved_keys(built: tuple[Catalog, Path]) -> None:
    _, site = built
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        content = "".join(re.findall(r"<article.*?</article>", text, re.S))  # Material's own __config lives outside
        assert "<script" not in content, page
        assert not re.search(r'(?:src|href)="https?://(?:fonts\.googleapis|fonts\.gstatic|cdn\.|unpkg|cdnjs)', text), page
        assert not re.search(r'href="[^"]*explorer/\?(?:[^"]*&amp;)?[qh]=', text), page
    js = (site / "assets" / "explorer.js").read_text(encoding="utf-8")
    assert "document$" in js and "popstate" in js


def test_axis_pages_have_every_value_with_counts_and_explorer_links(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    for axis_id, axis in catalog.taxonomy.axes.items():
        page = unescape(html(site, f"axes/{axis_id}/index.html"))
        for value_id, value in axis.values.items():
            assert value.label in page and value.description in page
            assert f'href="../../explorer/?{axis_id}={value_id}"' in page
            expected = len(catalog.with_value(axis_id, value_id))
            assert f"<strong>{expected}</strong> paper" in page
    when = html(site, "axes/when/index.html")
    section = when.split('id="after-training"')[1].split('id="post-training"')[0]
    # A parent value lists the papers of its refinements too.
    assert "papers/sparsegpt/" in section and "papers/wanda/" in section


def test_facet_venue_and_year_pages(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    for key in ("structure", "models", "settings", "applications"):
        assert (site / "facets" / key / "index.html").is_file()
    venues = html(site, "facets/venues/index.html")
    assert 'id="neurips"' in venues and "explorer/?venue=NeurIPS" in venues
    years = html(site, "facets/years/index.html")
    for year in catalog.years:
        assert f'id="y{year}"' in years and f"explorer/?year={year}-{year}" in years


def test_paper_pages_outside_nav_with_links_bibtex_review_and_badges(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    for paper in catalog.papers:
        assert (site / "papers" / paper.id / "index.html").is_file()
    home = html(site, "index.html")
    assert "papers/" not in "".join(re.findall(r'<nav class="md-nav.*?</nav>', home, re.S))
    gpt = unescape(html(site, "papers/sparsegpt/index.html"))
    assert "@inproceedings{sparsegpt," in gpt and "https://github.com/IST-DASLab/sparsegpt" in gpt
    assert "\u2605 1234" in gpt and "archived" not in gpt
    slim = unescape(html(site, "papers/network-slimming/index.html"))
    assert "\u2605 88" in slim and ">archived<" in slim and "now Eric-mingjie/network-slimming" in slim
    gating = html(site, "papers/dynamic-channel-gating/index.html")
    assert 'class="admonition warning"' in gating and "The venue is unclear" in gating
    # Markup-like titles are shown literally, never interpreted as HTML or Markdown.
    assert '<h1>Channel Gating Neural Networks &lt;fast&gt; &amp; "dynamic" *inference* | [run-time]</h1>' in gating
    assert "<title>Channel Gating Neural Networks &lt;fast&gt; &amp;" in gating
    explorer = html(site, "explorer/index.html")
    row = re.search(r'<tr id="p-dynamic-channel-gating".*?</tr>', explorer, re.S).group(0)
    assert "ap-review-marker" in row
    assert "Channel Gating Neural Networks &lt;fast&gt; &amp; &#34;dynamic&#34; *inference* | [run-time]</a>" in row
    assert "ap-review-marker" not in re.search(r'<tr id="p-wanda".*?</tr>', explorer, re.S).group(0)


def test_no_badges_without_metadata(tmp_path: Path) -> None:
    write_paper(tmp_path / "papers", id="one", sections=[])
    catalog = load_catalog(tmp_path / "papers")
    files = site_files(catalog, {})
    assert "\u2605" not in files["papers/one.md"] and "archived" not in files["papers/one.md"]


def test_every_page_announces_the_feed(built: tuple[Catalog, Path]) -> None:
    """Feed autodiscovery: each page's head links the feed, and the link resolves to it from that page."""
    _, site = built
    for page in ("index.html", "explorer/index.html", "404.html"):
        [link] = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]+)" href="([^"]+)">', html(site, page))
        assert link[0] == "Awesome Pruning: recently added papers"
        assert urljoin(BASE + page, link[1]) == BASE + FEED_FILE, page
    assert (site / FEED_FILE).is_file()


def test_home_totals_and_chart(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    home = html(site, "index.html")
    assert f"<strong>{len(catalog)}</strong><span>papers</span>" in home
    assert f"<strong>{sum(p.has_code for p in catalog.papers)}</strong><span>with code</span>" in home
    assert '<svg class="ap-chart"' in home
    chart = year_chart(catalog)
    for year in chart.years:
        assert chart.total(year) == sum(1 for p in catalog.papers if p.year == year)
    rects = re.findall(r"<title>(\d{4}): [^:<]+: (\d+)</title>", home)
    assert sum(int(n) for _, n in rects) == len(catalog)


def test_downloads_and_search_index(built: tuple[Catalog, Path]) -> None:
    catalog, site = built
    for name in ("catalog.json", "catalog.bib", "catalog.csv"):
        assert (site / "downloads" / name).is_file()
    assert json.loads((site / "downloads" / "catalog.json").read_text(encoding="utf-8"))["count"] == len(catalog)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    # One entry per paper page (the explorer's glued table cells are left out of the index).
    assert not [d for d in index["docs"] if d["location"].startswith("explorer/")]
    papers = {d["location"]: d for d in index["docs"] if d["location"].startswith("papers/")}
    assert set(papers) == {f"papers/{p.id}/" for p in catalog.papers}
    assert papers["papers/sparsegpt/"]["title"].startswith("SparseGPT: Massive Language Models")


def test_rendering_is_deterministic(tmp_path: Path, built: tuple[Catalog, Path]) -> None:
    catalog, _ = built
    again = write_site_catalog(tmp_path / "papers")
    assert site_files(again) == site_files(catalog)


def test_staging_is_wiped_but_foreign_folders_are_refused(tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    write_staging({"a.md": "# A\n"}, staging)
    write_staging({"b.md": "# B\n"}, staging)
    assert not (staging / "a.md").exists() and (staging / "b.md").read_text() == "# B\n"
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "precious.md").write_text("mine", encoding="utf-8")
    with pytest.raises(StagingError):
        write_staging({"b.md": "x"}, foreign)
    assert (foreign / "precious.md").read_text() == "mine"


def test_strict_build_fails_on_broken_link_and_keeps_previous_site(tmp_path: Path, built: tuple[Catalog, Path]) -> None:
    staging = tmp_path / "staging"
    files = {"index.md": "# Home\n\n[missing](nowhere.md)\n"}
    write_staging(files, staging)
    with pytest.raises(SiteBuildError) as exc:
        run_mkdocs(DEFAULT_CONFIG, staging, tmp_path / "out", site_url=BASE)
    assert "nowhere.md" in str(exc.value)
    # A config whose nav names a page that is never generated: the build fails, the old site stays.
    catalog, _ = built
    output = tmp_path / "site"
    output.mkdir()
    (output / "old.html").write_text("old", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        DEFAULT_CONFIG.read_text(encoding="utf-8")
        .replace("  - Downloads: downloads.md", "  - Downloads: downloads.md\n  - Gone: gone.md")
        .replace("custom_dir: theme", f"custom_dir: {DEFAULT_CONFIG.parent / 'theme'}"),
        encoding="utf-8",
    )
    with pytest.raises(SiteBuildError):
        build_site(catalog, output, staging=tmp_path / "staging2", config_file=config, site_url=BASE)
    assert [p.name for p in output.iterdir()] == ["old.html"]
    assert not list(tmp_path.glob(".site.building"))


def test_cli_builds_and_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    papers = tmp_path / "papers"
    write_paper(papers, id="one", sections=[])
    out, staging = tmp_path / "out", tmp_path / "staging"
    assert main(["site", "--papers", str(papers), "--output", str(out), "--staging", str(staging)]) == 0
    assert (out / "papers" / "one" / "index.html").is_file()
    assert "built" in capsys.readouterr().err
    (papers / "broken.yaml").write_text("id: broken\ntitle: x\n", encoding="utf-8")
    (out / "marker").write_text("kept", encoding="utf-8")
    assert main(["site", "--papers", str(papers), "--output", str(out), "--staging", str(staging)]) == 1
    captured = capsys.readouterr()
    assert "broken.yaml" in captured.out and "site not built" in captured.err
    assert (out / "marker").read_text() == "kept"
    assert main(["site", "--papers", str(tmp_path / "missing"), "--output", str(out)]) == 2


REAL_PAPERS = PROJECT_ROOT / "papers"


@pytest.mark.skipif(not REAL_PAPERS.is_dir() or not any(REAL_PAPERS.glob("*.yaml")), reason="papers/ is not present")
def test_real_catalog_builds_strict_with_no_broken_links(tmp_path: Path) -> None:
    catalog = load_catalog(REAL_PAPERS)
    site = tmp_path / "site"
    result = build_site(catalog, site, staging=tmp_path / "staging", site_url=BASE)
    tax = catalog.taxonomy
    # Eight fixed pages (the map of the field included), one per axis or facet with a page, one per paper.
    assert result.pages == len(catalog) + 8 + sum(a.page for a in (*tax.axes.values(), *tax.facets.values()))
    checked, broken = crawl(site, BASE)
    assert checked > len(catalog) * 10
    assert not broken, "\n".join(map(str, broken[:20]))
    shutil.rmtree(site)
