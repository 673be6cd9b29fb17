"""The rendered README: placement of every entry, cells, contents links, safety, determinism."""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path

import markdown as python_markdown
import pytest

from catalog.catalog import Catalog
from catalog.load import parse_paper_text
from catalog.metadata import RepoInfo
from site_builder.markdown import Slugger, escape_cell, internal_links, iter_headings, link_url
from site_builder.readme import (
    KNOWN_PROBLEMS_HEADING,
    code_link,
    mermaid_label,
    render_readme,
    section_heading,
    type_cell,
    venue_cell,
    year_cell,
)
from site_builder.urls import explorer_url
from tests.site_builder.readme_fixtures import HOSTILE_TITLES, build_catalog, hostile_entries, standard_entries
from tests.support.factory import make_paper


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return build_catalog(tmp_path_factory.mktemp("papers"), standard_entries() + hostile_entries())


@pytest.fixture(scope="module")
def readme(catalog: Catalog) -> str:
    return render_readme(catalog)


def section_region(text: str, catalog: Catalog, section_id: str) -> str:
    """The lines under a section's heading, up to the next heading of the same or a higher level."""
    section = catalog.taxonomy.section(section_id)
    level = len(section.parent) + 2
    lines = text.split("\n")
    start = 0
    for parent_level, parent in enumerate(section.parent, start=2):
        start = lines.index(f"{'#' * parent_level} {escape_cell(parent)}", start)
    start = lines.index(f"{'#' * level} {escape_cell(section_heading(section))}", start)
    end = start + 1
    while end < len(lines) and not re.match(rf"^#{{1,{level}}} ", lines[end]):
        end += 1
    return "\n".join(lines[start + 1 : end])


def test_every_entry_appears_in_every_section_it_belongs_to_and_nowhere_else(catalog: Catalog, readme: str) -> None:
    for section in catalog.taxonomy.sections:
        region = section_region(readme, catalog, section.id)
        for paper in catalog.papers:
            found = region.count(f"]({link_url(paper.url)})")
            expected = 1 if section.id in paper.sections else 0
            assert found == expected, f"{paper.id} appears {found} times in section {section.id}"


def test_rows_are_numbered_newest_first_in_each_table(catalog: Catalog, readme: str) -> None:
    region = section_region(readme, catalog, "after-training-cnn")
    headings = re.findall(r"^###### (.*)$", region, flags=re.M)
    assert headings == [
        "Pruning After Training CNNs 2023",
        "Pruning After Training CNNs 2022",
        "Pruning After Training CNNs 2017 and earlier",
    ]
    first_table = region.split("######")[1]
    numbers = re.findall(r"^\| (\d+) \|", first_table, flags=re.M)
    assert numbers == [f"{n:02d}" for n in range(1, len(HOSTILE_TITLES) + 1)]
    titles = [p.title for p in catalog.in_section("after-training-cnn") if p.year == 2023]
    positions = [first_table.index(f"]({link_url(p.url)})") for p in catalog.in_section("after-training-cnn") if p.year == 2023]
    assert positions == sorted(positions), titles


def test_sections_keep_the_columns_of_the_list(catalog: Catalog, readme: str) -> None:
    labels = {
        "no": "No.",
        "title": "Title",
        "venue": "Venue",
        "type": "Type",
        "algorithm": "Algorithm Name",
        "code": "Code",
        "app": "APP",
        "year": "Year",
    }
    for section in catalog.taxonomy.sections:
        region = section_region(readme, catalog, section.id)
        header = "| " + " | ".join(labels[c] for c in section.columns) + " |"
        if catalog.in_section(section.id):
            assert header in region, section.id
        else:
            assert "_No papers in this section yet._" in region


