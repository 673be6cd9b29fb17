"""Real headless Chromium for browser tests: a loopback static server and a request guard.

Tests drive Debian's Chromium (no browser downloads exist here) through Playwright against a
site served by a real HTTP server on 127.0.0.1. Every request to a non-loopback address is
aborted and recorded, so a stray CDN font or script fails the test instead of silently
working online. Page errors (uncaught exceptions) are recorded too.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from catalog.catalog import Catalog
from site_builder.site import build_site
from site_builder.urls import explorer_url

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def require_chromium() -> None:
    """Skip when Chromium or Playwright is missing, unless ``REQUIRE_BROWSER=1`` (CI) makes it a failure."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"Chromium not found at {CHROMIUM} (install Debian's chromium package)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright Python package is not installed (pip install -e '.[test]')"
    if problem:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (REQUIRE_BROWSER=1) but {problem}")
        pytest.skip(problem)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a connection mid-response (navigating away) is normal here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StaticServer:
    """Serves a folder on 127.0.0.1 from a thread; bind first, so the port is known before the site is built."""

    def __init__(self, directory: Path, port: int = 0):
        self.directory = directory
        self.httpd = _QuietServer(("127.0.0.1", port), partial(_QuietHandler, directory=str(directory)))
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str = "") -> str:
        return self.origin + path.lstrip("/")


@dataclass
class ServedSite:
    """A catalog's website, built and served on 127.0.0.1 for a module of browser tests."""

    catalog: Catalog
    server: StaticServer

    def url(self, path: str = "") -> str:
        return self.server.url(path)

    def explorer(self, filters: Mapping[str, Sequence[str] | str] | None = None) -> str:
        return explorer_url(filters or {}, base=self.server.origin)


@contextmanager
def served_site(catalog: Catalog, root: Path) -> Iterator[ServedSite]:
    """Build ``catalog``'s site under ``root`` and serve it; the server listens first, as the build needs its origin."""
    (root / "site").mkdir()
    with StaticServer(root / "site") as server:
        build_site(catalog, root / "site", staging=root / "staging", site_url=server.origin)
        yield ServedSite(catalog, server)


@dataclass
class Guard:
    """What a page tried to do that it must not: reach beyond loopback, or throw."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.blocked, f"requests to non-loopback addresses: {self.blocked}"
        assert not self.errors, f"page errors: {self.errors}"


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "") in LOOPBACK_HOSTS


def guard_page(page) -> Guard:  # page: playwright.sync_api.Page
    """Abort and record any non-loopback request; record uncaught page errors."""
    guard = Guard()

    def route(r) -> None:
        url = r.request.url
        guard.requests.append(url)
        if is_loopback(url):
            r.continue_()
        else:
            guard.blocked.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda exc: guard.errors.append(str(exc)))
    return guard


@contextmanager
def chromium() -> Iterator[object]:
    """A launched headless Chromium (playwright Browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# -- accessibility: axe-core, installed from the npm lock file (never a CDN) ------------------------

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_source() -> str:
    """The axe-core script that `npm ci` installed; skip (fail under ``REQUIRE_BROWSER=1``) when it is missing."""
    if not AXE_SCRIPT.is_file():
        problem = f"axe-core not found at {AXE_SCRIPT} (run `npm ci` at the project root, or `make setup`)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (REQUIRE_BROWSER=1) but {problem}")
        pytest.skip(problem)
    return AXE_SCRIPT.read_text(encoding="utf-8")


@dataclass(frozen=True)
class AxeResult:
    """What axe-core found on one page in one colour scheme."""

    page: str
    scheme: str
    violations: tuple[dict[str, Any], ...]
    passes: int
    incomplete: tuple[str, ...]  # rules axe could not decide (e.g. contrast over an image): to check by eye
    version: str

    def summary(self) -> dict[str, object]:
        return {
            "page": self.page,
            "scheme": self.scheme,
            "violations": len(self.violations),
            "violation_nodes": sum(len(v["nodes"]) for v in self.violations),
            "passes": self.passes,
            "incomplete": len(self.incomplete),
            "incomplete_rules": list(self.incomplete),
            "rules": [v["id"] for v in self.violations],
        }

    def describe(self, nodes: int = 3) -> list[str]:
        """One line per violated rule: id, page, scheme, how many nodes, and the first few targets."""
        lines = []
        for v in self.violations:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"]][:nodes]
            detail = (v["nodes"][0].get("failureSummary") or "").replace("\n", " ") if v["nodes"] else ""
            lines.append(
                f"{v['id']} on {self.page} ({self.scheme}): {len(v['nodes'])} node(s), e.g. {targets}; {v['help']}. {detail}"
            )
        return lines


AXE_RUN = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  const nodes = (list) => list.map(n => ({target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary}));
  return {
    version: axe.version,
    violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, tags: v.tags, nodes: nodes(v.nodes)})),
    passes: r.passes.length,
    incomplete: r.incomplete.map(v => v.id),
  };
}"""


def run_axe(page, source: str, label: str, scheme: str, tags: tuple[str, ...] = WCAG_21_AA) -> AxeResult:  # page: playwright Page
    """Inject axe-core into ``page`` (once per document) and run the WCAG rule sets ``tags``."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    raw = page.evaluate(AXE_RUN, list(tags))
    return AxeResult(label, scheme, tuple(raw["violations"]), int(raw["passes"]), tuple(raw["incomplete"]), str(raw["version"]))
