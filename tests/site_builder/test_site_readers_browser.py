"""The site for readers in a real browser, at desktop (1280x800) and phone (390x844) widths.

Every test runs at both widths and saves a screenshot under ``test-artifacts/screenshots/`` for
people to look at. Waits are on page state (the explorer's ready form, its ``data-query``, the
search results list), never on time. Expected numbers always come from the Python ``Catalog``.

Rules covered:
- explorer: the result count and the first result are on the first screen; no sideways
  scrolling; every filter pill shows an expand chevron; each value's count is the number of
  papers it would leave given the other filters, zero ones marked; the text box finds authors;
- header search: an algorithm name and an author find the paper's page;
- paper page: authors, edit link, related papers, BibTeX with authors;
- map: tables fit the page (they scroll inside their own box), a cell leads to the explorer
  showing exactly that many papers;
- home: recently added, newest first;
- README: badges spaced, the first paper table within the first two screens.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.catalog import Catalog
from site_builder.site.build import PROJECT_ROOT
from site_builder.site.pages import text_matches
from tests.support.browser import ServedSite, axe_source, chromium, guard_page, require_chromium, run_axe, served_site
from tests.support.site_catalog import write_site_catalog

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(os.environ.get("TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts")) / "screenshots"
READY = "form.ap-filters:not([hidden])"
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    require_chromium()
    root = tmp_path_factory.mktemp("readers-browser-site")
    with served_site(write_site_catalog(root / "papers", synthetic=40), root) as site:
        yield site


@pytest.fixture(scope="module")
def browser(site: ServedSite) -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def page(browser, width: str) -> Iterator[object]:
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    context.set_default_timeout(10_000)
    p = context.new_page()
    guard = guard_page(p)
    yield p
    context.close()
    guard.assert_clean()


def shot(page, name: str, width: str, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")  # finish transitions first
    assert path.stat().st_size > 5_000


def open_explorer(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY, state="attached")
    page.wait_for_function(
        "() => { const r = document.querySelector('[data-explorer]'); return r && r.dataset.query === location.search; }"
    )


def no_sideways_scrolling(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


# -- explorer --------------------------------------------------------------------------------


def test_explorer_shows_count_and_first_results_on_the_first_screen(page, site: ServedSite, width: str) -> None:
    open_explorer(page, site.explorer())
    height = WIDTHS[width][1]
    count = page.locator("#ap-count").bounding_box()
    first = page.locator("table[data-explorer-table] tbody tr").first.bounding_box()
    assert count and count["y"] + count["height"] <= height
    assert first and first["y"] + 40 <= height  # at least the first row's title line is on screen
    no_sideways_scrolling(page)
    # Every filter pill shows an expand chevron (a bordered ::after), closed by default.
    pills = page.locator("details.ap-facet > summary")
    assert pills.count() >= len(site.catalog.taxonomy.axes) + len(site.catalog.taxonomy.facets) + 1
    chevrons = page.eval_on_selector_all(
        "details.ap-facet > summary",
        "els => els.map(e => { const s = getComputedStyle(e, '::after');"
        " return s.display !== 'none' && parseFloat(s.borderRightWidth) > 0; })",
    )
    assert all(chevrons)
    assert page.locator("details.ap-facet[open]").count() == 0
    shot(page, "explorer", width)
    # Opening a pill shows its values and counts without hiding the live count.
    page.locator('details[data-facet-box="models"] > summary').click()
    assert page.locator('fieldset[data-facet="models"] input[value="llm"]').is_visible()
    assert page.locator("#ap-count").is_visible()
    no_sideways_scrolling(page)
    shot(page, "explorer-filter-open", width)


def predicted_counts(catalog: Catalog, filters: dict) -> dict[str, dict[str, int]]:
    """For every facet value: papers matching every other filter and carrying that value."""

    def keep(paper, skip: str | None) -> bool:
        for key, wanted in filters.items():
            if key == skip:
                continue
            if key == "text" and not text_matches(paper, wanted):
                return False
            if key == "code" and not paper.has_code:
                return False
            if key == "year":
                low, high = (int(y) for y in wanted.split("-"))
                if not low <= paper.year <= high:
                    return False
            if key == "venue" and paper.venue not in wanted:
                return False
            if key in (*catalog.taxonomy.axes, *catalog.taxonomy.facets) and not set(wanted) & set(catalog.values_of(paper, key)):
                return False
        return True

    counts: dict[str, dict[str, int]] = {}
    for key in (*catalog.taxonomy.axes, *catalog.taxonomy.facets, "venue"):
        others = [p for p in catalog.papers if keep(p, key)]
        if key == "venue":
            counts[key] = {v: sum(p.venue == v for p in others) for v in {p.venue for p in catalog.papers}}
        else:
            spec = catalog.taxonomy.axes.get(key) or catalog.taxonomy.facets[key]
            counts[key] = {v: sum(v in catalog.values_of(p, key) for p in others) for v in spec.values}
    return counts


def shown_counts(page) -> dict[str, dict[str, int]]:
    return page.evaluate(
        """() => { const out = {}; for (const fs of document.querySelectorAll('fieldset[data-facet]')) {
             const c = {};
             for (const l of fs.querySelectorAll('label'))
               c[l.querySelector('input').value] = Number(l.querySelector('.ap-count').textContent);
             out[fs.dataset.facet] = c; } return out; }"""
    )


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"when": ["after-training"], "models": ["llm"]},
        {"criteria": ["magnitude"], "code": "1", "year": "2018-2023"},
        {"when": ["before-training"], "criteria": ["loss-change"]},  # nothing matches
    ],
)
def test_counts_follow_the_other_filters(page, site: ServedSite, width: str, filters: dict) -> None:
    open_explorer(page, site.explorer(filters))
    assert shown_counts(page) == predicted_counts(site.catalog, filters)
    zero = page.eval_on_selector_all(
        "fieldset[data-facet] label", "ls => ls.map(l => [l.classList.contains('ap-zero'), l.querySelector('.ap-count').textContent])"
    )
    assert all(is_zero == (text == "0") for is_zero, text in zero)
    others = [p for p in site.catalog.papers if all(k == "code" or predicted_ok(site.catalog, p, k, v) for k, v in filters.items())]
    with_code = [p for p in others if p.has_code]
    assert page.locator("[data-code-count]").inner_text() == str(len(with_code))
    # Ticking a value leaves exactly the number it showed.
    key, value = "structure", "W"
    expected = predicted_counts(site.catalog, filters)[key][value]
    page.locator(f'details[data-facet-box="{key}"] > summary').click()
    before = page.locator(f'fieldset[data-facet="{key}"] input[value="{value}"]').is_checked()
    if not before and not filters.get(key):
        page.locator(f'fieldset[data-facet="{key}"] input[value="{value}"]').check()
        page.wait_for_function("n => document.querySelector('[data-explorer]').dataset.shown === String(n)", arg=expected)


def predicted_ok(catalog: Catalog, paper, key: str, wanted) -> bool:
    if key == "year":
        low, high = (int(y) for y in wanted.split("-"))
        return low <= paper.year <= high
    if key == "text":
        return text_matches(paper, wanted)
    if key == "venue":
        return paper.venue in wanted
    return bool(set(wanted) & set(catalog.values_of(paper, key)))


def test_text_search_finds_authors(page, site: ServedSite, width: str) -> None:
    open_explorer(page, site.explorer())
    page.locator("#ap-text").fill("frankle")
    page.wait_for_function("() => document.querySelector('[data-explorer]').dataset.query === '?text=frankle'")
    ids = page.eval_on_selector_all("table[data-explorer-table] tbody tr", "rows => rows.map(r => r.dataset.id)")
    assert "lottery-ticket-hypothesis" in ids
    assert set(ids) == {p.id for p in site.catalog.papers if text_matches(p, "frankle")}
    assert page.locator("tr[data-id=lottery-ticket-hypothesis] .ap-authors").inner_text() == "Jonathan Frankle, Michael Carbin"
    no_sideways_scrolling(page)


# -- header search ---------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "paper_id"), [("wanda", "wanda"), ("frantar", "sparsegpt"), ("SNIP", "snip-single-shot")])
def test_header_search_finds_algorithms_and_authors(page, site: ServedSite, width: str, query: str, paper_id: str) -> None:
    page.goto(site.url(""))
    if width == "phone":
        page.locator('label.md-header__button[for="__search"]').click()
    box = page.locator("input.md-search__input")
    box.focus()
    # Material's search worker says when its index is built ("Initializing search" until then).
    page.wait_for_function("() => /Type to start searching/.test(document.querySelector('.md-search-result__meta').textContent)")
    box.press_sequentially(query)  # Material searches on key events, as a reader types
    result = page.locator(f'.md-search-result__item a[href*="/papers/{paper_id}/"]').first
    result.wait_for(state="visible")
    shot(page, f"search-{query.lower()}", width)


# -- paper page -------------------------------------------------------------------------------


def test_paper_page_has_authors_links_edit_related_and_bibtex(page, site: ServedSite, width: str) -> None:
    page.goto(site.url("papers/lottery-ticket-hypothesis/"))
    summary = page.locator(".ap-paper-summary")
    assert "Jonathan Frankle, Michael Carbin" in summary.inner_text()
    assert "Best Paper" in summary.inner_text()
    edit = page.get_by_role("link", name="Edit this entry on GitHub")
    assert edit.is_visible()
    assert edit.get_attribute("href") == "https://github.com/hrcheng1066/awesome-pruning/edit/main/papers/lottery-ticket-hypothesis.yaml"
    related = page.locator(".ap-related li")
    assert related.count() >= 1 and "Shares" in related.first.inner_text()
    assert "author = {Jonathan Frankle and Michael Carbin}" in page.locator("#bibtex ~ pre").first.inner_text()
    no_sideways_scrolling(page)
    shot(page, "paper", width)
    shot(page, "paper-full", width, full_page=True)


# -- map ------------------------------------------------------------------------------------


def test_map_tables_fit_and_cells_lead_to_the_explorer(page, site: ServedSite, width: str) -> None:
    page.goto(site.url("map/"))
    page.wait_for_load_state("networkidle")
    tables = page.locator("table.ap-map")
    assert tables.count() >= 10
    no_sideways_scrolling(page)  # wide tables scroll inside their own box
    shot(page, "map", width)
    cell = page.locator("table.ap-map td a").first
    count = int(cell.inner_text())
    href = cell.get_attribute("href") or ""
    cell.click()
    page.wait_for_url(re.compile(r".*/explorer/\?.*"))
    page.wait_for_selector(READY, state="attached")
    page.wait_for_function("n => document.querySelector('[data-explorer]').dataset.shown === String(n)", arg=count)
    assert href.split("?")[1] in page.url


# -- home and README ----------------------------------------------------------------------------


def test_home_shows_recent_additions_newest_first(page, site: ServedSite, width: str) -> None:
    page.goto(site.url(""))
    section = page.locator("h2#recently-added")
    assert section.is_visible()
    titles = page.eval_on_selector_all("h2#recently-added ~ div table tbody tr td:first-child a", "as => as.map(a => a.textContent)")
    newest = max(p.added for p in site.catalog.papers)
    recent = (p for p in site.catalog.papers if (newest - p.added).days < 120)
    expected = sorted(recent, key=lambda p: (-p.added.toordinal(), p.title.casefold(), p.id))
    assert titles and titles[0] == expected[0].title
    no_sideways_scrolling(page)
    shot(page, "home", width)


BADGE = '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="20"><rect width="90" height="20" rx="3" fill="#4c1"/></svg>'
GITHUB_CSS = """
body { box-sizing: border-box; max-width: 1012px; margin: 0 auto; padding: 32px;
       font: 16px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
@media (max-width: 767px) { body { padding: 16px; } }
h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; } h1 { font-size: 2em; } h2 { font-size: 1.5em; }
table { display: block; max-width: 100%; overflow: auto; border-collapse: collapse; }
td, th { padding: 6px 13px; border: 1px solid #d1d9e0; }
pre { overflow: auto; } img { max-width: 100%; }
"""


def test_readme_shows_the_first_papers_within_two_screens(browser, width: str) -> None:
    import markdown

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    body = markdown.markdown(readme, extensions=["tables", "fenced_code", "md_in_html"])
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    try:
        p = context.new_page()
        # Badge images come from shields.io on GitHub; here they are stand-ins of the same size.
        p.route(
            "**/*",
            lambda r: r.fulfill(status=200, content_type="image/svg+xml", body=BADGE) if r.request.resource_type == "image" else r.abort(),
        )
        p.set_content(f"<!doctype html><html><head><style>{GITHUB_CSS}</style></head><body>{body}</body></html>")
        first_table = p.evaluate(
            "() => { const t = [...document.querySelectorAll('table')].find(t => /Title/.test(t.tHead ? t.tHead.textContent : ''));"
            " return t ? t.getBoundingClientRect().top + scrollY : null; }"
        )
        assert first_table is not None and first_table < 2 * h, f"first paper table at {first_table}px, two screens = {2 * h}px"
        # Neighbouring badges on one line have a gap (a wrapped badge starts a new line).
        gaps = p.evaluate(
            "() => { const imgs = [...document.querySelectorAll('p img')].slice(0, 4).map(i => i.getBoundingClientRect());"
            " return imgs.slice(1).map((r, i) => r.top === imgs[i].top ? r.left - imgs[i].right : null); }"
        )
        assert len(gaps) == 3 and all(g is None or g > 0 for g in gaps), f"badges touch: {gaps}"
        assert any(g is not None for g in gaps)
        assert readme.index("## Known problems") > readme.index("## Contributing") if "## Known problems" in readme else True
        shot(p, "readme", width)
    finally:
        context.close()


# -- accessibility at phone width too ---------------------------------------------------------------

SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_reader_pages_pass_wcag_21_aa_at_both_widths(browser, site: ServedSite, width: str, scheme: str) -> None:
    """axe-core (WCAG 2.0/2.1 A and AA rules) on the explorer with a filter panel open, a paper page with
    related papers, the map and the home page, as laid out at this width."""
    source = axe_source()
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
    context.set_default_timeout(10_000)
    problems: list[str] = []
    try:
        p = context.new_page()
        guard = guard_page(p)
        for label, path in (("explorer", "explorer/?when=after-training"), ("paper", "papers/sparsegpt/"), ("map", "map/"), ("home", "")):
            p.goto(site.url(path))
            p.wait_for_load_state("load")
            p.wait_for_selector(".md-progress[aria-label]", state="attached")  # assets/a11y.js has run
            p.wait_for_function(
                "s => document.body.dataset.mdColorScheme === s"
                " && document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')",
                arg=SCHEMES[scheme],
            )
            if label == "explorer":
                p.wait_for_selector(READY, state="attached")
                p.locator('details[data-facet-box="models"] > summary').click()
                p.wait_for_function("() => document.querySelector('details[data-facet-box=\"models\"]').open")
            problems += run_axe(p, source, f"{label} ({width})", scheme).describe()
        guard.assert_clean()
    finally:
        context.close()
    assert not problems, "\n".join(problems)
