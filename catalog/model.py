"""The paper model: what one ``papers/<id>.yaml`` file may say.

Strict on purpose (unknown keys are rejected, vocabularies are closed, URLs must be http(s)):
a contributor's typo must fail loudly in CI rather than silently vanish from the README.
Values are normalised on the way in (trimmed strings, canonical venue and framework names,
taxonomy order) so that writing a model back out gives one canonical YAML form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from catalog.taxonomy import get_taxonomy

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# arXiv identifiers (arxiv-browse identifier.py): new style YYMM.NNNN (to 2014) / YYMM.NNNNN
# (from 2015), old style archive(.SC)/YYMMNNN; both with an optional version.
ARXIV_NEW_RE = re.compile(r"^(?P<yy>\d{2})(?P<mm>\d{2})\.(?P<num>\d{4,5})(?P<v>v\d+)?$")
ARXIV_OLD_RE = re.compile(r"^(?P<archive>[a-z][a-z-]*(?:\.[A-Z]{2})?)/(?P<yy>\d{2})(?P<mm>\d{2})(?P<num>\d{3})(?P<v>v\d+)?$")
ARXIV_URL_RE = re.compile(
    r"^https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(?P<id>[a-z][a-z.A-Z-]*/\d{7}|\d{4}\.\d{4,5})(?P<v>v\d+)?",
    re.IGNORECASE,
)
MIN_YEAR = 1940
ROLLING_MAX_YEAR = dt.date.today().year + 1


def _clean_str(value: Any) -> Any:
    """Trim and collapse inner whitespace; line breaks never belong in one-line fields."""
    if isinstance(value, str):
        return _WS_RUN_RE.sub(" ", value).strip()
    return value


_WS_RUN_RE = re.compile(r"\s+")


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)]


_SPACE_RE = re.compile(r"\s")  # the characters str.isspace() accepts


def check_http_url(value: str) -> str:
    """Accept only absolute http(s) URLs with a host and no whitespace; return them unchanged."""
    if _SPACE_RE.search(value):
        raise ValueError(f"URL contains whitespace: {value!r}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"only http(s) URLs are allowed, got {value!r}")
    host = parts.hostname
    if not host or ("." not in host and host != "localhost"):
        raise ValueError(f"URL has no valid host: {value!r}")
    return value


Url = Annotated[str, BeforeValidator(_clean_str), AfterValidator(check_http_url)]


def arxiv_year(arxiv_id: str) -> int | None:
    """The year an arXiv identifier was issued (ids say YYMM), or None for a malformed id."""
    m = ARXIV_NEW_RE.match(arxiv_id) or ARXIV_OLD_RE.match(arxiv_id)
    if not m:
        return None
    yy = int(m["yy"])
    return (1900 if yy >= 91 else 2000) + yy


def arxiv_from_url(url: str) -> str | None:
    """The arXiv id (with version, if any) an arxiv.org URL points at."""
    m = ARXIV_URL_RE.match(url.strip())
    if not m:
        return None
    return m["id"] + (m["v"] or "")


def _check_arxiv(value: str) -> str:
    if not (ARXIV_NEW_RE.match(value) or ARXIV_OLD_RE.match(value)):
        raise ValueError(f"not an arXiv identifier: {value!r} (expected e.g. 2301.00774 or cs/0112017)")
    m = ARXIV_NEW_RE.match(value)
    if m and not 1 <= int(m["mm"]) <= 12:
        raise ValueError(f"not an arXiv identifier: {value!r} (month {m['mm']} does not exist)")
    if m and int(m["yy"]) + 2000 < 2015 and len(m["num"]) == 5:
        raise ValueError(f"not an arXiv identifier: {value!r} (5-digit numbers start in 2015)")
    if m and int(m["yy"]) >= 15 and len(m["num"]) == 4:
        raise ValueError(f"not an arXiv identifier: {value!r} (numbers have 5 digits from 2015 on)")
    if m and not 704 <= int(m["yy"] + m["mm"]) < 9100:
        raise ValueError(f"not an arXiv identifier: {value!r} (identifiers of this form start in April 2007, 0704)")
    return value


def _vocabulary(kind: str, name: str):
    """A validator for a list of values from a taxonomy axis or facet: known, de-duplicated, in taxonomy order."""

    cached: list[Any] = [None, (), {}]  # taxonomy, value ids in order, value ids as a dict (fast `in`)

    def check(values: tuple[str, ...]) -> tuple[str, ...]:
        if not values:
            return ()  # most axes of most papers are empty: skip the lookups
        tax = get_taxonomy()
        if cached[0] is not tax:  # a different taxonomy (tests swap it): look the axis up again
            ids = (tax.axes if kind == "axes" else tax.facets)[name].ids()
            cached[:] = [tax, ids, dict.fromkeys(ids)]
        known = cached[2]
        unknown = [v for v in values if v not in known]
        if unknown:
            raise ValueError(f"unknown {name} value(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(cached[1])}")
        if len(values) == 1:
            return values
        present = set(values)
        return tuple(v for v in cached[1] if v in present)

    return AfterValidator(check)


def Vocabulary(kind: str, name: str) -> Any:  # noqa: N802 - used like a type
    return Annotated[tuple[str, ...], ListOf, _vocabulary(kind, name)]


def _dedupe(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _as_tuple(value: Any) -> Any:
    """YAML gives lists; the frozen model stores tuples. Anything else is a clear type error."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, tuple):
        return value
    raise ValueError(f"must be a list (e.g. [a, b]), got {type(value).__name__}")


