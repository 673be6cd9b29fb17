"""GitHub: GraphQL batches with a token; REST with ETags, then web pages, without one."""

from __future__ import annotations

import json

from catalog.links.cache import LinkCache
from catalog.links.github import build_query
from catalog.links.targets import classify_url
from tests.catalog.links.conftest import TOKEN, assert_loopback_only, assert_token_only_to_api, config_for, paper, run_check
from tests.support.emulator import Reply


def _catalog(tmp_path, emu, n: int = 4):
    """Papers whose code links are repos r0..r{n-1}: found, except r1 missing, r2 renamed, r3 archived."""
    folder = tmp_path / "papers"
    emu.pages["/paper"] = Reply(200)
    for i in range(n):  # one shared paper page: the only sleeps left are GitHub's own
        paper(folder, f"p{i}", url=emu.site_url("paper"), code=[f"https://github.com/owner/r{i}"], review="test entries share one page")
    for i in range(n):
        if i == 2:
            emu.add_repo("new-owner/r2-renamed", renamed_from="owner/r2")
        elif i != 1:
            emu.add_repo(f"owner/r{i}", archived=(i == 3), stars=100 + i)
    return folder


def test_query_uses_variables_and_aliases() -> None:
    targets = [classify_url("https://github.com/a/b")[0], classify_url("https://github.com/c/d")[0]]
    query, variables = build_query(targets)
    assert "r1: repository(owner: $o1, name: $n1)" in query and "isArchived" in query
    assert variables == {"o0": "a", "n0": "b", "o1": "c", "n1": "d"}


def test_graphql_classes_metadata_and_batching(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu, n=120)
    run = run_check(folder, config_for(emu), clock)
    posts = emu.requests("graphql")
    assert len(posts) == 2  # 120 repositories, 100 per query
    assert emu.requests("rest") == [] and emu.requests("web") == []
    assert run.cls("p0", "code.0.url") == "ok"
    assert run.cls("p1", "code.0.url") == "not-found"
    renamed = run.link("p2", "code.0.url")
    assert renamed.cls == "renamed" and renamed.canonical_url == "https://github.com/new-owner/r2-renamed"
    assert run.cls("p3", "code.0.url") == "archived"
    meta = run.report.metadata
    assert meta["owner/r0"]["stars"] == 100 and meta["owner/r3"]["archived"] is True
    assert meta["owner/r2"]["canonical"] == "new-owner/r2-renamed" and "owner/r1" not in meta
    assert all(p.headers["authorization"] == f"bearer {TOKEN}" for p in posts)
    assert json.loads(posts[0].body)["variables"]["o0"] == "owner"
    assert_loopback_only(emu)
    assert_token_only_to_api(emu)
    assert run.report.exit_code() == 1  # the missing repository
    assert run.report.exit_code(strict=True) == 1


