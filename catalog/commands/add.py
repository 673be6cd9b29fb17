"""``pruning-catalog add``: a new entry from an arXiv id in one command (metadata fetched, README refreshed)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from catalog.arxiv_api import ArxivError, ArxivMetadata, ArxivRecord
from catalog.commands.common import load_or_report
from catalog.contribute import (
    Ask,
    Choices,
    EntryError,
    apply_answer,
    build_entry,
    check_choices,
    complete_choices,
    missing_choices,
    split_values,
    terminal_ask,
    write_entry,
)
from catalog.identifiers import arxiv_from_url, parse_arxiv_id
from catalog.links.config import CheckConfig
from catalog.links.http import Clock
from catalog.options import arxiv_config, arxiv_endpoint_options, papers_option

EXAMPLE = """examples:
  pruning-catalog add 2306.11695 --when after-training --structure W --model llm --venue ICLR --year 2024 \\
      --code https://github.com/locuslab/wanda --algorithm Wanda
  pruning-catalog add https://arxiv.org/abs/2306.11695 --dry-run      print the entry, write nothing
  pruning-catalog add --manual --title 'My Paper' --url https://openreview.net/forum?id=abc --venue ICLR --year 2024 \\
      --when before-training --structure W --model cnn

On a terminal, choices that are missing are asked for, with the allowed values. Without one the
command exits 2 and lists what is missing. The arXiv API endpoint is $PRUNING_CATALOG_ARXIV_API.
"""

Refresh = Callable[[Path], int]


@dataclass(frozen=True)
class Request:
    """Everything one ``add`` needs, whichever route it came by (command line or issue form)."""

    arxiv: str | None
    choices: Choices
    manual: bool = False
    dry_run: bool = False


def parse_arxiv_argument(text: str) -> str:
    """The arXiv id (with version, if any) in an id or an arxiv.org URL; ValueError says why there is none."""
    text = text.strip()
    from_url = arxiv_from_url(text) if "/" in text and "arxiv.org" in text.lower() else None
    if "arxiv.org" in text.lower() and from_url is None:
        raise ValueError(f"{text!r} is not an arXiv paper URL (expected e.g. https://arxiv.org/abs/2306.11695)")
    candidate = from_url or re.sub(r"^arxiv:\s*", "", text, flags=re.IGNORECASE)
    parsed, why = parse_arxiv_id(candidate)
    if parsed is None:
        raise ValueError(f"{text!r} is not an arXiv id: {why}")
    return str(parsed)


def create(
    request: Request,
    papers: Path,
    *,
    config: CheckConfig,
    clock: Clock | None = None,
    ask: Ask | None = None,
    refresh: Refresh | None = None,
    today: dt.date | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Fetch, complete, check and write one entry; returns the exit code (0, 1 data, 2 usage/environment)."""
    out = out or sys.stdout
    err = err or sys.stderr
    today = today or dt.date.today()
    arxiv_id: str | None = None
    if request.arxiv and request.manual:
        print("error: give an arXiv id or --manual, not both", file=err)
        return 2
    if not request.arxiv and not request.manual:
        print("error: give an arXiv id or URL (or --manual for a paper without one)", file=err)
        return 2
    if request.arxiv:
        try:
            arxiv_id = parse_arxiv_argument(request.arxiv)
        except ValueError as exc:
            print(f"error: {exc}", file=err)
            return 2
    if not papers.is_dir():
        print(f"error: {papers}: no such folder of paper files (use --papers DIR)", file=err)
        return 2
    catalog = load_or_report(papers, command="add", err=err)
    if catalog is None:
        return 1
    tax = catalog.taxonomy
    unknown = check_choices(request.choices, tax)
    if unknown:
        for line in unknown:
            print(f"error: {line}", file=err)
        return 2
    if ask is None:  # say what is missing before asking arXiv anything
        missing = missing_choices(complete_choices(request.choices, tax), tax, manual=request.manual)
        if missing:
            print("error: missing choices (give them as options):", file=err)
            for m in missing:
                print(f"  {m.describe()}", file=err)
            return 2
    record: ArxivRecord | None = None
    if arxiv_id:
        from catalog.contribute import find_duplicate

        early = find_duplicate(catalog, arxiv=arxiv_id, urls=[], title=None)
        if early:  # no need to ask arXiv about a paper the catalog already has
            print(f"error: {early.message()}", file=err)
            return 1
        with ArxivMetadata(config, clock) as api:
            try:
                record = api.fetch_one(arxiv_id)
            except ArxivError as exc:
                print(f"error: {exc}", file=err)
                return {"not-found": 1, "invalid": 2}.get(exc.failure.kind, 2)
        if ask is not None:
            print(f"arXiv {record.id}: {record.title}", file=err)
    choices = complete_choices(request.choices, tax)
    missing = missing_choices(choices, tax, manual=request.manual)
    while missing:
        if ask is None:
            print("error: missing choices (give them as options):", file=err)
            for m in missing:
                print(f"  {m.describe()}", file=err)
            return 2
        first = missing[0]
        answer = ask(first)
        try:
            choices = complete_choices(apply_answer(choices, first.name, answer), tax)
        except ValueError as exc:
            print(f"  {exc}", file=err)
            continue
        unknown = check_choices(choices, tax)
        if unknown:
            print("\n".join(unknown), file=err)
            return 2
        missing = missing_choices(choices, tax, manual=request.manual)
    try:
        entry = build_entry(record, choices, catalog, papers, today)
    except EntryError as exc:
        print(f"error: {exc}", file=err)
        return exc.exit_code
    for warning in entry.warnings:
        print(warning, file=err)
    if request.dry_run:
        out.write(entry.text)
        print(f"dry run: {entry.path} not written", file=err)
        return 0
    try:
        write_entry(entry)
    except EntryError as exc:
        print(f"error: {exc}", file=err)
        return exc.exit_code
    print(entry.path, file=out)
    print(
        f"wrote {entry.path}: {entry.paper.title} ({_authors_line(entry.paper.authors)})",
        file=err,
    )
    if refresh is not None:
        return refresh(papers)
    return 0


