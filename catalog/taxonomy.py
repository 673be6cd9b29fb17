"""The taxonomy: axes, facets, venues and list sections, read from a data file.

Everything that knows an axis or facet (its name, label, order, values, and which README
section, site page, explorer filter and export columns it gets), a venue name or a list section
asks a :class:`Taxonomy`, so that adding a value, or a whole facet, is a change to the data file
alone and the validator, importer, README and website all follow. The project's file is
``taxonomy.yaml`` beside this module (:func:`default_taxonomy`); :func:`load_taxonomy` reads any
other. A taxonomy is handed on explicitly (``Catalog.taxonomy``, the validation context of
:func:`catalog.model.validate_paper`); the objects are frozen and shared.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yaml")


EXPORT_FORMATS = ("csv", "json", "bibtex")


@dataclass(frozen=True)
class Value:
    """One value of an axis or facet."""

    id: str
    label: str
    description: str = ""
    parent: str | None = None
    implies: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # axis id -> value it implies


@dataclass(frozen=True)
class Axis:
    """A taxonomy axis (one of the survey's five) or a facet of the list.

    Axes are stored under ``tags:`` in a paper file, facets as top-level fields. The flags say
    where the outputs show it: a README "Browse" table, a site page (``axes/<id>/`` or
    ``facets/<id>/``), an explorer filter, and columns of the CSV/JSON/BibTeX downloads.
    ``derived_from`` names a facet whose values imply this axis's values when a paper sets none.
    """

    id: str
    label: str
    description: str
    values: Mapping[str, Value]
    short: str = ""
    kind: str = "axis"  # "axis" | "facet"
    readme: bool = False
    page: bool = True
    filter: bool = True
    exports: tuple[str, ...] = ("csv", "json")
    derived_from: str | None = None

    def ids(self) -> tuple[str, ...]:
        return tuple(self.values)

    def depth(self, value_id: str) -> int:
        """How many refinement steps below a top-level value this value is (0 for top level)."""
        depth, parent = 0, self.values[value_id].parent
        while parent is not None:
            depth, parent = depth + 1, self.values[parent].parent
        return depth

    def with_ancestors(self, value_ids: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """The given values plus their parents, in taxonomy order (for filtering and counts)."""
        wanted: set[str] = set()
        for given in value_ids:
            vid: str | None = given
            while vid is not None and vid not in wanted:
                wanted.add(vid)
                vid = self.values[vid].parent if vid in self.values else None
        return tuple(v for v in self.values if v in wanted)


@dataclass(frozen=True)
class Section:
    """A section of the awesome-pruning list layout (README tables)."""

    id: str
    number: str
    title: str
    parent: tuple[str, ...]
    columns: tuple[str, ...]
    implies: Mapping[str, Any]
    by_year: bool = False
    year_floor: int | None = None
    year_title: str = ""


@dataclass(frozen=True)
class Roles:
    """Which axis or facet fills a fixed place in the outputs (named in the data file)."""

    type_column: str  # the list's Type column and its legend, the explorer's Type column
    stage: str  # the home chart stacks papers by its top-level values; the explorer's When column
    unplaced_section: str = ""  # where a paper waits until its tags place it (catalog.placement)
    non_method_section: str = ""  # where a paper of a `kind` (analysis, theory, ...) goes when no stage places it


@dataclass(frozen=True)
class Taxonomy:
    axes: Mapping[str, Axis]
    facets: Mapping[str, Axis]
    venues: Mapping[str, str]  # canonical name -> kind
    sections: tuple[Section, ...]
    _venue_lookup: Mapping[str, str] = field(repr=False)
    _award_lookup: Mapping[str, str] = field(repr=False)
    _framework_lookup: Mapping[str, str] = field(repr=False)
    _task_lookup: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False)  # folded alias -> canonical task
    roles: Roles = field(default=Roles(type_column="", stage=""))

    @functools.cached_property
    def groups(self) -> Mapping[str, Axis]:
        """Every axis, then every facet, in data-file order (ids never clash: the parser checks)."""
        return MappingProxyType({**self.axes, **self.facets})

    def group(self, key: str) -> Axis:
        """The axis or facet called ``key``."""
        return self.groups[key]

    def with_flag(self, flag: str) -> tuple[Axis, ...]:
        """Axes then facets whose presentation flag (``readme``, ``page``, ``filter``) is on."""
        return tuple(a for a in self.groups.values() if getattr(a, flag))

    def exported_to(self, fmt: str) -> tuple[Axis, ...]:
        """Facets then axes written to the ``fmt`` download (the order of the CSV columns)."""
        return tuple(a for a in (*self.facets.values(), *self.axes.values()) if fmt in a.exports)

    @functools.cached_property
    def section_ids(self) -> tuple[str, ...]:
        # Cached: every paper's validation asks for it (cached_property works on frozen dataclasses).
        return tuple(s.id for s in self.sections)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def canonical_venue(self, name: str) -> str | None:
        """The canonical venue for a name or alias, or None when unknown."""
        return self._venue_lookup.get(_fold(name))

    def canonical_award(self, name: str) -> str | None:
        return self._award_lookup.get(_fold(name))

    def canonical_framework(self, name: str) -> str | None:
        return self._framework_lookup.get(_fold(name))

    def canonical_task(self, name: str) -> str | None:
        """The canonical task for a name or alias (typos the lists use included), or None when unknown."""
        return self._task_lookup.get(_fold(name))

    @property
    def tasks(self) -> tuple[str, ...]:
        """The canonical task names, in data-file order (empty when the taxonomy has no task vocabulary)."""
        return tuple(dict.fromkeys(self._task_lookup.values()))

    @property
    def awards(self) -> tuple[str, ...]:
        return tuple(sorted(set(self._award_lookup.values())))

    @property
    def frameworks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self._framework_lookup.values()))

    def derived(self, axis_id: str, source_values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """The values of ``axis_id`` implied by values of the facet it is derived from, in axis order."""
        axis = self.axes[axis_id]
        if axis.derived_from is None:
            return ()
        source = self.facets[axis.derived_from].values
        implied = {source[c].implies.get(axis_id) for c in source_values if c in source}
        return tuple(v for v in axis.values if v in implied)


def _fold(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


_VALUE_KEYS = {"label", "description", "parent"}
_GROUP_KEYS = {"label", "short", "description", "values", "readme", "page", "filter", "exports", "derived_from"}

def _axis(kind: str, axis_id: str, raw: Mapping[str, Any], defaults: Mapping[str, Any], axis_ids: set[str], where: str) -> Axis:
    unknown = sorted(set(raw) - _GROUP_KEYS)
    if unknown:
        raise ValueError(f"{where}: {axis_id}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_GROUP_KEYS))}")
    spec = {**defaults, **raw}
    values = {}
    for vid, v in (raw.get("values") or {}).items():
        v = v or {}
        implies = {str(k): str(x) for k, x in v.items() if k not in _VALUE_KEYS}
        bad = sorted(k for k in implies if k not in axis_ids)
        if bad:
            raise ValueError(
                f"{where}: {axis_id}.{vid}: unknown key(s) {', '.join(bad)} (a value may name label, description, parent, or an axis)"
            )
        values[str(vid)] = Value(
            id=str(vid),
            label=v.get("label", str(vid)),
            description=v.get("description", ""),
            parent=v.get("parent"),
            implies=MappingProxyType(implies),
        )
    for value in values.values():
        if value.parent is not None and value.parent not in values:
            raise ValueError(f"{where}: {axis_id}.{value.id}: unknown parent {value.parent!r}")
    exports = tuple(str(e) for e in spec.get("exports", ("csv", "json")))
    if not set(exports) <= set(EXPORT_FORMATS):
        raise ValueError(f"{where}: {axis_id}: exports must be among {', '.join(EXPORT_FORMATS)}, got {', '.join(exports)}")
    return Axis(
        id=axis_id,
        label=raw["label"],
        description=raw.get("description", ""),
        values=MappingProxyType(values),
        short=raw.get("short", raw["label"]),
        kind=kind,
        readme=bool(spec.get("readme", kind == "axis")),
        page=bool(spec.get("page", True)),
        filter=bool(spec.get("filter", True)),
        exports=exports,
        derived_from=spec.get("derived_from"),
    )


def parse_taxonomy(raw: Mapping[str, Any], where: str = "taxonomy") -> Taxonomy:
    """Build a Taxonomy from the parsed data file (separate from I/O so tests can feed variants)."""
    defaults = raw.get("defaults") or {}
    axis_ids = {str(a) for a in raw["axes"]}
    facet_ids = {str(f) for f in raw["facets"]}
    clash = sorted((axis_ids & facet_ids) | {i for i in axis_ids | facet_ids if i.startswith(("model_", "_"))})
    if clash:
        raise ValueError(f"{where}: {', '.join(clash)}: an axis or facet id must be unique and must not start with model_ or _")
    axes = {str(aid): _axis("axis", str(aid), a, defaults.get("axes") or {}, axis_ids, where) for aid, a in raw["axes"].items()}
    facets = {str(fid): _axis("facet", str(fid), f, defaults.get("facets") or {}, axis_ids, where) for fid, f in raw["facets"].items()}
    for axis in axes.values():
        if axis.derived_from is not None and axis.derived_from not in facets:
            raise ValueError(f"{where}: {axis.id}: derived_from names {axis.derived_from!r}, which is not a facet")
    roles_raw = raw.get("roles") or {}
    roles = Roles(**{f: str(roles_raw.get(f, "")) for f in ("type_column", "stage", "unplaced_section", "non_method_section")})
    if roles.type_column and roles.type_column not in facets:
        raise ValueError(f"{where}: roles.type_column: {roles.type_column!r} is not a facet")
    if roles.stage and roles.stage not in axes:
        raise ValueError(f"{where}: roles.stage: {roles.stage!r} is not an axis")
    venue_lookup: dict[str, str] = {}
    venues: dict[str, str] = {}
    for name, spec in raw["venues"].items():
        venues[name] = spec.get("kind", "conference")
        for alias in [name, *spec.get("aliases", [])]:
            venue_lookup[_fold(alias)] = name
    award_lookup = {_fold(a): name for name, aliases in raw["awards"].items() for a in [name, *aliases]}
    framework_lookup = {_fold(a): name for name, aliases in raw["frameworks"].items() for a in [name, *aliases]}
    task_lookup = {_fold(a): str(name) for name, aliases in (raw.get("tasks") or {}).items() for a in [str(name), *(aliases or [])]}
    sections = tuple(
        Section(
            id=s["id"],
            number=str(s["number"]),
            title=s["title"],
            parent=tuple(s.get("parent", [])),
            columns=tuple(str(c) for c in s["columns"]),
            implies=MappingProxyType(dict(s.get("implies", {}))),
            by_year=bool(s.get("by_year", False)),
            year_floor=s.get("year_floor"),
            year_title=s.get("year_title", s["title"]),
        )
        for s in raw["sections"]
    )
    section_ids = {s.id for s in sections}
    for role in ("unplaced_section", "non_method_section"):
        if getattr(roles, role) and getattr(roles, role) not in section_ids:
            raise ValueError(f"{where}: roles.{role}: {getattr(roles, role)!r} is not a section id")
    return Taxonomy(
        axes=MappingProxyType(axes),
        facets=MappingProxyType(facets),
        venues=MappingProxyType(venues),
        sections=sections,
        _venue_lookup=MappingProxyType(venue_lookup),
        _award_lookup=MappingProxyType(award_lookup),
        _framework_lookup=MappingProxyType(framework_lookup),
        roles=roles,
        _task_lookup=MappingProxyType(task_lookup),
    )


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and parse a taxonomy data file."""
    with path.open(encoding="utf-8") as fh:
        return parse_taxonomy(yaml.safe_load(fh), where=str(path))


@functools.cache
def default_taxonomy() -> Taxonomy:
    """The project's taxonomy (``taxonomy.yaml`` beside this module), parsed once per process.

    Only entry points use it, to choose the taxonomy they then pass on explicitly.
    """
    return load_taxonomy(TAXONOMY_FILE)


get_taxonomy = default_taxonomy  # the older name, kept so other branches' callers keep working
