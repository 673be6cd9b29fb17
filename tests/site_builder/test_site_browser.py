"""The website in a real browser: headless Debian Chromium driven by Playwright on 127.0.0.1.

One site is built per module (a rich fixture catalog, with ``site_url`` set to the test server's
origin so Material's instant navigation stays on); each test gets a fresh browser context whose
requests beyond loopback are aborted and recorded, and whose page errors fail the test.
Expected rows always come from the Python ``Catalog``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from catalog.catalog import Catalog
from site_builder.site.build import PROJECT_ROOT
from site_builder.site.pages import text_matches
from tests.support.browser import AxeResult, ServedSite, axe_source, chromium, guard_page, require_chromium, run_axe, served_site
from tests.support.site_catalog import write_site_catalog

pytestmark = pytest.mark.browser

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"
READY = "form.ap-filters:not([hidden])"
# An upper bound for one wait, not a pause: generous, because CI machines can be busy.
TIMEOUT_MS = 30_000
SCHEMES = {"light": "default", "dark": "slate"}  # Playwright's emulated preference -> Material's scheme


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    require_chromium()
    root = tmp_path_factory.mktemp("browser-site")
    with served_site(write_site_catalog(root / "papers"), root) as site:
        yield site


@pytest.fixture(scope="module")
def browser(site: ServedSite) -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    p = context.new_page()
    guard = guard_page(p)
    yield p
    context.close()
    guard.assert_clean()


# -- what Python predicts -----------------------------------------------------------------


def expected_ids(catalog: Catalog, filters: Mapping[str, Sequence[str] | str]) -> set[str]:
    """OR within a facet, AND across facets; parent values include their refinements."""
    facet_keys = {*catalog.taxonomy.axes, *catalog.taxonomy.facets}
    chosen = set()
    for paper in catalog.papers:
        ok = True
        for key, wanted in filters.items():
            if key in facet_keys:
                ok = ok and any(v in catalog.values_of(paper, key) for v in wanted)
            elif key == "venue":
                ok = ok and paper.venue in wanted
            elif key == "year":
                low, high = (int(y) for y in str(wanted).split("-"))
                ok = ok and low <= paper.year <= high
            elif key == "code":
                ok = ok and paper.has_code
            elif key == "text":
                ok = ok and text_matches(paper, str(wanted))
        if ok:
            chosen.add(paper.id)
    return chosen


def title_key(catalog: Catalog, pid: str) -> tuple[str, str]:
    return (catalog.get(pid).title.casefold(), pid)


# -- reading the page -----------------------------------------------------------------------


def open_explorer(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(READY, state="attached")


def visible_ids(page) -> list[str]:
    """Ids of the rows a reader can see (not hidden, not display:none), in screen order."""
    return page.eval_on_selector_all(
        "table[data-explorer-table] tbody tr",
        "rows => rows.filter(r => !r.hidden && getComputedStyle(r).display !== 'none').map(r => r.dataset.id)",
    )


def history_step(page, direction: str, expected_url: str) -> None:
    """Back or Forward, then wait until the address bar shows ``expected_url``.

    Playwright may return from a same-document go_back() before the traversal has happened,
    so wait for the real location rather than trusting the return.
    """
    (page.go_back if direction == "back" else page.go_forward)()
    page.wait_for_function("u => location.href === u", arg=expected_url)


def wait_for_scheme(page, scheme: str) -> None:
    """Wait until Material has applied ``scheme`` and every colour transition it started has ended.

    On a first visit Material picks the scheme from the media query after the first paint, and
    its header, links and buttons fade to the new colours: measuring contrast mid-fade would
    measure colours no reader sees for long.
    """
    page.wait_for_function(
        "s => document.body.dataset.mdColorScheme === s"
        " && document.getAnimations().every(a => !(a instanceof CSSTransition) || a.playState !== 'running')",
        arg=SCHEMES[scheme],
    )


def assert_url(page, expected: str) -> None:
    """The address bar shows ``expected``.

    ``page.url`` follows pushState/replaceState through an event that can arrive after the click
    that caused it has returned, so wait for the URL instead of reading it once.
    """
    from playwright.sync_api import expect

    expect(page).to_have_url(expected)


def count_text(page) -> str:
    return page.locator("#ap-count").inner_text()


def assert_shows(page, site: ServedSite, filters: Mapping[str, Sequence[str] | str]) -> set[str]:
    """The live count and the visible rows are exactly what the catalog predicts for ``filters``."""
    from playwright.sync_api import expect

    want = expected_ids(site.catalog, filters)
    total = len(site.catalog)
    # Back/Forward within the page return before `popstate` has run: wait until the explorer
    # shows the view the address bar names, then check the live count and the rows.
    page.wait_for_function(
        "() => { const r = document.querySelector('[data-explorer]'); return r && r.dataset.query === location.search; }"
    )
    expect(page.locator("#ap-count")).to_have_text(f"{total} papers" if len(want) == total else f"{len(want)} of {total} papers")
    shown = set(visible_ids(page))
    if shown != want:  # say what the page looked like, to tell a filter bug from a rendering race
        debug = page.evaluate(
            "() => { const rows = [...document.querySelectorAll('table[data-explorer-table] tbody tr')]; "
            "return {rows: rows.length, hidden: rows.filter(r => r.hidden).length, "
            "rendered: rows.filter(r => r.getClientRects().length > 0).length, roots: document.querySelectorAll('[data-explorer]').length, "
            "query: document.querySelector('[data-explorer]').dataset.query, url: location.href}; }"
        )
        raise AssertionError(f"{filters}: shown {sorted(shown)}, expected {sorted(want)}; page: {debug}")
    return want


def tick(page, key: str, value: str) -> None:
    """Open the facet's box if needed and tick a value, as a reader would (mouse)."""
    box = page.locator(f'details[data-facet-box="{key}"]')
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator(f'input[value="{value}"]').check()


