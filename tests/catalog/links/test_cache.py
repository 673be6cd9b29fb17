"""The cache: a warm run makes no request; transient results are never stored; lifetimes per class."""

from __future__ import annotations

import json

import pytest

from catalog.links.cache import DAY, LinkCache, parse_duration
from catalog.links.results import TargetResult
from tests.catalog.links.conftest import config_for, paper, run_check
from tests.support.emulator import Reply


def test_durations() -> None:
    assert parse_duration("90") == 90 and parse_duration("15m") == 900 and parse_duration("7d") == 7 * DAY
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_lifetimes_by_class(tmp_path) -> None:
    cache = LinkCache(tmp_path / "c.json", max_age=7 * DAY)
    now = 1_700_000_000.0
    for key, cls in (("a", "ok"), ("b", "not-found"), ("c", "timeout"), ("d", "rate-limited"), ("e", "error")):
        cache.store(TargetResult.of(cls, key), now)
    assert set(cache.entries) == {"a", "b"}
    assert cache.fresh("a", now + 6 * DAY) is not None and cache.fresh("a", now + 8 * DAY) is None
    assert cache.fresh("b", now + 0.5 * DAY) is not None and cache.fresh("b", now + 1.5 * DAY) is None
    assert cache.stale("a").cls == "ok"


def test_unreadable_cache_is_ignored_with_a_note(tmp_path) -> None:
    path = tmp_path / "c.json"
    path.write_text("{not json", encoding="utf-8")
    cache = LinkCache(path)
    assert cache.entries == {} and "unreadable" in cache.problems[0]


def test_second_run_makes_no_request(tmp_path, emu, clock) -> None:
    emu.add_repo("owner/repo")
    emu.add_repo("owner/other", archived=True)
    emu.add_paper("2301.00001", "A paper about pruning")
    emu.pages["/page"] = Reply(200)
    emu.pages["/flaky"] = Reply(200)
    folder = tmp_path / "papers"
    paper(folder, "a", url="https://arxiv.org/abs/2301.00001", title="A paper about pruning", code=["https://github.com/owner/repo"])
    paper(folder, "b", url=emu.site_url("page"), code=["https://github.com/owner/other", "https://github.com/owner/gone"])
    paper(folder, "c", url=emu.site_url("flaky"))
    emu.script("site", Reply(delay=0.5))  # the first page request times out
    path = tmp_path / "cache.json"
    cache = LinkCache(path)
    first = run_check(folder, config_for(emu, timeout=0.2, max_attempts=1), clock, cache)
    cache.save()
    timed_out = {r.key for r in first.report.links if r.cls == "timeout"}
    assert timed_out
    stored = json.loads(path.read_text())["entries"]
    assert not timed_out & set(stored)
    assert stored["github:owner/other"]["class"] == "archived" and stored["github:owner/gone"]["class"] == "not-found"
    # the timed-out link is asked again; everything else comes from the cache
    before = len(emu.requests())
    clock.sleep(3600)
    cache2 = LinkCache(path)
    second = run_check(folder, config_for(emu), clock, cache2)
    cache2.save()
    assert len(emu.requests()) - before == len(timed_out)
    assert second.report.requests["github"] == 0 and second.report.requests["arxiv"] == 0
    # now everything is cached: a warm run makes no request at all
    before = len(emu.requests())
    third = run_check(folder, config_for(emu), clock, LinkCache(path))
    assert len(emu.requests()) == before
    assert sum(third.report.requests.values()) == 0 and third.report.cached == third.report.targets
    assert [r.cls for r in third.report.links] == [r.cls for r in second.report.links]


def test_a_cache_written_before_the_verdict_enum_still_reads_and_unknown_classes_are_dropped(tmp_path) -> None:
    path = tmp_path / "c.json"
    entries = {
        "github:o/r": {"class": "archived", "checked_at": "2023-11-14T22:13:20Z"},
        "url:x": {"class": "no-such-class", "checked_at": "2023-11-14T22:13:20Z"},
    }
    path.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    cache = LinkCache(path)
    assert set(cache.entries) == {"github:o/r"}
    found = cache.fresh("github:o/r", 1_700_000_000.0 + 60)
    assert found is not None and found.cls == "archived" and found.cached
