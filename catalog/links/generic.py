"""Every other host (OpenReview, CVF, NeurIPS, ACL, IEEE, ACM, ...): HEAD, then GET, slowly.

Publishers' sites guard themselves against robots; a checker that calls their 403, 418 or
"Just a moment..." challenge pages "broken" cries wolf. Those answers are ``blocked``, a warning;
only a 404 or 410 means the page is gone. One request at a time per host, at least a second
apart.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

import requests

from catalog.links.config import CheckConfig
from catalog.links.http import Client, Outcome
from catalog.links.results import TargetResult
from catalog.links.targets import ARXIV_HOSTS, GITHUB_HOSTS, Target

Progress = Callable[[int], None]
CHALLENGE_MARKERS = (
    "just a moment",
    "cf-chl",
    "challenge-platform",
    "captcha",
    "access denied",
    "are you a robot",
    "bot detection",
    "enable javascript and cookies",
)
MAX_REDIRECTS = 10


def _same_place(a: str, b: str) -> bool:
    """Two URLs that differ only by scheme, ``www.``, a trailing slash or the fragment."""

    def norm(u: str) -> tuple[str, str, str]:
        p = urlsplit(u)
        return ((p.hostname or "").lower().removeprefix("www."), p.path.rstrip("/") or "/", p.query)

    return norm(a) == norm(b)


def looks_like_challenge(resp: requests.Response, body: bytes) -> bool:
    if resp.headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    text = body[:65536].decode("utf-8", "replace").lower()
    return any(marker in text for marker in CHALLENGE_MARKERS)


class GenericChecker:
    def __init__(self, config: CheckConfig, client: Client):
        self.config = config
        self.client = client

    def check(self, target: Target) -> TargetResult:
        url = target.url
        attempts = 0
        for _ in range(MAX_REDIRECTS + 1):
            out, body, method = self._fetch(url)
            attempts += out.attempts
            result = self._classify(target, url, out, body, attempts, method)
            if result is not None:
                return result
            assert out.response is not None
            url = urljoin(url, out.response.headers["location"])
        return TargetResult(target.key, "error", None, None, attempts, f"more than {MAX_REDIRECTS} redirects")

    def _fetch(self, url: str) -> tuple[Outcome, bytes, str]:
        """HEAD first (cheap); GET when HEAD is refused or fails (many servers mishandle HEAD)."""
        pace = (urlsplit(url).hostname or url).lower()
        request_url = self.config.rewrite(url) if self.config.rewrite else self._endpoint(url)
        out = self.client.request("HEAD", request_url, pace_key=pace)
        if (
            out.kind == "response"
            and out.response is not None
            and (out.response.status_code < 400 or out.response.status_code in (404, 410, 418))
        ):
            return out, b"", "HEAD"
        if out.kind in ("rate-limited", "timeout"):
            return out, b"", "HEAD"  # a slow host will not answer a GET faster
        head_attempts = out.attempts
        out = self.client.request("GET", request_url, pace_key=pace, stream=True)
        out.attempts += head_attempts
        body = b""
        if out.response is not None:
            try:
                body = next(out.response.iter_content(65536), b"")
            except requests.RequestException:
                body = b""
            finally:
                out.response.close()
        return out, body, "GET"

    def _endpoint(self, url: str) -> str:
        """github.com and arxiv.org pages that are no repository or paper still go to the configured bases."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        base = self.config.github_web if host in GITHUB_HOSTS else self.config.arxiv_web if host in ARXIV_HOSTS else None
        if base is None:
            return url
        return base.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")

    def _classify(self, target: Target, url: str, out: Outcome, body: bytes, attempts: int, method: str) -> TargetResult | None:
        key = target.key
        if out.kind == "rate-limited":
            return TargetResult(key, "rate-limited", None, out.status, attempts, out.detail)
        if out.response is None:
            return TargetResult(key, out.kind, None, None, attempts, out.detail)
        status = out.response.status_code
        if status in (301, 302, 303, 307, 308) and out.response.headers.get("location"):
            return None  # follow
        if 200 <= status < 300:
            if _same_place(url, target.url):
                return TargetResult(key, "ok", target.url, status, attempts)
            return TargetResult(key, "redirected", url, status, attempts, f"redirects to {url}")
        if status in (404, 410):
            return TargetResult(
                key, "not-found", None, status, attempts, f"HTTP {status}" + ("" if url == target.url else f" at {url} (after redirects)")
            )
        if status == 418 or (status in (401, 403, 503) and looks_like_challenge(out.response, body)):
            return TargetResult(
                key, "blocked", None, status, attempts, f"HTTP {status}: the site turns robots away; check by hand in a browser"
            )
        if status in (401, 403):
            return TargetResult(
                key, "blocked", None, status, attempts, f"HTTP {status}: access refused to the checker; check by hand in a browser"
            )
        return TargetResult(key, "error", None, status, attempts, f"HTTP {status} ({method})")
