"""``pruning-catalog check-links`` end to end: flags, environment, exit codes, reports, files."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.metadata import load_repo_metadata
from pruning_catalog.cli import main
from tests.catalog.links.conftest import TOKEN, assert_loopback_only, assert_token_only_to_api, paper
from tests.support.emulator import Emulator


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """An emulator on the real clock, with every endpoint pointed at it through the environment."""
    with Emulator(token=TOKEN) as emu:
        for name, url in emu.environment().items():
            monkeypatch.setenv(name, url)
        monkeypatch.setenv("PRUNING_CATALOG_ARXIV_DELAY", "0.01")
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        yield emu


def _catalog(tmp_path: Path, emu: Emulator) -> Path:
    folder = tmp_path / "papers"
    emu.add_paper("2301.00001", "Sparse pruning of networks")
    emu.add_paper("2301.00002", "Lottery tickets in transformers")
    emu.add_repo("owner/good", stars=42)
    emu.add_repo("owner/new-name", renamed_from="owner/old-name")
    paper(
        folder, "good", url="https://arxiv.org/abs/2301.00001", title="Sparse pruning of networks", code=["https://github.com/owner/good"]
    )
    paper(
        folder,
        "renamed",
        url="https://arxiv.org/abs/2301.00002",
        title="Lottery tickets in transformers",
        code=["https://github.com/owner/old-name/tree/main/src"],
    )
    return folder


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check-links", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_all_good_exits_0_and_strict_fails_on_renamed(tmp_path, live, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _catalog(tmp_path, live)
    code, out, err = _run(capsys, "--papers", str(folder), "--no-cache")
    assert code == 0, err
    assert "renamed: https://github.com/owner/old-name/tree/main/src -> https://github.com/owner/new-name/tree/main/src" in out
    assert "OK: 0 failing links" in err and "\r" not in err
    code, out, err = _run(capsys, "--papers", str(folder), "--no-cache", "--strict")
    assert code == 1 and "FAILED: 1 failing links (--strict)" in err
    meta = load_repo_metadata(tmp_path / "data/repositories.json")
    assert meta["owner/good"].stars == 42 and meta["owner/old-name"].canonical == "owner/new-name"
    assert len(live.requests("graphql")) == 2 and len(live.requests("arxiv-api")) == 2
    assert_loopback_only(live)
    assert_token_only_to_api(live)
    assert TOKEN not in out + err


def test_json_and_markdown_reports(tmp_path, live, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _catalog(tmp_path, live)
    paper(folder, "missing", url="https://arxiv.org/abs/2301.00003", title="Nobody wrote this", code=["https://github.com/owner/vanished"])
    report_path = tmp_path / "out/report.json"
    code, out, err = _run(capsys, "--papers", str(folder), "--no-cache", "--format", "json", "--output", str(report_path), "--no-metadata")
    assert code == 1 and out == ""
    data = json.loads(report_path.read_text())
    assert data["summary"]["exit_code"] == 1 and data["summary"]["classes"] == {"not-found": 2, "renamed": 1, "ok": 3}
    vanished = next(r for r in data["links"] if r["url"] == "https://github.com/owner/vanished")
    assert vanished["class"] == "not-found" and vanished["path"].endswith("missing.yaml") and vanished["field"] == "code.0.url"
    assert vanished["line"] == (folder / "missing.yaml").read_text().splitlines().index("- url: https://github.com/owner/vanished") + 1
    assert set(vanished) >= {"paper", "path", "line", "url", "class", "canonical_url", "http_status", "attempts"}
    assert not (tmp_path / "data/repositories.json").exists()
    code, out, err = _run(capsys, "--papers", str(folder), "--no-cache", "--format", "markdown", "--no-metadata")
    assert code == 1
    assert out.startswith("## Link check\n\n**2 link(s) to fix.**")
    assert out.index("### ❌ Not found (`not-found`, 2)") < out.index("### ⚠️ Renamed repositories (`renamed`, 1)")
    new = "https://github.com/owner/new-name/tree/main/src"
    assert f"Replace the link with [{new.replace(':', chr(92) + ':')}]({new})." in out  # the one escaper; the address a link
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    assert rows and all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows)  # no cell splits its row
    assert "| `papers/missing.yaml:" in out
    assert TOKEN not in out + err + report_path.read_text()


def test_offline_reports_local_findings_without_requests(tmp_path, live, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _catalog(tmp_path, live)
    paper(folder, "bad-id", url="https://example.org/paper", title="Bad id paper", alternate_urls=["https://arxiv.org/abs/2313.00001"])
    code, out, err = _run(capsys, "--papers", str(folder), "--offline", "--format", "json")
    assert code == 1 and live.requests() == []
    data = json.loads(out)
    assert data["summary"]["classes"] == {"invalid": 1, "unchecked": 5}
    bad = next(r for r in data["links"] if r["class"] == "invalid")
    assert bad["field"] == "alternate_urls.0" and "month 13" in bad["detail"]


def test_warm_cache_makes_no_request(tmp_path, live, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _catalog(tmp_path, live)
    assert _run(capsys, "--papers", str(folder), "--cache", "c.json")[0] == 0
    before = len(live.requests())
    code, out, err = _run(capsys, "--papers", str(folder), "--cache", "c.json", "--format", "json")
    assert code == 0 and len(live.requests()) == before
    assert json.loads(out)["summary"]["cached"] == 4


def _git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args], cwd=folder, check=True, capture_output=True, text=True
    ).stdout


def test_changed_since_checks_only_changed_entries(tmp_path, live, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _catalog(tmp_path, live)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "base")
    paper(folder, "newcomer", url="https://arxiv.org/abs/2301.00009", title="A new pruning paper")
    code, out, err = _run(capsys, "--papers", str(folder), "--no-cache", "--format", "json", "--changed-since", "HEAD")
    data = json.loads(out)
    assert {r["paper"] for r in data["links"]} == {"newcomer"}
    assert code == 1 and "1 entries changed since HEAD" in err
    assert live.requests("graphql") == []
    code, out, err = _run(capsys, "--papers", str(folder), "--changed-since", "no-such-ref")
    assert code == 2 and "no-such-ref" in err and "Traceback" not in err


def test_usage_errors_exit_2(tmp_path, live, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _catalog(tmp_path, live)
    (tmp_path / "a-file").write_text("x")
    for target in (tmp_path, tmp_path / "a-file/report.json"):  # a folder; a path below a file
        code, _, err = _run(capsys, "--papers", str(folder), "--output", str(target))
        assert code == 2 and "cannot be written" in err
    code, _, err = _run(capsys, "--papers", str(folder), "--max-age", "forever")
    assert code == 2 and "--max-age" in err
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_DELAY", "three")
    code, _, err = _run(capsys, "--papers", str(folder))
    assert code == 2 and "PRUNING_CATALOG_ARXIV_DELAY" in err
    assert live.requests() == []


def test_endpoint_flags_work_without_the_environment(tmp_path, live, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = _catalog(tmp_path, live)
    for var in ("GITHUB_API", "GITHUB_GRAPHQL", "GITHUB_WEB", "ARXIV_API", "ARXIV_WEB", "ARXIV_DELAY"):
        monkeypatch.delenv(f"PRUNING_CATALOG_{var}")
    ends = live.endpoints()
    flags = ["--github-api", ends["github_api"], "--github-graphql", ends["github_graphql"], "--github-web", ends["github_web"]]
    flags += ["--arxiv-api", ends["arxiv_api"], "--arxiv-web", ends["arxiv_web"], "--arxiv-delay", "0.01"]
    code, out, err = _run(capsys, "--papers", str(folder), "--no-cache", "--no-metadata", *flags)
    assert code == 0, err
    assert len(live.requests("graphql")) == 1 and len(live.requests("arxiv-api")) == 1
    assert_loopback_only(live)
