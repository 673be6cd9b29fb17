"""``pruning-catalog site``: build the website into site/ (or preview it with --serve)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from catalog.options import papers_option, repo_metadata_option
from site_builder.commands.inputs import InputError, load_inputs, read_metadata
from site_builder.site.build import DEFAULT_CONFIG, DEFAULT_STAGING, SiteBuildError, StagingError, build_site

MAX_MESSAGES = 50  # one template mistake repeats on every paper page: show the pattern, not 10,000 lines

EXAMPLE = """example:
  pruning-catalog site                          # render papers/ into site/ (mkdocs build --strict)
  pruning-catalog site --output /tmp/site       # build elsewhere
  SITE_URL=http://127.0.0.1:8000/ pruning-catalog site   # a build for a local server
  pruning-catalog site --serve                  # preview on http://127.0.0.1:8000/, rebuilt on change
"""


def run(args: argparse.Namespace) -> int:
    papers: Path = args.papers
    if not papers.is_dir():  # checked first: --serve would otherwise watch a folder that is not there
        print(f"error: {papers}: no such folder of paper files (use --papers DIR)", file=sys.stderr)
        return 2
    if not args.config.is_file():
        print(f"error: {args.config}: MkDocs configuration not found (use --config FILE)", file=sys.stderr)
        return 2
    if args.serve:
        from site_builder.site.serve import serve_site

        try:
            read_metadata(args.repo_metadata)  # the same check as a build: a malformed file stops here, exit 1
        except InputError as exc:
            print(*exc.lines, sep="\n", file=sys.stderr)
            return exc.code
        return serve_site(
            papers, metadata_file=args.repo_metadata, host=args.host, port=args.port, staging=args.staging, config_file=args.config
        )
    loaded = load_inputs(papers, args.repo_metadata, "site")
    if isinstance(loaded, int):
        return loaded
    catalog, metadata = loaded
    try:
        result = build_site(catalog, args.output, staging=args.staging, config_file=args.config, repo_metadata=metadata)
    except StagingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SiteBuildError as exc:
        shown = exc.messages[:MAX_MESSAGES]
        for message in shown:
            print(message, file=sys.stderr)
        if len(exc.messages) > len(shown):
            print(f"... and {len(exc.messages) - len(shown)} more messages", file=sys.stderr)
        print("site not built: mkdocs build --strict failed (the previous site, if any, is unchanged)", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    print(
        f"built {args.output}/ from {len(catalog)} papers: {result.pages} pages in {result.seconds:.1f} s "
        f"(render {result.render_seconds:.1f} s, mkdocs {result.mkdocs_seconds:.1f} s)",
        file=sys.stderr,
    )
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "site",
        help="build the website into site/ with MkDocs Material (or --serve a live preview)",
        description=(
            "Render pages from the catalog with the package's templates into a private staging folder, "
            "then run 'mkdocs build --strict' with the package's mkdocs.yml (or --config). Builds may run at once. "
            "The site URL comes from the configuration, overridden by "
            "the SITE_URL environment variable. Exit 0 when built, 1 when the catalog is invalid or the build "
            "fails, 2 on usage errors or a missing folder."
        ),
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    papers_option(parser)
    parser.add_argument("--output", type=Path, default=Path("site"), metavar="DIR", help="folder to write the site into (default: site/)")
    parser.add_argument(
        "--serve", action="store_true", help="serve a preview that rebuilds when papers/, the templates or the configuration change"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on with --serve (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to serve on with --serve (default: 8000)")
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        metavar="FILE",
        help="MkDocs configuration (default: the mkdocs.yml shipped with the package)",
    )
    parser.add_argument(
        "--staging",
        type=Path,
        default=DEFAULT_STAGING,
        metavar="DIR",
        help="docs folder to render into, wiped and locked while in use (default: a private temporary folder)",
    )
    repo_metadata_option(parser, "shown on paper pages (stars, archived) when it exists")
    parser.set_defaults(func=run)