def _authors_line(authors: tuple[str, ...]) -> str:
    return ", ".join(authors[:3]) + (" et al." if len(authors) > 3 else "")


def choices_from_args(args: argparse.Namespace) -> Choices:
    year = args.year
    added = dt.date.fromisoformat(args.added) if args.added else None
    return Choices(
        when=split_values(args.when),
        structure=split_values(args.structure),
        models=split_values(args.model),
        sections=split_values(args.section),
        criteria=split_values(args.criteria),
        learn=split_values(args.learn),
        fusion=split_values(args.fusion),
        code=tuple(args.code),
        venue=args.venue,
        year=year,
        algorithm=args.algorithm,
        tasks=split_values(args.task),
        title=args.title,
        url=args.url,
        authors=tuple(a.strip() for a in args.author if a.strip()),
        added=added,
    )


def interactive() -> Ask | None:
    """Prompts on a terminal; None when stdin or stdout is not one (CI, pipes)."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        return terminal_ask
    return None


def run(args: argparse.Namespace) -> int:
    try:
        choices = choices_from_args(args)
    except ValueError as exc:
        print(f"pruning-catalog add: error: --added: {exc} (write it as YYYY-MM-DD)", file=sys.stderr)
        return 2
    request = Request(arxiv=args.arxiv, choices=choices, manual=args.manual, dry_run=args.dry_run)
    refresh = None if args.no_readme else getattr(args, "refresh_readme", None)
    return create(request, args.papers, config=arxiv_config(args), ask=interactive(), refresh=refresh)


def entry_options(parser: argparse.ArgumentParser) -> None:
    """The choices arXiv cannot know, shared with from-issue's documentation."""
    group = parser.add_argument_group("what arXiv cannot know (repeat an option or separate values with commas)")
    group.add_argument("--when", action="append", default=[], metavar="VALUE", help="when the method prunes, e.g. after-training")
    group.add_argument("--structure", action="append", default=[], metavar="CODE", help="what it removes, e.g. W, C, N:M")
    group.add_argument("--model", action="append", default=[], metavar="FAMILY", help="model family, e.g. cnn, llm")
    group.add_argument(
        "--section", action="append", default=[], metavar="ID", help="list section (default: inferred from --when and --model)"
    )
    group.add_argument("--criteria", action="append", default=[], metavar="VALUE", help="pruning criteria, e.g. magnitude")
    group.add_argument("--learn", action="append", default=[], metavar="VALUE", help="learn-to-prune approach")
    group.add_argument("--fusion", action="append", default=[], metavar="VALUE", help="combined technique, e.g. quantization")
    group.add_argument("--code", action="append", default=[], metavar="URL", help="code repository")
    group.add_argument("--venue", metavar="NAME", help="venue (default: arXiv); the year goes in --year")
    group.add_argument("--year", type=int, metavar="YYYY", help="year of the venue (default: the arXiv year)")
    group.add_argument("--algorithm", metavar="NAME", help="the method's short name")
    group.add_argument("--task", action="append", default=[], metavar="TASK", help="task evaluated on, e.g. 'Image Classification'")
    group.add_argument("--added", metavar="YYYY-MM-DD", help="date added (default: today)")
    manual = parser.add_argument_group("--manual: a paper without an arXiv id")
    manual.add_argument("--title", help="the paper's title")
    manual.add_argument("--url", help="the paper's main link")
    manual.add_argument("--author", action="append", default=[], metavar="NAME", help="an author (repeat in paper order)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "add",
        help="add a paper from its arXiv id: metadata fetched, entry validated, README refreshed",
        description="Add a paper to papers/ from its arXiv id or URL. Title, authors, abstract and dates come from the arXiv "
        "API; the sections follow from --when and --model. The entry is validated against the whole catalog (duplicates "
        "are refused, naming the existing file) and README.md is re-rendered. Exit 0 when added, 1 when the paper is "
        "unknown or already listed, 2 for a malformed id, missing choices or an unreachable API.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("arxiv", nargs="?", metavar="ARXIV_ID_OR_URL", help="e.g. 2306.11695 or https://arxiv.org/abs/2306.11695")
    parser.add_argument(
        "--manual", action="store_true", help="start an entry for a paper without an arXiv id (needs --title, --url, --venue, --year)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the entry; write nothing")
    parser.add_argument("--no-readme", action="store_true", help="do not re-render README.md")
    papers_option(parser)
    entry_options(parser)
    arxiv_endpoint_options(parser)
    parser.set_defaults(func=run)
