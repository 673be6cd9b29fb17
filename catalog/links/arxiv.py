"""arXiv identifiers through the export API: 100 ids a call, 3 s apart, over one connection.

The API's traps are handled where they bite: ``max_results`` is always sent (it defaults to
10 and silently cuts a batch), ids travel in a POST form (long GETs get 414), entries are
matched by id without version (they come back in any order), a 400 is split to isolate the
one id that killed the batch, an empty or truncated answer is asked again, and an id missing
from the feed is asked once more, then confirmed by one abs page before it is called missing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from catalog.identifiers import parse_arxiv_id
from catalog.links.http import Outcome
from catalog.links.registry import CheckContext, register
from catalog.links.results import TargetResult, Verdict
from catalog.links.targets import Target

ATOM = "{http://www.w3.org/2005/Atom}"
_ABS_RE = re.compile(r"/abs/(?P<id>.+?)/?$")


@dataclass
class Entry:
    latest: int | None
    title: str


@dataclass
class Failure:
    cls: str
    detail: str
    status: int | None


def parse_feed(text: str | bytes) -> tuple[dict[str, Entry], bool]:
    """Entries of an Atom feed by id without version; the flag says whether an Error entry was present.

    Raises ``ET.ParseError`` for a body that is not (complete) XML.
    """
    root = ET.fromstring(text)
    entries: dict[str, Entry] = {}
    error = False
    for entry in root.iter(f"{ATOM}entry"):
        raw_id = (entry.findtext(f"{ATOM}id") or "").strip()
        title = " ".join((entry.findtext(f"{ATOM}title") or "").split())
        if "/api/errors" in raw_id or (title == "Error" and "/abs/" not in raw_id):
            error = True
            continue
        m = _ABS_RE.search(raw_id)
        parsed, _ = parse_arxiv_id(m["id"]) if m else (None, None)
        if parsed is None:
            continue
        entries[parsed.base] = Entry(parsed.version, title)
    if root.tag != f"{ATOM}feed":
        raise ET.ParseError("not an Atom feed")
    return entries, error


@register("arxiv", rank=1)
class ArxivChecker:
    """arXiv ids through the export API in batches; abs and html pages only to confirm a miss or an HTML link."""

    def __init__(self, context: CheckContext):
        self.context = context
        self.config = context.config
        self.client = context.clients.arxiv
        self.found: dict[str, Entry] = {}
        self.failed: dict[str, Failure] = {}
        self.attempts: dict[str, int] = {}
        self.results: dict[str, TargetResult] = {}

    def check(self, targets: list[Target]) -> dict[str, TargetResult]:
        bases = list(dict.fromkeys(t.arxiv.base for t in targets if t.arxiv))
        size = max(1, self.config.arxiv_batch)
        for start in range(0, len(bases), size):
            self._query(bases[start : start + size])
            self._settle(targets, final=False)
        missing = [b for b in bases if b not in self.found and b not in self.failed]
        for start in range(0, len(missing), size):  # missing once: ask again (the API has bad moments)
            self._query(missing[start : start + size], empty_retries=0)
        for base in bases:
            if base not in self.found and base not in self.failed:
                self._confirm(base)
        self._settle(targets, final=True)
        return self.results

    def _settle(self, targets: list[Target], *, final: bool) -> None:
        """Hand on every verdict that is known: after each batch the ids found (their HTML links wait), at the end all."""
        for target in targets:
            if target.key in self.results or target.arxiv is None:
                continue
            base = target.arxiv.base
            if final or (base in self.found and target.subpath != "html"):
                self.results[target.key] = self._result(target)
                self.context.done(self.results[target.key])
                self.context.progress(1)

    def _count(self, chunk: list[str], out: Outcome) -> None:
        for base in chunk:
            self.attempts[base] = self.attempts.get(base, 0) + out.attempts

    def _fail(self, chunk: list[str], cls: str, detail: str, status: int | None) -> None:
        for base in chunk:
            self.failed[base] = Failure(cls, detail, status)

    def _query(self, chunk: list[str], empty_retries: int = 1, parse_retries: int = 1) -> None:
        if not chunk:
            return
        form = {"id_list": ",".join(chunk), "max_results": str(len(chunk)), "start": "0"}
        out = self.client.request("POST", self.config.arxiv_api, data=form, pace_key="arxiv")
        self._count(chunk, out)
        if out.response is None or out.kind == "rate-limited":
            cls = out.kind if out.kind in ("timeout", "rate-limited") else "error"
            self._fail(chunk, cls, out.detail or f"arXiv API: HTTP {out.status}", out.status)
            return
        resp = out.response
        if resp.status_code in (400, 413, 414):
            self._split_or_fail(chunk, resp.status_code)
            return
        if resp.status_code != 200:
            self._fail(chunk, "error", f"arXiv API answered HTTP {resp.status_code}", resp.status_code)
            return
        try:
            entries, error = parse_feed(resp.content)
        except ET.ParseError:
            if parse_retries > 0:
                self._query(chunk, empty_retries, parse_retries - 1)
            else:
                self._fail(chunk, "error", "arXiv API answered something that is not a complete Atom feed", 200)
            return
        if error:  # the older API reports a malformed id with 200 and an Error entry
            self._split_or_fail(chunk, 200)
            return
        if not entries and empty_retries > 0:  # known API hiccup: an empty feed for ids that exist
            self._query(chunk, empty_retries - 1, parse_retries)
            return
        for base in chunk:
            if base in entries:
                self.found[base] = entries[base]

    def _split_or_fail(self, chunk: list[str], status: int) -> None:
        if len(chunk) > 1:
            half = len(chunk) // 2
            self._query(chunk[:half])
            self._query(chunk[half:])
        elif status in (400, 200):
            self._fail(chunk, "invalid", "arXiv rejects this id as malformed", status)
        else:
            self._fail(chunk, "error", f"arXiv API answered HTTP {status}", status)

    def _confirm(self, base: str) -> None:
        """One abs page for an id the API did not return twice: 404 settles it, anything else does not."""
        out = self.client.request("GET", f"{self.config.arxiv_web}/abs/{base}", pace_key="arxiv", max_attempts=2)
        self.attempts[base] = self.attempts.get(base, 0) + out.attempts
        status = out.status
        if out.response is None or out.kind == "rate-limited":
            self._fail([base], out.kind if out.kind in ("timeout", "rate-limited") else "error", out.detail, status)
        elif status == 404:
            self._fail([base], "not-found", "arXiv has no paper with this id", 404)
        elif status == 200:
            self.found[base] = Entry(None, "")
        elif status in (403, 418):
            self._fail([base], "blocked", "arXiv's robot check refused the abs page", status)
        else:
            self._fail([base], "error", f"arXiv abs page answered HTTP {status}", status)

    def _result(self, target: Target) -> TargetResult:
        assert target.arxiv is not None
        base, version = target.arxiv.base, target.arxiv.version
        attempts = self.attempts.get(base, 0)
        if base in self.failed:
            f = self.failed[base]
            return TargetResult.of(f.cls, target.key, f.detail, status=f.status, attempts=attempts)
        entry = self.found[base]
        latest = f"https://arxiv.org/abs/{base}" + (f"v{entry.latest}" if entry.latest else "")
        if version is not None and entry.latest is not None and version > entry.latest:
            return TargetResult.of(
                Verdict.VERSION_NOT_FOUND,
                target.key,
                f"v{version} does not exist; the latest is v{entry.latest}",
                canonical_url=latest,
                status=200,
                attempts=attempts,
                title=entry.title or None,
            )
        if target.subpath == "html":
            return self._html(target, entry, attempts)
        return TargetResult.ok(
            target.key, f"https://arxiv.org/abs/{target.arxiv}", status=200, attempts=attempts, title=entry.title or None
        )

    def _html(self, target: Target, entry: Entry, attempts: int) -> TargetResult:
        """The paper exists; does its HTML rendering? (Only papers since December 2023 may have one.)"""
        out = self.client.request("HEAD", f"{self.config.arxiv_web}/html/{target.arxiv}", pace_key="arxiv", max_attempts=2)
        attempts += out.attempts
        title = entry.title or None
        abs_url = f"https://arxiv.org/abs/{target.arxiv}"
        if out.response is None or out.kind == "rate-limited":
            return TargetResult.of(
                out.kind if out.kind in ("timeout", "rate-limited") else "error",
                target.key,
                out.detail,
                status=out.status,
                attempts=attempts,
                title=title,
            )
        status = out.response.status_code
        if status == 404:
            return TargetResult.not_found(
                target.key,
                "the paper exists but has no HTML version; link the abs page",
                canonical_url=abs_url,
                status=404,
                attempts=attempts,
                title=title,
            )
        if status < 400:
            return TargetResult.ok(target.key, f"https://arxiv.org/html/{target.arxiv}", status=status, attempts=attempts, title=title)
        if status in (403, 418):
            return TargetResult.blocked(
                target.key, "arXiv's robot check refused the HTML page", status=status, attempts=attempts, title=title
            )
        return TargetResult.error(target.key, f"arXiv HTML page answered HTTP {status}", status=status, attempts=attempts, title=title)