def test_heading_hierarchy_follows_the_list(readme: str) -> None:
    headings = [(h.level, h.text) for h in iter_headings(readme)]
    for expected in [
        (2, "1. When to Prune"),
        (3, "Type Explanation"),
        (3, "1.1 Static Pruning"),
        (4, "1.1.1 Pruning Before Training"),
        (5, "1.1.1.1 Pruning CNNs"),
        (6, "Pruning During Training CNNs 2018 and earlier"),
        (5, "1.1.3.8 Post Training"),
        (4, "1.1.4 Pruning In Early Training"),
        (3, "1.2 Dynamic Pruning"),
        (2, "5. Survey of Pruning"),
        (3, "Survey of Pruning 2019 and earlier"),
        (2, "6. Other Works"),
        (3, "Papers"),
    ]:
        assert expected in headings
    order = [text for _, text in headings]
    # Papers first: the list right after the (folded) contents; overview, totals and contributing
    # after it; known problems last.
    top = ["Table of Contents", "1. When to Prune", "2. Learning and Pruning", "3. Application", "4. Combination"]
    top += ["5. Survey of Pruning", "6. Other Works", "Overview", "Browse by taxonomy", "Contributing", "Acknowledgements", "Citation"]
    top += [KNOWN_PROBLEMS_HEADING]
    assert [t for t in order if t in top] == top


def test_every_contents_link_matches_a_heading_anchor(readme: str) -> None:
    headings = list(iter_headings(readme, Slugger()))
    anchors = {h.anchor for h in headings}
    links = internal_links(readme)
    assert links and set(links) <= anchors
    toc_start = readme.index("## Table of Contents")
    toc = readme[toc_start : readme.index("</details>", toc_start)]
    toc_links = set(internal_links(toc))
    after_toc = [h for h in headings if h.line > readme[:toc_start].count("\n") + 1 and h.level >= 2]
    assert {h.anchor for h in after_toc} == toc_links  # every heading below the contents is listed


def test_hostile_text_cannot_break_a_table_or_inject_markup(catalog: Catalog, readme: str) -> None:
    rendered = python_markdown.markdown(readme, extensions=["tables", "fenced_code"])
    assert "<script" not in rendered and "<i>" not in rendered and "<b>" not in rendered
    assert not re.findall(r'(?:href|src)="[^"]*evil[^"]*"', rendered)
    images = re.findall(r'<img[^>]*src="([^"]*)"', rendered)
    assert images and all(src.startswith(("https://img.shields.io/", "https://awesome.re/")) for src in images)
    for table in re.findall(r"<table>.*?</table>", rendered, flags=re.S):
        width = len(re.findall(r"<th[ >]", table))
        for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]:
            assert len(re.findall(r"<td", row)) == width, row
    # Each hostile title renders as a link whose text is exactly the title (python-markdown does
    # not know CommonMark's \: and \~ escapes, which GitHub renders as ":" and "~").
    shown = {
        html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\\:", ":").replace("\\~", "~")
        for text in re.findall(r'<a href="https://example\.org/papers/\d+">(.*?)</a>', rendered)
    }
    assert set(HOSTILE_TITLES) <= shown


def test_review_notes_are_shown_not_hidden(catalog: Catalog, readme: str) -> None:
    reviewed = [p for p in catalog.papers if p.review]
    assert reviewed
    problems = readme[readme.index(f"## {KNOWN_PROBLEMS_HEADING}") :]
    for paper in reviewed:
        assert escape_cell(paper.review or "") in problems
        for section_id in paper.sections:
            region = section_region(readme, catalog, section_id)
            assert f"]({link_url(paper.url)}) [⚠️](#known-problems)" in region


def test_papers_in_no_section_are_listed(catalog: Catalog, readme: str) -> None:
    unfiled = [p for p in catalog.papers if not p.sections]
    assert unfiled
    block = readme[readme.index("## Not yet filed in a section") : readme.index("## Contributing")]
    for paper in unfiled:
        assert f"({link_url(paper.url)})" in block


def test_browse_by_taxonomy_counts_and_links(catalog: Catalog, readme: str) -> None:
    browse = readme[readme.index("## Browse by taxonomy") : readme.index("## Contributing")]
    for axis in catalog.taxonomy.axes.values():
        assert f"### {escape_cell(axis.label)}" in browse
        counts = catalog.counts(axis.id)
        for value in axis.values.values():
            url = link_url(explorer_url({axis.id: [value.id]}))
            assert re.search(rf"\[{re.escape(escape_cell(value.label))}\]\({re.escape(url)}\) \| {counts[value.id]} \|", browse), value.id
    with_code = sum(p.has_code for p in catalog.papers)
    assert f"**{len(catalog)}** papers, **{with_code}** of them with code" in browse
    for year in catalog.years:
        count = sum(p.year == year for p in catalog.papers)
        assert re.search(rf"\| \[{year}\]\([^)]*\) \| {count} \|", browse)