def checked(page, key: str) -> list[str]:
    return page.eval_on_selector_all(f'fieldset[data-facet="{key}"] input:checked', "els => els.map(e => e.value)")


# -- tests ----------------------------------------------------------------------------------

COMBINATIONS = [
    {"when": ["after-training"]},
    {"when": ["post-training", "run-time"]},
    {"speedup": ["semi-structured"], "models": ["llm", "vit"]},
    {"when": ["during-training"], "structure": ["F", "C"]},
    {"criteria": ["magnitude"], "code": "1"},
    {"venue": ["ICLR", "NeurIPS"], "year": "2019-2021"},
    {"learn": ["sparsity-regularization"], "fusion": ["nas"]},
    {"applications": ["audio", "nlp"], "models": ["bert", "other"]},
    {"settings": ["federated"], "text": "prunefl"},
    {"when": ["before-training"], "criteria": ["loss-change"]},  # nothing matches
]


def test_facet_combinations_show_exactly_the_predicted_rows(page, site: ServedSite) -> None:
    nonempty = 0
    for filters in COMBINATIONS:
        url = site.explorer(filters)
        open_explorer(page, url)
        want = assert_shows(page, site, filters)
        nonempty += bool(want)
        assert page.locator("[data-empty]").is_visible() == (not want)
        for key in ("when", "structure", "models", "venue"):
            if key in filters:
                assert sorted(checked(page, key)) == sorted(filters[key])
    assert nonempty >= len(COMBINATIONS) - 1


