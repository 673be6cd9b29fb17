"""Normal forms used to recognise the same paper or link written differently.

Shared by the cross-entry checks, the importer (to merge rows) and the link checker (to
de-duplicate targets), so that all three agree on what "the same" means.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

from catalog.model import arxiv_from_url

_OPENREVIEW_RE = re.compile(r"^(?:www\.)?openreview\.net$")


def normalize_title(title: str) -> str:
    """Case-, accent-, punctuation- and spacing-insensitive form of a title."""
    text = title
    if not text.isascii():  # ASCII has no accents to strip
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


def titles_alike(a: str, b: str) -> bool:
    """True when two titles plausibly name one paper (typos, truncation, a missing subtitle)."""
    na, nb = normalize_title(a), normalize_title(b)
    if not na or not nb:
        return False
    if na in nb or nb in na:
        return True
    return word_overlap(na, nb) >= 0.7


def word_overlap(a: str, b: str) -> float:
    """Jaccard similarity of the word sets of two normalised titles (0 to 1)."""
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def strip_arxiv_version(arxiv_id: str) -> str:
    return re.sub(r"v\d+$", "", arxiv_id)


def normalize_url(url: str) -> str:
    """A key under which two URLs of the same document compare equal.

    arXiv abs/pdf/html links of one id (any version) become ``arxiv:<id>``; OpenReview forum and
    pdf links become ``openreview:<id>``; otherwise scheme, ``www.``, case of the host, a
    trailing slash, a ``.pdf`` suffix and the fragment are ignored.
    """
    url = url.strip()
    arxiv = arxiv_from_url(url)
    if arxiv:
        return "arxiv:" + strip_arxiv_version(arxiv)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if _OPENREVIEW_RE.match(host):
        ids = parse_qs(parts.query).get("id")
        if ids:
            return "openreview:" + ids[0]
    path = parts.path.rstrip("/")
    if host == "github.com":
        # A repository's default-branch tree is the repository itself.
        path = re.sub(r"\.git$", "", re.sub(r"^(/[^/]+/[^/]+)/tree/(?:main|master)$", r"\1", path))
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
