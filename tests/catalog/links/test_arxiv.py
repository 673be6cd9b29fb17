"""arXiv: POSTed batches of 100, 3 s apart on one connection, and every quirk of the export API."""

from __future__ import annotations

from catalog.links.cache import LinkCache
from tests.catalog.links.conftest import assert_loopback_only, assert_token_only_to_api, config_for, paper, run_check
from tests.support.emulator import Reply, _feed


def _ids(n: int, start: int = 1) -> list[str]:
    return [f"2301.{i:05d}" for i in range(start, start + n)]


def _catalog(tmp_path, emu, ids: list[str], versions: dict[str, int] | None = None, titles: dict[str, str] | None = None):
    folder = tmp_path / "papers"
    for n, ident in enumerate(ids):
        base = ident.split("v")[0]
        title = (titles or {}).get(base, f"Pruning study number {n} on sparse networks")
        paper(folder, f"p{n}", url=f"https://arxiv.org/abs/{ident}", title=title)
    return folder


def _publish(emu, ids: list[str], latest: int = 2) -> None:
    for n, ident in enumerate(ids):
        emu.add_paper(ident.split("v")[0], f"Pruning study number {n} on sparse networks", latest)


def test_batches_are_posted_with_max_results_and_spaced(tmp_path, emu, clock) -> None:
    ids = _ids(250)
    _publish(emu, ids)
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    calls = emu.requests("arxiv-api")
    assert len(calls) == 3
    assert all(c.method == "POST" and c.headers["content-type"] == "application/x-www-form-urlencoded" for c in calls)
    assert [int(c.form["max_results"][0]) for c in calls] == [100, 100, 50]
    assert all(c.form["start"] == ["0"] for c in calls)
    assert all(b.at - a.at >= 3.0 for a, b in zip(calls, calls[1:], strict=False))
    assert {r.cls for r in run.report.links} == {"ok"}
    assert run.report.requests["arxiv"] == 3
    assert_loopback_only(emu)
    assert_token_only_to_api(emu)


def test_spacing_is_configurable_for_tests(tmp_path, emu, clock) -> None:
    ids = _ids(30)
    _publish(emu, ids)
    run_check(_catalog(tmp_path, emu, ids), config_for(emu, arxiv_batch=10, arxiv_delay=0.5), clock)
    calls = emu.requests("arxiv-api")
    assert len(calls) == 3 and all(0.5 <= b.at - a.at < 3 for a, b in zip(calls, calls[1:], strict=False))


def test_versions_old_style_ids_and_version_not_found(tmp_path, emu, clock) -> None:
    ids = ["2301.00001v1", "2301.00002v2", "2301.00003v5", "cs/0112017", "hep-th/9901001v1"]
    for n, ident in enumerate(ids):
        emu.add_paper(
            ident.split("v")[0] if "/" not in ident else ident.removesuffix("v1"), f"Pruning study number {n} on sparse networks", 2
        )
    folder = tmp_path / "papers"
    for n, ident in enumerate(ids):
        paper(folder, f"p{n}", url=f"https://arxiv.org/abs/{ident}", title=f"Pruning study number {n} on sparse networks")
    run = run_check(folder, config_for(emu), clock)
    assert [run.cls(f"p{n}") for n in range(5)] == ["ok", "ok", "version-not-found", "ok", "ok"]
    vnf = run.link("p2")
    assert vnf.canonical_url == "https://arxiv.org/abs/2301.00003v2" and "latest is v2" in vnf.detail
    assert len(emu.requests("arxiv-api")) == 1
    assert run.report.exit_code() == 0  # a warning: the paper exists


def test_missing_id_is_retried_once_then_confirmed_by_the_abs_page(tmp_path, emu, clock) -> None:
    ids = _ids(5)
    _publish(emu, ids[:4])
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    calls = emu.requests("arxiv-api")
    assert len(calls) == 2 and calls[1].form["id_list"] == [ids[4]]
    abs_pages = emu.requests("arxiv-abs")
    assert [a.path for a in abs_pages] == [f"/arxiv-web/abs/{ids[4]}"]
    assert abs_pages[0].at - calls[1].at >= 3.0
    assert run.cls("p4") == "not-found" and run.cls("p0") == "ok"
    assert run.report.exit_code() == 1


