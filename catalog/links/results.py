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
from typing import Any

CLASSES = (
    "not-found",
    "invalid",
    "title-mismatch",
    "renamed",
    "archived",
    "version-not-found",
    "redirected",
    "blocked",
    "rate-limited",
    "timeout",
    "error",
    "unchecked",
    "ok",
)
FAILING = frozenset({"not-found", "invalid", "title-mismatch"})
STRICT_FAILING = FAILING | {"renamed", "archived"}
TRANSIENT = frozenset({"rate-limited", "timeout", "error", "unchecked"})
WARNING = frozenset({"version-not-found", "redirected", "blocked", "rate-limited", "timeout", "error", "renamed", "archived"})


def class_order(cls: str) -> int:
    return CLASSES.index(cls) if cls in CLASSES else len(CLASSES)


@dataclass(frozen=True)
class TargetResult:
    """What one normalised target (a repo, an arXiv id, a URL) turned out to be."""

    key: str
    cls: str
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
    cls: str
    canonical_url: str | None = None
    status: int | None = None
    attempts: int = 0
    detail: str = ""
    cached: bool = False
    extra: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # `field` is also a field name here

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
