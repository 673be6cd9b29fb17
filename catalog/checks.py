"""Checks across entries: the same paper twice, one URL for two papers, clashing ids.

A single file can be valid on its own and still wrong for the catalog; these rules catch what
only the whole set shows. Each problem names both files. A clash involving an entry that
carries a ``review`` note is a known, documented problem and is reported as a warning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from catalog.errors import Problem, Severity
from catalog.identifiers import strip_arxiv_version
from catalog.model import Paper
from catalog.normalize import normalize_title, normalize_url, titles_alike
from catalog.source import Source
from catalog.taxonomy import Taxonomy, default_taxonomy


def _group(loaded: list[tuple[Paper, Source]], keys: Callable[[Paper], Iterable[str]]) -> dict[str, list[tuple[Paper, Source]]]:
    groups: dict[str, list[tuple[Paper, Source]]] = defaultdict(list)
    for item in loaded:
        for key in dict.fromkeys(keys(item[0])):
            groups[key].append(item)
    return {k: v for k, v in groups.items() if len(v) > 1}


def _located(paper: Paper, source: Source, field: str, key: str) -> tuple[str, int]:
    """The field that holds the clashing value in one file, and its line."""
    if field == "arxiv" and "arxiv" not in source.lines:
        field = "url"  # the id was taken from the arXiv paper URL
    elif field == "url":
        for i, url in enumerate(paper.all_urls):
            if normalize_url(url) == key:
                field = "url" if i == 0 else f"alternate_urls.{i - 1}"
                break
    return field, source.line_of(field)


def _pairwise(
    group: list[tuple[Paper, Source]], field: str, describe: Callable[[Paper, Paper], str | None], key: str = ""
) -> list[Problem]:
    problems = []
    first, first_src = group[0]
    for other, other_src in group[1:]:
        message = describe(first, other)
        if message is None:
            continue
        severity: Severity = "warning" if (first.review or other.review) else "error"
        where, line = _located(other, other_src, field, key)
        first_line = _located(first, first_src, field, key)[1]
        problems.append(Problem(other_src.path, line, where, f"{message} (also in {first_src.path}:{first_line})", severity))
    return problems


def cross_checks(loaded: list[tuple[Paper, Source]], taxonomy: Taxonomy | None = None) -> list[Problem]:
    """Every cross-entry problem among ``loaded``."""
    problems: list[Problem] = []
    for _pid, group in sorted(_group(loaded, lambda p: [p.id]).items()):
        problems += _pairwise(group, "id", lambda a, b: f"id {a.id!r} is used twice")
    for key, group in sorted(_group(loaded, lambda p: [strip_arxiv_version(p.arxiv)] if p.arxiv else []).items()):

        def same_arxiv(a: Paper, b: Paper, key: str = key) -> str:
            if titles_alike(a.title, b.title):
                return f"same arXiv id {key} as {a.id!r}: the same paper twice?"
            return f"same arXiv id {key} as {a.id!r}, a paper with a different title: one of the two links points at the wrong paper"

        problems += _pairwise(group, "arxiv", same_arxiv, key)
    for _key, group in sorted(_group(loaded, lambda p: [normalize_title(p.title)]).items()):

        def same_title(a: Paper, b: Paper) -> str | None:
            if a.arxiv and b.arxiv and strip_arxiv_version(a.arxiv) == strip_arxiv_version(b.arxiv):
                return None  # already reported as the same arXiv id
            return f"same title as {a.id!r}: the same paper twice?"

        problems += _pairwise(group, "title", same_title)
    for key, group in sorted(_group(loaded, lambda p: [normalize_url(u) for u in p.all_urls]).items()):

        def same_url(a: Paper, b: Paper, key: str = key) -> str | None:
            if a.arxiv and b.arxiv and strip_arxiv_version(a.arxiv) == strip_arxiv_version(b.arxiv):
                return None  # already reported as the same arXiv id
            if normalize_title(a.title) == normalize_title(b.title):
                return None  # already reported as the same title
            return (
                f"URL ({key}) is also the link of {a.id!r}, a paper with a different title: one of the two links points at the wrong paper"
            )

        problems += _pairwise(group, "url", same_url, key)
    # A code repository shared by two papers can be legitimate (a group's monorepo), so this is
    # only ever a warning, and none once both links say so (`shared: true`); it often reveals a
    # link copied into the wrong row.
    for key, group in sorted(_group(loaded, lambda p: [normalize_url(c.url) for c in p.code]).items()):
        first, first_src = group[0]
        first_link = next(c for c in first.code if normalize_url(c.url) == key)
        for other, other_src in group[1:]:
            index = next(i for i, c in enumerate(other.code) if normalize_url(c.url) == key)
            if first_link.shared and other.code[index].shared:  # both say it is a monorepo: nothing to check
                continue
            field = f"code.{index}.url"
            problems.append(
                Problem(
                    other_src.path,
                    other_src.line_of(field),
                    field,
                    f"code link ({key}) is also given for {first.id!r}: it may belong to only one of them (also in {first_src.path}); "
                    "if the repository hosts both papers, mark both links 'shared: true'",
                    "warning",
                )
            )
    problems += year_checks(loaded)
    problems += task_checks(loaded, taxonomy)
    return problems


def task_checks(loaded: list[tuple[Paper, Source]], taxonomy: Taxonomy | None = None) -> list[Problem]:
    """A task outside the taxonomy's vocabulary: a warning naming the file (typo, or a task to add)."""
    tax = taxonomy or default_taxonomy()
    if not tax.tasks:
        return []
    problems = []
    for paper, source in loaded:
        for i, task in enumerate(paper.tasks):
            if tax.canonical_task(task) is None:
                problems.append(
                    Problem(
                        source.path,
                        source.line_of("tasks"),
                        f"tasks.{i}",
                        f"unknown task {task!r}: fix a typo, or add it (or an alias) under tasks: in catalog/taxonomy.yaml",
                        "warning",
                    )
                )
    return problems


def year_checks(loaded: list[tuple[Paper, Source]]) -> list[Problem]:
    """A year earlier than the arXiv id was issued: a warning, since papers are sometimes published
    before their preprint appears. Silent once a curator has confirmed the year (``curated.axes``)."""
    problems = []
    for paper, source in loaded:
        issued = paper.year_before_arxiv
        if issued is None or (paper.curated and "year" in paper.curated.axes):
            continue
        problems.append(
            Problem(
                source.path,
                source.line_of("year"),
                "year",
                f"{paper.year} is earlier than the arXiv id {paper.arxiv} ({issued}): right only if the paper was published "
                "before its preprint; check, then confirm with curated.axes: [year]",
                "warning",
            )
        )
    return problems
