"""Filing an entry nobody placed by hand: the sections follow from its stage and model family.

The rule is read from the taxonomy's sections alone (what each implies), so these tests use the
real taxonomy and name the sections a reader sees in the README.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from catalog.model import Paper
from catalog.placement import needs_placing, placed_sections, stage_sections
from catalog.taxonomy import default_taxonomy


@pytest.fixture(scope="module")
def tax():
    return default_taxonomy()


def entry(**fields: Any) -> Paper:
    data: dict[str, Any] = {
        "id": "p", "title": "P", "url": "https://example.org/p", "venue": "ICML", "year": 2024,
        "sections": ["not-yet-placed"], "tags": {"when": []}, "added": dt.date(2026, 12, 2),
    }  # fmt: skip
    data.update(fields)
    return Paper.model_validate(data)


@pytest.mark.parametrize(
    ("when", "models", "expected"),
    [
        (["after-training"], ["llm"], ("after-training-llm",)),
        (["after-training"], ["cnn", "vit"], ("after-training-cnn", "after-training-vit")),
        (["after-training"], ["ssm"], ("after-training-other",)),  # no section of its own: "Pruning Other Models"
        (["before-training"], ["llm"], ("before-training-other",)),
        (["during-training"], [], ()),  # "other models" needs a known model family
        (["post-training"], ["llm"], ("post-training",)),  # a stage section that names no model family
        (["post-training"], [], ("post-training",)),
        (["run-time"], ["cnn"], ("dynamic",)),
        (["early-training", "after-training"], ["bert"], ("after-training-bert", "early-training")),
        ([], ["cnn"], ()),
    ],
)
def test_stage_and_model_family_name_the_sections(tax, when, models, expected):
    assert stage_sections({"when": when, "models": models}, tax) == expected


def test_a_paper_with_a_stage_goes_to_its_stage_sections(tax):
    paper = entry(models=["llm"], tags={"when": ["after-training", "post-training"]})
    assert placed_sections(paper, tax) == ("after-training-llm", "post-training")


def test_a_refinement_does_not_also_file_the_paper_under_its_parent(tax):
    assert placed_sections(entry(models=["llm"], tags={"when": ["post-training"]}), tax) == ("post-training",)


def test_without_a_stage_a_non_method_paper_goes_to_other_works_and_a_method_paper_waits(tax):
    assert placed_sections(entry(kind=["analysis"]), tax) == ("other-works",)
    assert placed_sections(entry(models=["cnn"]), tax) == ("not-yet-placed",)


def test_only_entries_nobody_filed_are_placed(tax):
    assert needs_placing(entry(), tax) and needs_placing(entry(sections=[]), tax)
    filed = entry(sections=["after-training-cnn"], models=["cnn"], tags={"when": ["after-training"]})
    assert not needs_placing(filed, tax)
