"""Repository metadata (stars, archived, last push, canonical name) gathered by the link checker.

It lives in one committed JSON file, ``data/repositories.json``, not in the hand-edited paper
YAML, so that refreshing star counts never touches contributors' files or causes merge
conflicts. Renderers read it when it exists and simply show no badges when it does not.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from catalog.identifiers import github_repo_key

__all__ = [
    "DEFAULT_METADATA_FILE",
    "MetadataError",
    "RepoInfo",
    "github_repo_key",  # re-exported from catalog.identifiers for the renderers
    "load_repo_metadata",
    "merge_repo_metadata",
    "save_repo_metadata",
]

from catalog.fileio import write_text_atomic

DEFAULT_METADATA_FILE = Path("data/repositories.json")


@dataclass(frozen=True)
class RepoInfo:
    key: str  # "owner/name" as written in the catalog, lower-cased
    canonical: str  # "Owner/Name" as GitHub reports it now (differs after a rename)
    stars: int | None
    archived: bool
    pushed_at: str | None  # ISO 8601
    checked_at: str | None


class MetadataError(ValueError):
    """The repository metadata file is not in the shape :func:`save_repo_metadata` writes."""


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


def load_repo_metadata(path: Path = DEFAULT_METADATA_FILE) -> Mapping[str, RepoInfo]:
    """Metadata keyed by :func:`github_repo_key`; empty when the file does not exist.

    Raises :class:`MetadataError` (a one-line reason) when the file is not JSON or not in the
    expected shape, and ``OSError`` when it cannot be read.
    """
    if not path.exists():
        return MappingProxyType({})
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MetadataError(f"not valid JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise MetadataError(f'expected an object {{"repositories": {{"owner/name": {{...}}}}}} at the top level, found {_kind(raw)}')
    repos = raw.get("repositories", {})
    if not isinstance(repos, dict):
        raise MetadataError(f'"repositories" must be an object keyed by owner/name, found {_kind(repos)}')
    for key, entry in repos.items():
        if not isinstance(entry, dict):
            raise MetadataError(f"repositories.{key}: expected an object, found {_kind(entry)}")
        stars = entry.get("stars")
        if stars is not None and (isinstance(stars, bool) or not isinstance(stars, int)):
            raise MetadataError(f"repositories.{key}.stars: expected a whole number or null, found {_kind(stars)}")
        for name in ("canonical", "pushed_at", "checked_at"):
            if entry.get(name) is not None and not isinstance(entry[name], str):
                raise MetadataError(f"repositories.{key}.{name}: expected a string or null, found {_kind(entry[name])}")
    return MappingProxyType(
        {
            key: RepoInfo(
                key=key,
                canonical=entry.get("canonical", key),
                stars=entry.get("stars"),
                archived=bool(entry.get("archived", False)),
                pushed_at=entry.get("pushed_at"),
                checked_at=entry.get("checked_at"),
            )
            for key, entry in sorted(repos.items())
        }
    )


def save_repo_metadata(repos: Mapping[str, Mapping[str, object]], path: Path = DEFAULT_METADATA_FILE) -> None:
    """Write the metadata file atomically, sorted, in the format :func:`load_repo_metadata` reads.

    ``repos`` maps :func:`github_repo_key` keys to ``{canonical, stars, archived, pushed_at,
    checked_at}``; other keys of an entry are dropped so the file keeps one shape.
    """
    fields = ("canonical", "stars", "archived", "pushed_at", "checked_at")
    data = {"repositories": {key.lower(): {f: repos[key].get(f) for f in fields} for key in sorted(repos, key=str.lower)}}
    write_text_atomic(path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def merge_repo_metadata(
    path: Path, fresh: Mapping[str, Mapping[str, object]], keep: set[str] | None = None
) -> dict[str, dict[str, object]]:
    """The existing file's entries updated with ``fresh``; entries not in ``keep`` (when given) are dropped."""
    merged: dict[str, dict[str, object]] = {
        key: {
            "canonical": info.canonical,
            "stars": info.stars,
            "archived": info.archived,
            "pushed_at": info.pushed_at,
            "checked_at": info.checked_at,
        }
        for key, info in load_repo_metadata(path).items()
    }
    for key, entry in fresh.items():
        merged[key.lower()] = dict(entry)
    if keep is not None:
        merged = {k: v for k, v in merged.items() if k in keep}
    return merged
