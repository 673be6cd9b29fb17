"""Checks across entries: the same paper twice, one URL for two papers, clashing ids.

A single file can be valid on its own and still wrong for the catalog; these rules catch what
only the whole set shows. Each problem names both files. A clash involving an entry that
carries a ``review`` note is a known, documented problem and is reported as a warning.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterable

from catalog.errors import Problem
from catalog.load import Source
from catalog.model import Paper
from catalog.normalize import normalize_title, normalize_url, strip_arxiv_version


def _group(loaded: list[tuple[Paper, Source]], keys: Callable[[Paper], Iterable[str]]) -> dict[str, list[tuple[Paper, Source]]]:
    groups: dict[str, list[tuple[Paper, Source]]] = defaultdict(list)
    for item in loaded:
        for key in dict.fromkeys(keys(item[0])):
            groups[key].append(item)
    return {k: v for k, v in groups.items() if len(v) > 1}


def _pairwise(group: list[tuple[Paper, Source]], field: str, describe: Callable[[Paper, Paper], str | None]) -> list[Problem]:
    problems = []
    first, first_src = group[0]
    for other, other_src in group[1:]:
        message = describe(first, other)
        if message is None:
            continue
        severity = "warning" if (first.review or other.review) else "error"
        problems.append(Problem(other_src.path, other_src.line_of(field), field, f"{message} (also in {first_src.path}:{first_src.line_of(field)})", severity))
    return problems


def cross_checks(loaded: list[tuple[Paper, Source]]) -> list[Problem]:
    """Every cross-entry problem among ``loaded``."""
    problems: list[Problem] = []
    for pid, group in sorted(_group(loaded, lambda p: [p.id]).items()):
        problems += _pairwise(group, "id", lambda a, b: f"id {a.id!r} is used twice")
    for key, group in sorted(_group(loaded, lambda p: [strip_arxiv_version(p.arxiv)] if p.arxiv else []).items()):
        problems += _pairwise(group, "arxiv", lambda a, b: f"same arXiv id {key} as {a.id!r}: the same paper twice?")
    for key, group in sorted(_group(loaded, lambda p: [normalize_title(p.title)]).items()):
        problems += _pairwise(group, "title", lambda a, b: f"same title as {a.id!r}: the same paper twice?")
    for key, group in sorted(_group(loaded, lambda p: [normalize_url(u) for u in p.all_urls]).items()):

        def describe(a: Paper, b: Paper, key: str = key) -> str | None:
            if a.arxiv and b.arxiv and strip_arxiv_version(a.arxiv) == strip_arxiv_version(b.arxiv):
                return None  # already reported as the same arXiv id
            if normalize_title(a.title) == normalize_title(b.title):
                return None  # already reported as the same title
            return f"URL ({key}) is also the link of {a.id!r}, a paper with a different title: one of the two links points at the wrong paper"

        problems += _pairwise(group, "url", describe)
    return problems
