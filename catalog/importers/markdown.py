"""Import an awesome-pruning style Markdown list into catalog entries, with a full account.

The import is a migration and a reusable tool (the README round-trip test reads our own
rendered README back with it), not part of the build. It reads every paper table, merges the
rows of one paper into one entry that keeps all its placements, repairs mechanical defects,
keeps problems it cannot settle as ``review`` notes, and reports on every source row: which
entry it became, whether it was merged, what was repaired and what was flagged.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydantic import ValidationError

from catalog.checks import cross_checks
from catalog.dump import dump_paper
from catalog.errors import Problem
from catalog.fileio import write_text_atomic
from catalog.importers import readers as reader_registry
from catalog.importers.merge import assign_ids, draft_to_data, flag_shared_links, group_rows
from catalog.model import Paper, validate_paper
from catalog.source import Source
from catalog.taxonomy import Taxonomy, default_taxonomy


@dataclass(frozen=True)
class RowReport:
    """What became of one table row of the source."""

    line: int
    section: str | None
    title: str
    entry: str | None  # the id of the entry the row went into; None when it could not be imported
    merged: bool  # True when the row joined an entry that an earlier row started
    repaired: tuple[str, ...]
    flagged: tuple[str, ...]
    errors: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    source: str
    papers: tuple[Paper, ...]
    rows: tuple[RowReport, ...]
    conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entry id -> disagreements merged
    problems: tuple[Problem, ...] = ()  # source-level problems (tables, cross-entry errors)
    reader: str = ""  # the layout the file was read as

    @property
    def skipped_lines(self) -> tuple[int, ...]:
        """Lines the import looked at and could not turn into an entry (rows with errors, unreadable rows)."""
        lines = {r.line for r in self.rows if r.errors} | {p.line for p in self.problems if p.line}
        return tuple(sorted(lines))

    @property
    def ok(self) -> bool:
        return not self.problems and all(not r.errors for r in self.rows)

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "entries": len(self.papers),
            "rows_merged": sum(r.merged for r in self.rows),
            "rows_failed": sum(bool(r.errors) for r in self.rows),
            "repairs": sum(len(r.repaired) for r in self.rows),
            "rows_repaired": sum(bool(r.repaired) for r in self.rows),
            "entries_with_conflicts": len(self.conflicts),
            "entries_flagged": sum(p.review is not None for p in self.papers),
            "problems": len(self.problems),
        }

    def as_json(self) -> str:
        return json.dumps(
            {
                "source": self.source,
                "summary": self.summary(),
                "rows": [asdict(r) for r in self.rows],
                "conflicts": {k: list(v) for k, v in sorted(self.conflicts.items())},
                "flagged": {p.id: p.review for p in self.papers if p.review},
                "problems": [p.as_dict() for p in self.problems],
            },
            indent=2,
            ensure_ascii=False,
        ) + "\n"

    def as_text(self) -> str:
        s = self.summary()
        out = [
            f"Import of {self.source}",
            f"  {s['rows']} table rows -> {s['entries']} entries",
            f"  {s['rows_merged']} rows merged into an entry started by an earlier row",
            f"  {s['repairs']} mechanical repairs on {s['rows_repaired']} rows",
            f"  {s['entries_with_conflicts']} entries whose rows disagreed (merged, see conflicts)",
            f"  {s['entries_flagged']} entries flagged with a review note",
            f"  {s['rows_failed']} rows not imported, {s['problems']} other problems",
            "",
            "Rows:",
        ]
        for r in self.rows:
            status = "ERROR" if r.errors else ("merged" if r.merged else "new")
            out.append(f"  line {r.line}: [{r.section}] {r.title[:70]!r} -> {r.entry or '-'} ({status})")
            out += [f"      repaired: {x}" for x in r.repaired]
            out += [f"      flagged: {x}" for x in r.flagged]
            out += [f"      error: {x}" for x in r.errors]
        if self.conflicts:
            out += ["", "Conflicts between rows of one paper (merged):"]
            for pid, notes in sorted(self.conflicts.items()):
                out.append(f"  {pid}:")
                out += [f"      {n}" for n in notes]
        if self.problems:
            out += ["", "Problems:"] + [f"  {p}" for p in self.problems]
        return "\n".join(out) + "\n"


_LINK_LINE_RE = re.compile(r"\]\(\s*https?://|https?://\S+")


def import_markdown_text(
    text: str,
    source: str = "README.md",
    added: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
    *,
    reader: str | None = None,
    list_name: str | None = None,
) -> ImportResult:
    """Read every paper entry of ``text`` into validated papers and a per-row account (against ``taxonomy``, default the project's).

    The layout is recognised from what the file holds (see :mod:`catalog.importers.readers`)
    unless ``reader`` names one. ``list_name`` gives each entry a ``sources`` record for that
    list. Reading nothing is a problem of its own, naming what was looked for and the lines
    with links that no reader took.
    """
    tax = taxonomy or default_taxonomy()
    added = added or dt.date.today()
    chosen = reader_registry.by_name(reader) if reader else reader_registry.choose(text)
    if chosen is None:
        linked = [n for n, line in enumerate(text.splitlines(), start=1) if _LINK_LINE_RE.search(line)]
        where = f"; lines with links that no layout reads: {_line_list(linked)}" if linked else "; the file has no links at all"
        message = f"no paper entries found: looked for\n{reader_registry.looked_for()}\n{where.lstrip('; ')}"
        return ImportResult(source=source, papers=(), rows=(), problems=(Problem(source, 0, "-", message),))
    read = chosen.read(text, tax)
    rows = read.rows
    problems = [Problem(source, line, "-", message) for line, message in read.skipped]
    if not rows:
        problems.append(Problem(source, 0, "-", f"no paper entries found: read as {chosen.name}, which looks for {chosen.looks_for}"))
    good = [r for r in rows if not r.errors]
    drafts = group_rows(good)
    flag_shared_links(drafts)
    assign_ids(drafts)

    papers: list[Paper] = []
    entry_of: dict[int, tuple[str | None, bool]] = {}
    extra_repairs: dict[int, list[str]] = {}
    extra_errors: dict[int, list[str]] = {}
    flags: dict[int, tuple[str, ...]] = {}
    conflicts: dict[str, tuple[str, ...]] = {}
    for d in drafts:
        data, repairs, errors = draft_to_data(d, tax, added, list_name)
        paper = None
        if data is not None:
            try:
                paper = validate_paper(data, tax)
            except ValidationError as exc:
                errors = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors(include_url=False)]
        for i, row in enumerate(d.rows):
            entry_of[row.line] = (d.id if paper else None, i > 0)
            flags[row.line] = tuple(dict.fromkeys(d.review))
            if i == 0:
                extra_repairs[row.line] = repairs
            extra_errors[row.line] = errors
        if paper is not None:
            papers.append(paper)
            if d.conflicts:
                conflicts[d.id] = tuple(d.conflicts)

    reports = []
    for r in rows:
        entry, merged = entry_of.get(r.line, (None, False))
        reports.append(
            RowReport(
                line=r.line,
                section=r.section,
                title=r.title,
                entry=entry,
                merged=merged,
                repaired=tuple(r.repairs + extra_repairs.get(r.line, [])),
                flagged=flags.get(r.line, ()),
                errors=tuple(r.errors + extra_errors.get(r.line, [])),
            )
        )
    # The entries must also pass the catalog's cross-entry rules (warnings are the flagged ones).
    loaded = [(p, Source(path=f"{p.id}.yaml", lines={})) for p in papers]
    problems += [p for p in cross_checks(loaded) if p.severity == "error"]
    return ImportResult(
        source=source,
        papers=tuple(sorted(papers, key=lambda p: p.id)),
        rows=tuple(reports),
        conflicts=conflicts,
        problems=tuple(problems),
        reader=chosen.name,
    )


def _line_list(lines: list[int], limit: int = 30) -> str:
    shown = ", ".join(map(str, lines[:limit]))
    return shown + (f" and {len(lines) - limit} more" if len(lines) > limit else "")


def planned_writes(result: ImportResult, out: Path) -> dict[Path, str]:
    """The files an import would write: ``<out>/<id>.yaml`` with canonical YAML."""
    return {out / f"{p.id}.yaml": dump_paper(p) for p in result.papers}


def write_entries(result: ImportResult, out: Path, overwrite: bool = False) -> tuple[list[Path], list[Path]]:
    """Write the entries; refuses (writing nothing) when that would change existing files.

    Returns (written, unchanged). Raises FileExistsError listing the files that differ when
    ``overwrite`` is false, so hand corrections made after an earlier import are never lost.
    """
    plan = planned_writes(result, out)
    differing = [p for p, text in plan.items() if p.exists() and p.read_text(encoding="utf-8") != text]
    if differing and not overwrite:
        raise FileExistsError(differing)
    written, unchanged = [], []
    for path, text in sorted(plan.items()):
        if path.exists() and path.read_text(encoding="utf-8") == text:
            unchanged.append(path)
            continue
        write_text_atomic(path, text, only_if_changed=False)
        written.append(path)
    return written, unchanged
