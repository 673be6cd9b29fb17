"""Orchestration: links -> unique targets -> cache -> one registered checker per host family -> link results.

Families run side by side (GitHub, arXiv, every other host), each sequential and paced inside,
so the slow ones (arXiv's 3 s rule, 1 s per publisher page) overlap instead of adding up.
Checkers hand on each verdict as soon as it is final; every ``checkpoint_every`` seconds the
finished ones go into the cache file, and on Ctrl-C they are saved before the run ends with
:class:`CheckInterrupted`, so a rerun asks only for what was not finished. Results come back
per target and are spread onto every link that shares the target; the title comparison is per
link, because two papers may point at the same arXiv id.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

# The family modules register their checkers when imported (registry order is report order).
import catalog.links.arxiv
import catalog.links.generic
import catalog.links.github  # noqa: F401
from catalog.catalog import Catalog
from catalog.links.cache import LinkCache, iso_now
from catalog.links.config import CheckConfig
from catalog.links.http import Clients, Clock, Interrupted, RealClock, make_clients
from catalog.links.registry import CheckContext, checker_for, families
from catalog.links.results import FAILING, STRICT_FAILING, LinkResult, TargetResult, Verdict
from catalog.links.targets import Link, Target, catalog_links, shared_targets, unique_targets
from catalog.links.titles import clearly_different

__all__ = ["FAMILIES", "CheckInterrupted", "CheckReport", "Clients", "check_links", "make_clients"]

FAMILIES = families()
INTERRUPT_GRACE = 2.0  # seconds the checker threads get, after Ctrl-C, to finish the request in hand (none is started)
HOST_NAMES = {"graphql": "github graphql", "rest": "github rest", "github-web": "github.com", "arxiv": "arxiv.org"}


class CheckInterrupted(Exception):  # noqa: N818 - the user's Ctrl-C, not a failure
    """The run was interrupted (Ctrl-C); ``kept`` finished results were saved to the cache."""

    def __init__(self, kept: int, saved: bool):
        super().__init__(f"interrupted; {kept} finished results kept")
        self.kept = kept
        self.saved = saved


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


class _Finished:
    """Verdicts handed on by checker threads, collected for checkpoints (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._new: list[TargetResult] = []
        self.kept = 0  # finished results the cache took (transient ones it never takes)

    def add(self, result: TargetResult) -> None:
        with self._lock:
            self._new.append(result)

    def take(self) -> list[TargetResult]:
        with self._lock:
            new, self._new = self._new, []
        return new


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
    """Check the links of ``catalog`` (or of ``paper_ids`` only) and return every verdict.

    Raises :class:`CheckInterrupted` on Ctrl-C, after saving the finished results to the cache.
    """
    clock = clock or RealClock()
    cache = cache or LinkCache(None)
    links = catalog_links(catalog, paper_ids)
    targets = unique_targets(links)
    results, pending = _triage(targets, cache, clock.time(), offline)
    report = CheckReport(links=[], targets=len(targets), offline=offline, shared=shared_targets(links))
    if on_total:
        on_total(sum(len(v) for v in pending.values()))
    if pending:
        run_clients = clients or make_clients(config, clock)
        context = CheckContext(config, run_clients, cache, progress=progress or (lambda n: None))
        try:
            results.update(_run(context, pending, clock, report))
        finally:
            _count_requests(run_clients, report)
            if clients is None:
                run_clients.close()
    for family in FAMILIES:
        report.requests.setdefault(family, 0)
    now = clock.time()
    for result in results.values():
        cache.store(result, now)
    report.links = sorted((_link_result(catalog, lk, results[lk.target.key]) for lk in links), key=LinkResult.sort_key)
    report.metadata = _repository_metadata(results, now)
    return report


def _triage(
    targets: dict[str, Target], cache: LinkCache, now: float, offline: bool
) -> tuple[dict[str, TargetResult], dict[str, list[Target]]]:
    """Verdicts known without a request (invalid ids, fresh cache entries, --offline) and the targets left per family."""
    results: dict[str, TargetResult] = {}
    pending: dict[str, list[Target]] = defaultdict(list)
    for key, target in targets.items():
        cached = cache.fresh(key, now) if target.family != "invalid" else None
        if target.family == "invalid":
            results[key] = TargetResult.invalid(key, target.problem)
        elif cached is not None:
            results[key] = cached
        elif offline:
            results[key] = TargetResult.unchecked(key, "not checked (--offline)")
        else:
            pending[target.family].append(target)
    return results, pending


def _run(context: CheckContext, pending: dict[str, list[Target]], clock: Clock, report: CheckReport) -> dict[str, TargetResult]:
    """Every family's checker in its own thread; checkpoints while they run; on Ctrl-C, save and stop."""
    finished = _Finished()
    context.done = finished.add
    results: dict[str, TargetResult] = {}
    pool = ThreadPoolExecutor(max_workers=len(pending))
    futures = {pool.submit(_timed, family, context, targets, clock, report): family for family, targets in pending.items()}
    try:
        remaining: set[Future[dict[str, TargetResult]]] = set(futures)
        while remaining:
            _done, remaining = wait(remaining, timeout=context.config.checkpoint_every, return_when=FIRST_EXCEPTION)
            _checkpoint(context.cache, finished, clock)
            if any(f.exception() is not None for f in _done):
                break
        for future in futures:
            results.update(future.result())
    except KeyboardInterrupt:
        context.clients.interrupt()
        pool.shutdown(wait=False, cancel_futures=True)
        try:  # a request already answered is worth keeping: give the threads a moment to hand it on
            wait(futures, timeout=INTERRUPT_GRACE)
        except KeyboardInterrupt:
            pass  # a second Ctrl-C: save what there is, now
        kept, saved = _checkpoint(context.cache, finished, clock)
        raise CheckInterrupted(kept, saved) from None
    pool.shutdown(wait=True)
    report.notes.extend(context.notes)
    return results


def _timed(family: str, context: CheckContext, targets: list[Target], clock: Clock, report: CheckReport) -> dict[str, TargetResult]:
    start = clock.monotonic()
    try:
        return checker_for(family)(context).check(targets)
    except Interrupted:
        return {}
    finally:
        report.seconds[family] = max(report.seconds.get(family, 0.0), clock.monotonic() - start)


def _checkpoint(cache: LinkCache, finished: _Finished, clock: Clock) -> tuple[int, bool]:
    """Store the verdicts finished since the last checkpoint and save the cache file (atomically).

    Returns how many finished results of this run the cache holds, and whether the file is written.
    A checkpoint that cannot write is skipped: the run's own save at the end reports the problem.
    """
    now = clock.time()
    for result in finished.take():
        finished.kept += cache.store(result, now)
    try:
        cache.save()
    except OSError:
        return finished.kept, False
    return finished.kept, cache.path is not None


def _count_requests(clients: Clients, report: CheckReport) -> None:
    for family, group in clients.all().items():
        report.requests[family] = sum(c.stats.requests for c in group)
        for c in group:
            for host, n in c.stats.by_host.items():
                name = HOST_NAMES.get(host, host)
                report.requests_by_host[name] = report.requests_by_host.get(name, 0) + n


def _repository_metadata(results: dict[str, TargetResult], now: float) -> dict[str, dict[str, Any]]:
    """Stars, archived and last push of every repository checked (not of subpath links), for data/repositories.json."""
    metadata: dict[str, dict[str, Any]] = {}
    for key, result in sorted(results.items()):
        if (
            key.startswith("github:")
            and key.count("/") == 1
            and result.meta
            and result.cls in (Verdict.OK, Verdict.RENAMED, Verdict.ARCHIVED)
        ):
            metadata[key.removeprefix("github:")] = {**result.meta, "checked_at": (result.checked_at or iso_now(now))[:10]}
    return metadata


def _link_result(catalog: Catalog, link: Link, result: TargetResult) -> LinkResult:
    source = catalog.sources[link.paper_id]
    cls, detail, canonical = result.cls, result.detail, result.canonical_url
    target = link.target
    if cls in (Verdict.OK, Verdict.INVALID, Verdict.UNCHECKED) or (
        canonical and canonical.rstrip("/").lower() == link.url.rstrip("/").lower()
    ):
        canonical = None  # nothing to change
    paper = catalog.get(link.paper_id)
    if (
        target.family == "arxiv"
        and link.is_paper_link
        and paper is not None
        and result.title
        and cls in (Verdict.OK, Verdict.VERSION_NOT_FOUND)
    ):
        if clearly_different(paper.title, result.title):
            cls = Verdict.TITLE_MISMATCH
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
