"""The taxonomy data file: it loads, it is consistent, and extending it needs no code change.

``catalog/taxonomy.yaml`` is the one place that knows axis values, venues and list sections.
These tests check its internal references (section implications, structure speedups, parents)
and prove that adding a value is a data-only change: a modified copy of the file, pointed to
through ``catalog.taxonomy.TAXONOMY_FILE``, makes the new value valid for the paper model.
"""

from __future__ import annotations

import copy
import dataclasses
import re

import pytest
import yaml
from pydantic import ValidationError

import catalog.taxonomy as taxonomy_module
from catalog.taxonomy import TAXONOMY_FILE, Taxonomy, get_taxonomy, parse_taxonomy
from tests.support.factory import make_paper

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def tax() -> Taxonomy:
    return get_taxonomy()


def test_the_data_file_loads_once_into_a_frozen_taxonomy(tax):
    assert isinstance(tax, Taxonomy)
    assert get_taxonomy() is tax
    with pytest.raises(dataclasses.FrozenInstanceError):
        tax.sections = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        tax.axes["extra"] = tax.axes["when"]  # type: ignore[index]


def test_the_five_axes_and_the_facets(tax):
    assert tuple(tax.axes) == ("speedup", "when", "criteria", "learn", "fusion")
    assert tuple(tax.facets) == ("structure", "models", "settings", "applications", "kind")


def test_every_value_has_a_label_and_every_axis_a_description(tax):
    for axis in [*tax.axes.values(), *tax.facets.values()]:
        assert axis.label and axis.description, axis.id
        for value in axis.values.values():
            assert value.label, f"{axis.id}.{value.id}"


def test_value_ids_are_url_safe_slugs(tax):
    """Value ids appear in paper files and in shareable explorer URLs."""
    for axis in [*tax.axes.values(), *(f for f in tax.facets.values() if f.id != "structure")]:
        for vid in axis.values:
            assert SLUG_RE.match(vid), f"{axis.id}.{vid}"


def test_sections_have_unique_ids_and_numbers(tax):
    ids = [s.id for s in tax.sections]
    numbers = [s.number for s in tax.sections]
    assert len(ids) == len(set(ids))
    assert len(numbers) == len(set(numbers))
    assert all(SLUG_RE.match(i) for i in ids)


def test_every_section_implication_names_an_existing_axis_or_facet_and_values(tax):
    for section in tax.sections:
        for key, required in section.implies.items():
            if key == "survey":
                assert isinstance(required, bool), section.id
                continue
            spec = tax.axes.get(key) or tax.facets.get(key)
            assert spec is not None, f"{section.id}: unknown axis or facet {key!r}"
            assert required and all(v in spec.values for v in required), f"{section.id}: {key}: {required}"


def test_year_split_sections_have_a_year_title(tax):
    for section in tax.sections:
        if section.by_year:
            assert section.year_title, section.id
        assert section.year_floor is None or isinstance(section.year_floor, int)


def test_every_structure_code_maps_to_a_valid_speedup(tax):
    speedups = tax.axes["speedup"].values
    for code, value in tax.facets["structure"].values.items():
        implied = value.implies.get("speedup")
        assert implied is None or implied in speedups, code


def test_the_structure_codes_of_the_list_map_as_the_issue_says(tax):
    assert tax.axes["speedup"].derived_from == "structure"
    mapping = {code: v.implies.get("speedup") for code, v in tax.facets["structure"].values.items()}
    assert mapping["W"] == "unstructured"
    assert mapping["N:M"] == "semi-structured"
    assert {mapping[c] for c in "LFCNHBME"} == {"structured"}
    assert tax.derived("speedup", ["C", "W", "W"]) == ("unstructured", "structured")


def test_parents_exist_on_the_same_axis(tax):
    for axis in [*tax.axes.values(), *tax.facets.values()]:
        for value in axis.values.values():
            assert value.parent is None or value.parent in axis.values, f"{axis.id}.{value.id}"
    assert tax.axes["when"].values["post-training"].parent == "after-training"
    assert tax.axes["when"].values["early-training"].parent == "during-training"
    assert tax.axes["when"].with_ancestors(["post-training"]) == ("after-training", "post-training")


def test_an_unknown_parent_is_refused(raw):
    broken = copy.deepcopy(raw)
    broken["axes"]["when"]["values"]["post-training"]["parent"] = "after-lunch"
    with pytest.raises(ValueError, match="when.post-training: unknown parent 'after-lunch'"):
        parse_taxonomy(broken)


def test_no_alias_names_two_venues(raw):
    seen: dict[str, str] = {}
    for name, spec in raw["venues"].items():
        for alias in [name, *spec.get("aliases", [])]:
            key = " ".join(alias.split()).casefold()
            assert seen.setdefault(key, name) == name, f"{alias!r} names both {seen[key]} and {name}"


