"""The editor schema: a JSON Schema of a paper file, generated from the model and the taxonomy.

Editors that speak the YAML language server protocol (VS Code's YAML extension, Neovim, JetBrains)
read it through the first line of every paper file and then complete keys and values and flag
mistakes while typing. The structure comes from the pydantic model (so a new field appears by
itself); the closed vocabularies (axes, facets, venues, awards, frameworks, sections) come from
the taxonomy as enums. Output is deterministic (sorted, no dates): a test keeps the committed
file fresh. Rules only the full validator knows (a section's implied tags, duplicates across
files, a year not before the arXiv id) stay with ``pruning-catalog validate``.
"""

from __future__ import annotations

import json
from typing import Any

from catalog.model import paper_model
from catalog.taxonomy import Taxonomy, default_taxonomy

SCHEMA_ID = "https://github.com/hrcheng1066/awesome-pruning/schema/paper.schema.json"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s/?#]+\.[^\s]*$|^https?://localhost(?:[:/][^\s]*)?$"
ARXIV_PATTERN = r"^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

DESCRIPTIONS = {
    "id": "The file name without .yaml: lower-case words of the title joined by hyphens.",
    "title": "The paper's title as published. Quote it when it contains ': '.",
    "authors": "Authors in paper order, e.g. [Ada Lovelace, Alan Turing].",
    "abstract": "The arXiv abstract (CC0), one paragraph; `pruning-catalog add` and `enrich` fill it.",
    "url": "The paper's main link (arXiv abs page, OpenReview forum, proceedings page).",
    "alternate_urls": "Other links to the same paper.",
    "arxiv": "The arXiv id, e.g. 2301.00774; taken from an arxiv.org url when omitted.",
    "venue": "Where it was published: a venue name or alias from catalog/taxonomy.yaml (the year goes in `year`).",
    "award": "An award or track next to the venue, e.g. Oral.",
    "year": "The year of the venue (the arXiv year for preprints).",
    "published": "The date of the first arXiv version (YYYY-MM-DD).",
    "other_venues": "Other publications of the same paper, e.g. [{venue: TPAMI, year: 2019}].",
    "algorithm": "The method's short name, e.g. Wanda.",
    "code": "Code repositories.",
    "tasks": "Tasks the paper evaluates on, e.g. [Image Classification].",
    "structure": "What is removed, in the list's structure codes.",
    "models": "The model families pruned.",
    "settings": "The learning settings studied.",
    "applications": "The application areas.",
    "pioneer": "Pioneer work of its line of research.",
    "survey": "A survey of pruning.",
    "tags": "The survey's five taxonomy axes.",
    "sections": "Where the paper appears in the README; each section requires the tags it implies.",
    "added": "The date the entry was added (YYYY-MM-DD).",
    "review": "A known problem the facts cannot settle.",
}


def _non_null(prop: dict[str, Any]) -> dict[str, Any]:
    """The branch of an optional property that describes its value (pydantic writes anyOf [T, null])."""
    for branch in prop.get("anyOf", ()):
        if branch.get("type") != "null":
            return dict(branch)
    return prop


def _set(prop: dict[str, Any], **constraints: Any) -> dict[str, Any]:
    """``prop`` with ``constraints`` applied to its non-null branch."""
    if "anyOf" in prop:
        branches = [({**b, **constraints} if b.get("type") != "null" else b) for b in prop["anyOf"]]
        return {**prop, "anyOf": branches}
    return {**prop, **constraints}


def _enum_list(values: list[str]) -> dict[str, Any]:
    return {"items": {"type": "string", "enum": values}, "uniqueItems": True}


def _drop_titles(node: Any) -> Any:
    """pydantic's auto titles ("Alternate Urls") add nothing for an editor; keep descriptions."""
    if isinstance(node, dict):
        return {
            k: _drop_titles(v)
            for k, v in node.items()
            if k != "title" or not isinstance(v, str) or isinstance(node.get("properties"), dict)
        }
    if isinstance(node, list):
        return [_drop_titles(v) for v in node]
    return node


def build_schema(taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one paper file."""
    tax = taxonomy or default_taxonomy()
    schema = paper_model(tax).model_json_schema(mode="validation")
    props: dict[str, Any] = schema["properties"]
    defs: dict[str, Any] = schema["$defs"]
    # Canonical names only: the validator also takes aliases in any case, but `fmt` writes the canonical name.
    venues = sorted(tax.venues, key=str.casefold)
    awards = list(tax.awards)
    frameworks = list(tax.frameworks)
    for name, prop in list(props.items()):
        if name in DESCRIPTIONS:
            prop = {**prop, "description": DESCRIPTIONS[name]}
        if prop.get("type") == "integer" or _non_null(prop).get("type") == "integer":
            prop = {k: v for k, v in prop.items() if k != "maximum"}  # the rolling maximum changes every year
        props[name] = prop
    props["id"] = _set(props["id"], pattern=SLUG_PATTERN, maxLength=80)
    props["title"] = _set(props["title"], minLength=1)
    props["url"] = _set(props["url"], pattern=URL_PATTERN)
    props["alternate_urls"] = {**props["alternate_urls"], "items": {"type": "string", "pattern": URL_PATTERN}}
    props["arxiv"] = _set(props["arxiv"], pattern=ARXIV_PATTERN)
    props["venue"] = _set(props["venue"], enum=venues)
    props["award"] = _set(props["award"], enum=awards)
    for facet, axis in tax.facets.items():
        if facet in props:
            props[facet] = {**props[facet], **_enum_list(list(axis.ids()))}
    props["sections"] = {**props["sections"], **_enum_list(list(tax.section_ids))}
    for name in ("added", "published"):
        if name in props:
            props[name] = _set(props[name], pattern=DATE_PATTERN)
    tags = defs["Tags"]
    for axis_id, axis in tax.axes.items():
        if axis_id in tags["properties"]:
            tags["properties"][axis_id] = {**tags["properties"][axis_id], **_enum_list(list(axis.ids())), "description": axis.description}
    code = defs["CodeLink"]["properties"]
    code["url"] = {**code["url"], "pattern": URL_PATTERN}
    code["framework"] = _set(code["framework"], enum=frameworks)
    venue_year = defs["VenueYear"]["properties"]
    venue_year["venue"] = {**venue_year["venue"], "enum": venues}
    venue_year["year"] = {k: v for k, v in venue_year["year"].items() if k != "maximum"}
    out = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "awesome-pruning paper entry",
        **{k: v for k, v in schema.items() if k != "title"},
    }
    return _drop_titles(out)  # type: ignore[no-any-return]


def schema_text(taxonomy: Taxonomy | None = None) -> str:
    return json.dumps(build_schema(taxonomy), indent=2, ensure_ascii=False) + "\n"
