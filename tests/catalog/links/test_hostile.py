"""Hostile servers: each misbehaviour ends as a classified result in bounded time and memory.

Never a crash, never a false ``not-found`` (only a server's own "gone" may say that), and never
more requests than the politeness rules allow (``max_attempts`` per request, hosts paced).
Pacing runs on the fake clock; the trickling server runs on real time, because the deadline it
tests is a real one.
"""

from __future__ import annotations

import json
import time
import tracemalloc

from tests.catalog.links.conftest import config_for, paper, run_check
from tests.support.emulator import Reply

PAGE = "<html><head><title>A paper</title></head><body>text</body></html>"


def test_a_connection_dropped_in_the_middle_of_the_body_is_an_error(tmp_path, emu, clock) -> None:
    emu.add_paper("2301.00001", "Sparse pruning of networks")
    emu.script("arxiv-api", *[Reply(drop_after=120) for _ in range(3)])  # the feed is announced whole, cut after 120 bytes
    paper(tmp_path / "papers", "cut", url="https://arxiv.org/abs/2301.00001", title="Sparse pruning of networks")
    run = run_check(tmp_path / "papers", config_for(emu, max_attempts=3), clock)
    link = run.link("cut")
    assert link.cls == "error" and link.attempts == 3
    assert len(emu.requests("arxiv-api")) == 3  # max_attempts, and no further split or retry
    assert emu.requests("arxiv-abs") == []  # an error is not a miss: no confirmation page asked


def test_a_server_trickling_bytes_slower_than_the_timeout_hits_the_total_deadline(tmp_path, emu, clock) -> None:
    emu.pages["/trickle"] = Reply(200, PAGE * 40, trickle=0.05)  # ~2.7 KB at 20 bytes a second: two minutes
    emu.script("site", Reply(405))  # HEAD refused, so the checker GETs and reads the body
    paper(tmp_path / "papers", "slow", url=emu.site_url("trickle"))
    started = time.monotonic()
    run = run_check(tmp_path / "papers", config_for(emu, timeout=1.0, max_attempts=2), clock)
    elapsed = time.monotonic() - started
    link = run.link("slow")
    assert link.cls == "timeout" and "no complete answer within 1 s" in link.detail
    assert [r.method for r in emu.requests("site")] == ["HEAD", "GET", "GET"]
    assert elapsed < 2 * 1.0 + 2.0  # two attempts of one second each, whatever the per-read timeout


def test_a_server_trickling_its_headers_is_cut_off_at_the_deadline(tmp_path, emu, clock) -> None:
    emu.pages["/slowhead"] = Reply(200, PAGE, trickle_headers=0.05)  # 4 KB of headers at 20 bytes a second
    paper(tmp_path / "papers", "slowhead", url=emu.site_url("slowhead"))
    started = time.monotonic()
    run = run_check(tmp_path / "papers", config_for(emu, timeout=1.0, max_attempts=2), clock)
    elapsed = time.monotonic() - started
    link = run.link("slowhead")
    assert link.cls == "timeout" and link.attempts == 2
    assert [r.method for r in emu.requests("site")] == ["HEAD", "HEAD"]  # a slow host gets no GET on top
    assert elapsed < 2 * (1.0 + 0.5) + 2.0  # each attempt ends at its deadline (plus the watchdog's slack)


def test_redirect_loops_and_endless_chains_end_as_errors(tmp_path, emu, clock) -> None:
    emu.pages.update({"/a": Reply(302, "", {"location": "/site/b"}), "/b": Reply(302, "", {"location": "/site/a"})})
    emu.pages.update({f"/hop{i}": Reply(301, "", {"location": f"/site/hop{i + 1}"}) for i in range(30)})
    folder = tmp_path / "papers"
    paper(folder, "loop", url=emu.site_url("a"))
    paper(folder, "chain", url=emu.site_url("hop0"))
    run = run_check(folder, config_for(emu), clock)
    assert run.cls("loop") == "error" and "redirect loop" in run.link("loop").detail
    assert run.cls("chain") == "error" and "more than 10 redirects" in run.link("chain").detail
    site = emu.requests("site")
    assert sorted(r.path for r in site if "/hop" not in r.path) == ["/site/a", "/site/b"]  # the loop is seen, not walked ten times
    assert len([r for r in site if "/hop" in r.path]) == 11  # the first request and ten redirects
    assert all(b.at - a.at >= 1.0 for a, b in zip(site, site[1:], strict=False))  # one host: paced all along


