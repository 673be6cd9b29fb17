"""Writing a :class:`~catalog.model.Paper` back to its canonical YAML form.

Used by the importer and by anyone rewriting entries. The form is fixed (schema field order,
short lists inline, defaults left out, the taxonomy's axes always present so an empty one
reads as "not yet classified"), so that load -> dump -> load changes nothing and the same paper
always gives the same bytes. Axis and facet names come from the paper's taxonomy. Writing the
text to a file is :mod:`catalog.fileio`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from catalog.model import Paper, arxiv_from_url


class _Dumper(yaml.SafeDumper):
    """Lists of scalars inline (``[C, W]``), everything else in block style."""

    def represent_list(self, data: Iterable[Any]) -> yaml.SequenceNode:
        flow = all(not isinstance(x, (dict, list)) for x in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(list, _Dumper.represent_list)


def field_order(paper: Paper) -> list[str]:
    """Schema order: the fields of :class:`Paper`, with the taxonomy's facets right after ``tasks``."""
    facets = list(paper.taxonomy.facets) if paper.taxonomy else []
    order: list[str] = []
    for name in Paper.model_fields:
        order.append(name)
        if name == "tasks":
            order += facets
    return order


def paper_to_data(paper: Paper) -> dict[str, Any]:
    """The plain-data form of a paper: schema order, defaults dropped, tags always complete."""
    data = paper.model_dump(mode="python", exclude_defaults=True)
    # Axes classified by hand are always written, so an empty one reads as "not yet classified";
    # a derived axis (speedup) only when set, since it normally follows from its facet.
    axes = paper.taxonomy.axes.values() if paper.taxonomy else ()
    data["tags"] = {a.id: list(paper.tags.values(a.id)) for a in axes if a.derived_from is None or paper.tags.values(a.id)}
    if paper.arxiv and arxiv_from_url(paper.url) == paper.arxiv:
        del data["arxiv"]  # the URL already says it; writing it twice invites disagreement
    ordered: dict[str, Any] = {}
    for name in field_order(paper):
        if name in data:
            ordered[name] = _plain(data[name])
    return ordered


def _plain(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def dump_paper(paper: Paper) -> str:
    """The canonical YAML text of one paper."""
    return yaml.dump(paper_to_data(paper), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
