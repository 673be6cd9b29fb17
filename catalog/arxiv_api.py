"""arXiv metadata (title, authors, abstract, dates) through the export API, for add, enrich and from-issue.

One client for the whole project's arXiv traffic: it uses the link checker's paced HTTP layer
(:class:`catalog.links.http.Client`: one connection, requests 3 s apart, timeouts, capped
retries) and its endpoint configuration (:class:`catalog.links.config.CheckConfig`, so
``PRUNING_CATALOG_ARXIV_API`` points every command at a mirror or at the test emulator). Ids
travel in POSTed batches of at most 100 with ``max_results`` always sent (the API silently cuts
a batch at 10 otherwise); a batch refused for one malformed id is split until that id is alone.
arXiv's metadata is CC0, so the abstract may be stored in the catalog.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from catalog.fileio import write_text_atomic
from catalog.identifiers import parse_arxiv_id
from catalog.links.config import CheckConfig
from catalog.links.http import Client, Clock, RealClock, arxiv_client

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV_NS = "{http://arxiv.org/schemas/atom}"
DEFAULT_METADATA_CACHE = Path(".cache/arxiv-metadata.json")
CACHE_VERSION = 1


@dataclass(frozen=True)
class ArxivRecord:
    """What the export API says about one paper (its latest version)."""

    id: str  # without version
    version: int | None
    title: str
    authors: tuple[str, ...]
    abstract: str
    published: dt.date | None  # first version
    updated: dt.date | None  # latest version
    doi: str | None = None
    journal_ref: str | None = None

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["authors"] = list(self.authors)
        data["published"] = self.published.isoformat() if self.published else None
        data["updated"] = self.updated.isoformat() if self.updated else None
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ArxivRecord:
        return cls(
            id=str(data["id"]),
            version=data.get("version"),
            title=str(data["title"]),
            authors=tuple(data.get("authors") or ()),
            abstract=str(data.get("abstract") or ""),
            published=dt.date.fromisoformat(data["published"]) if data.get("published") else None,
            updated=dt.date.fromisoformat(data["updated"]) if data.get("updated") else None,
            doi=data.get("doi"),
            journal_ref=data.get("journal_ref"),
        )


@dataclass(frozen=True)
class Failure:
    """Why an id has no record: ``invalid`` (malformed), ``not-found``, or ``unavailable`` (API down, slow, throttled)."""

    kind: str
    detail: str


@dataclass
class FetchResult:
    found: dict[str, ArxivRecord] = field(default_factory=dict)
    failed: dict[str, Failure] = field(default_factory=dict)
    requests: int = 0


class ArxivError(Exception):
    """One id could not be fetched; ``kind`` is a :class:`Failure` kind."""

    def __init__(self, arxiv_id: str, failure: Failure):
        super().__init__(f"arXiv {arxiv_id}: {failure.detail}")
        self.arxiv_id = arxiv_id
        self.failure = failure


def _text(node: ET.Element, tag: str) -> str:
    return " ".join((node.findtext(tag) or "").split())


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def parse_metadata_feed(text: str | bytes) -> tuple[dict[str, ArxivRecord], bool]:
    """Records of an export-API Atom feed by id without version; the flag says an Error entry was present.

    Raises ``ET.ParseError`` for a body that is not a complete Atom feed.
    """
    root = ET.fromstring(text)
    if root.tag != f"{ATOM}feed":
        raise ET.ParseError("not an Atom feed")
    records: dict[str, ArxivRecord] = {}
    error = False
    for entry in root.iter(f"{ATOM}entry"):
        raw_id = _text(entry, f"{ATOM}id")
        title = _text(entry, f"{ATOM}title")
        if "/api/errors" in raw_id or (title == "Error" and "/abs/" not in raw_id):
            error = True
            continue
        parsed, _ = parse_arxiv_id(raw_id.rsplit("/abs/", 1)[-1]) if "/abs/" in raw_id else (None, None)
        if parsed is None:
            continue
        authors = tuple(n for n in (_text(a, f"{ATOM}name") for a in entry.findall(f"{ATOM}author")) if n)
        records[parsed.base] = ArxivRecord(
            id=parsed.base,
            version=parsed.version,
            title=title,
            authors=authors,
            abstract=_text(entry, f"{ATOM}summary"),
            published=_date(entry.findtext(f"{ATOM}published") or ""),
            updated=_date(entry.findtext(f"{ATOM}updated") or ""),
            doi=_text(entry, f"{ARXIV_NS}doi") or None,
            journal_ref=_text(entry, f"{ARXIV_NS}journal_ref") or None,
        )
    return records, error


class ArxivMetadata:
    """Fetches records for many ids: batches of ``config.arxiv_batch``, spaced by ``config.arxiv_delay``."""

    def __init__(self, config: CheckConfig | None = None, clock: Clock | None = None, client: Client | None = None):
        self.config = config or CheckConfig.from_env()
        self.clock = clock or RealClock()
        self.client = client or arxiv_client(self.config, self.clock)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> ArxivMetadata:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, ids: Iterable[str]) -> FetchResult:
        """Records for ``ids`` (any version; keyed by id without version); ids that have none are in ``failed``."""
        result = FetchResult()
        bases: list[str] = []
        for raw in ids:
            parsed, why = parse_arxiv_id(raw)
            if parsed is None:
                result.failed[raw] = Failure("invalid", f"{raw!r} is not an arXiv id: {why}")
            elif parsed.base not in bases:
                bases.append(parsed.base)
        size = max(1, self.config.arxiv_batch)
        for start in range(0, len(bases), size):
            self._query(bases[start : start + size], result)
        missing = [b for b in bases if b not in result.found and b not in result.failed]
        for start in range(0, len(missing), size):  # the API sometimes drops an id once: ask again
            self._query(missing[start : start + size], result)
        for base in bases:
            if base not in result.found and base not in result.failed:
                result.failed[base] = Failure("not-found", f"arXiv has no paper {base}")
        return result

    def fetch_one(self, arxiv_id: str) -> ArxivRecord:
        """The record of one id, or :class:`ArxivError` saying why there is none."""
        result = self.fetch([arxiv_id])
        parsed, _ = parse_arxiv_id(arxiv_id)
        key = parsed.base if parsed else arxiv_id
        if key in result.found:
            return result.found[key]
        raise ArxivError(arxiv_id, result.failed[key])

    def _query(self, chunk: list[str], result: FetchResult, parse_retries: int = 1) -> None:
        if not chunk:
            return
        form = {"id_list": ",".join(chunk), "max_results": str(len(chunk)), "start": "0"}
        out = self.client.request("POST", self.config.arxiv_api, data=form, pace_key="arxiv")
        result.requests += out.attempts
        if out.response is None or out.kind == "rate-limited":
            why = {"timeout": "the arXiv API did not answer in time", "rate-limited": "the arXiv API asked us to slow down"}.get(
                out.kind, "the arXiv API cannot be reached"
            )
            detail = f"{why} ({out.detail})" if out.detail else why
            for base in chunk:
                result.failed[base] = Failure("unavailable", f"{detail}; try again later")
            return
        status = out.response.status_code
        if status == 400 or (status == 200 and _has_error_entry(out.response.content)):
            if len(chunk) > 1:
                half = len(chunk) // 2
                self._query(chunk[:half], result)
                self._query(chunk[half:], result)
            else:
                result.failed[chunk[0]] = Failure("invalid", f"arXiv rejects {chunk[0]!r} as a malformed id")
            return
        if status != 200:
            for base in chunk:
                result.failed[base] = Failure("unavailable", f"the arXiv API answered HTTP {status}; try again later")
            return
        try:
            records, _ = parse_metadata_feed(out.response.content)
        except ET.ParseError:
            if parse_retries > 0:
                self._query(chunk, result, parse_retries - 1)
            else:
                for base in chunk:
                    result.failed[base] = Failure(
                        "unavailable", "the arXiv API answered something that is not a complete Atom feed; try again later"
                    )
            return
        for base in chunk:
            if base in records:
                result.found[base] = records[base]


def _has_error_entry(body: bytes) -> bool:
    try:
        return parse_metadata_feed(body)[1]
    except ET.ParseError:
        return False


class MetadataCache:
    """Records by id in a JSON file, kept ``max_age`` seconds (arXiv metadata rarely changes); failures are never kept."""

    def __init__(self, path: Path | None, now: float, max_age: float = 30 * 86_400.0):
        self.path = path
        self.now = now
        self.max_age = max_age
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        if path is not None and path.exists():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(raw, dict) and raw.get("version") == CACHE_VERSION and isinstance(raw.get("records"), dict):
                    self.entries = raw["records"]
            except (OSError, ValueError):
                self.entries = {}  # an unreadable cache is only a cache: start again

    def get(self, base: str) -> ArxivRecord | None:
        entry = self.entries.get(base)
        if not entry or self.now - float(entry.get("fetched", 0)) > self.max_age:
            return None
        try:
            return ArxivRecord.from_json(entry["record"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, record: ArxivRecord) -> None:
        self.entries[record.id] = {"fetched": self.now, "record": record.as_json()}
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        write_text_atomic(
            self.path,
            json.dumps({"version": CACHE_VERSION, "records": dict(sorted(self.entries.items()))}, indent=1, sort_keys=True) + "\n",
        )
        self.dirty = False