def test_an_arxiv_api_answer_that_is_not_xml_is_an_error_not_a_miss(tmp_path, emu, clock) -> None:
    emu.add_paper("2301.00001", "Sparse pruning of networks")
    emu.script(
        "arxiv-api",
        Reply(200, '{"error": "overloaded"}', {"content-type": "application/json"}),
        Reply(200, "<html><body>Service Unavailable</body></html>"),
    )
    paper(tmp_path / "papers", "notxml", url="https://arxiv.org/abs/2301.00001", title="Sparse pruning of networks")
    run = run_check(tmp_path / "papers", config_for(emu), clock)
    link = run.link("notxml")
    assert link.cls == "error" and "not a complete Atom feed" in link.detail
    assert len(emu.requests("arxiv-api")) == 2 and emu.requests("arxiv-abs") == []  # asked once more, then given up


def test_a_graphql_answer_with_partial_data_and_errors(tmp_path, emu, clock) -> None:
    emu.add_repo("o/a")
    answer = {
        "data": {
            "r0": {"nameWithOwner": "o/a", "isArchived": False, "stargazerCount": 3, "pushedAt": None, "url": "https://github.com/o/a"},
            "r1": None,
        },
        "errors": [
            {"type": "FORBIDDEN", "path": ["r1"], "message": "Resource protected by organization SAML enforcement"},
            {"message": "Something went wrong"},
        ],
    }
    emu.script("graphql", Reply(200, json.dumps(answer), {"content-type": "application/json"}))
    folder = tmp_path / "papers"
    for name in ("a", "b", "c"):
        emu.pages[f"/{name}"] = Reply(200, PAGE)
        paper(folder, f"p-{name}", url=emu.site_url(name), code=[f"https://github.com/o/{name}"])
    run = run_check(folder, config_for(emu), clock)
    got = {name: run.link(f"p-{name}", "code.0.url") for name in ("a", "b", "c")}
    assert got["a"].cls == "ok"
    assert got["b"].cls == "error" and "FORBIDDEN" in got["b"].detail
    assert got["c"].cls == "error" and "left this repository out" in got["c"].detail  # missing is not "not found"
    assert len(emu.requests("graphql")) == 1 and emu.requests("rest") == []


def test_a_5_mb_page_is_read_only_as_far_as_needed(tmp_path, emu, clock) -> None:
    big = (PAGE + "x" * (5 * 1024 * 1024)).encode()
    emu.pages["/big"] = Reply(200, big)
    emu.script("site", Reply(405))
    paper(tmp_path / "papers", "big", url=emu.site_url("big"))
    tracemalloc.start()
    try:
        started = time.monotonic()
        run = run_check(tmp_path / "papers", config_for(emu), clock)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert run.cls("big") == "ok"
    assert [r.method for r in emu.requests("site")] == ["HEAD", "GET"]
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes: the page was held in memory"
    assert elapsed < 10


def test_graphql_cut_off_mid_body_is_not_split_into_ever_smaller_queries(tmp_path, emu, clock) -> None:
    folder = tmp_path / "papers"
    for name in ("a", "b", "c", "d"):
        emu.add_repo(f"o/{name}")
        emu.pages[f"/{name}"] = Reply(200, PAGE)
        paper(folder, f"p-{name}", url=emu.site_url(name), code=[f"https://github.com/o/{name}"])
    emu.script("graphql", *[Reply(drop_after=30) for _ in range(3)])
    run = run_check(folder, config_for(emu, max_attempts=3), clock)
    assert {run.cls(f"p-{n}", "code.0.url") for n in "abcd"} == {"error"}
    assert len(emu.requests("graphql")) == 3 and emu.requests("rest") == []  # one query, max_attempts tries


def test_graphql_that_always_times_out_costs_a_bounded_number_of_requests(tmp_path, emu, clock) -> None:
    folder = tmp_path / "papers"
    for i in range(64):
        emu.add_repo(f"o/r{i}")
        paper(folder, f"p{i}", url=f"https://arxiv.org/abs/2301.{i + 1:05d}", code=[f"https://github.com/o/r{i}"])
    emu.add_paper("2301.00001", "x")  # the arXiv side is not under test here
    emu.script("graphql", *[Reply(504, "<html>504 Gateway Time-out</html>") for _ in range(200)])
    run = run_check(folder, config_for(emu), clock)
    assert {r.cls for r in run.report.links if r.family == "github"} == {"error"}
    assert len(emu.requests("graphql")) == 1 + 2 * 6  # the first query, then six halvings of two queries each
