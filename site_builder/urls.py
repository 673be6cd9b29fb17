"""Addresses of the website, shared by the README (which links into the site) and the site.

The explorer keeps its whole state in the query string with readable keys, one per axis or
facet id from the taxonomy, values joined by commas, e.g.
``explorer/?when=before-training&structure=C,F&year=2018-2024&code=1&text=lottery&sort=-year``.
Material owns ``q`` and ``h``; they are never used. Keys always appear in ``STATE_KEYS`` order
so that one view has one URL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from catalog.taxonomy import Taxonomy, default_taxonomy

DEFAULT_SITE_URL = "https://hrcheng1066.github.io/awesome-pruning/"
EXPLORER_PATH = "explorer/"


def site_url() -> str:
    """The public base URL of the website (``SITE_URL`` overrides it, e.g. for tests on 127.0.0.1)."""
    url = os.environ.get("SITE_URL") or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def state_keys(taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
    """Explorer query keys in their canonical order: the axes and facets that are explorer filters, then the rest.

    Renderers pass their catalog's taxonomy; without one, the project's is used (for tests and scripts).
    """
    tax = taxonomy or default_taxonomy()
    return (*(a.id for a in tax.with_flag("filter")), "venue", "year", "code", "text", "sort")


def explorer_query(filters: Mapping[str, Sequence[str] | str], taxonomy: Taxonomy | None = None) -> str:
    """The canonical query string (with leading ``?``, or empty) for an explorer state."""
    parts = []
    keys = state_keys(taxonomy)
    for key in keys:
        value = filters.get(key)
        if not value:
            continue
        text = value if isinstance(value, str) else ",".join(value)
        parts.append(f"{key}={quote(text, safe=',-:')}")
    unknown = set(filters) - set(keys)
    if unknown:
        raise KeyError(f"unknown explorer keys: {sorted(unknown)}")
    return "?" + "&".join(parts) if parts else ""


def explorer_url(filters: Mapping[str, Sequence[str] | str], base: str | None = None, taxonomy: Taxonomy | None = None) -> str:
    """Absolute URL of the explorer showing ``filters`` (used by the README)."""
    return (base or site_url()) + EXPLORER_PATH + explorer_query(filters, taxonomy)
