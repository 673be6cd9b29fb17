"""The checker protocol and the registry of host families (GitHub, arXiv, everything else).

As Pelican registers one reader per file format, each host family registers one checker class
under its family name; the orchestrator asks the registry, so adding a family (say, Hugging
Face or DOIs) is a new module with a registered class, not an edit of the orchestrator.

Every checker gets one :class:`CheckContext` and answers for a list of targets of its family.
It calls ``context.done(result)`` as soon as a target's verdict is final, so an interrupted or
long run can keep (and cache) what is finished; it calls ``context.progress(n)`` for the bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from catalog.links.cache import LinkCache
from catalog.links.config import CheckConfig
from catalog.links.http import Clients
from catalog.links.results import TargetResult
from catalog.links.targets import Target

Progress = Callable[[int], None]


def _ignore_result(result: TargetResult) -> None:
    pass


def _ignore_progress(n: int) -> None:
    pass


@dataclass
class CheckContext:
    """What a family checker may use: settings, its HTTP clients, the cache (ETags), notes for the report, callbacks."""

    config: CheckConfig
    clients: Clients
    cache: LinkCache
    notes: list[str] = field(default_factory=list)
    done: Callable[[TargetResult], None] = _ignore_result
    progress: Progress = _ignore_progress


class FamilyChecker(Protocol):
    """One host family's checker: built from a context, it returns a result for every target it is given."""

    def __init__(self, context: CheckContext) -> None: ...

    def check(self, targets: list[Target]) -> dict[str, TargetResult]: ...


C = TypeVar("C", bound=type[FamilyChecker])
_CHECKERS: dict[str, tuple[int, type[FamilyChecker]]] = {}


def register(family: str, rank: int) -> Callable[[C], C]:
    """Class decorator: ``@register("github", rank=0)`` makes the class the checker of that family.

    ``rank`` orders the families in reports (their columns and summary lines).
    """

    def add(checker: C) -> C:
        if family in _CHECKERS and _CHECKERS[family][1] is not checker:
            raise ValueError(f"two checkers registered for the {family!r} family")
        _CHECKERS[family] = (rank, checker)
        return checker

    return add


def checker_for(family: str) -> type[FamilyChecker]:
    return _CHECKERS[family][1]


def families() -> tuple[str, ...]:
    """Registered families in report order."""
    return tuple(sorted(_CHECKERS, key=lambda f: (_CHECKERS[f][0], f)))
