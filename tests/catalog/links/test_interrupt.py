"""Interrupted link checks keep their work: the real CLI in a subprocess, the real SIGINT, the loopback emulator.

The signal is sent once the emulator has *served* some page requests (the test waits on the
emulator's request count, never on a sleep); the rerun must then ask only for what the first
run had not finished. A run killed without warning (SIGKILL) still leaves the periodic
checkpoint behind.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.catalog.links.conftest import TOKEN, paper
from tests.support.emulator import Emulator, Reply

PAGES = 12
CLI = str(Path(sys.executable).parent / "pruning-catalog")


@pytest.fixture
def live() -> Iterator[Emulator]:
    with Emulator(token=TOKEN) as emu:
        yield emu


def _catalog(tmp_path: Path, emu: Emulator) -> Path:
    folder = tmp_path / "papers"
    emu.add_paper("2301.00001", "Sparse pruning of networks")
    emu.add_repo("owner/good")
    paper(
        folder, "good", url="https://arxiv.org/abs/2301.00001", title="Sparse pruning of networks", code=["https://github.com/owner/good"]
    )
    for i in range(PAGES):
        emu.pages[f"/p{i}"] = Reply(200, "<html><title>a paper</title></html>")
        paper(folder, f"page-{i}", url=emu.site_url(f"p{i}"))
    return folder


def _env(emu: Emulator, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRUNING_CATALOG_")}
    env.update(emu.environment())
    env.update({"GITHUB_TOKEN": TOKEN, "PRUNING_CATALOG_ARXIV_DELAY": "0.01", "PRUNING_CATALOG_WEB_INTERVAL": "0.3", **extra})
    return env


def _start(tmp_path: Path, folder: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    argv = [CLI, "check-links", "--papers", str(folder), "--cache", "cache.json", "--no-metadata", "--format", "json", *extra]
    return subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _counts(emu: Emulator) -> dict[str, int]:
    return {route: len(emu.requests(route)) for route in ("graphql", "arxiv-api", "site")}


def test_ctrl_c_keeps_finished_results_and_the_rerun_asks_only_for_the_rest(tmp_path: Path, live: Emulator) -> None:
    folder = _catalog(tmp_path, live)
    env = _env(live, PRUNING_CATALOG_CHECKPOINT_EVERY="60")  # no periodic save: only the interrupt may save
    proc = _start(tmp_path, folder, env)
    try:
        assert live.wait_for_requests(4, route="site", timeout=60), "the checker never reached the pages"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    first = _counts(live)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and out == ""
    m = re.search(r"interrupted: kept (\d+) finished results in cache\.json", err)
    assert m, err
    kept = int(m[1])
    entries = json.loads((tmp_path / "cache.json").read_text())["entries"]
    assert len(entries) == kept
    pages_kept = sum(key.startswith("url:") for key in entries)
    assert kept == 2 + pages_kept  # the repository and the arXiv id, then every page finished before Ctrl-C
    assert first["graphql"] == 1 and first["arxiv-api"] == 1
    assert 4 <= first["site"] < PAGES and first["site"] - pages_kept in (0, 1)  # at most one request was in flight

    done = subprocess.run(
        [CLI, "check-links", "--papers", str(folder), "--cache", "cache.json", "--no-metadata", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    second = {route: n - first[route] for route, n in _counts(live).items()}
    assert done.returncode == 0, done.stderr
    assert second == {"graphql": 0, "arxiv-api": 0, "site": PAGES - pages_kept}  # only what was not finished
    summary = json.loads(done.stdout)["summary"]
    assert summary["cached"] == kept and summary["classes"] == {"ok": 2 + PAGES}
    (tmp_path / "counts.txt").write_text(f"first run {first}, kept {kept}; rerun {second}\n")
    print(f"interrupted run: {first}, kept {kept}; resumed run: {second}")


def test_a_killed_run_leaves_its_last_checkpoint(tmp_path: Path, live: Emulator) -> None:
    folder = _catalog(tmp_path, live)
    proc = _start(tmp_path, folder, _env(live, PRUNING_CATALOG_CHECKPOINT_EVERY="0.1"))
    try:
        assert live.wait_for_requests(6, route="site", timeout=60)
        proc.kill()  # SIGKILL: no handler runs, only checkpoints written so far remain
        proc.communicate(timeout=60)
    finally:
        proc.kill()
    entries = json.loads((tmp_path / "cache.json").read_text())["entries"]
    assert {"github:owner/good", "arxiv:2301.00001"} <= set(entries)
    assert sum(key.startswith("url:") for key in entries) >= 3  # pages finished at least 0.3 s before the kill
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".cache.json.")]  # no temporary file left over


def test_a_truncated_cache_is_ignored_with_a_warning(tmp_path: Path, live: Emulator) -> None:
    folder = _catalog(tmp_path, live)
    (tmp_path / "cache.json").write_text('{"version": 1, "entries": {"github:owner/good": {"cla')
    done = subprocess.run(
        [CLI, "check-links", "--papers", str(folder), "--cache", "cache.json", "--no-metadata"],
        cwd=tmp_path,
        env=_env(live),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "cache.json: cache unreadable, ignored" in done.stderr
    assert _counts(live) == {"graphql": 1, "arxiv-api": 1, "site": PAGES}
    assert json.loads((tmp_path / "cache.json").read_text())["version"] == 1  # rewritten whole
