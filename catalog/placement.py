"""Which sections of the list a paper's own tags file it under, for entries nobody filed by hand.

The seed list's papers sit in the sections its authors chose; papers merged from other lists
arrive unfiled. Once curation gives such a paper its stage (``when``) and model family, the
sections follow from the taxonomy's data alone, so the rule lives here and not in a person's
head: for each stage value, the sections that imply exactly that value and one of the paper's
model families, else the section implying that value alone (the "other models" ones). A paper
that is not a method (a ``kind`` such as analysis) goes to the non-method section; what still
fits nowhere stays in the unplaced section, where the README shows it as waiting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from catalog.model import Paper
from catalog.taxonomy import Taxonomy


def stage_sections(values: Mapping[str, Sequence[str]], tax: Taxonomy) -> tuple[str, ...]:
    """The stage sections that ``values`` (axis or facet id -> values) place a paper in, in list order.

    For each stored stage value: the sections implying exactly that value and other values all
    present (a model family), else the section implying that value alone. Where a stage has
    sections per model family, its section without one means "other models": it takes only a
    paper whose model family is known, so a paper missing one is not filed there by default.
    Empty without a stage.
    """
    stage = tax.roles.stage
    chosen: set[str] = set()
    for value in values.get(stage, ()):
        candidates = [s for s in tax.sections if list(s.implies.get(stage, ())) == [value]]
        split_by = {key for s in candidates for key in s.implies if key != stage}  # e.g. models
        specific = [
            s for s in candidates
            if len(s.implies) > 1 and all(set(need) <= set(values.get(key, ())) for key, need in s.implies.items())
        ]
        general = [s for s in candidates if len(s.implies) == 1]
        if specific or all(values.get(key) for key in split_by):
            chosen.update(s.id for s in specific or general)
    return tuple(s.id for s in tax.sections if s.id in chosen)


def placed_sections(paper: Paper, tax: Taxonomy) -> tuple[str, ...]:
    """The sections ``paper`` belongs in by its tags (never empty when the taxonomy names its roles).

    Stored stage values only: a post-training paper goes to post-training, not also to its parent.
    """
    values = {key: paper.values_of(key, tax) for key in tax.groups}
    values[tax.roles.stage] = paper.tags.values(tax.roles.stage)
    found = stage_sections(values, tax)
    if not found and paper.facet("kind") and tax.roles.non_method_section:
        found = (tax.roles.non_method_section,)
    if not found and tax.roles.unplaced_section:
        found = (tax.roles.unplaced_section,)
    return found


def needs_placing(paper: Paper, tax: Taxonomy) -> bool:
    """The entry was never filed by hand: no sections, or only the unplaced one."""
    return set(paper.sections) <= {tax.roles.unplaced_section}