def test_taxonomy_figure_is_a_mermaid_diagram_of_the_axes(catalog: Catalog, readme: str) -> None:
    figure = readme[readme.index("```mermaid") : readme.index("```", readme.index("```mermaid") + 3)]
    assert "flowchart" in figure
    for axis in catalog.taxonomy.axes.values():
        assert mermaid_label(axis.label) in figure
        for value in axis.values.values():
            assert mermaid_label(f"{value.label} ({catalog.counts(axis.id)[value.id]})") in figure
    assert mermaid_label('a "b" <c> [d] `e`') == "a #34;b#34; #60;c#62; #91;d#93; #96;e#96;"


def test_cell_formats_follow_the_list() -> None:
    paper = make_paper(
        venue="ICCV", award="Best Paper", other_venues=[{"venue": "TPAMI", "year": 2019}], year=2017, url="https://arxiv.org/abs/1707.06342"
    )
    assert venue_cell(paper) == "ICCV&TPAMI **(Best Paper)**"
    assert year_cell(paper) == "2017&2019"
    assert type_cell(make_paper(structure=["W", "F"], pioneer=True)) == "`FWP`"
    assert type_cell(make_paper(structure=["W", "N:M"])) == "`W`&N:M"
    assert type_cell(make_paper(structure=["1xN"])) == "1xN"
    assert type_cell(make_paper(structure=["other"])) == "`Other`"
    assert type_cell(make_paper(structure=[])) == "-"


def test_code_links_are_labelled_consistently(catalog: Catalog) -> None:
    tax = catalog.taxonomy
    paper = make_paper(
        code=[
            {"url": "https://github.com/a/b", "framework": "pytorch", "official": True},
            {"url": "https://github.com/c/d", "framework": "TensorFlow", "official": False},
            {"url": "https://github.com/e/f", "framework": "JAX"},
            {"url": "https://github.com/g/h", "framework": "lua", "official": True, "status": "releasing"},
            {"url": "https://github.com/i/j", "framework": "Caffe", "official": True, "status": "unavailable"},
        ]
    )
    metadata = {"a/b": RepoInfo("a/b", "A/B", 12345, False, None, None), "c/d": RepoInfo("c/d", "C/D", 7, True, None, None)}
    cells = [code_link(c, tax, metadata) for c in paper.code]
    assert cells == [
        "[PyTorch(Author)](https://github.com/a/b) ★ 12.3k",
        "[TensorFlow(3rd)](https://github.com/c/d) ★ 7 · archived",
        "[JAX](https://github.com/e/f)",
        "[Lua(Author)](https://github.com/g/h) (Releasing)",
        "[Caffe(Not Available)](https://github.com/i/j)",
    ]


def test_rendering_is_deterministic(catalog: Catalog, readme: str) -> None:
    again = render_readme(Catalog.build(reversed([(p, catalog.sources[p.id]) for p in catalog.papers])))
    assert again == readme
    assert readme.endswith("\n") and not readme.endswith("\n\n") and "\r" not in readme
    assert not [line for line in readme.split("\n") if line != line.rstrip()]


def test_quick_start_and_contributing_commands(readme: str) -> None:
    head = readme[: readme.index("## Table of Contents")]
    assert "## Quick start" not in head  # the head is about papers; the commands are in Contributing
    contributing = readme[readme.index("## Contributing") : readme.index("## Acknowledgements")]
    for command in ("make build", "make test", "pruning-catalog validate", "pruning-catalog readme", "papers/"):
        assert command in contributing


def test_contributing_example_entry_is_valid(readme: str) -> None:
    contributing = readme[readme.index("## Contributing") :]
    block = re.search(r"```yaml\n(.*?)\n\s*```", contributing, flags=re.S)
    assert block
    paper, _, problems = parse_paper_text(textwrap.dedent(block[1]), "example.yaml")
    assert not problems and paper is not None


def test_empty_catalog_still_renders_the_list_layout(tmp_path: Path) -> None:
    (tmp_path / "papers").mkdir()
    from catalog.load import load_catalog

    text = render_readme(load_catalog(tmp_path / "papers"))
    assert "## 1. When to Prune" in text and "**0** papers" in text and "## Known problems" not in text