ListOf = BeforeValidator(_as_tuple)
TextList = Annotated[tuple[Text, ...], ListOf, AfterValidator(_dedupe)]


def _no_ampersand(values: tuple[str, ...]) -> tuple[str, ...]:
    """The list joins tasks with '&', so a task holding one would read back as two."""
    joined = [v for v in values if "&" in v]
    if joined:
        raise ValueError(f"a task must not contain '&' (write separate tasks instead): {joined[0]!r}")
    return values


TaskList = Annotated[TextList, AfterValidator(_no_ampersand)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, str_strip_whitespace=True)


class CodeLink(_Strict):
    """A code repository for a paper, labelled the way the list labels it: framework and author."""

    url: Url
    framework: str | None = None
    official: bool | None = Field(default=None, description="true: the authors' code; false: a third-party reimplementation; absent: unknown")
    status: Literal["available", "releasing", "unavailable"] = "available"

    @field_validator("framework", mode="before")
    @classmethod
    def _framework(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("must be a string")
        canonical = get_taxonomy().canonical_framework(value)
        if canonical is None:
            raise ValueError(f"unknown framework {value!r}; known: {', '.join(get_taxonomy().frameworks)}")
        return canonical


class VenueYear(_Strict):
    """Another publication of the same paper (e.g. the journal version of a conference paper)."""

    venue: str
    year: int = Field(ge=MIN_YEAR, le=ROLLING_MAX_YEAR)

    @field_validator("venue", mode="before")
    @classmethod
    def _venue(cls, value: Any) -> Any:
        return _canonical_venue(value)


def _canonical_venue(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    canonical = get_taxonomy().canonical_venue(value)
    if canonical is None:
        m = _VENUE_AWARD_RE.match(value.strip())
        if m and get_taxonomy().canonical_venue(m["venue"]) and get_taxonomy().canonical_award(m["award"]):
            raise ValueError(
                f"unknown venue {value.strip()!r}; write the award separately: "
                f"venue: {get_taxonomy().canonical_venue(m['venue'])}, award: {get_taxonomy().canonical_award(m['award'])}"
            )
        raise ValueError(f"unknown venue {value.strip()!r}; add it (or an alias) to catalog/taxonomy.yaml")
    return canonical


_VENUE_AWARD_RE = re.compile(r"^(?P<venue>.+?)\s*\((?P<award>[^()]+)\)$")


class Tags(_Strict):
    """The survey's five taxonomy axes. Criteria, learn-to-prune and fusion may stay empty (not yet classified)."""

    speedup: Vocabulary("axes", "speedup") = ()
    when: Vocabulary("axes", "when") = ()
    criteria: Vocabulary("axes", "criteria") = ()
    learn: Vocabulary("axes", "learn") = ()
    fusion: Vocabulary("axes", "fusion") = ()


class Paper(_Strict):
    """One paper of the catalog, as stored in ``papers/<id>.yaml``."""

    id: str
    title: Text
    authors: TextList = ()
    url: Url
    alternate_urls: Annotated[tuple[Url, ...], ListOf, AfterValidator(_dedupe)] = ()
    arxiv: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_check_arxiv)] | None = None
    venue: str
    award: str | None = None
    year: int = Field(ge=MIN_YEAR, le=ROLLING_MAX_YEAR)
    other_venues: Annotated[tuple[VenueYear, ...], ListOf] = ()
    algorithm: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None
    code: Annotated[tuple[CodeLink, ...], ListOf] = ()
    tasks: TaskList = ()
    structure: Vocabulary("facets", "structure") = ()
    models: Vocabulary("facets", "models") = ()
    settings: Vocabulary("facets", "settings") = ()
    applications: Vocabulary("facets", "applications") = ()
    pioneer: bool = False
    survey: bool = False
    tags: Tags = Tags()
    sections: Annotated[tuple[str, ...], ListOf, AfterValidator(_dedupe)] = ()
    added: dt.date
    review: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _derive_arxiv(cls, data: Any) -> Any:
        """Take the arXiv id from an arxiv.org paper URL when the entry does not give one."""
        if isinstance(data, dict) and data.get("arxiv") is None and isinstance(data.get("url"), str):
            found = arxiv_from_url(data["url"])
            if found:
                data = {**data, "arxiv": found}
        return data

    @field_validator("arxiv")
    @classmethod
    def _arxiv_matches_url(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A given arXiv id must agree with an arXiv paper URL (versions may differ)."""
        url = info.data.get("url")
        in_url = arxiv_from_url(url) if isinstance(url, str) else None
        if value and in_url and re.sub(r"v\d+$", "", in_url) != re.sub(r"v\d+$", "", value):
            raise ValueError(f"{value} does not match the arXiv id in the paper URL ({in_url})")
        return value

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValueError(f"{value!r} is not a slug (lowercase letters, digits and single hyphens)")
        if len(value) > 80:
            raise ValueError("longer than 80 characters")
        return value

    @field_validator("venue", mode="before")
    @classmethod
    def _venue(cls, value: Any) -> Any:
        return _canonical_venue(value)

    @field_validator("award", mode="before")
    @classmethod
    def _award(cls, value: Any) -> Any:
        if value is None or not isinstance(value, str):
            return value
        canonical = get_taxonomy().canonical_award(value)
        if canonical is None:
            raise ValueError(f"unknown award or track {value!r}; known: {', '.join(get_taxonomy().awards)}")
        return canonical

    @field_validator("year")
    @classmethod
    def _year_after_arxiv(cls, value: int, info: ValidationInfo) -> int:
        arxiv = info.data.get("arxiv")
        issued = arxiv_year(arxiv) if arxiv else None
        if issued is not None and value < issued:
            raise ValueError(f"{value} is earlier than the arXiv id {arxiv} allows ({issued})")
        return value

    @field_validator("sections")
    @classmethod
    def _sections(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        """Known sections, in list order, each consistent with the tags it implies."""
        tax = get_taxonomy()
        section_ids = tax.section_ids
        unknown = [s for s in value if s not in section_ids]
        if unknown:
            raise ValueError(f"unknown section(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(section_ids)}")
        problems = []
        for sid in value:
            for key, required in tax.section(sid).implies.items():
                if key == "survey":
                    if info.data.get("survey") is not required:
                        problems.append(f"section {sid!r} requires survey: {str(required).lower()}")
                    continue
                source = "tags" if key in tax.axes else key
                if source not in info.data:
                    continue  # that field is invalid itself and already reported
                if key in tax.axes:
                    have = set(tax.axes[key].with_ancestors(getattr(info.data["tags"], key)))
                else:
                    have = set(info.data[key])
                missing = [v for v in required if v not in have]
                if missing:
                    where = f"tags.{key}" if key in tax.axes else key
                    problems.append(f"section {sid!r} requires {where} to include {', '.join(missing)}")
        if problems:
            raise ValueError("; ".join(problems))
        present = set(value)
        return tuple(s for s in section_ids if s in present)

    # -- derived views (never stored) -------------------------------------------------------

    @property
    def speedup(self) -> tuple[str, ...]:
        """The speedup axis: as set, or as implied by the structure types."""
        return self.tags.speedup or get_taxonomy().speedup_for(self.structure)

    def axis_values(self, axis: str) -> tuple[str, ...]:
        """The values of a taxonomy axis for this paper, with derived speedup."""
        return self.speedup if axis == "speedup" else getattr(self.tags, axis)

    @property
    def all_urls(self) -> tuple[str, ...]:
        return (self.url, *self.alternate_urls)

    @property
    def has_code(self) -> bool:
        return any(c.status == "available" for c in self.code)
