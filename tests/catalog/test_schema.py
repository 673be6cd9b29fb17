"""The editor schema: generated from model and taxonomy, committed fresh, and rejecting what the model rejects."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from catalog.canonical import SCHEMA_LINE, SCHEMA_PATH
from catalog.issue_form import FORM_PATH, form_text
from catalog.model import Paper
from catalog.schema import build_schema, schema_text
from catalog.taxonomy import default_taxonomy
from tests.support.factory import paper_data

REPO = Path(__file__).resolve().parents[2]


def as_json(data: dict[str, Any]) -> Any:
    """What an editor sees: YAML dates are strings to a JSON Schema validator."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = build_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_committed_schema_and_issue_form_are_fresh() -> None:
    fix = "run 'pruning-catalog schema' and commit the result"
    assert (REPO / SCHEMA_PATH).read_text(encoding="utf-8") == schema_text(), fix
    assert (REPO / FORM_PATH).read_text(encoding="utf-8") == form_text(default_taxonomy()), fix


def test_every_entry_points_at_the_schema_and_validates_against_it(validator) -> None:
    files = sorted((REPO / "papers").glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(SCHEMA_LINE), f"{path.name}: run 'pruning-catalog fmt'"
        assert (path.parent / SCHEMA_LINE.split("$schema=")[1].strip()).resolve() == (REPO / SCHEMA_PATH).resolve()
        errors = list(validator.iter_errors(as_json(yaml.safe_load(text))))
        assert not errors, f"{path.name}: {errors[0].message}"


def test_vocabularies_are_enums_from_the_taxonomy() -> None:
    schema = build_schema()
    tax = default_taxonomy()
    props = schema["properties"]
    assert props["sections"]["items"]["enum"] == list(tax.section_ids)
    assert props["structure"]["items"]["enum"] == list(tax.facets["structure"].ids())
    assert props["models"]["items"]["enum"] == list(tax.facets["models"].ids())
    assert schema["$defs"]["Tags"]["properties"]["when"]["items"]["enum"] == list(tax.axes["when"].ids())
    assert set(props["venue"]["enum"]) == set(tax.venues)
    assert schema["additionalProperties"] is False


BAD = {
    "misspelt key": {"algoritm": "X"},
    "unknown tag": {"tags": {"when": ["after-trainin"]}},
    "unknown axis": {"tags": {"whenn": ["after-training"]}},
    "tags as a list": {"tags": ["after-training"]},
    "unknown section": {"sections": ["llm"]},
    "unknown structure": {"structure": ["X"]},
    "unknown model": {"models": ["gpt"]},
    "venue with year": {"venue": "ICLR 2024"},
    "unknown framework": {"code": [{"url": "https://github.com/a/b", "framework": "Theano"}]},
    "bad code status": {"code": [{"url": "https://github.com/a/b", "status": "gone"}]},
    "code as text": {"code": "https://github.com/a/b"},
    "non-http url": {"url": "ftp://example.org/paper.pdf"},
    "id not a slug": {"id": "Sample Paper"},
    "year as text": {"year": "2023"},
    "year too early": {"year": 1900},
    "bad date": {"added": "01/08/2024"},
    "empty title": {"title": ""},
    "malformed arxiv": {"arxiv": "2301.1"},
    "pioneer as text": {"pioneer": "yes"},
    "missing title": {"title": None},
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_the_schema_rejects_what_the_model_rejects(validator, case) -> None:
    data = copy.deepcopy(paper_data())
    data.update(BAD[case])
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(ValidationError):
        Paper.model_validate(data)
    assert list(validator.iter_errors(as_json(data))), f"the schema accepts {case!r}"


def test_the_schema_command_writes_and_checks(tmp_path, capsys) -> None:
    from pruning_catalog.cli import main

    out, form = tmp_path / "s.json", tmp_path / "form.yml"
    assert main(["schema", "--output", str(out), "--issue-form", str(form), "--check"]) == 1
    assert main(["schema", "--output", str(out), "--issue-form", str(form)]) == 0
    assert main(["schema", "--output", str(out), "--issue-form", str(form), "--check"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["$schema"].startswith("https://json-schema.org/draft/2020-12")