def test_ticking_boxes_filters_and_writes_a_canonical_url(page, site: ServedSite) -> None:
    open_explorer(page, site.explorer())
    assert set(visible_ids(page)) == {p.id for p in site.catalog.papers}
    tick(page, "structure", "C")  # clicked in the "wrong" order: the URL still uses state_keys() order
    tick(page, "structure", "W")
    tick(page, "when", "after-training")
    filters = {"when": ["after-training"], "structure": ["C", "W"]}
    assert_shows(page, site, filters)
    assert_url(page, site.explorer(filters))
    page.locator("#ap-code").check()
    page.select_option("#ap-year-from", "2019")
    page.select_option("#ap-year-to", "2023")
    filters = {**filters, "code": "1", "year": "2019-2023"}
    assert_shows(page, site, filters)
    assert_url(page, site.explorer(filters))
    assert "q=" not in page.url and "h=" not in page.url
    live = page.locator("#ap-count")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"
    page.locator(".ap-filter-row [data-action=clear]").click()
    assert_url(page, site.explorer())
    assert_shows(page, site, {})
    assert checked(page, "structure") == [] and not page.locator("#ap-code").is_checked()


def test_text_filter_one_history_entry_per_typing(page, site: ServedSite) -> None:
    open_explorer(page, site.explorer({"when": ["after-training"]}))
    before = page.evaluate("history.length")
    page.locator("#ap-text").click()
    page.keyboard.type("language model")
    filters = {"when": ["after-training"], "text": "language model"}
    want = assert_shows(page, site, filters)
    assert {"sparsegpt", "wanda", "llm-pruner"} <= want
    assert_url(page, site.explorer(filters))
    assert page.evaluate("history.length") == before + 1  # replaceState while typing
    page.locator("#ap-text").fill("zzz-no-such-paper")
    assert visible_ids(page) == [] and page.locator("[data-empty]").is_visible()
    history_step(page, "back", site.explorer({"when": ["after-training"]}))
    assert_shows(page, site, {"when": ["after-training"]})
    assert page.locator("#ap-text").input_value() == ""


def test_sorting_by_title_venue_and_year(page, site: ServedSite) -> None:
    catalog = site.catalog
    open_explorer(page, site.explorer({"models": ["cnn"]}))
    ids = visible_ids(page)
    assert ids == sorted(ids, key=lambda i: (-catalog.get(i).year, *title_key(catalog, i)))
    assert page.locator('th[data-sort-col="year"]').get_attribute("aria-sort") == "descending"
    page.locator("button[data-sort=title]").click()
    ids = visible_ids(page)
    assert ids == sorted(ids, key=lambda i: title_key(catalog, i))
    assert page.locator('th[data-sort-col="title"]').get_attribute("aria-sort") == "ascending"
    assert page.locator('th[data-sort-col="year"]').get_attribute("aria-sort") is None
    assert_url(page, site.explorer({"models": ["cnn"], "sort": "title"}))
    page.locator("button[data-sort=title]").click()
    assert visible_ids(page) == list(reversed(ids))
    assert page.locator('th[data-sort-col="title"]').get_attribute("aria-sort") == "descending"
    page.locator("button[data-sort=venue]").click()
    ids = visible_ids(page)
    assert ids == sorted(ids, key=lambda i: (catalog.get(i).venue.casefold(), -catalog.get(i).year, *title_key(catalog, i)))
    page.locator("button[data-sort=year]").click()  # back to the default, newest first
    assert_url(page, site.explorer({"models": ["cnn"]}))
    page.locator("button[data-sort=year]").click()
    ids = visible_ids(page)
    assert ids == sorted(ids, key=lambda i: (catalog.get(i).year, *title_key(catalog, i)))
    assert_url(page, site.explorer({"models": ["cnn"], "sort": "year"}))
    # Filtering keeps the chosen order.
    tick(page, "when", "after-training")
    ids = visible_ids(page)
    assert ids == sorted(ids, key=lambda i: (catalog.get(i).year, *title_key(catalog, i)))


