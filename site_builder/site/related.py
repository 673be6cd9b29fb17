"""Related papers, computed at build time from shared taxonomy values and shared words.

Each paper becomes a bag of features: its values on every axis and facet (refinements only,
not the implied parents), its algorithm name, and the words of its title and abstract (lower
case, stop words and words shorter than three letters left out). A feature's weight is its
inverse document frequency, so sharing a rare value ("meta-learning based") says more than
sharing a common one ("weight pruning"), and sharing the word "lottery" says more than
"pruning". Two papers' score is the sum of the weights of the features they share, divided by
the square root of the product of their feature counts (a cosine over binary vectors, so long
abstracts do not win by length). Ties are broken by newer year, then id, so the result is
deterministic.

Candidates come from an inverted index: each paper's features add their weight to every other
paper carrying them, skipping features carried by more than :data:`MAX_SHARE` of the catalog
(and more than :data:`MIN_CAP` papers), which would pair almost every paper with every other
(quadratic time at 5,000 papers) while saying little. The best :data:`SHORTLIST` candidates are
then scored on every shared feature, common ones included.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from catalog.catalog import Catalog
from catalog.model import Paper

RELATED_COUNT = 5
MAX_SHARE = 0.05  # features carried by more than this share of papers (and MIN_CAP papers) do not find candidates
MIN_CAP = 50
SHORTLIST = 30
MIN_SCORE = 0.05
_WORD_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STOP_WORDS = frozenset(
    """a an and are as at be by can do does for from how in into is it its of on or our the their this to
    towards toward under via we what when which while with without using based through over new one two
    approach method methods paper study network networks neural deep learning model models""".split()
)
_TEXT_PREFIX = "w:"


def words(text: str) -> set[str]:
    """The content words of a title or abstract."""
    return {w for w in _WORD_RE.findall(text.lower()) if len(w) > 2 and w not in STOP_WORDS}


def features(catalog: Catalog, paper: Paper) -> set[str]:
    """``key:value`` for taxonomy values, ``alg:name`` for the algorithm, ``w:word`` for words."""
    found: set[str] = set()
    tax = catalog.taxonomy
    for key in (*tax.axes, *tax.facets):
        values = paper.axis_values(key) if key in tax.axes else tuple(getattr(paper, key, ()))
        found.update(f"{key}:{v}" for v in values)
    if paper.algorithm:
        found.add("alg:" + paper.algorithm.casefold())
    text = paper.title + " " + (getattr(paper, "abstract", None) or "")
    found.update(_TEXT_PREFIX + w for w in words(text))
    return found


@dataclass(frozen=True)
class Related:
    """One related paper and why: the taxonomy values and words both papers share."""

    paper: Paper
    score: float
    values: tuple[tuple[str, str], ...]  # (axis or facet key, value id), in taxonomy order
    words: tuple[str, ...]


def related_papers(catalog: Catalog, count: int = RELATED_COUNT) -> Mapping[str, tuple[Related, ...]]:
    """Paper id -> its most related papers, best first."""
    papers = catalog.papers
    feats = {p.id: features(catalog, p) for p in papers}
    df: Counter[str] = Counter(f for fs in feats.values() for f in fs)
    n = max(len(papers), 1)
    idf = {f: math.log(1 + n / d) for f, d in df.items()}
    cap = max(MIN_CAP, int(MAX_SHARE * n))
    index: dict[str, list[str]] = defaultdict(list)
    for p in papers:
        for f in feats[p.id]:
            if df[f] <= cap:
                index[f].append(p.id)
    by_id = {p.id: p for p in papers}
    order = {key: i for i, key in enumerate((*catalog.taxonomy.axes, *catalog.taxonomy.facets))}
    result: dict[str, tuple[Related, ...]] = {}
    for p in papers:
        mine = feats[p.id]
        partial: dict[str, float] = defaultdict(float)
        for f in sorted(mine):
            if df[f] <= cap:
                weight = idf[f]
                for other in index[f]:
                    partial[other] += weight
        partial.pop(p.id, None)
        shortlist = sorted(partial, key=lambda o: (-partial[o], o))[:SHORTLIST]
        scored = []
        for other in shortlist:
            shared = mine & feats[other]
            score = sum(idf[f] for f in sorted(shared)) / math.sqrt(len(mine) * len(feats[other]) or 1)
            if score >= MIN_SCORE:
                scored.append((-score, -by_id[other].year, other, shared))
        scored.sort(key=lambda item: item[:3])
        result[p.id] = tuple(_related(by_id[o], -s, shared, order) for s, _, o, shared in scored[:count])
    return result


def _related(paper: Paper, score: float, shared: Iterable[str], order: Mapping[str, int]) -> Related:
    values = []
    shared_words = []
    for f in shared:
        if f.startswith(_TEXT_PREFIX):
            shared_words.append(f[len(_TEXT_PREFIX) :])
        elif not f.startswith("alg:"):
            key, _, value = f.partition(":")
            values.append((key, value))
    values.sort(key=lambda kv: (order.get(kv[0], 99), kv[1]))
    return Related(paper=paper, score=round(score, 4), values=tuple(values), words=tuple(sorted(shared_words)))