def test_missing_from_the_api_but_the_abs_page_exists_is_not_broken(tmp_path, emu, clock) -> None:
    ids = _ids(2)
    _publish(emu, ids)
    only_first = _feed(
        [f"<entry><id>http://arxiv.org/abs/{ids[0]}v2</id><title>Pruning study number 0 on sparse networks</title></entry>"], 1
    )
    emu.script("arxiv-api", Reply(200, only_first), Reply(200, _empty_feed()))
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    assert len(emu.requests("arxiv-api")) == 2 and len(emu.requests("arxiv-abs")) == 1
    assert run.cls("p0") == "ok" and run.cls("p1") == "ok"


def _empty_feed() -> str:
    return '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>arXiv Query</title></feed>'


def test_an_empty_feed_is_asked_again(tmp_path, emu, clock) -> None:
    ids = _ids(3)
    _publish(emu, ids)
    emu.script("arxiv-api", Reply(200, _empty_feed(), {"content-type": "application/atom+xml"}))
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    assert len(emu.requests("arxiv-api")) == 2 and emu.requests("arxiv-abs") == []
    assert {r.cls for r in run.report.links} == {"ok"}


def test_truncated_xml_is_asked_again(tmp_path, emu, clock) -> None:
    ids = _ids(3)
    _publish(emu, ids)
    emu.script("arxiv-api", Reply(truncate=300))
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    assert len(emu.requests("arxiv-api")) == 2
    assert {r.cls for r in run.report.links} == {"ok"}


def test_truncated_twice_is_an_error_not_a_broken_link(tmp_path, emu, clock) -> None:
    ids = _ids(3)
    _publish(emu, ids)
    emu.script("arxiv-api", Reply(truncate=300), Reply(truncate=200))
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    assert {r.cls for r in run.report.links} == {"error"}
    assert run.report.exit_code() == 0


def test_a_400_is_split_to_isolate_the_rejected_id(tmp_path, emu, clock) -> None:
    ids = _ids(8)
    _publish(emu, ids)
    emu.rejected.add(ids[5])
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    assert [run.cls(f"p{n}") for n in range(8)] == ["ok"] * 5 + ["invalid"] + ["ok"] * 2
    assert len(emu.requests("arxiv-api")) == 7  # 8 -> 4+4 -> 2+2 -> 1+1
    assert run.report.exit_code() == 1


def test_rate_exceeded_then_503_with_retry_after(tmp_path, emu, clock) -> None:
    ids = _ids(3)
    _publish(emu, ids)
    emu.script("arxiv-api", Reply(429, "Rate exceeded.", {"content-type": "text/plain"}), Reply(503, "busy", {"retry-after": "8"}))
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    calls = emu.requests("arxiv-api")
    assert len(calls) == 3
    assert calls[1].at - calls[0].at >= 3.0 and calls[2].at - calls[1].at >= 8.0
    assert {r.cls for r in run.report.links} == {"ok"}


def test_503_past_max_wait_is_rate_limited(tmp_path, emu, clock) -> None:
    ids = _ids(2)
    _publish(emu, ids)
    emu.script("arxiv-api", Reply(503, "busy", {"retry-after": "600"}))
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu, max_wait=30), clock)
    assert {r.cls for r in run.report.links} == {"rate-limited"}
    assert len(emu.requests("arxiv-api")) == 1
    assert run.report.exit_code(strict=True) == 0


def test_persistent_rate_exceeded_is_rate_limited(tmp_path, emu, clock) -> None:
    ids = _ids(2)
    _publish(emu, ids)
    emu.script("arxiv-api", *[Reply(429, "Rate exceeded.", {"content-type": "text/plain"})] * 3)
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    assert {r.cls for r in run.report.links} == {"rate-limited"}
    calls = emu.requests("arxiv-api")
    assert len(calls) == 3 and calls[2].at - calls[1].at >= calls[1].at - calls[0].at  # backoff grows


def test_the_emulator_cuts_at_ten_without_max_results_and_414s_long_gets(emu) -> None:
    import requests

    for ident in _ids(30):
        emu.add_paper(ident, "t")
    short = requests.post(f"{emu.base}/arxiv-api/query", data={"id_list": ",".join(_ids(30))}, timeout=5)
    assert short.text.count("<entry>") == 10
    long = requests.get(f"{emu.base}/arxiv-api/query", params={"id_list": ",".join(_ids(300)), "max_results": 300}, timeout=5)
    assert long.status_code == 414


