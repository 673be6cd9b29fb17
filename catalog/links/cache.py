"""The result cache: a JSON file keyed by normalised target, so a rerun costs no requests.

Good results are kept for ``max_age`` (days by default); not-found and the like for at most a
day, because a repository can come back; transient results (rate-limited, timeout, error) are
never stored, because "we could not tell" must be asked again. ETags outlive freshness: an
expired GitHub REST entry still offers its ETag so the recheck is a free 304.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from catalog.fileio import write_text_atomic
from catalog.links.results import TRANSIENT, TargetResult, as_verdict

CACHE_VERSION = 1
SHORT_LIVED = frozenset({"not-found", "version-not-found", "blocked", "invalid"})
DAY = 86_400.0
DEFAULT_MAX_AGE = 7 * DAY
DEFAULT_CACHE_FILE = Path(".cache/link-check.json")
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": DAY, "w": 7 * DAY}


def parse_duration(text: str) -> float:
    """Seconds in ``90``, ``90s``, ``15m``, ``12h``, ``7d`` or ``2w``; ValueError otherwise."""
    m = _DURATION_RE.match(text)
    if not m:
        raise ValueError(f"not a duration: {text!r} (use e.g. 3600, 30m, 12h, 7d)")
    return float(m[1]) * _UNITS[m[2]]


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _epoch(text: str) -> float | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except (TypeError, ValueError):
        return None


class LinkCache:
    """Entries by target key. ``problems`` lists why an unreadable cache file was ignored."""

    def __init__(self, path: Path | None, max_age: float = DEFAULT_MAX_AGE):
        self.path = path
        self.max_age = max_age
        self.entries: dict[str, dict[str, Any]] = {}
        self.problems: list[str] = []
        self.dirty = False
        if path is not None and path.exists():
            self._read(path)

    def _read(self, path: Path) -> None:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.problems.append(f"{path}: cache unreadable, ignored ({type(exc).__name__})")
            return
        if not isinstance(raw, dict) or raw.get("version") != CACHE_VERSION or not isinstance(raw.get("entries"), dict):
            self.problems.append(f"{path}: cache has an unknown format, ignored")
            return
        self.entries = {k: v for k, v in raw["entries"].items() if isinstance(v, dict) and as_verdict(str(v.get("class"))) is not None}

    def ttl(self, cls: str) -> float:
        if cls in TRANSIENT:
            return 0.0
        return min(self.max_age, DAY) if cls in SHORT_LIVED else self.max_age

    def fresh(self, key: str, now_epoch: float) -> TargetResult | None:
        """The cached result of ``key`` if it is still within its lifetime."""
        entry = self.entries.get(key)
        if not entry:
            return None
        checked = _epoch(entry.get("checked_at", ""))
        if checked is None or now_epoch - checked > self.ttl(entry["class"]) or checked > now_epoch + 300:
            return None
        return self._result(key, entry)

    def stale(self, key: str) -> TargetResult | None:
        """The cached result regardless of age (for ETag revalidation)."""
        entry = self.entries.get(key)
        return self._result(key, entry) if entry else None

    @staticmethod
    def _result(key: str, entry: dict[str, Any]) -> TargetResult:
        return TargetResult.of(
            entry["class"],
            key,
            entry.get("detail", ""),
            canonical_url=entry.get("canonical_url"),
            status=entry.get("status"),
            title=entry.get("title"),
            etag=entry.get("etag"),
            meta=entry.get("meta"),
            cached=True,
            checked_at=entry.get("checked_at"),
        )

    def store(self, result: TargetResult, now_epoch: float) -> bool:
        """Remember a fresh result; transient ones are dropped (and evict nothing but themselves). True when stored."""
        if result.cached or result.cls in TRANSIENT:
            return False
        entry: dict[str, Any] = {"class": result.cls, "checked_at": _iso(now_epoch)}
        for name, value in (
            ("canonical_url", result.canonical_url),
            ("status", result.status),
            ("detail", result.detail),
            ("title", result.title),
            ("etag", result.etag),
            ("meta", dict(result.meta) if result.meta else None),
        ):
            if value not in (None, ""):
                entry[name] = value
        self.entries[result.key] = entry
        self.dirty = True
        return True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        text = json.dumps({"version": CACHE_VERSION, "entries": self.entries}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        write_text_atomic(self.path, text)
        self.dirty = False


def iso_now(epoch: float) -> str:
    return _iso(epoch)
