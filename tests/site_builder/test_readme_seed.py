"""Every paper of the original hand-edited list is shown in the sections where the list had it.

Reads the seed list from ../shared (the import's source); skipped where it is absent, e.g. on
a fresh clone. Rows of one paper written differently in the seed (a variant title, another
link) were merged into one entry, so a seed row counts as shown when a row of the same section
has its title or its link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.importers.markdown_tables import read_rows
from catalog.load import load_catalog
from catalog.normalize import normalize_title, normalize_url
from catalog.taxonomy import get_taxonomy
from site_builder.readme import render_readme
from tests.support.catalog_files import restaged

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "awesome-pruning" / "README.md"


@pytest.mark.seed
@pytest.mark.skipif(not SEED.exists(), reason="the seed list is not available here")
def test_every_seed_row_is_shown_in_its_section() -> None:
    tax = get_taxonomy()
    seed_rows, _ = read_rows(SEED.read_text(encoding="utf-8"), tax)
    catalog = load_catalog(ROOT / "papers")
    ours, problems = read_rows(render_readme(catalog), tax)
    assert not problems
    titles = {(normalize_title(r.title), r.section) for r in ours}
    links = {(normalize_url(r.url), r.section) for r in ours}
    shown = {link for link, _ in links}
    by_url = {normalize_url(p.url): p for p in catalog.papers}

    def shown_restaged(section: str, url: str) -> bool:
        """A curator settled the stage of the paper behind the row against the list; it is shown under its new stage."""
        paper = by_url.get(normalize_url(url))
        return paper is not None and restaged(paper, section, tax) and normalize_url(paper.url) in shown

    missing = [
        (r.line, r.section, r.title)
        for r in seed_rows
        if (normalize_title(r.title), r.section) not in titles and (normalize_url(r.url.strip()), r.section) not in links
        and not shown_restaged(r.section, r.url.strip())
    ]
    assert len(seed_rows) == 340
    assert not missing
