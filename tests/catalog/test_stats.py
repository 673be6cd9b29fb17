"""``pruning-catalog stats``: counts per axis and facet, unclassified method papers, authors coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog.commands.stats import compute_stats
from catalog.load import load_catalog
from pruning_catalog.cli import main
from tests.support.catalog_files import raw_yaml, write_raw
from tests.support.catalog_files import write_distinct_paper as paper

PAPERS = Path("papers")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def small_catalog() -> None:
    paper("a", authors=["Ada Lovelace"], tags={"when": ["after-training"], "criteria": ["magnitude"]})
    paper("b", tags={"when": ["after-training"], "criteria": [], "learn": ["sparsity-regularization"]})
    paper("c", tags={"criteria": []}, unclassified_reason="random masks", sections=[])
    paper("d", tags={"criteria": []}, sections=[])
    paper("s", survey=True, tags={"criteria": []}, sections=[])
    paper("t", kind=["theory"], tags={"criteria": []}, sections=["not-yet-placed"])


def test_counts_per_axis_value_and_the_empty_ones():
    small_catalog()
    stats = compute_stats(load_catalog(PAPERS))
    assert stats["papers"] == 6 and stats["surveys"] == 1 and stats["other_kinds"] == 1 and stats["unplaced"] == 1
    assert stats["axes"]["criteria"]["magnitude"] == 1 and stats["axes"]["criteria"]["(none)"] == 5
    assert stats["axes"]["learn"]["sparsity-regularization"] == 1
    assert stats["facets"]["structure"]["W"] == 6
    assert stats["facets"]["kind"] == {"benchmark": 0, "analysis": 0, "theory": 1, "related": 0, "(none)": 5}  # every facet, from the data


def test_unclassified_method_papers_are_listed_with_their_reason():
    small_catalog()
    stats = compute_stats(load_catalog(PAPERS))
    m = stats["method_papers"]
    assert (m["total"], m["with_criteria_or_learn"], m["unclassified"], m["unclassified_with_reason"]) == (4, 2, 2, 1)
    assert stats["unclassified_method_papers"] == [
        {"id": "c", "title": "Paper c", "reason": "random masks"},
        {"id": "d", "title": "Paper d", "reason": None},
    ]


def test_authors_coverage():
    small_catalog()
    assert compute_stats(load_catalog(PAPERS))["authors"] == {"with": 1, "without": 5, "percent": 16.7}


def test_text_and_json_output(capsys):
    small_catalog()
    assert main(["stats"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(
        "6 papers: 4 method papers, 1 surveys, 1 of another kind (analysis, theory, ...: see kind); 1 not yet placed in a section\n"
    )
    assert "method papers: 4; with a criteria or learn value: 2 (50.0%)" in text
    assert "d: NO REASON RECORDED" in text and "c: random masks" in text and "authors: 1 of 6 entries (16.7%)" in text
    assert main(["stats", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["method_papers"]["unclassified"] == 2


def test_an_invalid_catalog_exits_1(capsys):
    write_raw(PAPERS, raw_yaml(id="a", venue="Journal of Nothing"), name="a")
    assert main(["stats"]) == 1
    assert "stats: the catalog has 1 error; fix them first" in capsys.readouterr().err
