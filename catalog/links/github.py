"""GitHub repositories: GraphQL in batches with a token, REST + ETags and web pages without.

With a token, 100 aliased ``repository(owner:, name:)`` lookups cost one request and one point,
so the whole catalog takes a handful of requests. Without one (or when the token is refused),
REST is tried with ETags (a 304 is free) while the anonymous budget lasts, then the github.com
page at one request per second up to a per-run budget. Whatever none of these covers is
``rate-limited`` (a warning), never "broken".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

from catalog.links.http import Outcome
from catalog.links.registry import CheckContext, register
from catalog.links.results import TargetResult, Verdict
from catalog.links.targets import Target

FIELDS = "nameWithOwner isArchived stargazerCount pushedAt url"
MAX_SPLITS = 6  # batch halvings per run after a 502/504/timeout: a server that always fails costs a few requests, not 2n


def build_query(batch: list[Target], subs: Mapping[str, list[Target]] | None = None) -> tuple[str, dict[str, str]]:
    """An aliased GraphQL query for ``batch``; owners, names and paths travel as variables, never spliced in.

    Subpath links of a repository (``tree/main/src``) add ``object(expression:)`` lookups inside
    its selection: still one query and one point.
    """
    params: list[str] = []
    parts: list[str] = []
    variables: dict[str, str] = {}
    for i, t in enumerate(batch):
        params.append(f"$o{i}: String!, $n{i}: String!")
        variables[f"o{i}"] = t.owner
        variables[f"n{i}"] = t.name
        objects = ""
        for j, sub in enumerate((subs or {}).get(t.key, [])):
            for k, expression in enumerate(sub.expressions()):
                var = f"e{i}_{j}_{k}"
                params.append(f"${var}: String!")
                variables[var] = expression
                objects += f" f{i}_{j}_{k}: object(expression: ${var}) {{ __typename }}"
        parts.append(f"r{i}: repository(owner: $o{i}, name: $n{i}) {{ {FIELDS}{objects} }}")
    return f"query({', '.join(params)}) {{ {' '.join(parts)} }}", variables


def _meta(canonical: str, stars: Any, archived: Any, pushed_at: Any) -> dict[str, Any]:
    return {
        "canonical": canonical,
        "stars": stars if isinstance(stars, int) else None,
        "archived": bool(archived),
        "pushed_at": pushed_at if isinstance(pushed_at, str) else None,
    }


def _reset_in(reset: str | None, now_epoch: float) -> float | None:
    """Seconds until an ``x-ratelimit-reset`` epoch, or None without a usable header."""
    try:
        return max(0.0, float(reset) - now_epoch) if reset else None
    except ValueError:
        return None


def repo_result(
    target: Target, canonical: str, archived: bool, meta: dict[str, Any], status: int | None, attempts: int, etag: str | None = None
) -> TargetResult:
    """ok, renamed (GitHub's name differs, ignoring case) or archived."""
    url = f"https://github.com/{canonical}"
    if canonical.lower() != f"{target.owner}/{target.name}".lower():
        detail = f"repository is now {canonical}" + (" (and archived)" if archived else "")
        return TargetResult.of(
            Verdict.RENAMED, target.key, detail, canonical_url=url, status=status, attempts=attempts, etag=etag, meta=meta
        )
    if archived:
        return TargetResult.of(
            Verdict.ARCHIVED,
            target.key,
            "repository is archived: read-only",
            canonical_url=url,
            status=status,
            attempts=attempts,
            etag=etag,
            meta=meta,
        )
    return TargetResult.ok(target.key, url, status=status, attempts=attempts, etag=etag, meta=meta)


@register("github", rank=0)
class GitHubChecker:
    """GitHub repositories (and paths inside them): GraphQL with a token, then REST, then web pages."""

    def __init__(self, context: CheckContext):
        self.context = context
        self.config = context.config
        self.api = context.clients.github_api
        self.web = context.clients.github_web
        self.cache = context.cache
        self.notes = context.notes
        self.token = context.config.token
        self.rest_exhausted = False
        self.web_stopped = ""
        self.web_used = 0
        self.results: dict[str, TargetResult] = {}
        self.path_found: dict[str, bool] = {}  # subpath target key -> does the ref/path exist
        self.subs: dict[str, list[Target]] = defaultdict(list)
        self.requested: set[str] = set()
        self.splits_left = MAX_SPLITS

    # -- entry point ----------------------------------------------------------------------

    def check(self, targets: list[Target]) -> dict[str, TargetResult]:
        """Results for ``targets`` and for the repositories behind them (one lookup per repository)."""
        repos: dict[str, Target] = {}
        self.requested = {t.key for t in targets}
        for t in targets:
            repos.setdefault(t.repo_key, replace(t, key=t.repo_key, url=f"https://github.com/{t.owner}/{t.name}", subpath=""))
            if t.subpath:
                self.subs[t.repo_key].append(t)
        pending = list(repos.values())
        if self.token and pending:
            size = max(1, self.config.github_batch)
            rest: list[Target] = []
            for start in range(0, len(pending), size):
                batch = pending[start : start + size]
                rest += self._graphql(batch) if self.token else batch
            pending = rest
        for repo in pending:
            self.results[repo.key] = self._without_graphql(repo)
            self._settled(repo)
        return self.results

    def _settled(self, repo: Target) -> None:
        """The repository's verdict is final: derive its subpath links' verdicts and hand all of them on."""
        result = self.results[repo.key]
        self.context.done(result)
        for sub in self.subs.get(repo.key, []):
            self.results[sub.key] = self._subpath_result(sub, result)
            self.context.done(self.results[sub.key])
        self.context.progress((repo.key in self.requested) + len(self.subs.get(repo.key, [])))

    def _subpath_result(self, target: Target, repo: TargetResult) -> TargetResult:
        if repo.cls not in (Verdict.OK, Verdict.RENAMED, Verdict.ARCHIVED):
            return repo.with_(key=target.key, meta=None, etag=None)
        base = repo.canonical_url or f"https://github.com/{target.owner}/{target.name}"
        found = self.path_found.get(target.key)
        if found is False:
            detail = (
                f"the repository exists but {target.subpath} does not (a deleted branch or a moved path); "
                "link the repository or the new path"
            )
            return TargetResult.not_found(target.key, detail, canonical_url=base, status=repo.status, attempts=repo.attempts)
        detail = repo.detail
        if found is None and target.expressions():
            detail = "; ".join(d for d in (detail, "the path was not verified (that needs GITHUB_TOKEN)") if d)
        return repo.with_(key=target.key, canonical_url=f"{base}/{target.subpath}", detail=detail, meta=None, etag=None)

    def _auth(self, url: str) -> dict[str, str]:
        if self.token and self.config.is_github_api(url):
            return {"Authorization": f"bearer {self.token}"}
        return {}

    # -- GraphQL ----------------------------------------------------------------------------

    def _graphql(self, batch: list[Target], rate_retries: int = 2) -> list[Target]:
        """Check ``batch``; returns the targets left for REST (after a 401)."""
        query, variables = build_query(batch, self.subs)
        url = self.config.github_graphql
        out = self.api.request(
            "POST",
            url,
            json={"query": query, "variables": variables},
            headers=self._auth(url),
            pace_key="graphql",
            retry_statuses=frozenset({500, 503}),
        )
        overloaded = out.kind == "timeout" or (out.response is not None and out.response.status_code in (502, 504))
        if overloaded and len(batch) > 1 and self.splits_left > 0:  # GitHub gives 502/504 for queries over 10 s: smaller ones succeed
            self.splits_left -= 1
            half = len(batch) // 2
            return self._graphql(batch[:half]) + self._graphql(batch[half:])
        if overloaded or out.kind == "error":  # a dropped connection is not helped by smaller queries
            self._finish(batch, "timeout" if out.kind == "timeout" else "error", out, out.detail or f"GraphQL answered HTTP {out.status}")
            return []
        if out.kind == "rate-limited":
            self._finish(batch, Verdict.RATE_LIMITED, out, out.detail)
            return []
        resp = out.response
        assert resp is not None
        if resp.status_code == 401:
            self.token = None
            self.notes.append("GitHub refused the token (HTTP 401): checked without it (REST, then web pages)")
            return batch
        if resp.status_code != 200:
            self._finish(batch, Verdict.ERROR, out, f"GraphQL answered HTTP {resp.status_code}")
            return []
        return self._graphql_answer(batch, out, resp, rate_retries)

    def _graphql_answer(self, batch: list[Target], out: Outcome, resp: requests.Response, rate_retries: int) -> list[Target]:
        """Read a 200 answer: JSON with ``data`` and maybe ``errors`` (NOT_FOUND, RATE_LIMITED, partial failures)."""
        try:
            payload = resp.json()
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except ValueError:
            if rate_retries > 0:
                return self._graphql(batch, rate_retries - 1)
            self._finish(batch, Verdict.ERROR, out, "GraphQL answered something that is not JSON")
            return []
        errors = [e for e in payload.get("errors") or [] if isinstance(e, dict)]
        if any(e.get("type") == "RATE_LIMITED" for e in errors):
            return self._graphql_rate_limited(batch, out, resp, rate_retries)
        by_alias = {str(e["path"][0]): e for e in errors if isinstance(e.get("path"), list) and e["path"]}
        data = payload.get("data")
        for i, target in enumerate(batch):
            node = data.get(f"r{i}") if isinstance(data, dict) else None
            self.results[target.key] = self._graphql_node(i, target, node, by_alias.get(f"r{i}"), out)
            self._settled(target)
        return []

    def _graphql_rate_limited(self, batch: list[Target], out: Outcome, resp: requests.Response, rate_retries: int) -> list[Target]:
        wait = _reset_in(resp.headers.get("x-ratelimit-reset"), self.api.clock.time())
        if wait is None:
            wait = self.api.backoff(1)
        if wait <= self.config.max_wait and rate_retries > 0:
            self.api.wait(wait)
            return self._graphql(batch, rate_retries - 1)
        self._finish(
            batch, Verdict.RATE_LIMITED, out, f"GraphQL rate limit; resets in {wait:.0f} s, over --max-wait {self.config.max_wait:g} s"
        )
        return []

    def _graphql_node(self, i: int, target: Target, node: Any, err: dict[str, Any] | None, out: Outcome) -> TargetResult:
        """One repository of a batch answer. Only GitHub's own NOT_FOUND means not-found; a missing node is an error."""
        if isinstance(node, dict) and isinstance(node.get("nameWithOwner"), str):
            meta = _meta(node["nameWithOwner"], node.get("stargazerCount"), node.get("isArchived"), node.get("pushedAt"))
            for j, sub in enumerate(self.subs.get(target.key, [])):
                count = len(sub.expressions())
                if count:
                    self.path_found[sub.key] = any(node.get(f"f{i}_{j}_{k}") is not None for k in range(count))
            return repo_result(target, node["nameWithOwner"], bool(node.get("isArchived")), meta, 200, out.attempts)
        if err is not None and err.get("type") == "NOT_FOUND":
            return TargetResult.not_found(target.key, "GitHub: could not resolve to a repository", status=200, attempts=out.attempts)
        if err is not None:
            detail = f"GitHub: {err.get('type') or 'error'}: {str(err.get('message', ''))[:120]}"
            return TargetResult.error(target.key, detail, status=200, attempts=out.attempts)
        return TargetResult.error(target.key, "GitHub left this repository out of the answer", status=200, attempts=out.attempts)

    def _finish(self, batch: list[Target], cls: str, out: Outcome, detail: str) -> None:
        for target in batch:
            self.results[target.key] = TargetResult.of(cls, target.key, detail, status=out.status, attempts=out.attempts)
            self._settled(target)

    # -- REST, then web pages -------------------------------------------------------------------

    def _without_graphql(self, target: Target) -> TargetResult:
        stale = self.cache.stale(target.key)
        if not self.rest_exhausted or (stale is not None and stale.etag):  # a 304 costs no budget
            result = self._rest(target)
            if result is not None:
                return result
        return self._web(target)

    def _rest(self, target: Target) -> TargetResult | None:
        """One REST lookup; None when the anonymous budget is spent (the caller tries the web page)."""
        url = f"{self.config.github_api}/repos/{target.owner}/{target.name}"
        stale = self.cache.stale(target.key)
        headers = {"Accept": "application/vnd.github+json", **self._auth(url)}
        if stale is not None and stale.etag:
            headers["If-None-Match"] = stale.etag
        out = self.api.request("GET", url, headers=headers, pace_key="rest")
        if out.kind == "rate-limited":
            if not self.rest_exhausted:
                self.notes.append(f"GitHub REST budget spent ({out.detail}); continuing with github.com pages")
            self.rest_exhausted = True
            return None
        if out.response is None:
            return TargetResult.of(out.kind, target.key, out.detail, attempts=out.attempts)
        resp = out.response
        if resp.headers.get("x-ratelimit-remaining", "").strip() == "0" and not self.rest_exhausted:
            self.rest_exhausted = True  # this answer is good, the next request would not be
            self.notes.append("GitHub REST budget spent (x-ratelimit-remaining: 0); continuing with github.com pages")
        status = resp.status_code
        if status == 304 and stale is not None:
            return stale.with_(cached=False, attempts=out.attempts, status=304)
        if status == 401 and self.token:
            self.token = None
            self.notes.append("GitHub refused the token (HTTP 401): checked without it")
            return self._rest(target)
        return self._rest_answer(target, url, resp, out.attempts)

    def _rest_answer(self, target: Target, url: str, resp: requests.Response, attempts: int) -> TargetResult:
        status = resp.status_code
        if status == 404:
            return TargetResult.not_found(target.key, "GitHub: repository not found (or private)", status=404, attempts=attempts)
        if status in (301, 302, 307, 308) and resp.headers.get("location"):
            moved = urljoin(url, resp.headers["location"])
            if urlsplit(moved).netloc != urlsplit(url).netloc:
                return TargetResult.error(target.key, "GitHub REST redirected to another host", status=status, attempts=attempts)
            follow = self.api.request("GET", moved, headers={"Accept": "application/vnd.github+json", **self._auth(moved)}, pace_key="rest")
            attempts += follow.attempts
            if follow.response is None or follow.response.status_code != 200:
                verdict = Verdict.RENAMED if follow.response is None else Verdict.ERROR
                return TargetResult.of(
                    verdict, target.key, "repository moved; the new name could not be read", status=status, attempts=attempts
                )
            resp, status = follow.response, 200
        if status == 200:
            return self._rest_repository(target, resp, attempts)
        if status == 451:
            return TargetResult.blocked(target.key, "GitHub: repository unavailable for legal reasons", status=status, attempts=attempts)
        return TargetResult.error(target.key, f"GitHub REST answered HTTP {status}", status=status, attempts=attempts)

    def _rest_repository(self, target: Target, resp: requests.Response, attempts: int) -> TargetResult:
        try:
            body = resp.json()
            full_name = body["full_name"]
            if not isinstance(full_name, str):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return TargetResult.error(
                target.key, "GitHub REST answered something that is not repository JSON", status=200, attempts=attempts
            )
        meta = _meta(full_name, body.get("stargazers_count"), body.get("archived"), body.get("pushed_at"))
        return repo_result(target, full_name, bool(body.get("archived")), meta, 200, attempts, resp.headers.get("etag"))

    def _web(self, target: Target) -> TargetResult:
        if self.web_stopped:
            return TargetResult.rate_limited(target.key, self.web_stopped)
        if self.web_used >= self.config.web_budget:
            return TargetResult.rate_limited(
                target.key,
                f"not checked: no usable GitHub token and the budget of {self.config.web_budget} page requests is spent; set GITHUB_TOKEN",
            )
        self.web_used += 1
        url = f"{self.config.github_web}/{target.owner}/{target.name}"
        out = self.web.request("HEAD", url, pace_key="github-web")
        if out.kind == "rate-limited":
            self.web_stopped = f"github.com is rate-limiting ({out.detail}); not checked"
            return TargetResult.rate_limited(target.key, out.detail, status=out.status, attempts=out.attempts)
        if out.response is None:
            return TargetResult.of(out.kind, target.key, out.detail, attempts=out.attempts)
        status = out.response.status_code
        if status == 200:
            return TargetResult.ok(target.key, target.url, status=200, attempts=out.attempts)
        if status == 404:
            return TargetResult.not_found(target.key, "github.com: page not found", status=404, attempts=out.attempts)
        if status in (301, 302, 307, 308) and out.response.headers.get("location"):
            path = urlsplit(urljoin(url, out.response.headers["location"])).path
            base_path = urlsplit(self.config.github_web).path.rstrip("/")
            parts = [p for p in path.removeprefix(base_path).split("/") if p]
            if len(parts) >= 2:
                canonical = f"{parts[0]}/{parts[1]}"
                return repo_result(target, canonical, False, {}, status, out.attempts).with_(meta=None)
            return TargetResult.redirected(target.key, None, f"github.com redirects to {path}", status=status, attempts=out.attempts)
        if status in (403, 418):
            return TargetResult.blocked(target.key, f"github.com answered HTTP {status}", status=status, attempts=out.attempts)
        return TargetResult.error(target.key, f"github.com answered HTTP {status}", status=status, attempts=out.attempts)
