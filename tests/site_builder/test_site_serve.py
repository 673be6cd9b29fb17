"""``pruning-catalog site --serve``: a real preview server that rebuilds when papers change."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.support.browser import free_port
from tests.support.factory import write_paper


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def wait_for(url: str, needle: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if status == 200 and needle in body:
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url} never served {needle!r} within {timeout} s")


def test_serve_rebuilds_when_a_paper_is_added(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    write_paper(papers, id="first-paper", title="The First Served Paper", sections=[])
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "pruning_catalog",
        "site",
        "--serve",
        "--papers",
        str(papers),
        "--port",
        str(port),
        "--staging",
        str(tmp_path / "staging"),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        origin = f"http://127.0.0.1:{port}/"
        wait_for(origin + "explorer/", "The First Served Paper")
        write_paper(
            papers, id="second-paper", title="A Paper Added While Serving", url="https://arxiv.org/abs/2305.11627", code=None, sections=[]
        )
        wait_for(origin + "explorer/", "A Paper Added While Serving")
        wait_for(origin + "papers/second-paper/", "A Paper Added While Serving")
        # A broken file keeps the last good site on screen and says what is wrong.
        (papers / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
        time.sleep(2)
        assert "A Paper Added While Serving" in fetch(origin + "explorer/")[1]
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            _, err = process.communicate()
    assert "serving http://127.0.0.1:" in err
    assert "broken.yaml" in err and "site not rebuilt" in err