def test_deep_link_restores_every_control(page, site: ServedSite) -> None:
    filters = {
        "speedup": ["unstructured"],
        "when": ["after-training"],
        "venue": ["ICLR", "NeurIPS"],
        "year": "2016-2023",
        "code": "1",
        "text": "pruning",
        "sort": "venue",
    }
    open_explorer(page, site.explorer(filters))
    want = assert_shows(page, site, {k: v for k, v in filters.items() if k != "sort"})
    assert want
    assert checked(page, "speedup") == ["unstructured"] and checked(page, "venue") == ["ICLR", "NeurIPS"]
    # Panels stay closed (one opens at a time, on request); the pill says what is chosen.
    assert page.locator('[data-selected-for="venue"]').inner_text() == "2 selected"
    assert "ap-active" in (page.locator('details[data-facet-box="venue"]').get_attribute("class") or "")
    assert page.locator("#ap-text").input_value() == "pruning"
    assert page.locator("#ap-code").is_checked()
    assert page.locator("#ap-year-from").input_value() == "2016" and page.locator("#ap-year-to").input_value() == "2023"
    assert page.locator('th[data-sort-col="venue"]').get_attribute("aria-sort") == "ascending"
    # A hand-written URL (unknown key, values out of order) is shown and rewritten canonically.
    open_explorer(page, site.url("explorer/?structure=C,F,nonsense&bogus=1&when=during-training"))
    assert_shows(page, site, {"when": ["during-training"], "structure": ["C", "F"]})
    assert_url(page, site.explorer({"when": ["during-training"], "structure": ["F", "C"]}))  # taxonomy order


def test_back_and_forward_restore_earlier_states(page, site: ServedSite) -> None:
    open_explorer(page, site.explorer())
    tick(page, "when", "after-training")
    first = {"when": ["after-training"]}
    tick(page, "structure", "W")
    second = {**first, "structure": ["W"]}
    page.locator("button[data-sort=title]").click()
    third_url = site.explorer({**second, "sort": "title"})
    assert_url(page, third_url)
    history_step(page, "back", site.explorer(second))
    assert_shows(page, site, second)
    assert page.locator('th[data-sort-col="year"]').get_attribute("aria-sort") == "descending"
    history_step(page, "back", site.explorer(first))
    assert_shows(page, site, first)
    assert checked(page, "structure") == []
    history_step(page, "back", site.explorer())
    assert_shows(page, site, {})
    history_step(page, "forward", site.explorer(first))
    history_step(page, "forward", site.explorer(second))
    assert_shows(page, site, second)
    assert checked(page, "structure") == ["W"]


def test_filters_work_after_instant_navigation(page, site: ServedSite) -> None:
    from playwright.sync_api import expect

    # Material intercepts links only once it has fetched and read sitemap.xml: wait for its
    # answer, then for the network to go quiet (a real reader is slower than that).
    with page.expect_response(lambda r: r.url == site.url("sitemap.xml")):
        page.goto(site.url(""))
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__noReload = true")  # survives only if Material swaps pages in place
    page.get_by_role("link", name="Open the explorer").click()
    page.wait_for_url(site.explorer())
    page.wait_for_selector(READY, state="attached")
    assert page.evaluate("window.__noReload") is True
    tick(page, "models", "llm")
    assert_shows(page, site, {"models": ["llm"]})
    # Open a paper (instant navigation), then Back restores the filtered explorer.
    page.locator("tr[data-id=sparsegpt] a").first.click()
    page.wait_for_url(site.url("papers/sparsegpt/"))
    expect(page.locator("article h1")).to_contain_text("SparseGPT")  # swapped in, not reloaded
    assert page.evaluate("window.__noReload") is True
    history_step(page, "back", site.explorer({"models": ["llm"]}))
    page.wait_for_selector(READY, state="attached")
    assert_shows(page, site, {"models": ["llm"]})
    assert checked(page, "models") == ["llm"]
    # A pre-filtered link from an axis page keeps its query string across instant navigation.
    page.locator('.md-sidebar--primary a[href$="axes/when/"]').first.click()
    page.wait_for_url(site.url("axes/when/"))
    expect(page.locator("article h1")).to_contain_text("When to Prune")
    page.locator('a[href$="explorer/?when=post-training"]').first.click()
    page.wait_for_url(site.explorer({"when": ["post-training"]}))
    page.wait_for_selector(READY, state="attached")
    assert_shows(page, site, {"when": ["post-training"]})
    assert page.evaluate("window.__noReload") is True
    page.locator("button[data-sort=title]").click()
    assert_url(page, site.explorer({"when": ["post-training"], "sort": "title"}))


