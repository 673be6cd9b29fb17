"""Every other host (OpenReview, CVF, NeurIPS, ACL, IEEE, ACM, ...): HEAD, then GET, slowly.

Publishers' sites guard themselves against robots; a checker that calls their 403, 418 or
"Just a moment..." challenge pages "broken" cries wolf. Those answers are ``blocked``, a warning;
only a 404 or 410 means the page is gone. One request at a time per host, at least a second
apart.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

import requests

from catalog.identifiers import ARXIV_HOSTS, GITHUB_HOSTS
from catalog.links.http import Outcome
from catalog.links.registry import CheckContext, register
from catalog.links.results import TargetResult
from catalog.links.targets import Target

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
PAGE_HEAD_BYTES = 65_536  # what a GET reads of a page: challenge markers and titles sit in its head


def _same_place(a: str, b: str) -> bool:
    """Two URLs that differ only by scheme, ``www.``, a trailing slash or the fragment."""

    def norm(u: str) -> tuple[str, str, str]:
        p = urlsplit(u)
        return ((p.hostname or "").lower().removeprefix("www."), p.path.rstrip("/") or "/", p.query)

    return norm(a) == norm(b)


def looks_like_challenge(resp: requests.Response, body: bytes) -> bool:
    if resp.headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    text = body[:PAGE_HEAD_BYTES].decode("utf-8", "replace").lower()
    return any(marker in text for marker in CHALLENGE_MARKERS)


@register("generic", rank=2)
class GenericChecker:
    """Every other host: hosts side by side, each host's links one at a time (the client paces them)."""

    def __init__(self, context: CheckContext):
        self.context = context
        self.config = context.config
        self.client = context.clients.generic

    def check(self, targets: list[Target]) -> dict[str, TargetResult]:
        by_host: dict[str, list[Target]] = defaultdict(list)
        for t in targets:
            by_host[t.host].append(t)
        results: dict[str, TargetResult] = {}
        with ThreadPoolExecutor(max_workers=max(1, self.config.workers)) as pool:
            for done in [pool.submit(self._check_host, ts) for _, ts in sorted(by_host.items())]:
                results.update(done.result())
        return results

    def _check_host(self, targets: list[Target]) -> dict[str, TargetResult]:
        out: dict[str, TargetResult] = {}
        for target in targets:
            out[target.key] = self.check_one(target)
            self.context.done(out[target.key])
            self.context.progress(1)
        return out

    def check_one(self, target: Target) -> TargetResult:
        """Follow redirects by hand (each hop paced and classified); a loop or more than MAX_REDIRECTS hops is an error."""
        url = target.url
        attempts = 0
        seen: set[str] = set()
        for _ in range(MAX_REDIRECTS + 1):
            seen.add(url)
            out, body, method = self._fetch(url)
            attempts += out.attempts
            result = self._classify(target, url, out, body, attempts, method)
            if result is not None:
                return result
            assert out.response is not None
            url = urljoin(url, out.response.headers["location"])
            if url in seen:
                return TargetResult.error(
                    target.key, f"redirect loop: {url} redirects back to itself", status=out.status, attempts=attempts
                )
        return TargetResult.error(target.key, f"more than {MAX_REDIRECTS} redirects", attempts=attempts)

    def _fetch(self, url: str) -> tuple[Outcome, bytes, str]:
        """HEAD first (cheap); GET when HEAD is refused or fails (many servers mishandle HEAD).

        A GET reads at most the first 64 KB: enough for a robot-challenge marker, and a huge
        page is never held in memory.
        """
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
        out = self.client.request("GET", request_url, pace_key=pace, max_body=PAGE_HEAD_BYTES)
        out.attempts += head_attempts
        return out, out.response.content if out.response is not None else b"", "GET"

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
            return TargetResult.rate_limited(key, out.detail, status=out.status, attempts=attempts)
        if out.response is None:
            return TargetResult.of(out.kind, key, out.detail, attempts=attempts)
        status = out.response.status_code
        if status in (301, 302, 303, 307, 308) and out.response.headers.get("location"):
            return None  # follow
        if 200 <= status < 300:
            if _same_place(url, target.url):
                return TargetResult.ok(key, target.url, status=status, attempts=attempts)
            return TargetResult.redirected(key, url, f"redirects to {url}", status=status, attempts=attempts)
        if status in (404, 410):
            return TargetResult.not_found(
                key, f"HTTP {status}" + ("" if url == target.url else f" at {url} (after redirects)"), status=status, attempts=attempts
            )
        if status == 418 or (status in (401, 403, 503) and looks_like_challenge(out.response, body)):
            return TargetResult.blocked(
                key, f"HTTP {status}: the site turns robots away; check by hand in a browser", status=status, attempts=attempts
            )
        if status in (401, 403):
            return TargetResult.blocked(
                key, f"HTTP {status}: access refused to the checker; check by hand in a browser", status=status, attempts=attempts
            )
        return TargetResult.error(key, f"HTTP {status} ({method})", status=status, attempts=attempts)
