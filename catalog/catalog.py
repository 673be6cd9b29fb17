"""The :class:`Catalog`: every validated paper, immutable and in a fixed order.

Renderers (README, site, exports) and the link checker receive a Catalog and nothing else; they
never read YAML. Papers are ordered by id so that every output built from a Catalog is
deterministic. Lookups that several renderers need (by id, by section, by axis value, counts)
live here once instead of being recomputed in each renderer.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from catalog.errors import Problem
from catalog.model import Paper
from catalog.source import Source
from catalog.taxonomy import Taxonomy, default_taxonomy


@dataclass(frozen=True)
class Catalog:
    papers: tuple[Paper, ...]
    sources: Mapping[str, Source]  # paper id -> file and field lines
    taxonomy: Taxonomy
    warnings: tuple[Problem, ...] = ()
    _by_id: Mapping[str, Paper] = field(default_factory=lambda: MappingProxyType({}), repr=False, compare=False)

    @classmethod
    def build(cls, loaded: Iterable[tuple[Paper, Source]], warnings: Iterable[Problem] = (), taxonomy: Taxonomy | None = None) -> Catalog:
        items = sorted(loaded, key=lambda item: item[0].id)
        papers = tuple(p for p, _ in items)
        return cls(
            papers=papers,
            sources=MappingProxyType({p.id: s for p, s in items}),
            taxonomy=taxonomy or (papers[0].taxonomy if papers and papers[0].taxonomy else default_taxonomy()),
            warnings=tuple(sorted(warnings)),
            _by_id=MappingProxyType({p.id: p for p in papers}),
        )

    def __len__(self) -> int:
        return len(self.papers)

    def __iter__(self) -> Iterator[Paper]:
        return iter(self.papers)

    def get(self, paper_id: str) -> Paper | None:
        return self._by_id.get(paper_id)

    def in_section(self, section_id: str) -> tuple[Paper, ...]:
        """Papers of one list section, newest first, then by title (the README's row order)."""
        chosen = [p for p in self.papers if section_id in p.sections]
        return tuple(sorted(chosen, key=lambda p: (-p.year, p.title.casefold(), p.id)))

    def values_of(self, paper: Paper, axis: str) -> tuple[str, ...]:
        """A paper's values on an axis or facet, with refinements counted for their parents."""
        return paper.values_of(axis, self.taxonomy)

    def with_value(self, axis: str, value: str) -> tuple[Paper, ...]:
        """Papers carrying ``value`` on an axis or facet (a parent value includes its refinements)."""
        return tuple(p for p in self.papers if value in self.values_of(p, axis))

    def counts(self, axis: str) -> Mapping[str, int]:
        """Paper count per value of an axis or facet, in taxonomy order (zeros included)."""
        spec = self.taxonomy.axes.get(axis) or self.taxonomy.facets[axis]
        counter = Counter(v for p in self.papers for v in self.values_of(p, axis))
        return MappingProxyType({v: counter.get(v, 0) for v in spec.values})

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({p.year for p in self.papers}, reverse=True))

    # -- figures: every renderer (README, site) shows these, computed here once -----------------

    @functools.cached_property
    def with_code(self) -> tuple[Paper, ...]:
        """Papers with at least one available code link."""
        return tuple(p for p in self.papers if p.has_code)

    @functools.cached_property
    def reviewed(self) -> tuple[Paper, ...]:
        """Papers carrying a review note (a known problem of the entry)."""
        return tuple(p for p in self.papers if p.review)

    @functools.cached_property
    def unfiled(self) -> tuple[Paper, ...]:
        """Papers in no list section."""
        return tuple(p for p in self.papers if not p.sections)

    def unclassified(self, axis: str) -> int:
        """How many papers have no value on an axis or facet."""
        return sum(1 for p in self.papers if not self.values_of(p, axis))

    @functools.cached_property
    def per_year(self) -> Mapping[int, int]:
        return MappingProxyType(dict(Counter(p.year for p in self.papers)))

    @functools.cached_property
    def with_code_per_year(self) -> Mapping[int, int]:
        return MappingProxyType(dict(Counter(p.year for p in self.with_code)))