def test_table_is_complete_with_javascript_disabled(browser, site: ServedSite) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        p = context.new_page()
        guard = guard_page(p)
        p.goto(site.explorer({"when": ["run-time"]}))
        assert set(visible_ids(p)) == {paper.id for paper in site.catalog.papers}
        assert not p.locator("form.ap-filters").is_visible()
        assert p.locator("table[data-explorer-table] a").first.is_visible()
        guard.assert_clean()
    finally:
        context.close()


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches ``selector`` (real key presses, no focus())."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _rgb(css: str) -> tuple[float, float, float]:
    parts = css[css.index("(") + 1 : css.index(")")].replace("/", " ").replace(",", " ").split()
    return float(parts[0]), float(parts[1]), float(parts[2])


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (alpha ignored: rings and page backgrounds are opaque)."""

    def luminance(css: str) -> float:
        channels = [c / 255 for c in _rgb(css)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


FOCUS_RING_JS = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  return {what: el.id || el.dataset.sort || el.dataset.action || (el.name ? el.name + '=' + el.value : el.tagName.toLowerCase()),
          tag: el.tagName.toLowerCase(), focusVisible: el.matches(':focus-visible'), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth), color: s.outlineColor, page: getComputedStyle(document.body).backgroundColor};
}"""


def assert_focus_ring(page) -> str:
    """The focused element shows a focus ring: a solid outline >= 2px, >= 3:1 against the page; returns what is focused."""
    ring = page.evaluate(FOCUS_RING_JS)
    assert ring["focusVisible"], f"{ring['what']}: focus is not :focus-visible after a key press"
    assert ring["style"] != "none" and ring["width"] >= 2, f"{ring['what']}: no visible focus ring ({ring})"
    ratio = contrast(ring["color"], ring["page"])
    assert ratio >= 3, f"{ring['what']}: focus ring {ring['color']} has {ratio:.2f}:1 against the page {ring['page']}"
    return str(ring["what"])


# Every control a reader can use: shown now, or inside a filter box that is closed (Tab reaches
# those after Enter opens the box); not disabled, not inside something hidden.
EXPLORER_CONTROLS_JS = """() => [...document.querySelectorAll(
  '[data-explorer] form input, [data-explorer] form select, [data-explorer] form button, '
  + '[data-explorer] summary, [data-explorer] thead button')]
  .filter(el => !el.disabled && !el.closest('[hidden]') && (el.getClientRects().length > 0 || el.closest('details:not([open])')))
  .map(el => el.id || el.dataset.sort || el.dataset.action || (el.name ? el.name + '=' + el.value : el.tagName.toLowerCase()))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_explorer_control_is_reached_by_tab_with_a_visible_focus_ring(browser, site: ServedSite, scheme: str) -> None:
    """Tab from the top of the page: every control of the explorer gets focus, in order, with a ring.

    Closed filter boxes are opened with Enter on their summary, as a keyboard reader would, so
    their checkboxes join the tab order.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        guard = guard_page(page)
        open_explorer(page, site.explorer())
        wait_for_scheme(page, scheme)
        reached: list[str] = []
        for _ in range(400):
            page.keyboard.press("Tab")
            where = page.evaluate(
                "() => { const el = document.activeElement; return el.closest('tbody') ? 'rows'"
                " : el.closest('[data-explorer]') ? (el.matches('summary') && !el.parentElement.open ? 'closed' : 'control') : 'outside'; }"
            )
            if where == "rows":
                break  # past the header's sort buttons: the paper links follow
            if where == "outside":
                continue  # Material's header, search and navigation come first
            if where == "closed":
                page.keyboard.press("Enter")
                assert page.evaluate("document.activeElement.parentElement.open"), "Enter did not open a filter box"
            reached.append(assert_focus_ring(page))
        else:
            raise AssertionError(f"Tab never reached the table's rows; reached {reached}")
        controls = page.evaluate(EXPLORER_CONTROLS_JS)
        assert reached == controls, f"tab order {reached} != the explorer's controls {controls}"
        guard.assert_clean()
    finally:
        context.close()


