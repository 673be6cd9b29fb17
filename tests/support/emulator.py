"""A local stand-in for GitHub (GraphQL, REST, web) and arXiv (export API, abs pages) and other sites.

A real HTTP server on 127.0.0.1 (stdlib ``ThreadingHTTPServer``, HTTP/1.1 keep-alive), so the
link checker is tested through real sockets, timeouts and connection resets. It behaves like the
real services where it matters (aliased GraphQL with NOT_FOUND errors at HTTP 200, REST 301 for
renamed repositories and ETags, arXiv's ``max_results`` default of 10, 400 for malformed ids,
414 for long GETs, shuffled and versioned Atom entries), and each test can script one-off replies
per route (429, 502, a slow answer, a reset, truncated XML...). Every request is logged with
method, path, headers, body, the client's host and the arrival time on the injected clock.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

ROUTES = ("graphql", "rest", "web", "arxiv-api", "arxiv-abs", "arxiv-html", "site")
_ALIAS_RE = re.compile(r"(r\d+): repository\(owner: \$(\w+), name: \$(\w+)\)")
_OBJECT_RE = re.compile(r"(f\d+_\d+_\d+): object\(expression: \$(\w+)\)")
_ARXIV_ID_RE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z][a-z-]*(\.[A-Z]{2})?/\d{7})(v\d+)?$")


@dataclass
class Reply:
    """A scripted answer. ``status=None`` means "the normal answer", changed by the other fields."""

    status: int | None = None
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # real seconds before answering (timeouts)
    reset: bool = False  # drop the connection with a TCP reset instead of answering
    truncate: int | None = None  # keep only this many bytes of the normal body
    drop_after: int | None = None  # announce the whole body, send this many bytes of it, then reset the connection
    trickle: float = 0.0  # send the body one byte at a time, this many real seconds apart (a server slower than any deadline)
    trickle_headers: float = 0.0  # the same for the status line and headers


@dataclass
class Logged:
    route: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    client: str
    host: str
    at: float

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8")) if self.body else parse_qs(urlsplit(self.path).query)


@dataclass
class Repo:
    name_with_owner: str
    archived: bool = False
    stars: int = 10
    pushed_at: str = "2024-01-02T03:04:05Z"
    id: int = 0
    objects: set[str] | None = None  # git object expressions ("main:src") that exist; None: all do


class Emulator:
    def __init__(self, clock: Callable[[], float] | None = None, latency: float = 0.0, token: str | None = None, seed: int = 7):
        self.clock = clock or time.monotonic
        self.latency = latency
        self.token = token  # the token GraphQL/REST accept; a different one gets 401
        self.repos: dict[str, Repo] = {}
        self.renames: dict[str, str] = {}  # old lower name -> current lower name
        self.papers: dict[str, tuple[int, str]] = {}  # base id -> (latest version, title)
        self.metadata: dict[str, dict[str, Any]] = {}  # base id -> authors, abstract, published, updated (add_paper)
        self.pages: dict[str, Reply] = {}  # /site/... path -> reply (missing: 404)
        self.site_default: Reply | None = None  # answer for /site/ pages not in ``pages`` (default: 404)
        self.rejected: set[str] = set()  # ids the arXiv API calls malformed (400) though they look valid
        self.html: set[str] = set()  # base ids that have an arxiv.org/html rendering
        self.rest_remaining: int | None = None  # anonymous REST budget (None: unlimited)
        self.rest_reset_in = 3600.0
        self.epoch = lambda: time.time()
        self.scripts: dict[str, deque[Reply]] = {r: deque() for r in ROUTES}
        self.log: list[Logged] = []
        self.rng = random.Random(seed)
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._server: ThreadingHTTPServer | None = None

    # -- set-up -------------------------------------------------------------------------------

    def add_repo(
        self, name: str, archived: bool = False, stars: int = 10, renamed_from: str | None = None, objects: set[str] | None = None
    ) -> None:
        repo = Repo(name, archived, stars, id=len(self.repos) + 1, objects=objects)
        self.repos[name.lower()] = repo
        if renamed_from:
            self.renames[renamed_from.lower()] = name.lower()

    def add_paper(
        self,
        base: str,
        title: str,
        version: int = 1,
        *,
        authors: tuple[str, ...] = (),
        abstract: str = "",
        published: str = "2024-01-15T18:59:59Z",
        updated: str | None = None,
    ) -> None:
        """A paper of the export API; its Atom entry carries authors, summary and dates as arXiv's does."""
        self.papers[base] = (version, title)
        self.metadata[base] = {"authors": authors, "abstract": abstract, "published": published, "updated": updated or published}

    def script(self, route: str, *replies: Reply) -> None:
        assert route in ROUTES, route
        self.scripts[route].extend(replies)

    def requests(self, route: str | None = None) -> list[Logged]:
        with self._lock:
            return [r for r in self.log if route is None or r.route == route]

    def wait_for_requests(self, count: int, route: str | None = None, timeout: float = 30.0) -> bool:
        """Block until ``count`` requests (of ``route``) have arrived; False if ``timeout`` real seconds pass first."""
        with self._arrived:
            return self._arrived.wait_for(lambda: sum(route is None or r.route == route for r in self.log) >= count, timeout)

    # -- server ---------------------------------------------------------------------------------

    @property
    def base(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def endpoints(self) -> dict[str, str]:
        """Keyword arguments for CheckConfig pointing every family at this emulator."""
        return {
            "github_api": f"{self.base}/gh-api",
            "github_graphql": f"{self.base}/gh-graphql",
            "github_web": f"{self.base}/gh-web",
            "arxiv_api": f"{self.base}/arxiv-api/query",
            "arxiv_web": f"{self.base}/arxiv-web",
        }

    def environment(self) -> dict[str, str]:
        """The same endpoints as the ``PRUNING_CATALOG_*`` variables a CLI subprocess reads."""
        return {f"PRUNING_CATALOG_{key.upper()}": url for key, url in self.endpoints().items()}

    def site_url(self, path: str) -> str:
        return f"{self.base}/site/{path.lstrip('/')}"

    def start(self) -> Emulator:
        handler = type("Handler", (_Handler,), {"emulator": self})
        self._server = _QuietServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- behaviour ------------------------------------------------------------------------------

    def next_script(self, route: str) -> Reply | None:
        with self._lock:
            return self.scripts[route].popleft() if self.scripts[route] else None

    def resolve(self, owner: str, name: str) -> Repo | None:
        key = f"{owner}/{name}".lower()
        key = self.renames.get(key, key)
        return self.repos.get(key)

    def auth_ok(self, headers: dict[str, str]) -> bool:
        given = headers.get("authorization")
        if given is None:
            return True
        return self.token is not None and given.split(" ", 1)[-1] == self.token

    def graphql(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        if not headers.get("authorization") or not self.auth_ok(headers):
            return 401, {"content-type": "application/json"}, b'{"message": "Bad credentials"}'
        payload = json.loads(body)
        variables = payload.get("variables") or {}
        data: dict[str, Any] = {}
        errors = []
        query = payload["query"]
        for alias, ov, nv in _ALIAS_RE.findall(query):
            repo = self.resolve(variables[ov], variables[nv])
            selection = query.split(f"{alias}: repository(", 1)[1].split(": repository(", 1)[0]
            if repo is None:
                data[alias] = None
                errors.append(
                    {
                        "type": "NOT_FOUND",
                        "path": [alias],
                        "message": f"Could not resolve to a Repository with the name '{variables[ov]}/{variables[nv]}'.",
                    }
                )
            else:
                data[alias] = {
                    "nameWithOwner": repo.name_with_owner,
                    "isArchived": repo.archived,
                    "stargazerCount": repo.stars,
                    "pushedAt": repo.pushed_at,
                    "url": f"https://github.com/{repo.name_with_owner}",
                }
                for obj_alias, var in _OBJECT_RE.findall(selection):
                    exists = repo.objects is None or variables[var] in repo.objects
                    data[alias][obj_alias] = {"__typename": "Tree"} if exists else None
        out: dict[str, Any] = {"data": data}
        if errors:
            out["errors"] = errors
        return 200, {"content-type": "application/json"}, json.dumps(out).encode()

    def rest(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if not self.auth_ok(headers):
            return 401, {"content-type": "application/json"}, b'{"message": "Bad credentials"}'
        parts = [p for p in urlsplit(path).path.split("/") if p][1:]  # drop gh-api
        repo: Repo | None = None
        moved = None
        if len(parts) == 3 and parts[0] == "repos":
            key = f"{parts[1]}/{parts[2]}".lower()
            repo = self.repos.get(key)
            if repo is None and key in self.renames:
                moved = self.repos[self.renames[key]]
        elif len(parts) == 2 and parts[0] == "repositories":
            repo = next((r for r in self.repos.values() if str(r.id) == parts[1]), None)
        body = b""
        status = 404
        extra: dict[str, str] = {}
        if repo is not None:
            body = json.dumps(
                {"full_name": repo.name_with_owner, "archived": repo.archived, "stargazers_count": repo.stars, "pushed_at": repo.pushed_at}
            ).encode()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            extra["etag"] = etag
            if headers.get("if-none-match") == etag:
                return 304, extra, b""  # a 304 does not count against the limit
            status = 200
        elif moved is not None:
            status, body = 301, json.dumps({"message": "Moved Permanently", "url": f"/gh-api/repositories/{moved.id}"}).encode()
            extra["location"] = f"/gh-api/repositories/{moved.id}"
        else:
            body = b'{"message": "Not Found"}'
        if self.rest_remaining is not None and not headers.get("authorization"):
            with self._lock:
                if self.rest_remaining <= 0:
                    reset = int(self.epoch() + self.rest_reset_in)
                    return (
                        403,
                        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset), "content-type": "application/json"},
                        b'{"message": "API rate limit exceeded"}',
                    )
                self.rest_remaining -= 1
                extra["x-ratelimit-remaining"] = str(self.rest_remaining)
        return status, {"content-type": "application/json", **extra}, body

    def web(self, path: str) -> tuple[int, dict[str, str], bytes]:
        parts = [p for p in urlsplit(path).path.split("/") if p][1:]
        if len(parts) >= 2:
            key = f"{parts[0]}/{parts[1]}".lower()
            if key in self.repos:
                return 200, {"content-type": "text/html"}, b"<html>repo</html>"
            if key in self.renames:
                return 301, {"location": f"/gh-web/{self.repos[self.renames[key]].name_with_owner}"}, b""
        return 404, {"content-type": "text/html"}, b"<html>Not Found</html>"

    def arxiv_api(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if method == "GET" and len(path) > 2000:
            return 414, {"content-type": "text/html"}, b"<html>414 Request-URI Too Large</html>"
        form = parse_qs(body.decode()) if method == "POST" else parse_qs(urlsplit(path).query)
        ids = [i for i in (form.get("id_list", [""])[0]).split(",") if i]
        max_results = int(form.get("max_results", ["10"])[0])
        start = int(form.get("start", ["0"])[0])
        atom = {"content-type": "application/atom+xml; charset=utf-8"}
        for i in ids:
            if not _ARXIV_ID_RE.match(i) or i in self.rejected:
                entry = (
                    f"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(i)}</id>"
                    f"<title>Error</title><summary>incorrect id format for {escape(i)}</summary></entry>"
                )
                return 400, atom, _feed([entry], 1).encode()
        entries = []
        for i in ids:
            base = re.sub(r"v\d+$", "", i)
            if base in self.papers:
                version, title = self.papers[base]
                entries.append(self._atom_entry(base, version, title))
        self.rng.shuffle(entries)
        return 200, atom, _feed(entries[start : start + max_results], len(entries)).encode()

    def _atom_entry(self, base: str, version: int, title: str) -> str:
        default = "2024-01-15T18:59:59Z"
        meta = self.metadata.get(base) or {"authors": (), "abstract": "", "published": default, "updated": default}
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in meta["authors"])
        return (
            f"<entry><id>http://arxiv.org/abs/{base}v{version}</id><updated>{meta['updated']}</updated><published>{meta['published']}</published>"
            f"<title>{escape(title)}</title><summary>{escape(meta['abstract'])}</summary>{authors}"
            f'<link href="http://arxiv.org/abs/{base}v{version}" rel="alternate" type="text/html"/>'
            f'<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.LG"/></entry>'
        )

    def arxiv_abs(self, path: str) -> tuple[int, dict[str, str], bytes]:
        ident = urlsplit(path).path.split("/abs/", 1)[-1]
        base = re.sub(r"v\d+$", "", ident)
        if base in self.papers:
            return 200, {"content-type": "text/html"}, f"<html><title>[{base}] {escape(self.papers[base][1])}</title></html>".encode()
        return 404, {"content-type": "text/html"}, b"<html>Article not found</html>"

    def arxiv_html(self, path: str) -> tuple[int, dict[str, str], bytes]:
        base = re.sub(r"v\d+$", "", urlsplit(path).path.split("/html/", 1)[-1])
        if base in self.papers and base in self.html:
            return 200, {"content-type": "text/html"}, b"<html>rendered paper</html>"
        return 404, {"content-type": "text/html"}, b"<html>No HTML for this paper</html>"

    def site(self, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
        key = urlsplit(path).path.removeprefix("/site")
        reply = self.pages.get(key, self.site_default)
        if reply is None:
            return 404, {"content-type": "text/html"}, b"<html>not here</html>"
        if reply.delay:
            time.sleep(reply.delay)  # a slow page, every time
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        return reply.status or 200, {"content-type": "text/html", **reply.headers}, body


def _feed(entries: list[str], total: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"<title>arXiv Query</title><opensearch:totalResults>{total}</opensearch:totalResults>" + "".join(entries) + "</feed>"
    )


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out or are reset on purpose are part of the tests


class _Handler(BaseHTTPRequestHandler):
    emulator: Emulator
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: avoid 40 ms delayed-ACK stalls

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        pass

    def _route(self) -> str:
        p = self.path
        for prefix, route in (
            ("/gh-graphql", "graphql"),
            ("/gh-api/", "rest"),
            ("/gh-web/", "web"),
            ("/arxiv-api/", "arxiv-api"),
            ("/arxiv-web/abs/", "arxiv-abs"),
            ("/arxiv-web/html/", "arxiv-html"),
            ("/site/", "site"),
        ):
            if p.startswith(prefix):
                return route
        return "unknown"

    def _handle(self) -> None:
        emu = self.emulator
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        route = self._route()
        with emu._arrived:
            emu.log.append(
                Logged(route, self.command, self.path, headers, body, self.client_address[0], headers.get("host", ""), emu.clock())
            )
            emu._arrived.notify_all()
        if emu.latency:
            time.sleep(emu.latency)
        scripted = emu.next_script(route) if route in ROUTES else None
        if scripted is not None and scripted.delay:
            time.sleep(scripted.delay)
        if scripted is not None and scripted.reset:
            self._reset()
            return
        if scripted is not None and scripted.status is not None:
            status, extra, out = (
                scripted.status,
                scripted.headers,
                scripted.body.encode() if isinstance(scripted.body, str) else scripted.body,
            )
        else:
            status, extra, out = self._normal(route, headers, body)
            if scripted is not None:
                extra = {**extra, **scripted.headers}
                if scripted.truncate is not None:
                    out = out[: scripted.truncate]
        how = scripted or (emu.pages.get(urlsplit(self.path).path.removeprefix("/site")) if route == "site" else None)
        if how is not None and how.trickle_headers:
            self._trickle_headers(status, extra, out, how.trickle_headers)
            return
        self.send_response(status)
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("date", formatdate(usegmt=True))
        self.send_header("content-length", str(len(out)))
        self.end_headers()
        if self.command != "HEAD":
            self._write_body(out, how)

    def _trickle_headers(self, status: int, extra: dict[str, str], out: bytes, pause: float) -> None:
        """Send the status line and headers a byte at a time: every read is quick, the whole never arrives in time."""
        head = f"HTTP/1.1 {status} OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in extra.items())
        head += "x-padding: " + "." * 4000 + f"\r\ncontent-length: {len(out)}\r\n\r\n"
        self.close_connection = True
        try:
            for i in range(len(head)):
                self.wfile.write(head[i : i + 1].encode())
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass  # the client gave up, as it should

    def _reset(self) -> None:
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _write_body(self, out: bytes, how: Reply | None) -> None:
        """The body as announced, or hostile: cut off after ``drop_after`` bytes, or trickled a byte at a time."""
        try:
            if how is not None and how.drop_after is not None:
                self.wfile.write(out[: how.drop_after])
                self.wfile.flush()
                self._reset()
            elif how is not None and how.trickle:
                for i in range(len(out)):
                    self.wfile.write(out[i : i + 1])
                    self.wfile.flush()
                    time.sleep(how.trickle)
            else:
                self.wfile.write(out)
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True  # the client gave up (a timeout test)

    def _normal(self, route: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        emu = self.emulator
        if route == "graphql":
            return emu.graphql(headers, body)
        if route == "rest":
            return emu.rest(self.path, headers)
        if route == "web":
            return emu.web(self.path)
        if route == "arxiv-api":
            return emu.arxiv_api(self.command, self.path, body)
        if route == "arxiv-abs":
            return emu.arxiv_abs(self.path)
        if route == "arxiv-html":
            return emu.arxiv_html(self.path)
        if route == "site":
            return emu.site(self.command, self.path)
        return 404, {}, b"unknown route"

    do_GET = do_POST = do_HEAD = _handle