def test_no_alias_names_two_awards_or_frameworks(raw):
    for group in ("awards", "frameworks"):
        seen: dict[str, str] = {}
        for name, aliases in raw[group].items():
            for alias in [name, *aliases]:
                assert seen.setdefault(alias.casefold(), name) == name, f"{group}: {alias!r}"


def test_lookups_fold_case_and_spacing(tax):
    assert tax.canonical_venue("  nips ") == "NeurIPS"
    assert tax.canonical_venue("Nature   Communication") == "Nature Communications"
    assert tax.canonical_venue("ICLR (Top 5%)") is None
    assert tax.canonical_award("TOP-5%") == "Top 5%"
    assert tax.canonical_framework("TensorFLow") == "TensorFlow"


# -- adding a value is data-only --------------------------------------------------------------


def test_parse_taxonomy_takes_a_new_value_from_data_alone(raw):
    extended = copy.deepcopy(raw)
    extended["facets"]["models"]["values"]["rnn"] = {"label": "RNNs"}
    extended["axes"]["criteria"]["values"]["hessian"] = {"label": "Hessian", "parent": "sensitivity-saliency"}
    tax = parse_taxonomy(extended)
    assert "rnn" in tax.facets["models"].ids()
    assert tax.axes["criteria"].with_ancestors(["hessian"]) == ("sensitivity-saliency", "hessian")


@pytest.fixture
def extended_taxonomy(raw, tmp_path, monkeypatch):
    """Point the process at a copy of the data file with one more model family, venue and section.

    ``get_taxonomy`` is cached per process, so the cache is cleared on the way in and, after the
    original file is restored, on the way out.
    """
    extended = copy.deepcopy(raw)
    extended["facets"]["models"]["values"]["rnn"] = {"label": "RNNs"}
    extended["venues"]["INTERSPEECH"] = {"kind": "conference", "aliases": ["Interspeech"]}
    extended["sections"].append(
        {
            "id": "after-training-rnn",
            "number": "1.1.3.9",
            "title": "Pruning RNNs",
            "implies": {"when": ["after-training"], "models": ["rnn"]},
            "columns": ["no", "title"],
        }
    )
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(extended, sort_keys=False, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(taxonomy_module, "TAXONOMY_FILE", path)
    get_taxonomy.cache_clear()
    yield get_taxonomy()
    monkeypatch.undo()
    get_taxonomy.cache_clear()


def test_a_value_added_to_the_data_file_is_valid_for_the_model_without_code_changes(extended_taxonomy):
    paper = make_paper(models=["rnn"], venue="interspeech", sections=["after-training-rnn"])
    assert (paper.models, paper.venue, paper.sections) == (("rnn",), "INTERSPEECH", ("after-training-rnn",))


def test_without_the_data_change_the_value_is_rejected():
    assert "rnn" not in get_taxonomy().facets["models"].values
    with pytest.raises(ValidationError, match="unknown models value"):
        make_paper(models=["rnn"])


def test_an_id_used_twice_or_taking_a_paper_field_name_is_refused(raw):
    from catalog.model import paper_model

    twice = copy.deepcopy(raw)
    twice["facets"]["when"] = {"label": "When again", "values": {"x": {}}}
    with pytest.raises(ValueError, match="when: an axis or facet id must be unique"):
        parse_taxonomy(twice)
    field = copy.deepcopy(raw)
    field["facets"]["venue"] = {"label": "Venue", "values": {"x": {}}}
    with pytest.raises(ValueError, match="venue: an axis or facet must not take the name of a paper field"):
        paper_model(parse_taxonomy(field))


def test_presentation_flags_come_from_the_data_file(tax):
    assert [a.id for a in tax.with_flag("readme")] == ["speedup", "when", "criteria", "learn", "fusion"]
    assert [a.id for a in tax.with_flag("page")] == [*tax.axes, *tax.facets]
    assert [a.id for a in tax.exported_to("csv")] == [*tax.facets, *tax.axes]
    assert (tax.roles.type_column, tax.roles.stage) == ("structure", "when")
    assert (tax.roles.unplaced_section, tax.roles.non_method_section) == ("not-yet-placed", "other-works")


def test_a_role_naming_no_section_is_refused(raw):
    broken = copy.deepcopy(raw)
    broken["roles"]["unplaced_section"] = "limbo"
    with pytest.raises(ValueError, match="roles.unplaced_section: 'limbo' is not a section id"):
        parse_taxonomy(broken)


def test_an_unknown_presentation_key_is_refused(raw):
    broken = copy.deepcopy(raw)
    broken["facets"]["models"]["pages"] = True
    with pytest.raises(ValueError, match="models: unknown key"):
        parse_taxonomy(broken)
