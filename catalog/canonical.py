"""The one canonical text of a paper file, and rewriting a file into it without losing its comments.

The canonical form is what :func:`catalog.dump.dump_paper` writes (model key order, short lists
inline, defaults left out, LF, one final newline), preceded by one line that points editors at
the committed JSON Schema (``# yaml-language-server: $schema=...``), so that VS Code and others
complete fields and flag errors while typing. Comments a contributor wrote are kept: the file is
read a second time with ruamel.yaml's round-trip loader and its comments are moved onto the
canonical document, each with the key it was written beside.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from catalog.dump import dump_paper
from catalog.errors import Problem
from catalog.load import parse_paper_text
from catalog.model import Paper
from catalog.taxonomy import Taxonomy

SCHEMA_PATH = "schema/paper.schema.json"  # from the repository root
SCHEMA_LINE = f"# yaml-language-server: $schema=../{SCHEMA_PATH}\n"
_SCHEMA_LINE_RE = re.compile(r"\A(?:\ufeff)?(?:#\s*yaml-language-server:[^\n]*\n)+")


def canonical_text(paper: Paper) -> str:
    """The canonical file text of a paper that carries no comments (what ``add`` writes)."""
    return SCHEMA_LINE + dump_paper(paper)


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 10_000
    yaml.allow_unicode = True
    return yaml


def _has_comment(text: str) -> bool:
    """Cheap test: no '#' at all means no comment (a '#' inside a URL or a quote still goes the slow way)."""
    return "#" in text


def _move_comments(old: Any, new: Any, *, top: bool = False) -> None:
    """Copy the comments of ``old`` onto ``new`` for every key (or index) the two share, recursively."""
    if isinstance(old, CommentedMap) and isinstance(new, CommentedMap):
        if old.ca.comment:
            new.ca.comment = old.ca.comment
        for key in new:
            if key in old.ca.items:
                new.ca.items[key] = old.ca.items[key]
            if key in old:
                _move_comments(old[key], new[key])
        if old.ca.end:
            new.ca.end = old.ca.end
        if not top:
            _keep_orphans(old, new)
    elif isinstance(old, CommentedSeq) and isinstance(new, CommentedSeq):
        if old.ca.comment:
            new.ca.comment = old.ca.comment
        for i in range(min(len(old), len(new))):
            if i in old.ca.items:
                new.ca.items[i] = old.ca.items[i]
            _move_comments(old[i], new[i])
        if old.ca.end:
            new.ca.end = old.ca.end


def _comment_lines(*slots: Any) -> list[str]:
    """The text of every comment token held by ruamel comment slots (nested lists included), each token once."""
    from ruamel.yaml.tokens import CommentToken

    lines: list[str] = []
    seen: set[int] = set()
    stack = list(slots)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[0:0] = item
        elif isinstance(item, CommentToken) and id(item) not in seen:
            seen.add(id(item))
            lines += [line.strip().removeprefix("#").strip() for line in item.value.splitlines() if line.strip().startswith("#")]
    return lines


def _keep_orphans(old: CommentedMap, new: CommentedMap, *, top: bool = False) -> list[str]:
    """Comments of keys the canonical form drops (defaults, a redundant ``arxiv``) move before the next kept key.

    Returns the comments left at the end of the top-level mapping, which the caller appends after the last line.
    """
    pending: list[str] = []
    for key in old:
        if key not in new:
            pending += _comment_lines(old.ca.items.get(key), getattr(getattr(old[key], "ca", None), "comment", None))
        elif pending:
            new.yaml_set_comment_before_after_key(key, before="\n".join(pending), indent=_indent_of(new))
            pending = []
    if pending and not top and len(new):
        new.yaml_set_comment_before_after_key(list(new)[-1], before="\n".join(pending), indent=_indent_of(new))
        pending = []
    return pending


def _indent_of(node: CommentedMap) -> int:
    return int(getattr(node.lc, "col", 0) or 0)


@dataclass(frozen=True)
class Formatted:
    """The outcome for one file: its canonical text, or the problems that prevent one."""

    text: str | None
    problems: tuple[Problem, ...] = ()


def format_text(text: str, path: str, taxonomy: Taxonomy | None = None) -> Formatted:
    """The canonical text of a paper file's ``text`` (``path`` only names it in messages).

    A file that does not validate on its own has no canonical form: its problems come back instead.
    """
    body = strip_schema_line(text)
    paper, _, problems = parse_paper_text(body, path, taxonomy)
    errors = tuple(p for p in problems if p.severity == "error")
    if paper is None or errors:
        return Formatted(None, errors or tuple(problems))
    return with_comments(body, dump_paper(paper), path)


def with_comments(body: str, canonical: str, path: str = "-") -> Formatted:
    """``canonical`` (a dump_paper text) carrying the comments of ``body`` (the file as written), schema line first."""
    if not _has_comment(body):
        return Formatted(SCHEMA_LINE + canonical)
    yaml = _round_trip()
    try:
        old = yaml.load(body)
        new = yaml.load(canonical)
    except YAMLError as exc:  # PyYAML accepted it, so this is unlikely; say so rather than guess
        return Formatted(None, (Problem(path, 0, "-", f"cannot keep the comments of this file: {exc}"),))
    _move_comments(old, new, top=True)
    trailing = _keep_orphans(old, new, top=True) if isinstance(old, CommentedMap) and isinstance(new, CommentedMap) else []
    out = io.StringIO()
    yaml.dump(new, out)
    result = out.getvalue()
    if not result.endswith("\n"):
        result += "\n"
    result += "".join(f"# {line}\n" if line else "#\n" for line in trailing)
    return Formatted(SCHEMA_LINE + result)


def strip_schema_line(text: str) -> str:
    return _SCHEMA_LINE_RE.sub("", text.replace("\r\n", "\n"), count=1)
