"""``pruning-catalog readme``: writing, ``--check``, exit codes, atomic and idempotent writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pruning_catalog.cli import main
from tests.site_builder.readme_fixtures import standard_entries, write_entries
from tests.support.factory import write_paper

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def papers(tmp_path: Path) -> Path:
    return write_entries(tmp_path / "papers", standard_entries())


def run(*args: str) -> int:
    return main(["readme", *args])


def test_writes_then_check_passes_and_rewriting_changes_nothing(papers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "README.md"
    assert run("--papers", str(papers), "--output", str(out)) == 0
    first = out.read_bytes()
    assert b"## 1. When to Prune" in first
    mtime = out.stat().st_mtime_ns
    assert run("--papers", str(papers), "--output", str(out)) == 0
    assert out.read_bytes() == first and out.stat().st_mtime_ns == mtime
    assert "unchanged" in capsys.readouterr().err
    assert run("--papers", str(papers), "--output", str(out), "--check") == 0
    assert "up to date" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "papers"]  # no temporary files left


def test_check_reports_a_stale_readme_with_a_short_diff_and_writes_nothing(
    papers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "README.md"
    assert run("--papers", str(papers), "--output", str(out)) == 0
    write_paper(papers, id="a-new-paper", title="A New Paper Added Later", url="https://example.org/new", year=2024)
    before = out.read_bytes()
    capsys.readouterr()
    assert run("--papers", str(papers), "--output", str(out), "--check") == 1
    captured = capsys.readouterr()
    assert out.read_bytes() == before
    assert captured.out.startswith("---") and "+![PRs Welcome]" in captured.out and "papers-10-blue" in captured.out
    assert len(captured.out.splitlines()) <= 41 and "more diff lines" in captured.out
    assert "stale" in captured.err


def test_check_of_a_missing_readme_fails_without_creating_it(papers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "README.md"
    assert run("--papers", str(papers), "--output", str(out), "--check") == 1
    assert not out.exists()
    assert "does not exist" in capsys.readouterr().out


def test_invalid_catalog_prints_problems_and_keeps_the_readme(papers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "README.md"
    out.write_text("hand-written\n", encoding="utf-8")
    (papers / "broken.yaml").write_text("id: broken\ntitle: Broken\nvenue: Nowhere\n", encoding="utf-8")
    assert run("--papers", str(papers), "--output", str(out)) == 1
    captured = capsys.readouterr()
    assert "broken.yaml" in captured.out and "venue" in captured.out
    assert out.read_text(encoding="utf-8") == "hand-written\n"


def test_missing_papers_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--papers", str(tmp_path / "nope"), "--output", str(tmp_path / "README.md")) == 2
    assert "no such folder" in capsys.readouterr().err
    assert not (tmp_path / "README.md").exists()


def test_repository_metadata_adds_stars_and_bad_metadata_is_reported(
    papers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = tmp_path / "repositories.json"
    meta.write_text(
        json.dumps({"repositories": {"example/obc": {"canonical": "Example/OBC", "stars": 1500, "archived": True}}}), encoding="utf-8"
    )
    out = tmp_path / "README.md"
    assert run("--papers", str(papers), "--output", str(out), "--repo-metadata", str(meta)) == 0
    assert "[PyTorch(Author)](https://github.com/example/obc) ★ 1.5k · archived" in out.read_text(encoding="utf-8")
    meta.write_text("{not json", encoding="utf-8")
    assert run("--papers", str(papers), "--output", str(out), "--repo-metadata", str(meta)) == 1
    assert "repositories.json" in capsys.readouterr().err


def test_the_committed_readme_is_fresh() -> None:
    """README.md in the repository is exactly what papers/ renders (what CI checks)."""
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    proc = subprocess.run(
        [sys.executable, "-m", "pruning_catalog", "readme", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_contributing_example_is_a_valid_canonical_entry(tmp_path: Path) -> None:
    """The entry the README tells contributors to copy must itself pass validation as written."""
    import re
    import textwrap

    from catalog.dump import dump_paper
    from catalog.load import read_paper_file

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Adding a paper") :]
    block = textwrap.dedent(re.search(r"```yaml\n(.*?)```", section, re.S)[1])
    path = tmp_path / "my-pruning-method.yaml"
    path.write_text(block, encoding="utf-8")
    paper, _, problems = read_paper_file(path)
    assert paper is not None and not problems, problems
    assert dump_paper(paper) == block  # already in the canonical form the tools write
