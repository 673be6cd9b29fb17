"""``pruning-catalog site --serve``: a local preview that rebuilds when papers or templates change.

MkDocs' own ``serve`` only watches ``docs_dir``; our pages are generated *into* it, and writing
into a watched ``docs_dir`` makes MkDocs rebuild in a loop. So we drive MkDocs' live-reload server
ourselves: it watches ``papers/``, the templates, the MkDocs configuration and the repository
metadata, and each rebuild reads its inputs exactly as ``site`` does
(:func:`site_builder.commands.inputs.read_inputs`), re-renders the staging folder and runs the
build. Browsers reload automatically. A broken paper file prints its problems and keeps the last
good site on screen. A port already in use is one line and exit 2, before anything is built.
"""

from __future__ import annotations

import errno
import shutil
import socket
import sys
import tempfile
from pathlib import Path

from site_builder.commands.inputs import InputError, read_inputs
from site_builder.site.build import (
    DEFAULT_CONFIG,
    DEFAULT_STAGING,
    SiteBuildError,
    StagingError,
    run_mkdocs,
    site_files,
    staging_folder,
    taxonomy_pages,
    write_staging,
)
from site_builder.site.pages import TEMPLATES_DIR


def rebuild(papers: Path, metadata_file: Path, staging: Path, config_file: Path, site_dir: Path, site_url: str) -> bool:
    """Load, render and build once; print what went wrong instead of raising. True on success."""
    try:
        catalog, metadata = read_inputs(papers, metadata_file, "site")
    except InputError as exc:
        for line in [*exc.problems, *exc.lines]:
            print(line, file=sys.stderr)
        print("site not rebuilt: fix the errors above", file=sys.stderr)
        return False
    try:
        write_staging(site_files(catalog, metadata), staging)
        run_mkdocs(config_file, staging.resolve(), site_dir, site_url=site_url, strict=True, nav_pages=taxonomy_pages(catalog))
    except (SiteBuildError, StagingError) as exc:
        print(f"site build failed:\n{exc}", file=sys.stderr)
        return False
    print(f"rebuilt: {len(catalog)} papers", file=sys.stderr)
    return True


def port_in_use(host: str, port: int) -> bool:
    """Whether ``host:port`` cannot be bound (another server listens there), tried as the server binds it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return False  # the server reports an unknown host itself
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is not "in use"
        try:
            probe.bind(address)
        except OSError as exc:
            return exc.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def busy_port_message(host: str, port: int) -> str:
    return f"error: port {port} on {host} is already in use; choose another with --port (e.g. --port {port + 1})"


def serve_site(
    papers: Path,
    *,
    metadata_file: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    staging: Path | None = DEFAULT_STAGING,
    config_file: Path = DEFAULT_CONFIG,
) -> int:
    from mkdocs.livereload import LiveReloadServer

    if port_in_use(host, port):
        print(busy_port_message(host, port), file=sys.stderr)
        return 2
    site_url = f"http://{host}:{port}/"
    site_dir = Path(tempfile.mkdtemp(prefix="pruning-site-"))
    try:
        with staging_folder(staging) as docs:

            def builder() -> None:
                rebuild(papers, metadata_file, docs, config_file, site_dir, site_url)

            try:
                server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site_dir), mount_path="/")
            except OSError as exc:
                print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=sys.stderr)
                return 2
            builder()
            for path in (papers, TEMPLATES_DIR, config_file, metadata_file):
                if path.exists():
                    server.watch(str(path))
            print(f"serving {site_url} (watching {papers}/, the templates, {config_file.name}); Ctrl+C stops", file=sys.stderr)
            try:
                server.serve()  # binds the port: another server may have taken it since the check above
            except KeyboardInterrupt:
                print("stopped", file=sys.stderr)
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                print(busy_port_message(host, port), file=sys.stderr)
                return 2
            finally:
                server.shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0
