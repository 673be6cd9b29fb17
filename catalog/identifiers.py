"""Link identifiers, in one place: arXiv ids and URLs, OpenReview ids, GitHub repositories, DOIs.

Why one module: the model (what a paper file may say), the cross-entry checks and the importer
(what "the same paper" means), the link checker (what to request) and the repository metadata
(which badge belongs to which code link) must agree on every identifier. When they each had
their own regular expression they disagreed (``2301.00000`` passed ``validate`` and failed
``check-links``), so every rule lives here once and everything else asks this module.

Each parser returns a small frozen dataclass for a well-formed identifier, ``None`` for text
that is not that kind of identifier at all, and raises :class:`IdentifierError` (a
``ValueError``, so pydantic validators turn it into a located validation error) for text that
has the right shape but cannot exist, with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = [
    "ARXIV_HOSTS",
    "DOI_HOSTS",
    "GITHUB_HOSTS",
    "GITHUB_RESERVED",
    "OLD_ARXIV_ARCHIVES",
    "OPENREVIEW_HOSTS",
    "ArxivId",
    "ArxivUrl",
    "Doi",
    "GitHubRepo",
    "IdentifierError",
    "OpenReviewId",
    "arxiv_from_url",
    "arxiv_id",
    "arxiv_year",
    "github_repo",
    "github_repo_key",
    "parse_arxiv_id",
    "parse_arxiv_url",
    "parse_doi",
    "parse_github_url",
    "parse_openreview_url",
    "strip_arxiv_version",
]


class IdentifierError(ValueError):
    """Text shaped like an identifier that cannot exist; the message says why, ``reason`` says it briefly."""

    def __init__(self, reason: str, message: str | None = None):
        super().__init__(message or reason)
        self.reason = reason


# -- arXiv ---------------------------------------------------------------------------------------

ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})

# Archives of old-style identifiers (archive/YYMMNNN) with the first and, for the defunct ones,
# the last month they took submissions, from arXiv's own taxonomy (arxiv-base
# ``arxiv/taxonomy/definitions.py``, ``ARCHIVES``). Old-style ids ended in March 2007, so an
# archive that started later (stat: 2007-04, q-fin: 2008-12, econ and eess: 2017-09) never had
# one; ``stat`` is listed so that ``stat/0704001`` is rejected for its date, not as unknown.
OLD_ARXIV_ARCHIVES: dict[str, tuple[tuple[int, int], tuple[int, int] | None]] = {
    "acc-phys": ((1994, 11), (1996, 9)),
    "adap-org": ((1993, 3), (1999, 12)),
    "alg-geom": ((1992, 2), (1997, 12)),
    "ao-sci": ((1995, 2), (1996, 9)),
    "astro-ph": ((1992, 4), None),
    "atom-ph": ((1995, 9), (1996, 9)),
    "bayes-an": ((1995, 6), (1996, 11)),
    "chao-dyn": ((1993, 1), (1999, 12)),
    "chem-ph": ((1994, 3), (1996, 9)),
    "cmp-lg": ((1994, 4), (1998, 9)),
    "comp-gas": ((1993, 2), (1999, 12)),
    "cond-mat": ((1992, 4), None),
    "cs": ((1993, 1), None),
    "dg-ga": ((1994, 6), (1997, 12)),
    "funct-an": ((1992, 4), (1997, 12)),
    "gr-qc": ((1992, 7), None),
    "hep-ex": ((1994, 4), None),
    "hep-lat": ((1992, 2), None),
    "hep-ph": ((1992, 3), None),
    "hep-th": ((1991, 8), None),
    "math": ((1992, 2), None),
    "math-ph": ((1996, 9), None),
    "mtrl-th": ((1994, 11), (1996, 9)),
    "nlin": ((1993, 1), None),
    "nucl-ex": ((1994, 12), None),
    "nucl-th": ((1992, 10), None),
    "patt-sol": ((1993, 2), (1999, 12)),
    "physics": ((1996, 10), None),
    "plasm-ph": ((1995, 9), (1996, 9)),
    "q-alg": ((1994, 12), (1997, 12)),
    "q-bio": ((2003, 9), None),
    "quant-ph": ((1994, 12), None),
    "solv-int": ((1993, 4), (1999, 12)),
    "stat": ((2007, 4), None),
    "supr-con": ((1994, 11), (1996, 9)),
}
_OLD_STYLE_END = (2007, 3)  # the last month of archive/YYMMNNN identifiers
_NEW_STYLE_START = (2007, 4)  # the first month of YYMM.NNNN identifiers
_FIVE_DIGITS_FROM = (2015, 1)  # YYMM.NNNNN from January 2015 on

# re.ASCII: \d must not match other scripts' digits (int() would accept them, arXiv does not).
_NEW_ID_RE = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d+)(?:v(?P<v>\d+))?$", re.ASCII)
_OLD_ID_RE = re.compile(
    r"^(?P<archive>[a-z][a-z-]*)(?P<sc>\.[A-Za-z]{2})?/(?P<yy>\d{2})(?P<mm>\d{2})(?P<num>\d{3})(?:v(?P<v>\d+))?$", re.ASCII
)
_ARXIV_PATH_RE = re.compile(r"^/(?P<form>abs|pdf|html)/(?P<rest>.+?)/?$", re.IGNORECASE)
_ARXIV_EXAMPLES = "expected e.g. 2301.00774, 2301.00774v2 or cs/0112017"


@dataclass(frozen=True)
class ArxivId:
    """A well-formed arXiv identifier: ``base`` without version, ``version`` (1, 2, ...) or None.

    Papers are compared by ``base`` (any version is the same paper); ``str()`` gives the id as
    written canonically, with its version when it has one.
    """

    base: str
    version: int | None
    year: int
    month: int

    def __str__(self) -> str:
        return self.base + (f"v{self.version}" if self.version else "")


def _full_year(yy: int, *, old_style: bool) -> int:
    if old_style:
        return 1900 + yy if yy >= 91 else 2000 + yy
    return 2000 + yy


def _version(text: str | None) -> int | None:
    if text is None:
        return None
    if int(text) == 0:
        raise IdentifierError("version v0 does not exist (versions start at v1)")
    return int(text)


def _new_style(m: re.Match[str]) -> ArxivId:
    year, month, num = _full_year(int(m["yy"]), old_style=False), int(m["mm"]), m["num"]
    if not 1 <= month <= 12:
        raise IdentifierError(f"month {m['mm']} does not exist")
    if (year, month) < _NEW_STYLE_START:
        raise IdentifierError("identifiers of this form start in April 2007 (0704)")
    if year > dt.date.today().year + 1:
        raise IdentifierError(f"{year} has not come yet")
    if len(num) not in (4, 5):
        raise IdentifierError(f"the number after the dot must have 4 or 5 digits, not {len(num)}")
    if len(num) == 4 and (year, month) >= _FIVE_DIGITS_FROM:
        raise IdentifierError("ids from 2015 on have 5-digit numbers")
    if len(num) == 5 and (year, month) < _FIVE_DIGITS_FROM:
        raise IdentifierError("5-digit numbers start in 2015")
    if not num.strip("0"):
        raise IdentifierError(f"number {num} does not exist (numbers start at 1)")
    return ArxivId(f"{m['yy']}{m['mm']}.{num}", _version(m["v"]), year, month)


def _old_style(m: re.Match[str]) -> ArxivId:
    archive, year, month = m["archive"], _full_year(int(m["yy"]), old_style=True), int(m["mm"])
    if archive not in OLD_ARXIV_ARCHIVES:
        raise IdentifierError(f"unknown archive {archive!r}")
    if not 1 <= month <= 12:
        raise IdentifierError(f"month {m['mm']} does not exist")
    if (year, month) > _OLD_STYLE_END:
        raise IdentifierError("old-style identifiers (archive/YYMMNNN) end in March 2007")
    start, end = OLD_ARXIV_ARCHIVES[archive]
    if (year, month) < start or (end is not None and (year, month) > end):
        until = f" to {end[0]}-{end[1]:02d}" if end else ""
        raise IdentifierError(f"archive {archive} took papers from {start[0]}-{start[1]:02d}{until}, not in {year}-{month:02d}")
    if m["num"] == "000":
        raise IdentifierError("number 000 does not exist (numbers start at 001)")
    sc = m["sc"] or ""
    sc = sc.upper()  # subject classes are written in capitals: math.GT, cs.AI
    return ArxivId(f"{archive}{sc}/{m['yy']}{m['mm']}{m['num']}", _version(m["v"]), year, month)


def arxiv_id(text: str) -> ArxivId:
    """Parse an arXiv identifier (new style ``YYMM.NNNNN`` or old style ``archive(.SC)/YYMMNNN``, optional ``vN``).

    Raises :class:`IdentifierError` with the reason for anything that is not an id arXiv can
    have issued: the link checker must not send it (one malformed id fails a whole API batch)
    and the validator must not accept it.
    """
    text = text.strip()
    try:
        m = _NEW_ID_RE.match(text)
        if m:
            return _new_style(m)
        m = _OLD_ID_RE.match(text)
        if m:
            return _old_style(m)
    except IdentifierError as exc:
        raise IdentifierError(exc.reason, f"not an arXiv identifier: {text!r} ({exc.reason})") from None
    raise IdentifierError(f"not an arXiv identifier ({_ARXIV_EXAMPLES})", f"not an arXiv identifier: {text!r} ({_ARXIV_EXAMPLES})")


def parse_arxiv_id(text: str) -> tuple[ArxivId | None, str | None]:
    """``(id, None)`` for a well-formed id, ``(None, why it cannot exist)`` otherwise (never raises)."""
    try:
        return arxiv_id(text), None
    except IdentifierError as exc:
        return None, exc.reason


def arxiv_year(text: str) -> int | None:
    """The year an arXiv identifier was issued (ids say YYMM), or None for a malformed id."""
    parsed, _ = parse_arxiv_id(text)
    return parsed.year if parsed else None


def strip_arxiv_version(text: str) -> str:
    """The id without its ``vN`` suffix (also for ids that do not parse, so they still group)."""
    return re.sub(r"v\d+$", "", text.strip())


@dataclass(frozen=True)
class ArxivUrl:
    """An arxiv.org abs, pdf or html link: the id text as written, its parse, and the form.

    ``id`` is None when the text cannot be an arXiv id; ``problem`` then says why. The raw text
    is kept so that a malformed link still has a stable key and a precise message.
    """

    form: str  # abs, pdf or html
    text: str
    id: ArxivId | None
    problem: str | None


def parse_arxiv_url(url: str) -> ArxivUrl | None:
    """The arXiv id an ``arxiv.org/{abs,pdf,html}/ID`` URL points at (any of arXiv's hosts), or None for other URLs."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or (parts.hostname or "").lower() not in ARXIV_HOSTS:
        return None
    m = _ARXIV_PATH_RE.match(parts.path)
    if not m:
        return None
    form, text = m["form"].lower(), unquote(m["rest"])
    if form == "pdf" and text.lower().endswith(".pdf"):
        text = text[: -len(".pdf")]
    segments = text.split("/")  # html pages have subpages (figures, sections): the id is the first segment(s)
    if len(segments) > 1 and _NEW_ID_RE.match(segments[0]):
        text = segments[0]
    elif len(segments) > 2 and _OLD_ID_RE.match("/".join(segments[:2])):
        text = "/".join(segments[:2])
    parsed, problem = parse_arxiv_id(text)
    return ArxivUrl(form, text, parsed, problem)


def arxiv_from_url(url: str) -> str | None:
    """The arXiv id (with version, if any) an arXiv URL carries, canonical when well formed, else as written."""
    found = parse_arxiv_url(url)
    if found is None:
        return None
    return str(found.id) if found.id else found.text


# -- OpenReview ------------------------------------------------------------------------------

OPENREVIEW_HOSTS = frozenset({"openreview.net", "www.openreview.net"})
_OPENREVIEW_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class OpenReviewId:
    """An OpenReview note id (``forum?id=`` and ``pdf?id=`` links of one paper share it)."""

    id: str

    def __str__(self) -> str:
        return self.id


def parse_openreview_url(url: str) -> OpenReviewId | None:
    """The note id of an openreview.net link with an ``id`` parameter (forum, pdf, attachment...), or None."""
    parts = urlsplit(url.strip())
    if (parts.hostname or "").lower() not in OPENREVIEW_HOSTS:
        return None
    ids = parse_qs(parts.query).get("id")
    if not ids or not _OPENREVIEW_ID_RE.match(ids[0]):
        return None
    return OpenReviewId(ids[0])


# -- GitHub ----------------------------------------------------------------------------------

GITHUB_HOSTS = frozenset({"github.com", "www.github.com"})
# First path segments of github.com that are GitHub's own pages, not user or organisation names.
GITHUB_RESERVED = frozenset(
    {
        "about", "account", "apps", "blog", "codespaces", "collections", "contact", "customer-stories",
        "enterprise", "events", "explore", "features", "gist", "issues", "join", "login", "logout",
        "marketplace", "new", "notifications", "orgs", "organizations", "pricing", "pulls", "readme",
        "search", "security", "sessions", "settings", "signup", "site", "sponsors", "team", "topics",
        "trending", "users",
    }
)  # fmt: skip
_GITHUB_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


@dataclass(frozen=True)
class GitHubRepo:
    """A repository on github.com and what a link adds after ``owner/name`` (``tree/main/src``).

    GitHub names are case-insensitive, so :attr:`key` (``owner/name`` in lower case) is what
    identifies the repository; ``owner`` and ``name`` keep the case the link used.
    """

    owner: str
    name: str
    subpath: str = ""

    @property
    def key(self) -> str:
        return f"{self.owner}/{self.name}".lower()

    @property
    def url(self) -> str:
        """The canonical https URL of the repository itself (no subpath)."""
        return f"https://github.com/{self.owner}/{self.name}"


def parse_github_url(url: str) -> GitHubRepo | None:
    """The repository a github.com URL is in (either host spelling, http or https, ``.git``, trailing slash).

    None for other hosts, GitHub's own pages (``/orgs/...``, ``/topics/...``) and user pages;
    :class:`IdentifierError` for an owner or name GitHub does not allow.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or (parts.hostname or "").lower() not in GITHUB_HOSTS:
        return None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() in GITHUB_RESERVED:
        return None
    owner, name = segments[0], segments[1].removesuffix(".git")
    if not (_GITHUB_NAME_RE.match(owner) and _GITHUB_NAME_RE.match(name)) or name in (".", ".."):
        raise IdentifierError(f"{owner}/{name} is not a valid GitHub repository name")
    return GitHubRepo(owner, name, "/".join(segments[2:]))


def github_repo(url: str) -> GitHubRepo | None:
    """Like :func:`parse_github_url`, but None for invalid names too (for grouping and badges, not for checking)."""
    try:
        return parse_github_url(url)
    except IdentifierError:
        return None


def github_repo_key(url: str) -> str | None:
    """``owner/name`` (lower case) of the repository a URL is in, or None when it is no GitHub repository link."""
    repo = github_repo(url)
    return repo.key if repo else None


# -- DOI -------------------------------------------------------------------------------------

DOI_HOSTS = frozenset({"doi.org", "dx.doi.org", "www.doi.org"})
_DOI_RE = re.compile(r"^(?:doi:\s*)?(?P<doi>10\.\d{4,9}/\S+)$", re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class Doi:
    """A Digital Object Identifier. DOIs are case-insensitive: :attr:`key` is the lower-case form."""

    doi: str

    @property
    def key(self) -> str:
        return self.doi.lower()

    @property
    def url(self) -> str:
        return f"https://doi.org/{self.doi}"

    def __str__(self) -> str:
        return self.doi


def parse_doi(text: str) -> Doi | None:
    """A DOI written bare (``10.1109/CVPR.2016.90``, ``doi:10...``) or as a doi.org / dx.doi.org URL; None otherwise."""
    text = text.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https"):
        if (parts.hostname or "").lower() not in DOI_HOSTS:
            return None
        text = unquote(parts.path.lstrip("/"))
    m = _DOI_RE.match(text)
    return Doi(m["doi"].rstrip("/")) if m else None