def test_keyboard_only(page, site: ServedSite) -> None:
    """Every kind of explorer control is usable with the keys a keyboard reader presses."""
    open_explorer(page, site.explorer())
    tab_to(page, "#ap-text")
    page.keyboard.type("pruning")
    tab_to(page, "#ap-year-from")
    page.keyboard.press("ArrowDown")  # a closed <select> steps to the next year
    tab_to(page, "#ap-year-to")
    page.keyboard.press("ArrowUp")
    years = page.evaluate("[document.querySelector('#ap-year-from').value, document.querySelector('#ap-year-to').value]")
    first, last = page.evaluate(
        "() => { const o = [...document.querySelector('#ap-year-from').options]; return [o[0].value, o.at(-1).value]; }"
    )
    assert years == [str(int(first) + 1), str(int(last) - 1)]
    tab_to(page, "#ap-code")
    page.keyboard.press("Space")
    filters: dict[str, Sequence[str] | str] = {"text": "pruning", "year": f"{years[0]}-{years[1]}", "code": "1"}
    assert_shows(page, site, filters)
    page.keyboard.press("Space")  # and off again
    del filters["code"]
    tab_to(page, 'details[data-facet-box="when"] summary')
    page.keyboard.press("Enter")  # filter boxes start closed
    tab_to(page, 'input[name=when][value="after-training"]')
    page.keyboard.press("Space")
    tab_to(page, 'details[data-facet-box="models"] summary')
    page.keyboard.press("Enter")
    tab_to(page, 'input[name=models][value="llm"]')
    page.keyboard.press("Space")
    filters = {**filters, "when": ["after-training"], "models": ["llm"]}
    want = assert_shows(page, site, filters)
    assert want
    tab_to(page, "button[data-sort=title]")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.dataset.sort") == "title"  # focus kept on the control
    assert page.locator('th[data-sort-col="title"]').get_attribute("aria-sort") == "ascending"
    assert visible_ids(page) == sorted(want, key=lambda i: title_key(site.catalog, i))
    assert_url(page, site.explorer({**filters, "sort": "title"}))
    page.keyboard.press("Space")  # buttons answer Space too
    assert page.locator('th[data-sort-col="title"]').get_attribute("aria-sort") == "descending"
    page.keyboard.press("Shift+Tab")
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    tab_to(page, ".ap-filter-row [data-action=clear]")
    page.keyboard.press("Enter")
    assert_shows(page, site, {})
    assert page.evaluate("document.activeElement.id") == "ap-text"  # clearing hands focus back to the search box
    tab_to(page, 'details[data-facet-box="models"] summary')
    page.keyboard.press("Enter")  # a filter box closes with the key that opened it
    assert page.locator('details[data-facet-box="models"]').get_attribute("open") is None


def test_every_kind_of_page_loads_offline_without_errors(page, site: ServedSite) -> None:
    for path in (
        "",
        "explorer/",
        "axes/",
        "axes/when/",
        "facets/",
        "facets/structure/",
        "facets/venues/",
        "facets/years/",
        "downloads/",
        "papers/dynamic-channel-gating/",
        "404.html",
    ):
        response = page.goto(site.url(path))
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
    # The review note is visible on the paper page.
    page.goto(site.url("papers/dynamic-channel-gating/"))
    assert page.locator(".admonition.warning").is_visible()
    assert "The venue is unclear" in page.locator(".admonition.warning").inner_text()
    # Guard (fixture teardown) asserts: no request left 127.0.0.1, no page errors.


