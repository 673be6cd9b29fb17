"""Placing a list's headings in the taxonomy by their words, not their numbers.

A heading such as ``#### Pruning Before Training`` or ``### 1.1.3.4 Pruning LLMs`` says where
the rows under it belong. The numbered form names a section of the seed list; any heading also
names taxonomy values by their words ("before training" is the ``when`` value
``before-training``, "LLMs" the ``models`` value ``llm``). A heading that places no section is
kept as the row's source section and the values its words name, so a list in another layout
loses nothing and fails nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from catalog.normalize import normalize_title
from catalog.taxonomy import Taxonomy

YEAR_HEADING_RE = re.compile(r"^(?:.*\D)?(?P<year>(?:19|20)\d\d)(?:\s+and\s+earlier)?\s*(?:venues?)?$", re.IGNORECASE)
NUMBER_RE = re.compile(r"^(\d+(?:\.\d+)*)\.?\s")
# Words that say nothing about where a paper belongs.
_STOP = frozenset("a an and the of in on for to with pruning prune based models model networks network other types type".split())


@dataclass(frozen=True)
class Placement:
    """What a heading path says: a known section (or None), taxonomy values, a year."""

    section: str | None
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    year: int | None = None


def _words(text: str) -> frozenset[str]:
    words = set()
    for word in normalize_title(text).split():
        if word in _STOP or word.isdigit():
            continue
        words.add(word[:-1] if word.endswith("s") and len(word) > 3 else word)  # CNNs -> cnn, ViTs -> vit
    return frozenset(words)


def values_from_words(text: str, tax: Taxonomy) -> dict[str, tuple[str, ...]]:
    """Taxonomy values whose label (or id) words all appear in ``text``, per axis/facet."""
    have = _words(text.replace("-", " "))
    found: dict[str, tuple[str, ...]] = {}
    for kind in (tax.axes, tax.facets):
        for axis_id, axis in kind.items():
            if axis_id == "structure":
                continue  # one-letter codes are not words
            hits = []
            for value in axis.values.values():
                label_words = _words(value.label)
                id_words = _words(value.id.replace("-", " "))
                if (label_words and label_words <= have) or (id_words and id_words <= have and value.id != "other"):
                    hits.append(value.id)
            # A refinement that matched makes its parent redundant (post-training implies after-training).
            hits = [h for h in hits if not any(axis.values[o].parent == h for o in hits)]
            if hits:
                found[axis_id] = tuple(hits)
    return found


def place(path: Sequence[str], tax: Taxonomy) -> Placement:
    """The placement of rows under the heading path ``path`` (outermost first)."""
    if not path:
        return Placement(None)
    inner = path[-1].strip()
    year_match = YEAR_HEADING_RE.match(inner)
    year = int(year_match["year"]) if year_match else None
    number = NUMBER_RE.match(inner + " ")
    if number:
        for s in tax.sections:
            if s.number == number[1]:
                return Placement(s.id, {}, year)
    # A section named by the innermost heading that is not a number (e.g. a year table title).
    for depth in range(len(path) - 1, -1, -1):
        n = NUMBER_RE.match(path[depth] + " ")
        if n:
            for s in tax.sections:
                if s.number == n[1]:
                    return Placement(s.id, {}, year)
            break
    values = values_from_words(" ".join(path), tax)
    inner_key = normalize_title(re.sub(r"(?:19|20)\d\d(?:\s+and\s+earlier)?\s*$", "", inner))
    by_title = [s for s in tax.sections if inner_key and inner_key in (normalize_title(s.title), normalize_title(s.year_title))]
    consistent = by_title if len(by_title) == 1 else [s for s in by_title if _consistent(s.implies, values)]
    if len(consistent) == 1:
        return Placement(consistent[0].id, values, year)
    return Placement(None, values, year)


def _consistent(implies: Mapping[str, object], values: Mapping[str, tuple[str, ...]]) -> bool:
    for key, required in implies.items():
        if key == "survey" or not isinstance(required, (list, tuple)):
            continue
        if key not in values or not set(required) <= set(values[key]):
            return False
    return True
