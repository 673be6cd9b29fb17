"""What was added recently, from each entry's ``added`` date.

Months are counted back from the newest ``added`` date in the catalog, not from today, so a
build is the same whenever it runs. Within the window papers come newest first, then by title.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from catalog.model import Paper

RECENT_MONTHS = 3
ROWS_PER_MONTH = 15


@dataclass(frozen=True)
class Month:
    """The papers added in one calendar month (``shown`` is the first ``ROWS_PER_MONTH`` of them)."""

    start: dt.date
    papers: tuple[Paper, ...]

    @property
    def label(self) -> str:
        return self.start.strftime("%B %Y")

    @property
    def anchor(self) -> str:
        return self.start.strftime("added-%Y-%m")

    @property
    def shown(self) -> tuple[Paper, ...]:
        return self.papers[:ROWS_PER_MONTH]


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """By ``added`` date, newest first; then by title (case-insensitive), then id."""
    by_title = sorted(papers, key=lambda p: (p.title.casefold(), p.id))
    return sorted(by_title, key=lambda p: p.added, reverse=True)


def _month_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def recent_months(papers: Iterable[Paper], months: int = RECENT_MONTHS) -> list[Month]:
    """The last ``months`` calendar months that saw additions, up to the newest ``added`` date."""
    ordered = newest_first(papers)
    if not ordered:
        return []
    newest = ordered[0].added
    oldest = _month_back(newest, months - 1)
    groups: dict[dt.date, list[Paper]] = {}
    for paper in ordered:
        if paper.added < oldest:
            break
        groups.setdefault(paper.added.replace(day=1), []).append(paper)
    return [Month(start, tuple(group)) for start, group in groups.items()]