def test_title_mismatch_is_reported_and_small_differences_are_not(tmp_path, emu, clock) -> None:
    ids = _ids(3)
    emu.add_paper(ids[0], "Movement Pruning: Adaptive Sparsity by Fine-Tuning")
    emu.add_paper(ids[1], "Movement  pruning - adaptive sparsity by fine tuning (extended)")
    emu.add_paper(ids[2], "Attention Is All You Need")
    titles = {
        ids[0]: "Movement Pruning: Adaptive Sparsity by Fine-Tunning",
        ids[1]: "Movement Pruning: Adaptive Sparsity by Fine-Tuning",
        ids[2]: "Lottery Tickets for Sparse Vision Transformers",
    }
    run = run_check(_catalog(tmp_path, emu, ids, titles=titles), config_for(emu), clock)
    assert [run.cls(f"p{n}") for n in range(3)] == ["ok", "ok", "title-mismatch"]
    assert "Attention Is All You Need" in run.link("p2").detail
    assert run.report.exit_code() == 1


def test_timeouts_and_connection_resets(tmp_path, emu, clock) -> None:
    ids = _ids(2)
    _publish(emu, ids)
    emu.script("arxiv-api", Reply(reset=True))
    run = run_check(_catalog(tmp_path, emu, ids), config_for(emu), clock)
    assert {r.cls for r in run.report.links} == {"ok"}  # asked again after the reset
    assert len(emu.requests("arxiv-api")) == 2
    emu.script("arxiv-api", *[Reply(delay=0.4)] * 2)
    run = run_check(_catalog(tmp_path / "again", emu, ids), config_for(emu, timeout=0.2, max_attempts=2), clock)
    assert {r.cls for r in run.report.links} == {"timeout"}
    assert run.report.exit_code() == 0


def test_warm_cache_makes_no_request_and_transient_results_are_not_stored(tmp_path, emu, clock) -> None:
    ids = _ids(4)
    _publish(emu, ids[:2])
    emu.add_paper(ids[2], "Pruning study number 2 on sparse networks")
    folder = _catalog(tmp_path, emu, ids)
    emu.script("arxiv-api", Reply(), Reply())  # normal answers for the batch and the retry of the missing id
    cache = LinkCache(tmp_path / "cache.json")
    run_check(folder, config_for(emu), clock, cache)
    cache.save()
    before = len(emu.requests())
    warm = run_check(folder, config_for(emu), clock, LinkCache(tmp_path / "cache.json"))
    assert len(emu.requests()) == before and warm.report.requests["arxiv"] == 0
    assert warm.cls("p3") == "not-found" and warm.link("p3").cached
    # a rate-limited answer is not cached: the next run asks again
    emu.papers.clear()
    clock.sleep(10)
    emu.script("arxiv-api", Reply(503, "busy", {"retry-after": "900"}))
    cold = LinkCache(tmp_path / "cold.json")
    run_check(folder, config_for(emu), clock, cold)
    cold.save()
    assert not (tmp_path / "cold.json").exists() or not cold.entries


def test_html_links_need_an_html_version(tmp_path, emu, clock) -> None:
    ids = _ids(2)
    _publish(emu, ids)
    emu.html.add(ids[0])
    folder = tmp_path / "papers"
    for n, ident in enumerate(ids):
        paper(folder, f"p{n}", url=f"https://arxiv.org/html/{ident}", title=f"Pruning study number {n} on sparse networks")
    run = run_check(folder, config_for(emu), clock)
    assert len(emu.requests("arxiv-api")) == 1 and [r.method for r in emu.requests("arxiv-html")] == ["HEAD", "HEAD"]
    assert run.cls("p0") == "ok"
    missing = run.link("p1")
    assert missing.cls == "not-found" and missing.canonical_url == f"https://arxiv.org/abs/{ids[1]}"
    calls = emu.requests("arxiv-api") + emu.requests("arxiv-html")
    assert all(b.at - a.at >= 3.0 for a, b in zip(calls, calls[1:], strict=False))
