"""Other hosts: HEAD then GET, one at a time per host, 1 s apart; robot walls are warnings."""

from __future__ import annotations

from tests.catalog.links.conftest import config_for, paper, run_check
from tests.support.emulator import Reply

CHALLENGE = "<html><head><title>Just a moment...</title></head><body>challenge-platform</body></html>"


def test_classes_of_other_hosts(tmp_path, emu, clock) -> None:
    emu.pages.update(
        {
            "/ok": Reply(200),
            "/teapot": Reply(418, "I'm a teapot"),
            "/cloudflare": Reply(403, CHALLENGE, {"cf-mitigated": "challenge"}),
            "/denied": Reply(403, "<html>Access Denied</html>"),
            "/gone": Reply(410),
            "/moved": Reply(301, "", {"location": "/site/new-home"}),
            "/new-home": Reply(200),
            "/slash": Reply(301, "", {"location": "/site/slash/"}),
            "/slash/": Reply(200),
            "/broken": Reply(500, "oops"),
        }
    )
    folder = tmp_path / "papers"
    names = ["ok", "teapot", "cloudflare", "denied", "gone", "missing", "moved", "slash", "broken"]
    for name in names:
        paper(folder, f"p-{name}", url=emu.site_url(name))
    run = run_check(folder, config_for(emu, max_attempts=2), clock)
    got = {name: run.cls(f"p-{name}") for name in names}
    assert got == {
        "ok": "ok",
        "teapot": "blocked",
        "cloudflare": "blocked",
        "denied": "blocked",
        "gone": "not-found",
        "missing": "not-found",
        "moved": "redirected",
        "slash": "ok",  # only a trailing slash: nothing to fix
        "broken": "error",
    }
    assert run.link("p-moved").canonical_url.endswith("/site/new-home")
    site = emu.requests("site")
    assert all(b.at - a.at >= 1.0 for a, b in zip(site, site[1:], strict=False))  # one host, 1 s apart
    assert run.report.exit_code() == 1  # gone + missing


def test_head_refused_falls_back_to_get(tmp_path, emu, clock) -> None:
    emu.pages["/nohead"] = Reply(200, "<html>fine</html>")
    emu.script("site", Reply(405, "Method Not Allowed"))
    folder = tmp_path / "papers"
    paper(folder, "p-nohead", url=emu.site_url("nohead"))
    run = run_check(folder, config_for(emu), clock)
    assert [r.method for r in emu.requests("site")] == ["HEAD", "GET"]
    assert run.cls("p-nohead") == "ok"


def test_slow_host_times_out_and_429_is_retried(tmp_path, emu, clock) -> None:
    emu.pages["/slow"] = Reply(200)
    folder = tmp_path / "papers"
    paper(folder, "p-slow", url=emu.site_url("slow"))
    emu.script("site", *[Reply(delay=0.5)] * 4)
    run = run_check(folder, config_for(emu, timeout=0.2, max_attempts=2), clock)
    assert run.cls("p-slow") == "timeout" and run.report.exit_code() == 0
    emu.script("site", Reply(429, "", {"retry-after": "4"}))
    run = run_check(tmp_path / "papers", config_for(emu), clock)
    assert run.cls("p-slow") == "ok"


def test_github_and_arxiv_pages_that_are_no_repository_or_paper_use_the_configured_bases(tmp_path, emu, clock) -> None:
    folder = tmp_path / "papers"
    paper(folder, "p-list", url="https://arxiv.org/list/cs.LG/recent", code=["https://github.com/someone"])
    run = run_check(folder, config_for(emu), clock)  # run_check asserts that every request stayed on 127.0.0.1
    assert {r.path for r in emu.requests()} == {"/arxiv-web/list/cs.LG/recent", "/gh-web/someone"}
    assert run.cls("p-list") == "not-found" and run.cls("p-list", "code.0.url") == "not-found"  # the emulator knows neither page
