"""``pruning-catalog site --serve``: a local preview that rebuilds when papers or templates change.

MkDocs' own ``serve`` only watches ``docs_dir``; our pages are generated *into* it, and writing
into a watched ``docs_dir`` makes MkDocs rebuild in a loop. So we drive MkDocs' live-reload server
ourselves: it watches ``papers/``, ``templates/``, ``mkdocs.yml`` and the repository metadata,
and each rebuild re-renders the staging folder from a freshly loaded catalog and runs the build.
Browsers reload automatically. A broken paper file prints its problems and keeps the last good
site on screen.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from catalog.errors import CatalogError
from catalog.load import load_catalog
from catalog.metadata import load_repo_metadata
from site_builder.site.build import DEFAULT_CONFIG, DEFAULT_STAGING, SiteBuildError, StagingError, run_mkdocs, site_files, taxonomy_pages, write_staging
from site_builder.site.pages import TEMPLATES_DIR


def rebuild(papers: Path, metadata_file: Path, staging: Path, config_file: Path, site_dir: Path, site_url: str) -> bool:
    """Load, render and build once; print what went wrong instead of raising. True on success."""
    try:
        catalog = load_catalog(papers)
    except CatalogError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("site not rebuilt: fix the catalog errors above", file=sys.stderr)
        return False
    try:
        metadata = load_repo_metadata(metadata_file)
    except (OSError, ValueError, json.JSONDecodeError) as exc:
        print(f"{metadata_file}: -: cannot read repository metadata: {exc}", file=sys.stderr)
        metadata = {}
    try:
        write_staging(site_files(catalog, metadata), staging)
        run_mkdocs(config_file, staging.resolve(), site_dir, site_url=site_url, strict=True, nav_pages=taxonomy_pages(catalog))
    except (SiteBuildError, StagingError) as exc:
        print(f"site build failed:\n{exc}", file=sys.stderr)
        return False
    print(f"rebuilt: {len(catalog)} papers", file=sys.stderr)
    return True


def serve_site(
    papers: Path,
    *,
    metadata_file: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    staging: Path = DEFAULT_STAGING,
    config_file: Path = DEFAULT_CONFIG,
) -> int:
    from mkdocs.livereload import LiveReloadServer

    site_url = f"http://{host}:{port}/"
    site_dir = Path(tempfile.mkdtemp(prefix="pruning-site-"))

    def builder() -> None:
        rebuild(papers, metadata_file, staging, config_file, site_dir, site_url)

    try:
        server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir), mount_path="/")
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        shutil.rmtree(site_dir, ignore_errors=True)
        return 2
    try:
        builder()
        for path in (papers, TEMPLATES_DIR, config_file, metadata_file):
            if path.exists():
                server.watch(str(path))
        print(f"serving {site_url} (watching {papers}/, templates/, {config_file.name}); Ctrl+C stops", file=sys.stderr)
        try:
            server.serve()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
