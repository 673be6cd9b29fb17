"""The arXiv metadata client: one paced client, POSTed batches, and every way the API can fail."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.arxiv_api import ArxivError, ArxivMetadata, MetadataCache, parse_metadata_feed
from tests.support.arxiv import DSNOT, DSNOT_ABSTRACT, DSNOT_AUTHORS, DSNOT_TITLE, config_for
from tests.support.emulator import Reply


def test_a_record_carries_title_authors_abstract_and_dates(emu, clock) -> None:
    with ArxivMetadata(config_for(emu), clock) as api:
        record = api.fetch_one(f"{DSNOT}v1")
    assert record.id == DSNOT and record.version == 3
    assert record.title == DSNOT_TITLE
    assert record.authors == DSNOT_AUTHORS
    assert record.abstract == DSNOT_ABSTRACT
    assert record.published == dt.date(2023, 10, 13) and record.updated == dt.date(2024, 3, 1)
    (call,) = emu.requests("arxiv-api")
    assert call.method == "POST" and call.form["id_list"] == [DSNOT] and call.form["max_results"] == ["1"]


def test_batches_of_100_are_posted_3_seconds_apart(emu, clock) -> None:
    ids = [f"2301.{i:05d}" for i in range(1, 251)]
    for n, i in enumerate(ids):
        emu.add_paper(i, f"Paper {n}", authors=(f"Author {n}",))
    with ArxivMetadata(config_for(emu), clock) as api:
        result = api.fetch(ids)
    calls = emu.requests("arxiv-api")
    assert [int(c.form["max_results"][0]) for c in calls] == [100, 100, 50]
    assert all(c.method == "POST" for c in calls)
    assert all(b.at - a.at >= 3.0 for a, b in zip(calls, calls[1:], strict=False))
    assert len(result.found) == 250 and result.found["2301.00007"].authors == ("Author 6",)


def test_an_unknown_id_is_asked_twice_then_not_found(emu, clock) -> None:
    with ArxivMetadata(config_for(emu), clock) as api, pytest.raises(ArxivError) as info:
        api.fetch_one("2401.99999")
    assert info.value.failure.kind == "not-found"
    assert len(emu.requests("arxiv-api")) == 2


def test_a_malformed_id_is_refused_before_any_request(emu, clock) -> None:
    with ArxivMetadata(config_for(emu), clock) as api:
        result = api.fetch(["2301.1", DSNOT])
    assert result.failed["2301.1"].kind == "invalid" and DSNOT in result.found
    assert len(emu.requests("arxiv-api")) == 1


def test_an_id_the_api_rejects_is_isolated_by_splitting_the_batch(emu, clock) -> None:
    emu.add_paper("2301.00002", "Two")
    emu.rejected.add("2301.00003")
    with ArxivMetadata(config_for(emu), clock) as api:
        result = api.fetch([DSNOT, "2301.00002", "2301.00003"])
    assert result.failed["2301.00003"].kind == "invalid"
    assert set(result.found) == {DSNOT, "2301.00002"}


def test_api_down_is_unavailable_not_missing(emu, clock) -> None:
    config = config_for(emu)
    emu.stop()
    with ArxivMetadata(config, clock) as api, pytest.raises(ArxivError) as info:
        api.fetch_one(DSNOT)
    assert info.value.failure.kind == "unavailable" and "cannot be reached" in str(info.value)


def test_api_slow_times_out_as_unavailable(emu, clock) -> None:
    emu.script("arxiv-api", Reply(delay=1.0), Reply(delay=1.0))
    with ArxivMetadata(config_for(emu, timeout=0.3), clock) as api, pytest.raises(ArxivError) as info:
        api.fetch_one(DSNOT)
    assert info.value.failure.kind == "unavailable" and "in time" in str(info.value)


def test_a_truncated_answer_is_asked_again(emu, clock) -> None:
    emu.script("arxiv-api", Reply(truncate=120))
    with ArxivMetadata(config_for(emu), clock) as api:
        assert api.fetch_one(DSNOT).title == DSNOT_TITLE
    assert len(emu.requests("arxiv-api")) == 2


def test_the_endpoint_comes_from_the_link_checkers_environment_variable(emu, clock, monkeypatch) -> None:
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_API", emu.endpoints()["arxiv_api"])
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_DELAY", "0")
    with ArxivMetadata(clock=clock) as api:
        assert api.fetch_one(DSNOT).title == DSNOT_TITLE
        assert api.config.arxiv_delay == 0


def test_the_cache_keeps_records_and_forgets_old_ones(tmp_path, emu, clock) -> None:
    with ArxivMetadata(config_for(emu), clock) as api:
        record = api.fetch_one(DSNOT)
    cache = MetadataCache(tmp_path / "c.json", now=1000.0)
    cache.put(record)
    cache.save()
    assert MetadataCache(tmp_path / "c.json", now=2000.0).get(DSNOT) == record
    assert MetadataCache(tmp_path / "c.json", now=1000.0 + 31 * 86400).get(DSNOT) is None
    (tmp_path / "c.json").write_text("{not json", encoding="utf-8")
    assert MetadataCache(tmp_path / "c.json", now=2000.0).get(DSNOT) is None


def test_feed_parsing_skips_error_entries() -> None:
    text = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#x</id><title>Error</title></entry>'
        "<entry><id>http://arxiv.org/abs/2301.00001v2</id><title>T</title><published>2023-01-02T00:00:00Z</published></entry></feed>"
    )
    records, error = parse_metadata_feed(text)
    assert error and records["2301.00001"].published == dt.date(2023, 1, 2) and records["2301.00001"].authors == ()
