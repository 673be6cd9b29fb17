"""``pruning-catalog check-links``: verify every paper and code link, politely, without false alarms."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from catalog.catalog import Catalog
from catalog.commands.common import load_or_report
from catalog.fileio import write_text_atomic
from catalog.links.cache import DEFAULT_CACHE_FILE, DEFAULT_MAX_AGE, LinkCache, parse_duration
from catalog.links.checker import CheckInterrupted, CheckReport, check_links
from catalog.links.config import ENV, CheckConfig
from catalog.links.progress import ProgressBar
from catalog.links.report import as_json, as_markdown, as_text, summary
from catalog.links.targets import catalog_links
from catalog.metadata import MetadataError, load_repo_metadata, merge_repo_metadata, save_repo_metadata
from catalog.options import paper_paths, paper_paths_options, repo_metadata_option

EXAMPLE = """examples:
  pruning-catalog check-links                                  # whole catalog, text report
  GITHUB_TOKEN=... pruning-catalog check-links --format markdown --output links.md
  pruning-catalog check-links --changed-since origin/main      # only entries a pull request changed
  pruning-catalog check-links --offline --format json          # local checks only, no requests

exit codes: 0 nothing to fix (warnings allowed); 1 not-found, invalid or title-mismatch links
(--strict adds renamed and archived); 2 usage or environment errors.
"""


class UsageError(Exception):
    """A problem with the command line or the environment (exit 2)."""


def changed_paper_ids(folder: Path, ref: str) -> set[str]:
    """Ids (file stems) of paper files in ``folder`` changed since ``ref``, plus new untracked ones."""
    if not folder.is_dir():
        raise UsageError(f"--changed-since: {folder} is not a folder")

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60)
        except FileNotFoundError as exc:
            raise UsageError("--changed-since needs git, which is not installed") from exc
        except subprocess.TimeoutExpired as exc:
            raise UsageError("git took too long") from exc
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["git failed"])[0]
            raise UsageError(f"--changed-since {ref}: {reason}")
        return done.stdout

    git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    names = git("diff", "--name-only", "--relative", ref, "--", ".").splitlines()
    names += git("ls-files", "--others", "--exclude-standard", "--", ".").splitlines()
    return {Path(n).stem for n in names if n.endswith(".yaml")}


def _check_writable(path: Path, what: str) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    probe = parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if path.is_dir() or not probe.is_dir() or not os.access(probe, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"{what} {path} cannot be written")


def _config(args: argparse.Namespace) -> CheckConfig:
    try:
        return CheckConfig.from_env(
            github_api=args.github_api,
            github_graphql=args.github_graphql,
            github_web=args.github_web,
            arxiv_api=args.arxiv_api,
            arxiv_web=args.arxiv_web,
            arxiv_delay=args.arxiv_delay,
            timeout=args.timeout,
            max_wait=args.max_wait,
            web_budget=args.github_web_budget,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def render(report: CheckReport, fmt: str, strict: bool) -> str:
    if fmt == "json":
        return as_json(report, strict)
    if fmt == "markdown":
        return as_markdown(report, strict)
    return as_text(report, strict)


INTERRUPTED = 130  # the shell's code for a run ended by SIGINT (128 + 2)


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageError as exc:
        print(f"check-links: error: {exc}", file=sys.stderr)
        return 2
    except CheckInterrupted as exc:
        if exc.saved:
            print(f"\ncheck-links: interrupted: kept {exc.kept} finished results in {args.cache}; rerun to check the rest", file=sys.stderr)
        else:
            print(
                f"\ncheck-links: interrupted: {exc.kept} finished results not kept (--no-cache, or the cache cannot be written)",
                file=sys.stderr,
            )
        return INTERRUPTED
    except KeyboardInterrupt:
        print("\ncheck-links: interrupted", file=sys.stderr)  # before checking started, or after its results were saved
        return INTERRUPTED


def _run(args: argparse.Namespace) -> int:
    try:
        max_age = parse_duration(args.max_age)
    except ValueError as exc:
        raise UsageError(f"--max-age: {exc}") from exc
    if args.max_wait < 0 or args.timeout <= 0 or args.github_web_budget < 0:
        raise UsageError("--max-wait and --github-web-budget must be >= 0 and --timeout > 0")
    if args.output:
        _check_writable(args.output, "--output")
    config = _config(args)
    paths = paper_paths(args)
    catalog = load_or_report(*paths, command="check-links")
    if catalog is None:
        return 1
    if not (args.no_metadata or args.offline):  # checked before any request: the file is merged into at the end
        try:
            load_repo_metadata(args.repo_metadata)
        except MetadataError as exc:
            print(f"{args.repo_metadata}: -: not a repository metadata file: {exc}", file=sys.stderr)
            return 1
    paper_ids = None
    if args.changed_since:
        folders = sorted({p if p.is_dir() else p.parent for p in paths})
        paper_ids = set().union(*(changed_paper_ids(f, args.changed_since) for f in folders))
        print(f"check-links: {len(paper_ids & {p.id for p in catalog.papers})} entries changed since {args.changed_since}", file=sys.stderr)
    cache = LinkCache(None if args.no_cache else args.cache, max_age)
    for note in cache.problems:
        print(f"check-links: warning: {note}", file=sys.stderr)
    bar = ProgressBar(0)
    try:
        report = check_links(
            catalog, config, cache, paper_ids=paper_ids, offline=args.offline, progress=bar, on_total=lambda n: setattr(bar, "total", n)
        )
    finally:
        bar.close()
    try:
        cache.save()
    except OSError as exc:
        print(f"check-links: warning: cache {args.cache} not saved ({exc.strerror or exc})", file=sys.stderr)
    text = render(report, args.format, args.strict)
    if args.output:
        try:
            write_text_atomic(args.output, text)
        except OSError as exc:
            raise UsageError(f"--output {args.output} cannot be written ({exc.strerror or exc})") from exc
    else:
        sys.stdout.write(text)
    print(summary(report, args.strict), file=sys.stderr, end="")
    if report.metadata and not (args.no_metadata or args.offline):
        _save_metadata(args.repo_metadata, catalog, report)
    return report.exit_code(args.strict)


def _save_metadata(path: Path, catalog: Catalog, report: CheckReport) -> None:
    """Merge the run's repository metadata into the file; repositories no longer linked are dropped."""
    keep = {lk.target.repo_key.removeprefix("github:") for lk in catalog_links(catalog) if lk.target.family == "github"}
    try:
        save_repo_metadata(merge_repo_metadata(path, report.metadata, keep), path)
    except (OSError, ValueError) as exc:
        raise UsageError(f"--repo-metadata {path} cannot be written ({exc})") from exc


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "check-links",
        help="verify GitHub, arXiv and other links of the catalog in batches, politely",
        description=(
            "Check every paper and code link: GitHub repositories (GraphQL in batches with GITHUB_TOKEN; REST and web pages "
            "without), arXiv ids (export API, 100 per call, 3 s apart) and other hosts (HEAD/GET, 1 s apart per host). "
            "Results are cached; repository metadata (stars, archived, last push) goes to --repo-metadata."
        ),
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    paper_paths_options(parser)
    parser.add_argument("--changed-since", metavar="GIT_REF", help="check only entries changed since this git ref (for pull requests)")
    parser.add_argument("--format", choices=["text", "json", "markdown"], default="text", help="report format (default: text)")
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE_FILE, metavar="FILE", help=f"result cache (default: {DEFAULT_CACHE_FILE})"
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument(
        "--max-age",
        default=f"{int(DEFAULT_MAX_AGE // 86400)}d",
        metavar="DURATION",
        help="how long good results stay cached, e.g. 12h, 7d (not-found: at most 1d; default: 7d)",
    )
    parser.add_argument(
        "--max-wait",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="longest single wait for a rate limit or backoff; past it a link is rate-limited (default: 60)",
    )
    parser.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS", help="timeout of every request (default: 20)")
    parser.add_argument(
        "--github-web-budget",
        type=int,
        default=50,
        metavar="N",
        help="without a usable token: at most N github.com page requests, 1 s apart, once the anonymous REST budget is spent (default: 50)",
    )
    parser.add_argument("--strict", action="store_true", help="also fail on renamed and archived repositories")
    parser.add_argument(
        "--offline", action="store_true", help="no requests: only local checks (malformed ids and URLs, shared targets) and the cache"
    )
    repo_metadata_option(parser, "to update with stars, archived and last push")
    parser.add_argument("--no-metadata", action="store_true", help="do not update the repository metadata file")
    endpoints = parser.add_argument_group("endpoints (for tests and mirrors; each also set by an environment variable)")
    endpoints.add_argument("--github-api", metavar="URL", help=f"GitHub REST base (${ENV['github_api']})")
    endpoints.add_argument("--github-graphql", metavar="URL", help=f"GitHub GraphQL endpoint (${ENV['github_graphql']})")
    endpoints.add_argument("--github-web", metavar="URL", help=f"github.com pages (${ENV['github_web']})")
    endpoints.add_argument("--arxiv-api", metavar="URL", help=f"arXiv export API query endpoint (${ENV['arxiv_api']})")
    endpoints.add_argument("--arxiv-web", metavar="URL", help=f"arXiv abs pages base (${ENV['arxiv_web']})")
    endpoints.add_argument(
        "--arxiv-delay", type=float, metavar="SECONDS", help=f"seconds between arXiv requests, default 3 (${ENV['arxiv_delay']})"
    )
    parser.set_defaults(func=run)
