"""The GitHub issue form for adding a paper, and reading a filled-in form back (``from-issue``).

Both directions come from one table of fields, and the dropdowns come from the taxonomy, so the
form offers exactly the values the model accepts and cannot drift from what ``from-issue``
reads. GitHub renders a submitted form as Markdown: one ``### Label`` heading per field, a blank
line, the value (``_No response_`` when empty; a multiple-choice dropdown joins its options with
", "). ``pruning-catalog schema`` writes the form; a test keeps the committed file fresh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from catalog.contribute import Choices
from catalog.taxonomy import Axis, Taxonomy

FORM_PATH = ".github/ISSUE_TEMPLATE/add-paper.yml"
LABEL = "add-paper"
NO_RESPONSE = "_No response_"
SEPARATOR = " — "  # between a value id and its label in dropdown options


@dataclass(frozen=True)
class Field:
    id: str  # the form element id, also the Choices attribute (or "arxiv")
    label: str
    kind: str  # input, textarea, dropdown
    description: str
    source: str = ""  # dropdowns: "axes:when", "facets:structure", "venues", "sections"
    multiple: bool = False
    required: bool = False


FIELDS: tuple[Field, ...] = (
    Field(
        "arxiv",
        "arXiv id or URL",
        "input",
        "e.g. 2306.11695 or https://arxiv.org/abs/2306.11695. Title, authors, abstract and dates are fetched from arXiv.",
    ),
    Field("title", "Title (only for a paper without an arXiv id)", "input", "Leave empty when you gave an arXiv id."),
    Field("url", "Paper link (only for a paper without an arXiv id)", "input", "The proceedings page or OpenReview forum."),
    Field("authors", "Authors (only for a paper without an arXiv id)", "input", "Comma-separated, in paper order."),
    Field("venue", "Venue", "dropdown", "Where it was published (arXiv for a preprint).", "venues"),
    Field("year", "Year", "input", "The year of the venue, e.g. 2024 (default: the arXiv year)."),
    Field("when", "When does the method prune?", "dropdown", "The survey's When-to-prune axis.", "axes:when", multiple=True, required=True),
    Field("structure", "What does it remove?", "dropdown", "The list's structure types.", "facets:structure", multiple=True, required=True),
    Field("models", "Model family", "dropdown", "The kind of network pruned.", "facets:models", multiple=True, required=True),
    Field("sections", "List section (optional)", "dropdown", "Leave empty: it follows from when and model.", "sections", multiple=True),
    Field("criteria", "Pruning criteria (optional)", "dropdown", "How it scores what to remove.", "axes:criteria", multiple=True),
    Field("learn", "Learn to prune (optional)", "dropdown", "Whether the pruning decisions are learned.", "axes:learn", multiple=True),
    Field("fusion", "Combined with (optional)", "dropdown", "Other compression combined with pruning.", "axes:fusion", multiple=True),
    Field("code", "Code repository (optional)", "input", "e.g. https://github.com/owner/repo"),
    Field("algorithm", "Method name (optional)", "input", "The method's short name, e.g. Wanda."),
    Field("tasks", "Tasks (optional)", "input", "Comma-separated, e.g. Image Classification, Language Modeling."),
)


def _axis_options(axis: Axis) -> list[str]:
    return [f"{vid}{SEPARATOR}{v.label}" if v.label != vid else vid for vid, v in axis.values.items()]


def options(source: str, tax: Taxonomy) -> list[str]:
    kind, _, name = source.partition(":")
    if kind == "axes":
        return _axis_options(tax.axes[name])
    if kind == "facets":
        return _axis_options(tax.facets[name])
    if kind == "venues":
        return ["arXiv", *sorted((v for v in tax.venues if v != "arXiv"), key=str.casefold)]
    if kind == "sections":
        return [f"{s.id}{SEPARATOR}{s.number} {s.title}" for s in tax.sections]
    raise KeyError(source)


def form_data(tax: Taxonomy) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": "Thanks for adding a paper! Fill in what arXiv cannot know; a maintainer labels the issue "
                "`add-paper` and a workflow opens a pull request with the entry (`pruning-catalog from-issue`). "
                "See CONTRIBUTING.md for the other ways to add a paper."
            },
        }
    ]
    for f in FIELDS:
        attributes: dict[str, Any] = {"label": f.label, "description": f.description}
        element: dict[str, Any] = {"type": f.kind, "id": f.id, "attributes": attributes}
        if f.kind == "dropdown":
            attributes["multiple"] = f.multiple
            attributes["options"] = options(f.source, tax)
            if f.id == "venue":
                attributes["default"] = 0
        element["validations"] = {"required": f.required}
        body.append(element)
    return {
        "name": "Add a paper",
        "description": "Propose a pruning paper for the list; a workflow turns this issue into a pull request.",
        "title": "Add paper: ",
        "labels": ["paper-proposal"],
        "body": body,
    }


def form_text(tax: Taxonomy) -> str:
    header = "# Generated by `pruning-catalog schema` from catalog/taxonomy.yaml and catalog/issue_form.py: do not edit by hand.\n"
    return header + yaml.safe_dump(form_data(tax), sort_keys=False, allow_unicode=True, width=10_000)


# -- reading a submitted form ------------------------------------------------------------------


class FormError(ValueError):
    """The issue body cannot be read as this form (not the same as a bad choice, which add reports)."""


_HEADING_RE = re.compile(r"^###\s+(?P<label>.+?)\s*$")


def parse_body(body: str) -> dict[str, str]:
    """Values by field id from the Markdown GitHub renders for a submitted form; empty for no response."""
    by_label = {f.label.casefold(): f.id for f in FIELDS}
    values: dict[str, list[str]] = {}
    current: str | None = None
    for line in body.replace("\r\n", "\n").split("\n"):
        m = _HEADING_RE.match(line)
        if m:
            current = by_label.get(m["label"].casefold())
            if current is not None:
                values[current] = []
            continue
        if current is not None:
            values[current].append(line)
    if not values:
        raise FormError("the issue body has none of the form's headings (### arXiv id or URL, ### Venue, ...): was it written by hand?")
    out = {}
    for key, lines in values.items():
        text = "\n".join(lines).strip()
        out[key] = "" if text == NO_RESPONSE else text
    return out


def _picked(text: str) -> tuple[str, ...]:
    """Dropdown options back to value ids (the part before the separator)."""
    return tuple(dict.fromkeys(p.split(SEPARATOR, 1)[0].strip() for p in text.split(", ") if p.strip()))


def _list(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in re.split(r"[,\n]", text) if p.strip()))


def choices_from_body(body: str) -> tuple[str | None, Choices]:
    """The arXiv id (or None) and the choices of a submitted form."""
    v = parse_body(body)
    year_text = v.get("year", "")
    year: int | None = None
    if year_text:
        m = re.fullmatch(r"\s*((?:19|20)\d{2})\s*", year_text)
        if not m:
            raise FormError(f"Year: {year_text!r} is not a year; write four digits, e.g. 2024")
        year = int(m[1])
    code = v.get("code", "")
    if code and not re.match(r"^https?://\S+$", code):
        raise FormError(f"Code repository: {code!r} is not a link; write the repository's https:// address")
    choices = Choices(
        when=_picked(v.get("when", "")),
        structure=_picked(v.get("structure", "")),
        models=_picked(v.get("models", "")),
        sections=_picked(v.get("sections", "")),
        criteria=_picked(v.get("criteria", "")),
        learn=_picked(v.get("learn", "")),
        fusion=_picked(v.get("fusion", "")),
        code=(code,) if code else (),
        venue=v.get("venue") or None,
        year=year,
        algorithm=v.get("algorithm") or None,
        tasks=_list(v.get("tasks", "")),
        title=v.get("title") or None,
        url=v.get("url") or None,
        authors=_list(v.get("authors", "")),
    )
    return (v.get("arxiv") or None), choices
