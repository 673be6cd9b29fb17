"""One catalog against the emulator that produces every result class, and the reports of it."""

from __future__ import annotations

import json

from catalog.links.report import as_json, as_markdown, as_text
from catalog.links.results import CLASSES
from tests.catalog.links.conftest import TOKEN, assert_loopback_only, assert_token_only_to_api, config_for, paper, run_check
from tests.support.emulator import Reply


def test_every_class(tmp_path, emu, clock) -> None:
    emu.add_paper("2301.00001", "Sparse pruning of networks", version=1)
    emu.add_paper("2301.00002", "Deep residual learning for image recognition")
    emu.add_paper("2301.00003", "Versioned pruning paper", version=2)
    emu.add_repo("owner/good")
    emu.add_repo("owner/old-but-archived", archived=True)
    emu.add_repo("owner/new-name", renamed_from="owner/old-name")
    emu.pages.update(
        {
            "/teapot": Reply(418),
            "/moved": Reply(301, "", {"location": "/site/elsewhere"}),
            "/elsewhere": Reply(200),
            "/busy": Reply(429, "", {"retry-after": "3600"}),
            "/slow": Reply(200, delay=0.5),
            "/boom": Reply(500),
        }
    )
    folder = tmp_path / "papers"
    paper(folder, "ok", url="https://arxiv.org/abs/2301.00001", title="Sparse pruning of networks", code=["https://github.com/owner/good"])
    paper(
        folder,
        "mismatch",
        url="https://arxiv.org/abs/2301.00002",
        title="Channel pruning for transformers",
        code=["https://github.com/owner/old-name"],
    )
    paper(
        folder,
        "version",
        url="https://arxiv.org/abs/2301.00003v4",
        title="Versioned pruning paper",
        code=["https://github.com/owner/old-but-archived"],
    )
    paper(folder, "missing", url="https://arxiv.org/abs/2301.00004", title="Nobody wrote this", code=["https://github.com/owner/vanished"])
    paper(folder, "invalid", url=emu.site_url("teapot"), title="Teapot paper", alternate_urls=["https://arxiv.org/abs/2313.00001"])
    paper(folder, "moved", url=emu.site_url("moved"), title="Moved paper")
    paper(folder, "busy", url=emu.site_url("busy"), title="Busy paper")
    paper(folder, "slow", url=emu.site_url("slow"), title="Slow paper")
    paper(folder, "boom", url=emu.site_url("boom"), title="Boom paper")
    run = run_check(folder, config_for(emu, timeout=0.3, max_wait=30, max_attempts=2), clock, slow_pages={"/slow"}) if False else None
    emu.script("site", *[])  # (no scripted replies: behaviours come from the pages)
    emu.pages["/slow"] = Reply(200)
    original_site = emu.site

    def site(method: str, path: str):
        if path.endswith("/slow"):
            import time

            time.sleep(0.5)
        return original_site(method, path)

    emu.site = site  # type: ignore[method-assign]
    run = run_check(folder, config_for(emu, timeout=0.3, max_wait=30, max_attempts=2), clock)
    got = {(r.paper_id, r.field): r.cls for r in run.report.links}
    assert got == {
        ("ok", "url"): "ok",
        ("ok", "code.0.url"): "ok",
        ("mismatch", "url"): "title-mismatch",
        ("mismatch", "code.0.url"): "renamed",
        ("version", "url"): "version-not-found",
        ("version", "code.0.url"): "archived",
        ("missing", "url"): "not-found",
        ("missing", "code.0.url"): "not-found",
        ("invalid", "url"): "blocked",
        ("invalid", "alternate_urls.0"): "invalid",
        ("moved", "url"): "redirected",
        ("busy", "url"): "rate-limited",
        ("slow", "url"): "timeout",
        ("boom", "url"): "error",
    }
    assert set(got.values()) == set(CLASSES) - {"unchecked"}
    assert run.report.exit_code() == 1
    assert_loopback_only(emu)
    assert_token_only_to_api(emu)
    md, js, text = as_markdown(run.report), as_json(run.report), as_text(run.report)
    for cls in set(got.values()) - {"ok"}:
        assert f"`{cls}`" in md
    assert json.loads(js)["summary"]["classes"]["not-found"] == 2
    assert TOKEN not in md + js + text
    assert "2313.00001" in text and "month 13" in text
