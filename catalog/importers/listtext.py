"""What the sister lists write besides plain links: shields.io badges, free-text venues, labels.

Shared by the readers of :mod:`catalog.importers.readers`. Every function takes text as the list
writes it and returns plain values; nothing here knows a layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from catalog.identifiers import arxiv_from_url, arxiv_year
from catalog.importers.markdown_tables import Row, repair_arxiv_url, unescape, url_problem
from catalog.taxonomy import Taxonomy

# A Markdown image badge, possibly itself a link: [![alt](badge-url)](target) or ![alt](badge-url).
MD_BADGE_RE = re.compile(r"(?:\[)?!\[[^\]]*\]\((?P<src>[^)\s]+)\)(?:\]\((?P<target>[^)\s]*)\))?")
HTML_IMG_RE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?(?P<src>[^\"'\s>]+)[\"']?[^>]*>", re.IGNORECASE)
HIDDEN_COMMENT_RE = re.compile(r"\[//\]:\s*#\s*\(?[^)\n]*\)?")
STARS_RE = re.compile(r"img\.shields\.io/github/stars/(?P<repo>[\w.-]+/[\w.-]+?)(?:\.svg)?(?:\?|$)")
_COLOURS = frozenset(
    "blue green brightgreen yellowgreen yellow orange red lightgrey lightgray grey gray purple turquoise blueviolet "
    "success important critical informational inactive pink black white".split()
)
_VENUE_BADGE_LABELS = frozenset({"conference", "journal", "workshop", "publish", "venue", "pub"})
METHOD_PREFIX_RE = re.compile(r"^(?P<name>[A-Z][\w.+-]{1,24}(?:[- ][A-Z0-9][\w.+-]{0,12})?):\s+(?P<rest>\S.*)$")


@dataclass(frozen=True)
class Badge:
    """A shields.io badge: ``kind`` is ``stars`` (``value`` = owner/repo) or ``label``."""

    kind: str
    label: str
    value: str


def _badge_text(part: str) -> str:
    """shields.io escapes: ``--`` is a dash, ``__`` an underscore, ``_`` a space."""
    return unquote(part).replace("__", "\0").replace("_", " ").replace("\0", "_")


def read_badge(src: str) -> Badge | None:
    """The meaning of a shields.io badge URL, or None for other images."""
    if "img.shields.io" not in src:
        return None
    stars = STARS_RE.search(src)
    if stars:
        return Badge("stars", "stars", stars["repo"])
    m = re.search(r"img\.shields\.io/badge/(?P<body>.+?)(?:\.svg)?(?:\?.*)?$", src)
    if not m:
        return None
    parts = [p.replace("\0", "-") for p in m["body"].replace("--", "\0").split("-")]
    if len(parts) > 1 and (re.fullmatch(r"[0-9A-Fa-f]{6}", parts[-1]) or parts[-1].casefold() in _COLOURS):
        parts = parts[:-1]
    texts = [_badge_text(p).strip() for p in parts if p]
    if len(texts) >= 2 and texts[0].casefold() in _VENUE_BADGE_LABELS:
        return Badge("venue", texts[0], "-".join(texts[1:]))
    return Badge("label", "-".join(texts), "-".join(texts))


def badges(text: str) -> list[Badge]:
    """Every shields.io badge in ``text`` (Markdown images or HTML <img> tags), in order."""
    found = []
    for m in sorted([*MD_BADGE_RE.finditer(text), *HTML_IMG_RE.finditer(text)], key=lambda m: m.start()):
        badge = read_badge(m["src"])
        if badge is not None:
            found.append(badge)
    return found


def strip_badges(text: str) -> str:
    """``text`` without badge images, other images and hidden ``[//]: #`` comments."""
    text = HIDDEN_COMMENT_RE.sub(" ", text)
    text = MD_BADGE_RE.sub(" ", text)
    return HTML_IMG_RE.sub(" ", text)


_VENUE_TEXT_RE = re.compile(
    r"^(?P<name>.*?)\s*'?(?P<year>(?:19|20)\d\d|'\d\d|\d\d(?!\d))?'?\s*(?P<rest>.*)$",
)
_TRACK_WORDS = {
    "oral": "Oral",
    "spotlight": "Spotlight",
    "findings": "Findings",
    "industry track": "Industry Track",
    "best paper": "Best Paper",
    "best": "Best Paper",
}
_STATUS_WORDS = ("under review", "reject", "rejected", "submitted", "none", "n/a")


@dataclass(frozen=True)
class VenueText:
    """A free-text venue read: canonical venue, year, award/track, and what it could not read."""

    venue: str | None
    year: int | None
    award: str | None
    note: str | None


def read_venue_text(text: str, tax: Taxonomy) -> VenueText:
    """Read ``ICML 2024 Oral``, ``NeurIPS'23``, ``ICLR24 Workshop (ME-FoMo)``, ``Arxiv 2025``, ``CoRR``, ``TMLR_2025``."""
    raw = re.sub(r"\s+", " ", unescape(text).replace("*", "").replace("_", " ")).strip(" -:;,.")
    if not raw:
        return VenueText(None, None, None, None)
    folded = raw.casefold()
    if any(word in folded for word in _STATUS_WORDS):
        found = re.search(r"(?:19|20)\d\d", raw)
        return VenueText(None, int(found[0]) if found else None, None, raw)
    award = None
    workshop = False
    rest = raw
    for word, name in _TRACK_WORDS.items():
        pattern = re.compile(rf"\(?\b{re.escape(word)}\b\)?", re.IGNORECASE)
        if pattern.search(rest):
            rest = pattern.sub(" ", rest)
            award = award or tax.canonical_award(name)
    detail = ""
    dm = re.search(r"\((?P<detail>[^()]*)\)", rest)
    if dm:
        detail = dm["detail"].strip()
        rest = rest[: dm.start()] + rest[dm.end() :]
    if re.search(r"(?i)\bworkshops?\b", rest):
        workshop = True
        rest = re.sub(r"(?i)\bworkshops?\b", " ", rest)
    rest = re.sub(r"\s+", " ", rest).strip()
    m = re.match(r"^(?P<name>[A-Za-z][A-Za-z .&-]*?)\s*'?\s*(?P<year>(?:19|20)\d\d|\d\d)?'?$", rest)
    if not m:
        return VenueText(None, None, award, raw)
    name = m["name"].strip()
    year = None
    if m["year"]:
        year = int(m["year"]) if len(m["year"]) == 4 else 2000 + int(m["year"])
    venue = None
    if workshop:
        venue = tax.canonical_venue(f"{name} Workshop") or tax.canonical_venue(f"{name}W")
    venue = venue or tax.canonical_venue(name)
    note = None
    if venue is None:
        note = raw
    elif workshop and detail:
        note = f"workshop: {detail}"
    elif workshop and tax.venues.get(venue) != "workshop":
        note = raw
    return VenueText(venue, year, award, note)


def split_method_prefix(title: str) -> tuple[str | None, str]:
    """``("Wanda", "A Simple and Effective ...")`` for ``Wanda: A Simple and Effective ...``.

    Only a short name before the first colon counts, when what follows reads as a title itself
    (several words), and when the name looks like a name: one word (``BESA``, ``Wanda``,
    ``LLM-Pruner``), or two of which one is written like a name (``Sheared LLaMA``) -- not a
    phrase such as ``Rare Gems:`` or ``Compressing LLMs:``.
    """
    m = METHOD_PREFIX_RE.match(title.strip())
    if not m or len(m["rest"].split()) < 3:
        return None, title
    words = m["name"].split()
    if len(words) > 1 and not any(_NAME_WORD_RE.search(w) and w not in _PLAIN_ACRONYMS for w in words):
        return None, title
    return m["name"], m["rest"]


_NAME_WORD_RE = re.compile(r"^.+[A-Z0-9]")  # a capital or digit after the first letter: LLaMA, ReLU2, GPT
_PLAIN_ACRONYMS = frozenset({"LLMs", "LLM", "DNNs", "CNNs", "ViTs", "NNs", "GNNs"})


LABEL_MEANINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    # label (folded, spaces and dashes removed) -> (where, values)
    "unstructured": ("speedup", ("unstructured",)),
    "structured": ("speedup", ("structured",)),
    "structural": ("speedup", ("structured",)),
    "semistructured": ("speedup", ("semi-structured",)),
    "activation": ("structure", ("activation",)),
    "token": ("structure", ("token",)),
    "expert": ("structure", ("expert",)),
    "kvcache": ("structure", ("kv-cache",)),
    "benchmark": ("kind", ("benchmark",)),
    "metric": ("kind", ("benchmark",)),
    "evaluation": ("kind", ("benchmark",)),
    "w/quantization": ("fusion", ("quantization",)),
    "survey": ("kind", ("survey",)),
}


