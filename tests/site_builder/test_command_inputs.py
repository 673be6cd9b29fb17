"""What the commands do with bad surroundings: a malformed ``repositories.json`` (every command
that reads it: one line, exit 1, no traceback) and a busy port for ``site --serve`` (one line
naming the port and ``--port``, exit 2). Real subprocesses, a real socket bound on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.factory import write_paper

MALFORMED = {
    "a top-level list": "[]\n",
    "repositories as a list": '{"repositories": []}\n',
    "an entry that is a number": '{"repositories": {"a/b": 3}}\n',
    "stars as text": '{"repositories": {"a/b": {"stars": "many"}}}\n',
    "not JSON": "{repositories:\n",
}


def run(args: list[str], cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pruning_catalog", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_paper(tmp_path / "papers", sections=[])
    (tmp_path / "data").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    "command", [["readme", "--output", "README.md"], ["site"], ["site", "--serve", "--port", "0"], ["check-links", "--offline"]]
)
@pytest.mark.parametrize("content", list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_metadata_file_is_one_line_and_exit_1(project: Path, command: list[str], content: str) -> None:
    if command[0] == "check-links":
        command = ["check-links", "--no-cache", "--output", "report.txt"]  # offline skips the metadata; check it before any request
    (project / "data" / "repositories.json").write_text(content, encoding="utf-8")
    result = run([*command, "--repo-metadata", "data/repositories.json"], project, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "repositories.json" in line]
    assert len(lines) == 1 and lines[0].startswith("data/repositories.json: -: "), result.stderr
    assert not (project / "site").exists() and not (project / "README.md").exists()


def test_a_busy_port_is_one_line_and_exit_2(project: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run(["site", "--serve", "--port", str(port)], project, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: port {port} on 127.0.0.1 is already in use; choose another with --port (e.g. --port {port + 1})"
    ]
