"""The taxonomy, read from ``taxonomy.yaml`` beside this module.

Everything that knows an axis value, a venue name or a list section asks this module, so that
adding a value is a one-line change in the data file and the validator, importer, README and
website all follow. The objects are frozen: the taxonomy is loaded once and shared.
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


@dataclass(frozen=True)
class Value:
    """One value of an axis or facet."""

    id: str
    label: str
    description: str = ""
    parent: str | None = None
    speedup: str | None = None  # structure codes only: the speedup they imply


@dataclass(frozen=True)
class Axis:
    """A taxonomy axis (one of the survey's five) or a facet of the list."""

    id: str
    label: str
    description: str
    values: Mapping[str, Value]
    short: str = ""

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
        for vid in value_ids:
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
class Taxonomy:
    axes: Mapping[str, Axis]
    facets: Mapping[str, Axis]
    venues: Mapping[str, str]  # canonical name -> kind
    sections: tuple[Section, ...]
    _venue_lookup: Mapping[str, str] = field(repr=False)
    _award_lookup: Mapping[str, str] = field(repr=False)
    _framework_lookup: Mapping[str, str] = field(repr=False)

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

    @property
    def awards(self) -> tuple[str, ...]:
        return tuple(sorted(set(self._award_lookup.values())))

    @property
    def frameworks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self._framework_lookup.values()))

    def speedup_for(self, structure: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """The speedup values implied by structure codes, in axis order."""
        implied = {self.facets["structure"].values[c].speedup for c in structure if c in self.facets["structure"].values}
        return tuple(v for v in self.axes["speedup"].values if v in implied)


def _fold(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _axis(axis_id: str, raw: Mapping[str, Any]) -> Axis:
    values = {}
    for vid, v in raw["values"].items():
        v = v or {}
        values[str(vid)] = Value(
            id=str(vid),
            label=v.get("label", str(vid)),
            description=v.get("description", ""),
            parent=v.get("parent"),
            speedup=v.get("speedup"),
        )
    for v in values.values():
        if v.parent is not None and v.parent not in values:
            raise ValueError(f"{TAXONOMY_FILE}: {axis_id}.{v.id}: unknown parent {v.parent!r}")
    return Axis(
        id=axis_id,
        label=raw["label"],
        description=raw.get("description", ""),
        values=MappingProxyType(values),
        short=raw.get("short", raw["label"]),
    )


def parse_taxonomy(raw: Mapping[str, Any]) -> Taxonomy:
    """Build a Taxonomy from the parsed data file (separate from I/O so tests can feed variants)."""
    axes = {aid: _axis(aid, a) for aid, a in raw["axes"].items()}
    facets = {fid: _axis(fid, f) for fid, f in raw["facets"].items()}
    venue_lookup: dict[str, str] = {}
    venues: dict[str, str] = {}
    for name, spec in raw["venues"].items():
        venues[name] = spec.get("kind", "conference")
        for alias in [name, *spec.get("aliases", [])]:
            venue_lookup[_fold(alias)] = name
    award_lookup = {_fold(a): name for name, aliases in raw["awards"].items() for a in [name, *aliases]}
    framework_lookup = {_fold(a): name for name, aliases in raw["frameworks"].items() for a in [name, *aliases]}
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
    return Taxonomy(
        axes=MappingProxyType(axes),
        facets=MappingProxyType(facets),
        venues=MappingProxyType(venues),
        sections=sections,
        _venue_lookup=MappingProxyType(venue_lookup),
        _award_lookup=MappingProxyType(award_lookup),
        _framework_lookup=MappingProxyType(framework_lookup),
    )


@functools.cache
def get_taxonomy() -> Taxonomy:
    """The project's taxonomy, parsed once per process."""
    with TAXONOMY_FILE.open(encoding="utf-8") as fh:
        return parse_taxonomy(yaml.safe_load(fh))