def apply_label(label: str, row: Row) -> bool:
    """Put a label badge's meaning on the row; False when the label means nothing to the taxonomy."""
    key = re.sub(r"[\s_-]+", "", label.casefold())
    meaning = LABEL_MEANINGS.get(key)
    if meaning is None:
        return False
    where, values = meaning
    if where == "structure":
        row.structure += [v for v in values if v not in row.structure]
    elif where == "kind":
        row.kinds += [v for v in values if v not in row.kinds]
    else:
        row.add_values(where, values)
    return True


def finish_row(row: Row, tax: Taxonomy) -> None:
    """What every reader of another list does last: repair links, offer a method prefix, place the row in time.

    A title's method prefix (``Wanda: A Simple ...``) stays in the title and becomes the
    algorithm when the row names none. Every row needs a venue and a year: an unpublished paper
    with an arXiv (OpenReview) link is an arXiv (OpenReview) preprint, dated by the list, else
    by its arXiv id; a row with neither stays without and is reported as not placed.
    """
    if not row.algorithm and row.title:
        row.algorithm = split_method_prefix(row.title)[0]
    row.url, repair = repair_arxiv_url(row.url)
    if repair:
        row.repairs.append(f"paper link: {repair}")
    for what, url in [("paper link", row.url), *(("link", u) for u in row.alt_urls), *(("code link", c.url) for c in row.code)]:
        problem = url_problem(url)
        if problem:
            row.errors.append(f"{what}: {problem}")
    if row.errors:
        return
    arxiv = next((a for a in (arxiv_from_url(u) for u in [row.url, *row.alt_urls]) if a), None)
    if not row.years and arxiv:
        issued = arxiv_year(arxiv)
        if issued:
            row.years = [issued]
            row.repairs.append(f"year {issued} taken from the arXiv id {arxiv}: the list gives none")
    if not row.venues and row.years:
        said = f"none the catalog knows (the list says {row.venue_text!r})" if row.venue_text else "the list gives none"
        if arxiv:
            row.venues = ["arXiv"]
            row.repairs.append(f"venue: {said}; filed as an arXiv preprint")
        elif "openreview.net" in row.url:
            row.venues = ["OpenReview"]
            row.repairs.append(f"venue: {said}; filed as an OpenReview preprint")
    if not row.venues or not row.years:
        row.errors.append(
            "no venue and year: the list gives "
            + (f"venue {row.venue_text!r}" if row.venue_text else "no venue")
            + (f", year {row.years[0]}" if row.years else ", no year")
            + ", and the link is not an arXiv paper to date it by"
        )
