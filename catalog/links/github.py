"""GitHub repositories: GraphQL in batches with a token, REST + ETags and web pages without.

With a token, 100 aliased ``repository(owner:, name:)`` lookups cost one request and one point,
so the whole catalog takes a handful of requests. Without one (or when the token is refused),
REST is tried with ETags (a 304 is free) while the anonymous budget lasts, then the github.com
page at one request per second up to a per-run budget. Whatever none of these covers is
``rate-limited`` (a warning), never "broken".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from catalog.links.cache import LinkCache
from catalog.links.config import CheckConfig
from catalog.links.http import Client, Outcome
from catalog.links.results import TargetResult
from catalog.links.targets import Target

FIELDS = "nameWithOwner isArchived stargazerCount pushedAt url"
Progress = Callable[[int], None]


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


def repo_result(
    target: Target, canonical: str, archived: bool, meta: dict[str, Any], status: int | None, attempts: int, etag: str | None = None
) -> TargetResult:
    """ok, renamed (GitHub's name differs, ignoring case) or archived."""
    url = f"https://github.com/{canonical}"
    if canonical.lower() != f"{target.owner}/{target.name}".lower():
        detail = f"repository is now {canonical}" + (" (and archived)" if archived else "")
        return TargetResult(target.key, "renamed", url, status, attempts, detail, etag=etag, meta=meta)
    if archived:
        return TargetResult(target.key, "archived", url, status, attempts, "repository is archived: read-only", etag=etag, meta=meta)
    return TargetResult(target.key, "ok", url, status, attempts, etag=etag, meta=meta)


class GitHubChecker:
    def __init__(self, config: CheckConfig, api: Client, web: Client, cache: LinkCache, notes: list[str]):
        self.config = config
        self.api = api
        self.web = web
        self.cache = cache
        self.notes = notes
        self.token = config.token
        self.rest_exhausted = False
        self.web_stopped = ""
        self.web_used = 0
        self.results: dict[str, TargetResult] = {}
        self.path_found: dict[str, bool] = {}  # subpath target key -> does the ref/path exist
        self.subs: dict[str, list[Target]] = {}
        self._tick: Callable[[Target], None] = lambda repo: None

    # -- entry point ----------------------------------------------------------------------

    def check(self, targets: list[Target], progress: Progress) -> dict[str, TargetResult]:
        """Results for ``targets`` and for the repositories behind them (one lookup per repository)."""
        repos: dict[str, Target] = {}
        self.subs = defaultdict(list)
        requested = {t.key for t in targets}
        for t in targets:
            repos.setdefault(t.repo_key, replace(t, key=t.repo_key, url=f"https://github.com/{t.owner}/{t.name}", subpath=""))
            if t.subpath:
                self.subs[t.repo_key].append(t)
        self._tick = lambda repo: progress((repo.key in requested) + len(self.subs.get(repo.key, [])))
        pending = list(repos.values())
        if self.token and pending:
            rest: list[Target] = []
            size = max(1, self.config.github_batch)
            for start in range(0, len(pending), size):
                batch = pending[start : start + size]
                rest += self._graphql(batch) if self.token else batch
            pending = rest
        for repo in pending:
            self.results[repo.key] = self._without_graphql(repo)
            self._tick(repo)
        for t in targets:
            if t.subpath:
                self.results[t.key] = self._subpath_result(t, self.results[t.repo_key])
        return self.results

    def _subpath_result(self, target: Target, repo: TargetResult) -> TargetResult:
        if repo.cls not in ("ok", "renamed", "archived"):
            return repo.with_(key=target.key, meta=None, etag=None)
        base = repo.canonical_url or f"https://github.com/{target.owner}/{target.name}"
        found = self.path_found.get(target.key)
        if found is False:
            detail = (
                f"the repository exists but {target.subpath} does not (a deleted branch or a moved path); "
                "link the repository or the new path"
            )
            return TargetResult(target.key, "not-found", base, repo.status, repo.attempts, detail)
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
        n = len(batch)
        if out.kind in ("timeout", "error") or (out.response is not None and out.response.status_code in (502, 504)):
            if n > 1:  # GitHub gives 502/504 for queries running over 10 s: smaller ones succeed
                half = n // 2
                return self._graphql(batch[:half]) + self._graphql(batch[half:])
            cls = "timeout" if out.kind == "timeout" else "error"
            self._finish(batch, cls, out, out.detail or f"GraphQL answered HTTP {out.status}")
            return []
        if out.kind == "rate-limited":
            self._finish(batch, "rate-limited", out, out.detail)
            return []
        resp = out.response
        assert resp is not None
        if resp.status_code == 401:
            self.token = None
            self.notes.append("GitHub refused the token (HTTP 401): checked without it (REST, then web pages)")
            return batch
        if resp.status_code != 200:
            self._finish(batch, "error", out, f"GraphQL answered HTTP {resp.status_code}")
            return []
        try:
            payload = resp.json()
            if not isinstance(payload, dict):
                raise ValueError("not an object")
        except ValueError:
            if rate_retries > 0:
                return self._graphql(batch, rate_retries - 1)
            self._finish(batch, "error", out, "GraphQL answered something that is not JSON")
            return []
        errors = [e for e in payload.get("errors") or [] if isinstance(e, dict)]
        if any(e.get("type") == "RATE_LIMITED" for e in errors):
            now = self.api.clock.time()
            wait = None
            reset = resp.headers.get("x-ratelimit-reset")
            if reset:
                try:
                    wait = max(0.0, float(reset) - now)
                except ValueError:
                    wait = None
            if wait is None:
                wait = self.api.backoff(1)
            if wait <= self.config.max_wait and rate_retries > 0:
                self.api.wait(wait)
                return self._graphql(batch, rate_retries - 1)
            self._finish(
                batch, "rate-limited", out, f"GraphQL rate limit; resets in {wait:.0f} s, over --max-wait {self.config.max_wait:g} s"
            )
            return []
        by_alias = {str(e["path"][0]): e for e in errors if isinstance(e.get("path"), list) and e["path"]}
        data = payload.get("data") or {}
        for i, target in enumerate(batch):
            alias = f"r{i}"
            node = data.get(alias) if isinstance(data, dict) else None
            err = by_alias.get(alias)
            if isinstance(node, dict) and isinstance(node.get("nameWithOwner"), str):
                meta = _meta(node["nameWithOwner"], node.get("stargazerCount"), node.get("isArchived"), node.get("pushedAt"))
                self.results[target.key] = repo_result(target, node["nameWithOwner"], bool(node.get("isArchived")), meta, 200, out.attempts)
                for j, sub in enumerate(self.subs.get(target.key, [])):
                    count = len(sub.expressions())
                    if count:
                        self.path_found[sub.key] = any(node.get(f"f{i}_{j}_{k}") is not None for k in range(count))
            elif err is not None and err.get("type") == "NOT_FOUND":
                self.results[target.key] = TargetResult(
                    target.key, "not-found", None, 200, out.attempts, "GitHub: could not resolve to a repository"
                )
            elif err is not None:
                self.results[target.key] = TargetResult(
                    target.key,
                    "error",
                    None,
                    200,
                    out.attempts,
                    f"GitHub: {err.get('type') or 'error'}: {str(err.get('message', ''))[:120]}",
                )
            else:
                self.results[target.key] = TargetResult(
                    target.key, "error", None, 200, out.attempts, "GitHub left this repository out of the answer"
                )
            self._tick(target)
        return []

    def _finish(self, batch: list[Target], cls: str, out: Outcome, detail: str) -> None:
        for target in batch:
            self.results[target.key] = TargetResult(target.key, cls, None, out.status, out.attempts, detail)
            self._tick(target)

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
        attempts = out.attempts
        if out.kind == "rate-limited":
            if not self.rest_exhausted:
                self.notes.append(f"GitHub REST budget spent ({out.detail}); continuing with github.com pages")
            self.rest_exhausted = True
            return None
        if out.response is None:
            return TargetResult(target.key, out.kind, None, None, attempts, out.detail)
        resp = out.response
        if resp.headers.get("x-ratelimit-remaining", "").strip() == "0" and not self.rest_exhausted:
            self.rest_exhausted = True  # this answer is good, the next request would not be
            self.notes.append("GitHub REST budget spent (x-ratelimit-remaining: 0); continuing with github.com pages")
        status = resp.status_code
        if status == 304 and stale is not None:
            return stale.with_(cached=False, attempts=attempts, status=304)
        if status == 401 and self.token:
            self.token = None
            self.notes.append("GitHub refused the token (HTTP 401): checked without it")
            return self._rest(target)
        if status == 404:
            return TargetResult(target.key, "not-found", None, 404, attempts, "GitHub: repository not found (or private)")
        if status in (301, 302, 307, 308) and resp.headers.get("location"):
            moved = urljoin(url, resp.headers["location"])
            if urlsplit(moved).netloc != urlsplit(url).netloc:
                return TargetResult(target.key, "error", None, status, attempts, "GitHub REST redirected to another host")
            follow = self.api.request("GET", moved, headers={"Accept": "application/vnd.github+json", **self._auth(moved)}, pace_key="rest")
            attempts += follow.attempts
            if follow.response is None or follow.response.status_code != 200:
                return TargetResult(
                    target.key,
                    "renamed" if follow.response is None else "error",
                    None,
                    status,
                    attempts,
                    "repository moved; the new name could not be read",
                )
            resp, status = follow.response, 200
        if status == 200:
            try:
                body = resp.json()
                full_name = body["full_name"]
                if not isinstance(full_name, str):
                    raise ValueError
            except (ValueError, KeyError, TypeError):
                return TargetResult(target.key, "error", None, 200, attempts, "GitHub REST answered something that is not repository JSON")
            meta = _meta(full_name, body.get("stargazers_count"), body.get("archived"), body.get("pushed_at"))
            return repo_result(target, full_name, bool(body.get("archived")), meta, 200, attempts, resp.headers.get("etag"))
        if status == 451:
            return TargetResult(target.key, "blocked", None, status, attempts, "GitHub: repository unavailable for legal reasons")
        return TargetResult(target.key, "error", None, status, attempts, f"GitHub REST answered HTTP {status}")

    def _web(self, target: Target) -> TargetResult:
        if self.web_stopped:
            return TargetResult(target.key, "rate-limited", None, None, 0, self.web_stopped)
        if self.web_used >= self.config.web_budget:
            return TargetResult(
                target.key,
                "rate-limited",
                None,
                None,
                0,
                f"not checked: no usable GitHub token and the budget of {self.config.web_budget} page requests is spent; set GITHUB_TOKEN",
            )
        self.web_used += 1
        url = f"{self.config.github_web}/{target.owner}/{target.name}"
        out = self.web.request("HEAD", url, pace_key="github-web")
        if out.kind == "rate-limited":
            self.web_stopped = f"github.com is rate-limiting ({out.detail}); not checked"
            return TargetResult(target.key, "rate-limited", None, out.status, out.attempts, out.detail)
        if out.response is None:
            return TargetResult(target.key, out.kind, None, None, out.attempts, out.detail)
        status = out.response.status_code
        if status == 200:
            return TargetResult(target.key, "ok", target.url, 200, out.attempts)
        if status == 404:
            return TargetResult(target.key, "not-found", None, 404, out.attempts, "github.com: page not found")
        if status in (301, 302, 307, 308) and out.response.headers.get("location"):
            path = urlsplit(urljoin(url, out.response.headers["location"])).path
            base_path = urlsplit(self.config.github_web).path.rstrip("/")
            parts = [p for p in path.removeprefix(base_path).split("/") if p]
            if len(parts) >= 2:
                canonical = f"{parts[0]}/{parts[1]}"
                return repo_result(target, canonical, False, {}, status, out.attempts).with_(meta=None)
            return TargetResult(target.key, "redirected", None, status, out.attempts, f"github.com redirects to {path}")
        if status in (403, 418):
            return TargetResult(target.key, "blocked", None, status, out.attempts, f"github.com answered HTTP {status}")
        return TargetResult(target.key, "error", None, status, out.attempts, f"github.com answered HTTP {status}")
