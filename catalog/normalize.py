"""Normal forms used to recognise the same paper or link written differently.

Shared by the cross-entry checks, the importer (to merge rows) and the link checker (to
de-duplicate targets), so that all three agree on what "the same" means.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from catalog.identifiers import github_repo, parse_arxiv_url, parse_doi, parse_openreview_url, strip_arxiv_version

__all__ = ["normalize_title", "normalize_url", "strip_arxiv_version", "titles_alike", "word_overlap"]


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


def normalize_url(url: str) -> str:
    """A key under which two URLs of the same document compare equal.

    arXiv abs/pdf/html links of one id (any version) become ``arxiv:<id>``; OpenReview forum and
    pdf links become ``openreview:<id>``; doi.org links ``doi:<doi>`` (lower case, as DOIs are
    case-insensitive); otherwise scheme, ``www.``, case of the host, a trailing slash and the
    fragment are ignored, and so are a GitHub repository's default-branch tree and ``.git``.
    """
    url = url.strip()
    arxiv = parse_arxiv_url(url)
    if arxiv is not None:
        return "arxiv:" + (arxiv.id.base if arxiv.id else strip_arxiv_version(arxiv.text))
    openreview = parse_openreview_url(url)
    if openreview is not None:
        return f"openreview:{openreview}"
    doi = parse_doi(url)
    if doi is not None:
        return f"doi:{doi.key}"
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    repo = github_repo(url)
    if repo is not None:  # a repository's default-branch tree is the repository itself
        sub = "" if re.fullmatch(r"(?:tree/(?:main|master))?", repo.subpath) else "/" + repo.subpath
        path = f"/{repo.owner}/{repo.name}{sub}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
