"""Builds that overlap: two real ``pruning-catalog site`` processes at once, a killed build, and
``readme`` with ``site`` at the same time. Each must succeed and leave a complete site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalog.load import load_catalog
from tests.support.site_catalog import write_site_catalog

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000/"}


def start(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pruning_catalog", *args], cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(process: subprocess.Popen[str], timeout: float = 240) -> tuple[int, str]:
    _, err = process.communicate(timeout=timeout)
    return process.returncode, err


def assert_complete(site: Path, papers: Path) -> None:
    ids = {p.id for p in load_catalog(papers).papers}
    assert (site / "index.html").is_file() and (site / "explorer" / "index.html").is_file()
    assert (site / "downloads" / "catalog.json").is_file() and (site / "facets" / "venues" / "index.html").is_file()
    built = {d.name for d in (site / "papers").iterdir() if (d / "index.html").is_file()}
    assert built == ids
    leftovers = [p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}.") and not p.name.endswith(".lock")]
    assert leftovers == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_site_catalog(tmp_path / "papers", synthetic=20)
    return tmp_path


@pytest.mark.parametrize("offset", [0.0, 0.4, 1.5])
def test_two_builds_at_once_both_succeed(project: Path, offset: float) -> None:
    first = start("site", cwd=project)
    time.sleep(offset)
    second = start("site", cwd=project)
    results = [finish(first), finish(second)]
    for code, err in results:
        assert code == 0, err
        assert "Traceback" not in err
    assert_complete(project / "site", project / "papers")


def test_a_killed_build_does_not_block_the_next(project: Path) -> None:
    victim = start("site", cwd=project)
    deadline = time.monotonic() + 60
    # Kill it while it works: once its private build folder exists (MkDocs is running).
    while time.monotonic() < deadline and not any(p.name.startswith(".site.building-") for p in project.iterdir()):
        if victim.poll() is not None:
            break
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.communicate()
    code, err = finish(start("site", cwd=project))
    assert code == 0, err
    assert (project / "site" / "index.html").is_file()
    # The killed build's private folder may remain; it never blocks a build and is not the site.
    assert {d.name for d in (project / "site" / "papers").iterdir()} == {p.id for p in load_catalog(project / "papers").papers}


def test_an_explicit_staging_folder_is_shared_by_waiting(project: Path) -> None:
    staging = str(project / "staging")
    first = start("site", "--staging", staging, "--output", str(project / "a"), cwd=project)
    second = start("site", "--staging", staging, "--output", str(project / "b"), cwd=project)
    for code, err in (finish(first), finish(second)):
        assert code == 0, err
    assert_complete(project / "a", project / "papers")
    assert_complete(project / "b", project / "papers")


def test_readme_and_site_at_the_same_time(project: Path) -> None:
    site = start("site", cwd=project)
    readme = start("readme", "--output", str(project / "README.md"), cwd=project)
    for code, err in (finish(readme), finish(site)):
        assert code == 0, err
    assert (project / "README.md").read_text(encoding="utf-8").startswith("#")
    assert_complete(project / "site", project / "papers")
