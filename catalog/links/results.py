"""Result classes and the result records shared by the checkers, the cache and the reports.

One vocabulary for every host family, so that a report or an exit code never depends on which
checker produced a finding. Classes are split by what they mean for a run: *failing* classes
are defects in the catalog (exit 1), *strict* ones fail only with ``--strict``, *transient*
ones say "we could not tell this time" and never fail a run nor enter the cache.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """What a link turned out to be. The values are the strings reports, caches and CI read: never change them.

    A ``StrEnum`` member *is* its string, so ``verdict == "ok"``, JSON encoding and cache files
    written before the enum existed all keep working.
    """

    NOT_FOUND = "not-found"
    INVALID = "invalid"
    TITLE_MISMATCH = "title-mismatch"
    RENAMED = "renamed"
    ARCHIVED = "archived"
    VERSION_NOT_FOUND = "version-not-found"
    REDIRECTED = "redirected"
    BLOCKED = "blocked"
    RATE_LIMITED = "rate-limited"
    TIMEOUT = "timeout"
    ERROR = "error"
    UNCHECKED = "unchecked"
    OK = "ok"


CLASSES = tuple(Verdict)  # report order: what to fix first
FAILING = frozenset({Verdict.NOT_FOUND, Verdict.INVALID, Verdict.TITLE_MISMATCH})
STRICT_FAILING = FAILING | {Verdict.RENAMED, Verdict.ARCHIVED}
TRANSIENT = frozenset({Verdict.RATE_LIMITED, Verdict.TIMEOUT, Verdict.ERROR, Verdict.UNCHECKED})
WARNING = frozenset(
    {
        Verdict.VERSION_NOT_FOUND,
        Verdict.REDIRECTED,
        Verdict.BLOCKED,
        Verdict.RATE_LIMITED,
        Verdict.TIMEOUT,
        Verdict.ERROR,
        Verdict.RENAMED,
        Verdict.ARCHIVED,
    }
)


def class_order(cls: str) -> int:
    verdict = as_verdict(cls)
    return CLASSES.index(verdict) if verdict else len(CLASSES)


def as_verdict(value: str) -> Verdict | None:
    """The verdict a stored string names, or None for a string no version of the checker wrote."""
    try:
        return Verdict(value)
    except ValueError:
        return None


@dataclass(frozen=True, kw_only=True)
class TargetResult:
    """What one normalised target (a repo, an arXiv id, a URL) turned out to be.

    Build one with a named constructor (``TargetResult.ok(key, url=...)``,
    ``TargetResult.not_found(key, detail)``...) or :meth:`of` for a verdict computed at run
    time: the fields are keyword-only, so a call always says which value is which.
    """

    key: str
    cls: Verdict
    canonical_url: str | None = None
    status: int | None = None  # HTTP status of the deciding response
    attempts: int = 0  # HTTP requests spent on this target (a batch request counts for each member)
    detail: str = ""
    title: str | None = None  # the title the host reports (arXiv), for the title comparison
    etag: str | None = None
    meta: Mapping[str, Any] | None = None  # GitHub repository metadata (stars, archived, ...)
    cached: bool = False
    checked_at: str | None = None

    def with_(self, **changes: Any) -> TargetResult:
        return replace(self, **changes)

    @classmethod
    def of(cls, verdict: Verdict | str, key: str, detail: str = "", **fields: Any) -> TargetResult:
        """A result with the verdict given at run time (e.g. "timeout" or "error" from an HTTP outcome)."""
        return cls(key=key, cls=Verdict(verdict), detail=detail, **fields)

    @classmethod
    def ok(cls, key: str, url: str | None = None, **fields: Any) -> TargetResult:
        return cls(key=key, cls=Verdict.OK, canonical_url=url, **fields)

    @classmethod
    def not_found(cls, key: str, detail: str, **fields: Any) -> TargetResult:
        return cls.of(Verdict.NOT_FOUND, key, detail, **fields)

    @classmethod
    def invalid(cls, key: str, detail: str, **fields: Any) -> TargetResult:
        return cls.of(Verdict.INVALID, key, detail, **fields)

    @classmethod
    def error(cls, key: str, detail: str, **fields: Any) -> TargetResult:
        return cls.of(Verdict.ERROR, key, detail, **fields)

    @classmethod
    def timeout(cls, key: str, detail: str, **fields: Any) -> TargetResult:
        return cls.of(Verdict.TIMEOUT, key, detail, **fields)

    @classmethod
    def blocked(cls, key: str, detail: str, **fields: Any) -> TargetResult:
        return cls.of(Verdict.BLOCKED, key, detail, **fields)

    @classmethod
    def rate_limited(cls, key: str, detail: str, **fields: Any) -> TargetResult:
        return cls.of(Verdict.RATE_LIMITED, key, detail, **fields)

    @classmethod
    def unchecked(cls, key: str, detail: str) -> TargetResult:
        return cls.of(Verdict.UNCHECKED, key, detail)

    @classmethod
    def redirected(cls, key: str, url: str | None, detail: str, **fields: Any) -> TargetResult:
        return cls.of(Verdict.REDIRECTED, key, detail, canonical_url=url, **fields)


@dataclass(frozen=True)
class LinkResult:
    """One link of one paper with the verdict on it; the unit of every report."""

    paper_id: str
    field: str  # dotted field, e.g. "code.0.url"
    url: str
    path: str
    line: int
    family: str  # github, arxiv or generic
    host: str
    key: str
    cls: Verdict
    canonical_url: str | None = None
    status: int | None = None
    attempts: int = 0
    detail: str = ""
    cached: bool = False
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # (the `field` attribute above shadows the name)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.path, self.line, self.field, self.url)

    def as_dict(self) -> dict[str, Any]:
        return {
            "paper": self.paper_id,
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "url": self.url,
            "family": self.family,
            "host": self.host,
            "target": self.key,
            "class": self.cls,
            "canonical_url": self.canonical_url,
            "http_status": self.status,
            "attempts": self.attempts,
            "detail": self.detail,
            "cached": self.cached,
        }
