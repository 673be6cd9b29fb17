"""``pruning-catalog from-issue``: turn a submitted "Add a paper" issue form into an entry (through ``add``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from catalog.commands.add import Request, create
from catalog.issue_form import FORM_PATH, FormError, choices_from_body
from catalog.options import arxiv_config, arxiv_endpoint_options, papers_option

EXAMPLE = f"""examples:
  pruning-catalog from-issue issue-body.md
  gh issue view 123 --json body --jq .body | pruning-catalog from-issue - --dry-run

The body is the Markdown GitHub renders for the form in {FORM_PATH} (### Label, a blank line, the
value). The entry goes through exactly the checks of 'pruning-catalog add'; nothing is asked:
missing or unknown choices exit 2 with the allowed values.
"""


def run(args: argparse.Namespace) -> int:
    try:
        body = sys.stdin.read() if str(args.file) == "-" else args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"pruning-catalog from-issue: error: {args.file}: cannot read: {exc}", file=sys.stderr)
        return 2
    try:
        arxiv, choices = choices_from_body(body)
    except FormError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.added:
        import datetime as dt
        from dataclasses import replace

        try:
            choices = replace(choices, added=dt.date.fromisoformat(args.added))
        except ValueError:
            print(f"pruning-catalog from-issue: error: --added: {args.added!r} is not a date (write YYYY-MM-DD)", file=sys.stderr)
            return 2
    request = Request(arxiv=arxiv, choices=choices, manual=arxiv is None, dry_run=args.dry_run)
    refresh = None if args.no_readme else getattr(args, "refresh_readme", None)
    return create(request, args.papers, config=arxiv_config(args), ask=None, refresh=refresh)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "from-issue",
        help="turn a submitted 'Add a paper' issue form into an entry",
        description="Read the body of an issue made with the 'Add a paper' form and add the paper exactly as "
        "'pruning-catalog add' would (same checks, same canonical entry, README refreshed). Exit 0 when added, "
        "1 when the paper is unknown or already listed, 2 when the form is badly filled.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the issue body (Markdown); - for stdin")
    parser.add_argument("--dry-run", action="store_true", help="print the entry; write nothing")
    parser.add_argument("--no-readme", action="store_true", help="do not re-render README.md")
    parser.add_argument("--added", metavar="YYYY-MM-DD", help="date added (default: today)")
    papers_option(parser)
    arxiv_endpoint_options(parser)
    parser.set_defaults(func=run)
