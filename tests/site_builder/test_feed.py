"""The Atom feed of recently added papers: valid Atom (RFC 4287), stable ids, newest first, linked from the home page."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from catalog.load import load_catalog
from site_builder.feed import FEED_FILE, paper_tag, render_feed
from site_builder.site import site_files
from tests.support.factory import write_paper

A = "{http://www.w3.org/2005/Atom}"
BASE = "https://example.org/awesome-pruning/"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def catalog_with_dates(tmp_path):
    folder = tmp_path / "papers"
    dates = {
        "old": dt.date(2024, 8, 1),
        "newest": dt.date(2025, 3, 2),
        "middle": dt.date(2024, 12, 24),
        "middle-too": dt.date(2024, 12, 24),
    }
    for i, (pid, added) in enumerate(dates.items()):
        write_paper(
            folder, id=pid, title=f"Paper {pid} & <friends>", url=f"https://example.org/{pid}", added=added,
            authors=["Ada Lovelace", "Alan Turing"] if i % 2 else [], abstract="An abstract." if i == 1 else None,
        )  # fmt: skip
    return load_catalog(folder)


def test_the_feed_is_valid_atom(tmp_path) -> None:
    root = ET.fromstring(render_feed(catalog_with_dates(tmp_path), BASE))
    assert root.tag == f"{A}feed"
    # RFC 4287 4.1.1: exactly one id, title, updated; an author unless every entry has one; a self link.
    for tag in ("id", "title", "updated"):
        assert len(root.findall(f"{A}{tag}")) == 1
    assert root.find(f"{A}author/{A}name") is not None
    assert any(link.get("rel") == "self" and link.get("href") == BASE + FEED_FILE for link in root.findall(f"{A}link"))
    assert RFC3339.match(root.findtext(f"{A}updated") or "")
    entries = root.findall(f"{A}entry")
    assert len(entries) == 4
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{tag}")) == 1  # 4.1.2
        assert RFC3339.match(entry.findtext(f"{A}updated") or "")
        assert any(link.get("rel") == "alternate" for link in entry.findall(f"{A}link"))
        assert entry.findtext(f"{A}summary")
    assert entries[0].findtext(f"{A}title") == "Paper newest & <friends>"  # escaped on the way out, intact on the way in


def test_entries_are_newest_first_with_stable_ids(tmp_path) -> None:
    catalog = catalog_with_dates(tmp_path)
    text = render_feed(catalog, BASE)
    assert render_feed(catalog, BASE) == text  # deterministic
    root = ET.fromstring(text)
    ids = [e.findtext(f"{A}id") for e in root.findall(f"{A}entry")]
    assert ids == [paper_tag("newest"), paper_tag("middle"), paper_tag("middle-too"), paper_tag("old")]
    assert len(set(ids)) == len(ids)
    assert root.findtext(f"{A}updated") == "2025-03-02T00:00:00Z"
    # The ids do not depend on where the site is published.
    moved = ET.fromstring(render_feed(catalog, "http://127.0.0.1:8000/"))
    assert [e.findtext(f"{A}id") for e in moved.findall(f"{A}entry")] == ids


def test_the_site_ships_the_feed_and_the_home_page_links_it(tmp_path) -> None:
    files = site_files(catalog_with_dates(tmp_path), site_url=BASE)
    assert ET.fromstring(files[FEED_FILE]).tag == f"{A}feed"
    home = files["index.md"]
    assert isinstance(home, str) and "(feed.xml)" in home
