"""The paper model: what one ``papers/<id>.yaml`` file may say.

Strict on purpose (unknown keys are rejected, vocabularies are closed, URLs must be http(s)):
a contributor's typo must fail loudly in CI rather than silently vanish from the README.
Values are normalised on the way in (trimmed strings, canonical venue and framework names,
taxonomy order) so that writing a model back out gives one canonical YAML form.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from catalog.identifiers import arxiv_from_url as arxiv_from_url  # re-exported: callers outside the links room import it from here
from catalog.identifiers import arxiv_id, strip_arxiv_version
from catalog.identifiers import arxiv_year as arxiv_year  # re-exported, as above
from catalog.taxonomy import Axis, Taxonomy, default_taxonomy

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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


def _check_arxiv(value: str) -> str:
    """A well-formed arXiv id, written canonically (see :mod:`catalog.identifiers` for the rules)."""
    return str(arxiv_id(value))


def _vocabulary(axis: Axis) -> AfterValidator:
    """A validator for a list of values of one axis or facet: known, de-duplicated, in taxonomy order."""
    ids = axis.ids()
    known = dict.fromkeys(ids)  # fast `in`, taxonomy order

    def check(values: tuple[str, ...]) -> tuple[str, ...]:
        if not values:
            return ()  # most axes of most papers are empty: skip the lookups
        unknown = [v for v in values if v not in known]
        if unknown:
            raise ValueError(f"unknown {axis.id} value(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(ids)}")
        if len(values) == 1:
            return values
        present = set(values)
        return tuple(v for v in ids if v in present)

    return AfterValidator(check)


def _vocabulary_type(axis: Axis) -> Any:
    return Annotated[tuple[str, ...], ListOf, _vocabulary(axis)]


def _taxonomy(info: ValidationInfo) -> Taxonomy:
    """The taxonomy a validation runs against: the one in the validation context.

    :func:`validate_paper` always passes one; a sub-model validated on its own, outside a paper
    (``CodeLink.model_validate(...)`` without a context), is checked against the project's.
    """
    context = info.context
    found = context.get("taxonomy") if isinstance(context, dict) else None
    return found if isinstance(found, Taxonomy) else default_taxonomy()


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


def _canonical_tasks(values: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
    """Known tasks and their aliases (typos included) become the taxonomy's canonical name.

    A task the vocabulary does not know is kept as written; the validator warns about it
    (:func:`catalog.checks.task_checks`), so that an import never fails on a new task.
    """
    if not values:
        return values
    tax = _taxonomy(info)
    return tuple(dict.fromkeys(tax.canonical_task(v) or v for v in values))


TaskList = Annotated[TextList, AfterValidator(_no_ampersand), AfterValidator(_canonical_tasks)]

# What a curator can vouch for besides the five taxonomy axes.
CURATED_FIELDS = ("authors", "title", "venue", "year", "url", "structure", "models", "tasks")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, str_strip_whitespace=True)


class CodeLink(_Strict):
    """A code repository for a paper, labelled the way the list labels it: framework and author."""

    url: Url
    framework: str | None = None
    official: bool | None = Field(
        default=None, description="true: the authors' code; false: a third-party reimplementation; absent: unknown"
    )
    shared: bool = Field(
        default=False,
        description="true: the repository hosts several papers (a group's monorepo), so other entries may give it too",
    )
    # deleted: the list says the authors removed the code; link-invalid: the list says the link is dead.
    status: Literal["available", "releasing", "unavailable", "deleted", "link-invalid"] = "available"

    @field_validator("framework", mode="before")
    @classmethod
    def _framework(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError("must be a string")
        tax = _taxonomy(info)
        canonical = tax.canonical_framework(value)
        if canonical is None:
            raise ValueError(f"unknown framework {value!r}; known: {', '.join(tax.frameworks)}")
        return canonical


class VenueYear(_Strict):
    """Another publication of the same paper (e.g. the journal version of a conference paper)."""

    venue: str
    year: int = Field(ge=MIN_YEAR, le=ROLLING_MAX_YEAR)

    @field_validator("venue", mode="before")
    @classmethod
    def _venue(cls, value: Any, info: ValidationInfo) -> Any:
        return _canonical_venue(value, _taxonomy(info))


def _canonical_venue(value: Any, tax: Taxonomy) -> Any:
    if not isinstance(value, str):
        return value
    canonical = tax.canonical_venue(value)
    if canonical is None:
        m = _VENUE_AWARD_RE.match(value.strip())
        if m and tax.canonical_venue(m["venue"]) and tax.canonical_award(m["award"]):
            raise ValueError(
                f"unknown venue {value.strip()!r}; write the award separately: "
                f"venue: {tax.canonical_venue(m['venue'])}, award: {tax.canonical_award(m['award'])}"
            )
        m = _VENUE_YEAR_RE.match(value.strip())
        if m and tax.canonical_venue(m["venue"]):
            year = m["year"] if len(m["year"]) == 4 else f"20{m['year']}"
            raise ValueError(f"the year goes in its own field: write venue: {tax.canonical_venue(m['venue'])} and year: {year}")
        raise ValueError(f"unknown venue {value.strip()!r}; add it (or an alias) to catalog/taxonomy.yaml")
    return canonical


_VENUE_YEAR_RE = re.compile(r"^(?P<venue>.+?)[\s'’-]*(?P<year>(?:19|20)\d{2}|(?<=['’])\d{2})$")
_VENUE_AWARD_RE = re.compile(r"^(?P<venue>.+?)\s*\((?P<award>[^()]+)\)$")


class ListSource(_Strict):
    """A list that holds the paper: where it files it, and what it says where that differs from the entry.

    A later import of the same list replaces only its own record (see catalog.importers.merge_catalog).
    """

    list: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", description="the list's short name (see data/import/lists.yaml)")
    section: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None
    title: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None
    url: Url | None = None
    venue: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None
    year: int | None = Field(default=None, ge=MIN_YEAR, le=ROLLING_MAX_YEAR)
    type: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None
    code: Annotated[tuple[Url, ...], ListOf, AfterValidator(_dedupe)] = ()
    notes: TextList = ()


class Tags(_Strict):
    """A paper's values on the taxonomy's axes (``tags:`` in a paper file); any may stay empty (not yet classified).

    The fields, one per axis, are built from a taxonomy by :func:`paper_model`; this base class has none.
    """

    def values(self, axis: str) -> tuple[str, ...]:
        """The stored values of one axis (empty for an axis this taxonomy does not know)."""
        found = getattr(self, axis, ())
        return found if isinstance(found, tuple) else ()


class Curation(_Strict):
    """Provenance of hand-checked facts: which axes or fields a curator set or confirmed, when, from what.

    Tags and fields not named here came from an imported list and have not been checked.
    """

    axes: Annotated[tuple[str, ...], ListOf, AfterValidator(_dedupe)]
    date: dt.date
    source: Annotated[tuple[Url, ...], ListOf, AfterValidator(_dedupe)] = ()

    @field_validator("axes")
    @classmethod
    def _known_axes(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        allowed = (*_taxonomy(info).axes, *CURATED_FIELDS)
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ValueError(f"unknown curated axis or field {', '.join(map(repr, unknown))}; allowed: {', '.join(allowed)}")
        if not value:
            raise ValueError("must name at least one axis or field")
        return tuple(v for v in allowed if v in value)


class Paper(_Strict):
    """One paper of the catalog, as stored in ``papers/<id>.yaml``."""

    id: str
    title: Text
    # Other spellings of the title (e.g. a list's typo), kept so that importing that list again
    # still matches this entry.
    title_aliases: TextList = ()
    authors: TextList = ()
    # The arXiv abstract (arXiv metadata is CC0), filled by `add` and `enrich`; one paragraph.
    abstract: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None
    url: Url
    alternate_urls: Annotated[tuple[Url, ...], ListOf, AfterValidator(_dedupe)] = ()
    arxiv: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_check_arxiv)] | None = None
    venue: str
    award: str | None = None
    year: int = Field(ge=MIN_YEAR, le=ROLLING_MAX_YEAR)
    published: dt.date | None = Field(default=None, description="the date of the first arXiv version, filled by `add` and `enrich`")
    other_venues: Annotated[tuple[VenueYear, ...], ListOf] = ()
    algorithm: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None
    code: Annotated[tuple[CodeLink, ...], ListOf] = ()
    tasks: TaskList = ()
    # The taxonomy's facets are fields too (top-level lists of values), added by paper_model().
    pioneer: bool = False
    survey: bool = False
    tags: Tags = Tags()
    sections: Annotated[tuple[str, ...], ListOf, AfterValidator(_dedupe)] = ()
    sources: Annotated[tuple[ListSource, ...], ListOf] = ()
    added: dt.date
    review: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None
    # Why a method paper has neither a criteria nor a learn-to-prune value ("random masks", "theory paper", "could not tell").
    unclassified_reason: Annotated[str, BeforeValidator(_clean_str), AfterValidator(_non_empty)] | None = None
    curated: Curation | None = None

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
        if value and in_url and strip_arxiv_version(in_url) != strip_arxiv_version(value):
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
    def _venue(cls, value: Any, info: ValidationInfo) -> Any:
        return _canonical_venue(value, _taxonomy(info))

    @field_validator("award", mode="before")
    @classmethod
    def _award(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or not isinstance(value, str):
            return value
        tax = _taxonomy(info)
        canonical = tax.canonical_award(value)
        if canonical is None:
            raise ValueError(f"unknown award or track {value!r}; known: {', '.join(tax.awards)}")
        return canonical

    @field_validator("sections")
    @classmethod
    def _sections(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        """Known sections, in list order (what each implies is checked once every field is valid)."""
        section_ids = _taxonomy(info).section_ids
        unknown = [s for s in value if s not in section_ids]
        if unknown:
            raise ValueError(f"unknown section(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(section_ids)}")
        present = set(value)
        return tuple(s for s in section_ids if s in present)

    @model_validator(mode="after")
    def _sections_imply(self, info: ValidationInfo) -> Self:
        """Each section's implied tags, facet values and flags are present.

        A model-level check because facet fields (added per taxonomy) come after ``sections``;
        the error still names the ``sections`` field so the loader points at its line.
        """
        tax = _taxonomy(info)
        problems = []
        for sid in self.sections:
            for key, required in tax.section(sid).implies.items():
                if key in tax.groups:
                    have = set(self.values_of(key, tax))
                    missing = [v for v in required if v not in have]
                    if missing:
                        where = f"tags.{key}" if key in tax.axes else key
                        problems.append(f"section {sid!r} requires {where} to include {', '.join(missing)}")
                elif getattr(self, key, None) is not required:  # a flag such as survey: true
                    problems.append(f"section {sid!r} requires {key}: {str(required).lower()}")
        if problems:
            error = PydanticCustomError("section_implies", "{message}", {"message": "; ".join(problems)})
            raise ValidationError.from_exception_data(
                type(self).__name__, [InitErrorDetails(type=error, loc=("sections",), input=self.sections)]
            )
        return self

    # -- derived views (never stored) -------------------------------------------------------

    taxonomy: ClassVar[Taxonomy | None] = None  # set on the classes paper_model() builds

    @classmethod
    def model_validate(
        cls, obj: Any, *, strict: bool | None = None, from_attributes: bool | None = None, context: Any | None = None, **kwargs: Any
    ) -> Self:
        """Validate against the taxonomy in ``context`` (``{"taxonomy": ...}``) or this class's own.

        On the base class this picks the class built for that taxonomy (the project's when the
        context names none), so ``Paper.model_validate(data)`` keeps working.
        """
        tax = context.get("taxonomy") if isinstance(context, dict) else None
        if not isinstance(tax, Taxonomy):
            tax = cls.taxonomy or default_taxonomy()
            context = {**(context if isinstance(context, dict) else {}), "taxonomy": tax}
        target = cls if cls.taxonomy is tax else paper_model(tax)
        if not issubclass(target, cls):
            raise TypeError(f"{cls.__name__} is built for another taxonomy")
        result = super(Paper, target).model_validate(obj, strict=strict, from_attributes=from_attributes, context=context, **kwargs)
        return result  # an instance of target, a subclass of cls

    def facet(self, key: str) -> tuple[str, ...]:
        """The values of one facet (a top-level field); empty for a facet this paper's taxonomy lacks."""
        found = getattr(self, key, ())
        return found if isinstance(found, tuple) else ()

    def axis_values(self, axis: str, taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
        """The values of a taxonomy axis for this paper; a derived axis (speedup) follows its facet when unset."""
        stored = self.tags.values(axis)
        tax = taxonomy or type(self).taxonomy
        if stored or tax is None or axis not in tax.axes:
            return stored
        source = tax.axes[axis].derived_from
        return tax.derived(axis, self.facet(source)) if source else ()

    def values_of(self, key: str, taxonomy: Taxonomy | None = None) -> tuple[str, ...]:
        """A paper's values on an axis or facet, with refinements counted for their parents."""
        tax = taxonomy or type(self).taxonomy or default_taxonomy()
        if key in tax.axes:
            return tax.axes[key].with_ancestors(self.axis_values(key, tax))
        return self.facet(key)

    if not TYPE_CHECKING:  # for templates and tests: paper.structure, paper.speedup (axes, derived)

        def __getattr__(self, name: str) -> Any:
            tax = type(self).taxonomy
            if tax is not None and name in tax.axes:
                return self.axis_values(name)
            return super().__getattr__(name)

    @property
    def year_before_arxiv(self) -> int | None:
        """The year the arXiv id was issued, when the publication year is earlier (else None).

        Not an error: a paper can be published before its preprint appears (OPQ: AAAI 2021,
        arXiv 2022). The validator warns unless a curator has confirmed the year.
        """
        issued = arxiv_year(self.arxiv) if self.arxiv else None
        return issued if issued is not None and self.year < issued else None

    @property
    def is_method(self) -> bool:
        """A paper that proposes a pruning method, so it should carry criteria or learn values.

        Not a survey, nor a paper of a ``kind`` (the facet: benchmark, ...).
        """
        return not self.survey and not self.facet("kind")

    @property
    def all_urls(self) -> tuple[str, ...]:
        return (self.url, *self.alternate_urls)

    @property
    def has_code(self) -> bool:
        return any(c.status == "available" for c in self.code)


# -- models built from a taxonomy -------------------------------------------------------------

_MODELS: dict[int, tuple[Taxonomy, type[Paper]]] = {}  # id(taxonomy) -> (taxonomy kept alive, its model)
_MODELS_LOCK = threading.Lock()


def paper_model(taxonomy: Taxonomy) -> type[Paper]:
    """The paper model for ``taxonomy``: :class:`Paper` plus one field per facet and a ``tags``
    model with one field per axis, each accepting that axis's values only. Built once per taxonomy."""
    with _MODELS_LOCK:
        cached = _MODELS.get(id(taxonomy))
        if cached is not None and cached[0] is taxonomy:
            return cached[1]
        taken = sorted(g for g in taxonomy.groups if g in Paper.model_fields or hasattr(Paper, g) or hasattr(Tags, g))
        if taken:
            raise ValueError(f"taxonomy: {', '.join(taken)}: an axis or facet must not take the name of a paper field or method")
        tags_fields: dict[str, Any] = {a.id: (_vocabulary_type(a), ()) for a in taxonomy.axes.values()}
        tags_model = create_model("Tags", __base__=Tags, __module__=__name__, **tags_fields)
        facet_fields: dict[str, Any] = {f.id: (_vocabulary_type(f), ()) for f in taxonomy.facets.values()}
        model = create_model("Paper", __base__=Paper, __module__=__name__, tags=(tags_model, tags_model()), **facet_fields)
        model.taxonomy = taxonomy
        _MODELS[id(taxonomy)] = (taxonomy, model)
        return model


def validate_paper(data: Any, taxonomy: Taxonomy) -> Paper:
    """Validate one paper's plain data against ``taxonomy`` (raises pydantic's ``ValidationError``)."""
    return paper_model(taxonomy).model_validate(data, context={"taxonomy": taxonomy})