def test_graphql_rate_limit_waits_for_the_reset(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu)
    limited = json.dumps({"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]})
    emu.script(
        "graphql",
        Reply(
            200,
            limited,
            {"content-type": "application/json", "x-ratelimit-reset": str(int(clock.time()) + 30), "x-ratelimit-remaining": "0"},
        ),
    )
    start = clock.monotonic()
    run = run_check(folder, config_for(emu), clock)
    assert len(emu.requests("graphql")) == 2
    gap = emu.requests("graphql")[1].at - emu.requests("graphql")[0].at
    assert 29 <= gap <= 31 and clock.monotonic() - start >= 29
    assert any(29 <= s <= 31 for s in clock.sleeps)  # one wait until the reset, not a blind backoff
    assert run.cls("p0", "code.0.url") == "ok"


def test_graphql_rate_limit_past_max_wait_is_rate_limited_not_broken(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu)
    limited = json.dumps({"errors": [{"type": "RATE_LIMITED", "message": "API rate limit exceeded"}]})
    emu.script("graphql", Reply(200, limited, {"x-ratelimit-reset": str(int(clock.time()) + 3000)}))
    run = run_check(folder, config_for(emu, max_wait=10), clock)
    assert {r.cls for r in run.report.links if r.family == "github"} == {"rate-limited"}
    assert run.report.exit_code(strict=True) == 0
    assert len(emu.requests("graphql")) == 1


def test_502_splits_the_batch(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu, n=8)
    emu.script("graphql", Reply(502, "<html>502 Bad Gateway</html>"))
    run = run_check(folder, config_for(emu), clock)
    posts = emu.requests("graphql")
    assert len(posts) == 3
    sizes = [len(json.loads(p.body)["variables"]) // 2 for p in posts]
    assert sizes == [8, 4, 4]
    assert run.cls("p0", "code.0.url") == "ok" and run.cls("p1", "code.0.url") == "not-found"


def test_401_falls_back_to_rest_without_the_token(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu)
    run = run_check(folder, config_for(emu, token="wrong-token"), clock)
    assert len(emu.requests("graphql")) == 1
    rest = emu.requests("rest")
    assert rest and all("authorization" not in r.headers for r in rest)
    assert run.cls("p0", "code.0.url") == "ok"
    assert run.cls("p1", "code.0.url") == "not-found"
    renamed = run.link("p2", "code.0.url")
    assert renamed.cls == "renamed" and renamed.canonical_url == "https://github.com/new-owner/r2-renamed"
    assert run.cls("p3", "code.0.url") == "archived"
    assert any("401" in n for n in run.report.notes)
    assert_token_only_to_api(emu)


def test_html_where_json_was_expected(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu)
    page = Reply(200, "<html>Unicorn!</html>", {"content-type": "text/html"})
    emu.script("graphql", page)
    run = run_check(folder, config_for(emu), clock)
    assert run.cls("p0", "code.0.url") == "ok"  # asked again
    emu.script("graphql", page, page, page)
    run = run_check(folder, config_for(emu), clock)
    assert {r.cls for r in run.report.links if r.family == "github"} == {"error"}
    assert run.report.exit_code() == 0


def test_rest_etag_revalidation_is_free(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu)
    cache = LinkCache(tmp_path / "cache.json")
    run_check(folder, config_for(emu, token=None), clock, cache)
    cache.save()
    first = len(emu.requests("rest"))
    assert first == 5  # 4 lookups + following the rename
    emu.rest_remaining = 0  # the budget is spent: only 304s may get through
    clock.sleep(10)
    stale = LinkCache(tmp_path / "cache.json", max_age=5)  # everything expired, but ETags are kept
    run = run_check(folder, config_for(emu, token=None), clock, stale)
    again = emu.requests("rest")[first:]
    with_etag = [r for r in again if "if-none-match" in r.headers]
    assert len(with_etag) == 3  # ok, renamed (its /repositories/N answer's ETag) and archived
    assert run.cls("p0", "code.0.url") == "ok" and run.link("p0", "code.0.url").status == 304
    assert run.cls("p3", "code.0.url") == "archived"


def test_rest_budget_spent_then_web_pages_then_rate_limited(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu, n=8)
    emu.rest_remaining = 2
    run = run_check(folder, config_for(emu, token=None, web_budget=3, max_wait=30), clock)
    rest, web = emu.requests("rest"), emu.requests("web")
    assert len(rest) == 2  # the second answer says x-ratelimit-remaining 0: no request is wasted on a 403
    assert len(web) == 3 and all(r.method == "HEAD" for r in web)
    assert all(b.at - a.at >= 1.0 for a, b in zip(web, web[1:], strict=False))
    classes = [run.cls(f"p{i}", "code.0.url") for i in range(8)]
    assert classes.count("rate-limited") == 8 - 2 - 3
    assert classes[2] == "renamed"  # from the web page's 301
    assert "not-found" in classes  # r1 answered by REST
    assert run.report.exit_code() == 1
    assert any("budget" in n for n in run.report.notes)


def test_web_429_with_retry_after_is_waited_out(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu, n=3)
    emu.rest_remaining = 0
    emu.script("web", Reply(429, "slow down", {"retry-after": "5"}))
    run = run_check(folder, config_for(emu, token=None), clock)
    web = emu.requests("web")
    assert len(web) == 4 and web[1].at - web[0].at >= 5
    assert run.cls("p0", "code.0.url") == "ok"
    assert run.cls("p2", "code.0.url") == "renamed"


def test_rest_403_secondary_limit_with_retry_after(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu, n=1)
    emu.script("rest", Reply(403, '{"message": "secondary rate limit"}', {"retry-after": "7"}))
    run = run_check(folder, config_for(emu, token=None), clock)
    rest = emu.requests("rest")
    assert len(rest) == 2 and rest[1].at - rest[0].at >= 7
    assert run.cls("p0", "code.0.url") == "ok"


def test_429_past_max_wait_is_rate_limited(tmp_path, emu, clock) -> None:
    folder = _catalog(tmp_path, emu, n=1)
    emu.script("graphql", Reply(429, "", {"retry-after": "600"}))
    run = run_check(folder, config_for(emu, max_wait=20), clock)
    assert run.cls("p0", "code.0.url") == "rate-limited"
    assert len(emu.requests("graphql")) == 1


def test_subpaths_are_verified_in_the_same_query(tmp_path, emu, clock) -> None:
    emu.add_repo("owner/mono", objects={"main:src/pruning", "feature/x:docs", "main"})
    emu.pages["/paper"] = Reply(200)
    folder = tmp_path / "papers"
    subpaths = {
        "a": "tree/main/src/pruning",
        "b": "tree/master/contrib/model_pruning",
        "c": "tree/feature/x/docs",
        "d": "tree/main",
        "e": "issues",
    }
    for pid, sub in subpaths.items():
        paper(folder, pid, url=emu.site_url("paper"), code=[f"https://github.com/owner/mono/{sub}"], review="test entries share one page")
    run = run_check(folder, config_for(emu), clock)
    assert len(emu.requests("graphql")) == 1  # one repository, five paths, one query
    assert {pid: run.cls(pid, "code.0.url") for pid in subpaths} == {"a": "ok", "b": "not-found", "c": "ok", "d": "ok", "e": "ok"}
    gone = run.link("b", "code.0.url")
    assert gone.canonical_url == "https://github.com/owner/mono" and "does not" in gone.detail
    assert list(run.report.metadata) == ["owner/mono"]
    # without a token the repository is checked and the path is said to be unverified, never "broken"
    emu.rest_remaining = None
    run = run_check(folder, config_for(emu, token=None), clock)
    assert run.cls("b", "code.0.url") == "ok" and "not verified" in run.link("b", "code.0.url").detail
    assert len(emu.requests("rest")) == 1