def test_screenshots(browser, site: ServedSite) -> None:
    """Home, filtered explorer and one axis page, light and dark, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for scheme, suffix in (("light", ""), ("dark", "-dark")):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        try:
            p = context.new_page()
            guard = guard_page(p)
            p.goto(site.url(""))
            wait_for_scheme(p, scheme)
            p.screenshot(path=str(SCREENSHOTS / f"home{suffix}.png"), full_page=True)
            open_explorer(p, site.explorer({"when": ["after-training"], "models": ["llm", "cnn"], "code": "1"}))
            p.screenshot(path=str(SCREENSHOTS / f"explorer-filtered{suffix}.png"), full_page=True)
            p.goto(site.url("axes/when/"))
            p.screenshot(path=str(SCREENSHOTS / f"axis-when{suffix}.png"))
            guard.assert_clean()
        finally:
            context.close()
    for name in ("home.png", "explorer-filtered.png", "axis-when.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000


# -- long tables: rows join the table a window at a time ----------------------------------------

WINDOW = 50  # explorer.js WINDOW


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    require_chromium()
    from catalog.load import load_catalog
    from tests.support.factory import write_synthetic_catalog

    root = tmp_path_factory.mktemp("browser-big-site")
    write_synthetic_catalog(root / "papers", 260, seed=3)
    with served_site(load_catalog(root / "papers"), root) as site:
        yield site


def newest_first(catalog: Catalog, ids) -> list[str]:
    return sorted(ids, key=lambda i: (-catalog.get(i).year, *title_key(catalog, i)))


ROWS = "table[data-explorer-table] tbody tr"


def request_more_by_keyboard(page) -> None:
    """Tab from the table's last row to "show more" and press Enter, as a keyboard reader does.

    The last link gets focus without scrolling (the one programmatic step), so nothing has come
    near the end of the table before the Tab: the page, not the test, decides what loads.
    """
    page.locator(f"{ROWS}:last-child a").last.evaluate("a => a.focus({preventScroll: true})")
    page.keyboard.press("Tab")
    assert assert_focus_ring(page) == "more"
    page.keyboard.press("Enter")


def focused_row(page) -> str | None:
    return page.evaluate("(document.activeElement.closest('tr') || {dataset: {}}).dataset.id || null")


def test_long_tables_grow_on_scroll_and_on_request(page, big_site: ServedSite) -> None:
    """A window of rows at a time: on request (the button, by keyboard) and when the table's end scrolls near.

    Bringing the button into view brings the table's end near too; the page holds scroll loading
    while the button has focus, so the request adds exactly one window and focus moves to its
    first row instead of staying on a button that runs away (and hides once all rows are in).
    Every wait is on the page's own state: the row count, the focused row, the button's hidden flag.
    """
    from playwright.sync_api import expect

    catalog = big_site.catalog
    everything = newest_first(catalog, (p.id for p in catalog.papers))
    open_explorer(page, big_site.explorer())
    assert count_text(page) == f"{len(catalog)} papers"
    assert visible_ids(page) == everything[:WINDOW]
    more = page.locator("[data-more]")
    expect(more).to_be_visible()
    expect(more).to_contain_text(f"{WINDOW} of {len(catalog)} shown")
    request_more_by_keyboard(page)
    assert visible_ids(page) == everything[: 2 * WINDOW]
    assert focused_row(page) == everything[WINDOW]
    expect(more).to_contain_text(f"{2 * WINDOW} of {len(catalog)} shown")
    shown = 2 * WINDOW
    while shown < len(catalog):  # each time the table's end scrolls near, the next window joins
        page.locator("[data-sentinel]").scroll_into_view_if_needed()
        page.wait_for_function(f"n => document.querySelectorAll('{ROWS}').length > n", arg=shown)
        grown = visible_ids(page)
        assert shown < len(grown) <= shown + WINDOW and grown == everything[: len(grown)]
        shown = len(grown)
    assert visible_ids(page) == everything
    expect(more).to_be_hidden()
    # A filter starts again from the top, with the first window of its matches.
    # (a value with more than one window of papers and at most two, whatever the window size)
    value = next(v for v in catalog.taxonomy.axes["when"].values if WINDOW < len(expected_ids(catalog, {"when": [v]})) <= 2 * WINDOW)
    tick(page, "when", value)
    want = newest_first(catalog, expected_ids(catalog, {"when": [value]}))
    assert WINDOW < len(want) <= 2 * WINDOW
    assert count_text(page) == f"{len(want)} of {len(catalog)} papers"
    assert visible_ids(page) == want[:WINDOW]
    # The last window on request: the button hides, and focus is on the first new row, not lost.
    request_more_by_keyboard(page)
    assert visible_ids(page) == want
    expect(more).to_be_hidden()
    assert focused_row(page) == want[WINDOW]
    # "Back to the explorer" from a paper page points at its row, even far down the list.
    far = everything[-1]
    open_explorer(page, big_site.explorer() + f"#p-{far}")
    expect(page.locator(f"tr[data-id={far}]")).to_be_visible()
    page.wait_for_function(  # the explorer and the browser's own fragment scrolling both settle on it
        "id => { const r = document.getElementById(id).getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
        arg=f"p-{far}",
    )


# -- WCAG 2.1 AA, measured by axe-core ----------------------------------------------------------


def a11y_pages(site: ServedSite) -> list[tuple[str, str]]:
    """(label, url) of every kind of page: home, explorer (plain and filtered), every axis and facet page, a paper, downloads, 404."""
    root = site.server.directory
    pages = [("home", site.url("")), ("explorer", site.explorer())]
    pages.append(("explorer?filtered", site.explorer({"when": ["after-training"], "models": ["llm", "cnn"], "code": "1"})))
    for section in ("axes", "facets"):
        pages.append((f"{section}/", site.url(f"{section}/")))
        for index in sorted((root / section).glob("*/index.html")):
            pages.append((f"{section}/{index.parent.name}/", site.url(f"{section}/{index.parent.name}/")))
    paper = sorted(site.catalog.papers, key=lambda p: p.id)[0].id
    pages += [(f"papers/{paper}/", site.url(f"papers/{paper}/")), ("downloads/", site.url("downloads/")), ("404", site.url("404.html"))]
    pages.append(("map/", site.url("map/")))
    return pages


def open_for_audit(page, url: str, scheme: str) -> None:
    """Load ``url`` and wait until the page is in the state a reader sees: scheme applied, our hooks run."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_selector(".md-progress[aria-label]", state="attached")  # assets/a11y.js has run
    if "/explorer/" in url:
        page.wait_for_selector(READY, state="attached")
    wait_for_scheme(page, scheme)


def test_wcag_21_aa_on_every_kind_of_page_in_both_schemes(browser, site: ServedSite) -> None:
    """axe-core finds no violation of the WCAG 2.0/2.1 A and AA rules on any kind of page, light or dark."""
    import json

    source = axe_source()
    results: list[AxeResult] = []
    for scheme in SCHEMES:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        context.set_default_timeout(TIMEOUT_MS)
        try:
            p = context.new_page()
            guard = guard_page(p)
            for label, url in a11y_pages(site):
                open_for_audit(p, url, scheme)
                results.append(run_axe(p, source, label, scheme))
            guard.assert_clean()
        finally:
            context.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = {"axe": results[0].version, "tags": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"], "pages": [r.summary() for r in results]}
    (ARTIFACTS / "axe-results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    table = "\n".join(
        f"{r.page:<24} {r.scheme:<5} violations={len(r.violations)} passes={r.passes} incomplete={list(r.incomplete)}" for r in results
    )
    print(f"axe-core {results[0].version}, WCAG 2.1 A+AA rules, {len(results)} page/scheme pairs\n{table}")
    problems = [line for r in results for line in r.describe()]
    assert not problems, f"{len(problems)} axe-core violation(s):\n" + "\n".join(problems)
