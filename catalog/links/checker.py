"""Orchestration: links -> unique targets -> cache -> one checker per host family -> link results.

Families run side by side (GitHub, arXiv, and each other host on its own), each sequential and
paced inside, so the slow ones (arXiv's 3 s rule, 1 s per publisher page) overlap instead of
adding up. Results come back per target and are spread onto every link that shares the target;
the title comparison is per link, because two papers may point at the same arXiv id.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from catalog.catalog import Catalog
from catalog.links.arxiv import ArxivChecker
from catalog.links.cache import LinkCache
from catalog.links.config import CheckConfig
from catalog.links.generic import GenericChecker
from catalog.links.github import GitHubChecker
from catalog.links.http import Client, Clock, Policy, RealClock
from catalog.links.results import FAILING, STRICT_FAILING, LinkResult, TargetResult
from catalog.links.targets import Link, Target, catalog_links, shared_targets, unique_targets
from catalog.links.titles import clearly_different

FAMILIES = ("github", "arxiv", "generic")


@dataclass
class CheckReport:
    links: list[LinkResult]
    targets: int
    requests: dict[str, int] = field(default_factory=dict)
    requests_by_host: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    shared: dict[str, list[Link]] = field(default_factory=dict)
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)  # "owner/name" -> repo meta
    offline: bool = False

    def failing(self, strict: bool = False) -> list[LinkResult]:
        bad = STRICT_FAILING if strict else FAILING
        return [r for r in self.links if r.cls in bad]

    def exit_code(self, strict: bool = False) -> int:
        return 1 if self.failing(strict) else 0

    @property
    def cached(self) -> int:
        return len({r.key for r in self.links if r.cached})


@dataclass
class Clients:
    github_api: Client
    github_web: Client
    arxiv: Client
    generic: Client

    def all(self) -> dict[str, list[Client]]:
        return {"github": [self.github_api, self.github_web], "arxiv": [self.arxiv], "generic": [self.generic]}

    def close(self) -> None:
        for group in self.all().values():
            for c in group:
                c.close()


def make_clients(config: CheckConfig, clock: Clock, rng: random.Random | None = None) -> Clients:
    rng = rng or random.Random()

    def policy(**kw: Any) -> Policy:
        return Policy(timeout=config.timeout, max_wait=config.max_wait, max_attempts=config.max_attempts, **kw)

    arxiv = Client("arxiv", policy(min_interval=config.arxiv_delay, backoff=max(config.arxiv_delay, 0.01)), clock, rng)
    # One connection to arXiv, as its terms ask.
    from requests.adapters import HTTPAdapter

    single = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
    arxiv.session.mount("http://", single)
    arxiv.session.mount("https://", single)
    return Clients(
        github_api=Client("github", policy(), clock, rng),
        github_web=Client("github", policy(min_interval=config.web_interval), clock, rng),
        arxiv=arxiv,
        generic=Client("generic", policy(min_interval=config.web_interval), clock, rng),
    )


def check_links(
    catalog: Catalog,
    config: CheckConfig,
    cache: LinkCache | None = None,
    *,
    paper_ids: Iterable[str] | None = None,
    offline: bool = False,
    clock: Clock | None = None,
    clients: Clients | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> CheckReport:
    """Check the links of ``catalog`` (or of ``paper_ids`` only) and return every verdict."""
    clock = clock or RealClock()
    cache = cache or LinkCache(None)
    links = catalog_links(catalog, paper_ids)
    targets = unique_targets(links)
    now = clock.time()
    results: dict[str, TargetResult] = {}
    pending: dict[str, list[Target]] = defaultdict(list)
    for key, target in targets.items():
        if target.family == "invalid":
            results[key] = TargetResult(key, "invalid", None, None, 0, target.problem)
            continue
        cached = cache.fresh(key, now)
        if cached is not None:
            results[key] = cached
        elif offline:
            results[key] = TargetResult(key, "unchecked", None, None, 0, "not checked (--offline)")
        else:
            pending[target.family].append(target)
    report = CheckReport(links=[], targets=len(targets), offline=offline)
    report.shared = shared_targets(links)
    total = sum(len(v) for v in pending.values())
    if on_total:
        on_total(total)
    tick = progress or (lambda n: None)
    own_clients = clients is None
    if pending:
        clients = clients or make_clients(config, clock)
        try:
            results.update(_run(config, clients, cache, pending, clock, tick, report))
        finally:
            for family, group in clients.all().items():
                report.requests[family] = sum(c.stats.requests for c in group)
                for c in group:
                    for host, n in c.stats.by_host.items():
                        name = {"graphql": "github graphql", "rest": "github rest", "github-web": "github.com", "arxiv": "arxiv.org"}.get(
                            host, host
                        )
                        report.requests_by_host[name] = report.requests_by_host.get(name, 0) + n
            if own_clients:
                clients.close()
    for family in FAMILIES:
        report.requests.setdefault(family, 0)
    now = clock.time()
    for result in results.values():
        cache.store(result, now)
    report.links = sorted((_link_result(catalog, lk, results[lk.target.key]) for lk in links), key=LinkResult.sort_key)
    for key, result in sorted(results.items()):
        if key.startswith("github:") and key.count("/") == 1 and result.meta and result.cls in ("ok", "renamed", "archived"):
            report.metadata[key.removeprefix("github:")] = {**result.meta, "checked_at": (result.checked_at or _date(now))[:10]}
    return report


def _date(epoch: float) -> str:
    from catalog.links.cache import iso_now

    return iso_now(epoch)


def _run(
    config: CheckConfig,
    clients: Clients,
    cache: LinkCache,
    pending: dict[str, list[Target]],
    clock: Clock,
    tick: Callable[[int], None],
    report: CheckReport,
) -> dict[str, TargetResult]:
    results: dict[str, TargetResult] = {}
    notes: list[str] = []

    def timed(family: str, job: Callable[[], dict[str, TargetResult]]) -> dict[str, TargetResult]:
        start = clock.monotonic()
        try:
            return job()
        finally:
            report.seconds[family] = max(report.seconds.get(family, 0.0), clock.monotonic() - start)

    def github() -> dict[str, TargetResult]:
        return GitHubChecker(config, clients.github_api, clients.github_web, cache, notes).check(pending["github"], tick)

    def arxiv() -> dict[str, TargetResult]:
        return ArxivChecker(config, clients.arxiv, notes).check(pending["arxiv"], tick)

    generic = GenericChecker(config, clients.generic)
    by_host: dict[str, list[Target]] = defaultdict(list)
    for t in pending["generic"]:
        by_host[t.host].append(t)
    start = clock.monotonic()

    def one_host(targets: list[Target]) -> dict[str, TargetResult]:
        out = {}
        for t in targets:
            out[t.key] = generic.check(t)
            tick(1)
        report.seconds["generic"] = max(report.seconds.get("generic", 0.0), clock.monotonic() - start)
        return out

    with ThreadPoolExecutor(max_workers=max(1, config.workers) + 2) as pool:
        futures = []
        if pending["github"]:
            futures.append(pool.submit(timed, "github", github))
        if pending["arxiv"]:
            futures.append(pool.submit(timed, "arxiv", arxiv))
        futures += [pool.submit(one_host, ts) for _, ts in sorted(by_host.items())]
        for f in futures:
            results.update(f.result())
    report.notes.extend(notes)
    return results


def _link_result(catalog: Catalog, link: Link, result: TargetResult) -> LinkResult:
    source = catalog.sources[link.paper_id]
    cls, detail, canonical = result.cls, result.detail, result.canonical_url
    target = link.target
    if cls in ("ok", "invalid", "unchecked") or (canonical and canonical.rstrip("/").lower() == link.url.rstrip("/").lower()):
        canonical = None  # nothing to change
    paper = catalog.get(link.paper_id)
    if target.family == "arxiv" and link.is_paper_link and paper is not None and result.title and cls in ("ok", "version-not-found"):
        if clearly_different(paper.title, result.title):
            cls = "title-mismatch"
            detail = f"arXiv {target.arxiv} is titled {result.title!r}, not {paper.title!r}: the link points at another paper"
    return LinkResult(
        paper_id=link.paper_id,
        field=link.field,
        url=link.url,
        path=source.path,
        line=source.line_of(link.field),
        family=target.family if target.family != "invalid" else ("arxiv" if target.key.startswith("invalid:arxiv:") else "github"),
        host=target.host,
        key=target.key,
        cls=cls,
        canonical_url=canonical,
        status=result.status,
        attempts=result.attempts,
        detail=detail,
        cached=result.cached,
    )
