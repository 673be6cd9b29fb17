"""Resolve every internal ``href`` and ``src`` of a built site against the files on disk.

``mkdocs build --strict`` validates Markdown links but not links in raw HTML (our tables, the
explorer, paper pages), so this crawler checks what MkDocs cannot: each internal URL must name
an existing file (``dir/`` means ``dir/index.html``) and each ``#fragment`` an existing id on
the target page. Absolute URLs under the site's own base URL count as internal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

URL_ATTRS = {"href", "src"}


@dataclass(frozen=True)
class Broken:
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRS:
                self.urls.append(value)
            elif name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)


@cache
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target(site: Path, path: str) -> Path | None:
    candidate = site / unquote(path).lstrip("/")
    if path.endswith("/") or path == "":
        candidate = candidate / "index.html"
    if candidate.is_file():
        return candidate
    if (candidate / "index.html").is_file():
        return candidate / "index.html"
    return None


def crawl(site: Path, base_url: str) -> tuple[int, list[Broken]]:
    """Check every internal link of every HTML page; returns (links checked, broken links)."""
    _parse.cache_clear()
    base = urlsplit(base_url)
    checked = 0
    broken: list[Broken] = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        page_url = base_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for raw in _parse(page).urls:
            absolute = urljoin(page_url, raw)
            parts = urlsplit(absolute)
            if parts.scheme in ("mailto", "javascript", "data", "tel"):
                continue
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or not parts.path.startswith(base.path):
                continue  # external: the link checker's business, not the site build's
            checked += 1
            local = parts.path[len(base.path) :]
            target = _target(site, local)
            if target is None:
                broken.append(Broken(rel, raw, "no such file"))
                continue
            if parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parse(target).ids:
                broken.append(Broken(rel, raw, f"no element with id {parts.fragment!r} in {target.relative_to(site)}"))
    return checked, broken
