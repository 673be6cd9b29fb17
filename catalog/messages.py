"""Error messages that say how to fix the problem, in the contributor's words rather than a library's.

The loader asks this module to word what pydantic and the YAML parser found: a misspelt key gets
"did you mean", a YAML syntax error names its likely cause (an unquoted ``: `` in a title, a
tab, a bad indent, an unclosed quote), a bad date shows the expected form, and no pydantic
phrase ("Input should be a valid dictionary or instance of Tags") reaches the user.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2024-08-01"
# Words contributors reach for instead of the schema's keys.
SYNONYMS = {
    "author": "authors",
    "link": "url",
    "links": "alternate_urls",
    "paper": "url",
    "pdf": "url",
    "arxiv_id": "arxiv",
    "conference": "venue",
    "journal": "venue",
    "date": "added",
    "github": "code",
    "repo": "code",
    "repository": "code",
    "tag": "tags",
    "section": "sections",
    "model": "models",
    "task": "tasks",
    "summary": "abstract",
    "method": "algorithm",
    "type": "structure",
    "note": "review",
    "notes": "review",
}


def known_keys(loc: Sequence[Any]) -> tuple[str, ...]:
    """The keys allowed at the mapping that holds the last part of a pydantic location."""
    parents = [p for p in loc[:-1] if isinstance(p, str) and "[" not in p]
    nested = _nested_keys()
    if parents and parents[-1] in nested:
        return nested[parents[-1]]
    return _paper_keys()


def _paper_keys() -> tuple[str, ...]:
    from catalog.model import paper_model
    from catalog.taxonomy import default_taxonomy

    return tuple(paper_model(default_taxonomy()).model_fields)


def _nested_keys() -> dict[str, tuple[str, ...]]:
    from catalog.model import CodeLink, VenueYear
    from catalog.taxonomy import default_taxonomy

    axes = tuple(default_taxonomy().axes)  # the fields of the tags model are the taxonomy's axes
    return {"tags": axes, "code": tuple(CodeLink.model_fields), "other_venues": tuple(VenueYear.model_fields)}


def did_you_mean(key: str, known: Sequence[str]) -> str | None:
    """The known key ``key`` was most likely meant to be, if any."""
    folded = key.strip().lower().replace("-", "_").replace(" ", "_")
    if folded in known and folded != key:
        return folded
    if folded in SYNONYMS and SYNONYMS[folded] in known:
        return SYNONYMS[folded]
    close = difflib.get_close_matches(folded, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (an empty value)"
    return type(value).__name__


def validation_message(err: Mapping[str, Any]) -> str:
    """One pydantic error in plain words, with what to write instead."""
    kind = str(err.get("type", ""))
    loc = tuple(err.get("loc", ()))
    given = err.get("input")
    ctx = err.get("ctx") or {}
    field = next((str(p) for p in reversed(loc) if isinstance(p, str) and "[" not in p), "")
    msg = str(err.get("msg", ""))
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        guess = did_you_mean(key, known_keys(loc))
        home = next((parent for parent, keys in _nested_keys().items() if key in keys), None) if len(loc) == 1 else None
        if guess:
            hint = f"did you mean `{guess}`?"
        elif home:
            hint = f"`{key}` belongs inside `{home}:`; indent it under that key"
        else:
            hint = f"allowed keys here: {', '.join(known_keys(loc))}"
        return f"unknown key `{key}`: {hint}"
    if kind == "missing":
        return "required field is missing"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{_describe(given)} is not a date: {DATE_HINT}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        example = {"tags": "when: [after-training]", "code": "url: https://github.com/owner/repo", "other_venues": "venue: TPAMI"}.get(
            field, "key: value"
        )
        return (
            f"must be `key: value` lines indented below `{field}:` "
            f"(e.g. `{example}` on the next line, two spaces in), not {_describe(given)}"
        )
    if kind in ("string_type", "str_type"):
        return f"must be text, not {_describe(given)}" + (" (put it in quotes)" if isinstance(given, (int, float, bool)) else "")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        extra = " (remove the quotes)" if isinstance(given, str) and given.strip().isdigit() else ""
        return f"must be a whole number such as 2024, not {_describe(given)}{extra}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, not {_describe(given)}"
    if kind in ("tuple_type", "list_type"):
        return f"must be a list, e.g. [a, b], not {_describe(given)}"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or later, not {given}" if field in ("year",) else f"must be at least {ctx.get('ge')}, not {given}"
    if kind == "less_than_equal":
        return f"must be {ctx.get('le')} or earlier, not {given}" if field in ("year",) else f"must be at most {ctx.get('le')}, not {given}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}, not {_describe(given)}"
    if msg.startswith("Value error, "):
        return msg[len("Value error, ") :]
    # Anything else pydantic says: keep the meaning, drop its class names and phrasing.
    msg = re.sub(r"\s+or instance of \w+", "", msg)
    msg = re.sub(r"^Input should be", "must be", msg)
    msg = re.sub(r"^Input", "the value", msg)
    return msg


def bad_value_message(value: str, exc: Exception) -> str:
    """A scalar the YAML constructor could not build (today: a date that does not exist)."""
    if re.match(r"^\d{4}-\d{1,2}-\d{1,2}", value.strip()):
        return f"{value.strip()!r} is not a date ({exc}): {DATE_HINT}"
    return f"{value.strip()!r} cannot be read ({exc})"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def explain_yaml_error(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line and a fix-it message for a YAML syntax error."""
    mark = exc.problem_mark or exc.context_mark
    at = mark.line if mark else 0
    lines = text.split("\n")
    problem = str(exc.problem or exc.context or "")
    tabs = [i for i, line in enumerate(lines) if "\t" in line[: len(line) - len(line.lstrip(" \t"))] or ("\t" in line and i == at)]
    if tabs and ("\\t" in problem or "cannot start any token" in problem or abs(tabs[0] - at) <= 1 or "expected" in problem):
        return tabs[
            0
        ] + 1, "a tab character is used for indentation: YAML indents with spaces only (two per level); replace the tab with spaces"
    if "quoted scalar" in str(exc.context or "") or ("end of stream" in problem and exc.context_mark is not None):
        opened = exc.context_mark.line + 1 if exc.context_mark else at + 1
        return opened, "a quote opened on this line is never closed: close it (inside '...' write a single quote as '')"
    line = lines[at] if at < len(lines) else ""
    if "mapping values are not allowed" in problem:
        m = re.match(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[\w-]+):\s+(?P<value>.*\S)\s*$", line)
        if m and ": " in m["value"] and not m["value"].startswith(("'", '"')):
            value = m["value"]
            quoted = "'" + value.replace("'", "''") + "'"
            return (
                at + 1,
                f"the value of `{m['key']}` contains ': ', which YAML reads as a new key: "
                f"put the value in quotes, e.g. {m['key']}: {quoted}",
            )
    if any(
        word in problem
        for word in (
            "mapping values are not allowed",
            "did not find expected key",
            "expected <block end>",
            "could not find expected ':'",
            "expected a mapping",
        )
    ):
        # The parser notices a bad indent one line late: point at the line whose indent breaks the pattern.
        suspect = at
        for i in range(min(at, len(lines) - 1), max(-1, at - 3), -1):
            if lines[i].strip() and _indent(lines[i]) % 2:
                suspect = i
                break
        else:
            if at > 0 and lines[at - 1].strip() and _indent(lines[at - 1]) > _indent(line) and not lines[at - 1].rstrip().endswith(":"):
                suspect = at - 1
        return suspect + 1, (
            "the indentation does not match the lines around it: keys of one group start in the same column, "
            "nested keys two spaces further in (as in `tags:` and its `  when:`)"
        )
    return at + 1, f"YAML syntax error: {problem}; check this line's quotes, colons and indentation"
