"""Applying curated facts (``catalog.curation`` / ``scripts/apply_curation.py``) to paper files.

Each test writes a small catalog and a facts file, applies the facts and reads the files back.
The rules: fill what is empty, never overwrite (report instead), fix a title only when the facts
name the old spelling as an alias, move a replaced preprint venue to ``other_venues``, record
provenance in ``curated``, and change nothing on a second run.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from catalog.curation import apply_facts, read_facts
from catalog.load import load_catalog
from tests.support.catalog_files import write_distinct_paper

PAPERS = Path("papers")
TODAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def paper(pid: str, **overrides: Any) -> Path:
    """A distinct valid paper outside the list sections (so its axes may be empty)."""
    return write_distinct_paper(pid, **{"sections": [], **overrides})


def facts(*records: dict[str, Any]) -> Path:
    path = Path("facts.jsonl")
    path.write_text("# comment lines and blank lines are skipped\n\n" + "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def fact(**overrides: Any) -> dict[str, Any]:
    record = {
        "title": "Paper p1",
        "arxiv": None,
        "authors": ["Ada Lovelace", "Alan Turing"],
        "kind": "method",
        "when": ["after-training"],
        "speedup": ["unstructured"],
        "criteria": ["magnitude"],
        "learn": [],
        "fusion": [],
        "evidence": ["https://example.org/abs/p1"],
        "confidence": "high",
    }
    record.update(overrides)
    return record


def apply(*records: dict[str, Any]):
    return apply_facts(PAPERS, read_facts(facts(*records)), today=TODAY)


def entry(pid: str = "p1") -> dict[str, Any]:
    return yaml.safe_load((PAPERS / f"{pid}.yaml").read_text(encoding="utf-8"))


def test_empty_values_are_filled_and_provenance_recorded():
    paper("p1", tags={"when": [], "criteria": []})
    report = apply(fact())
    data = entry()
    assert data["authors"] == ["Ada Lovelace", "Alan Turing"]
    assert data["tags"]["criteria"] == ["magnitude"] and data["tags"]["when"] == ["after-training"]
    assert data["curated"]["date"] == TODAY
    assert set(data["curated"]["axes"]) >= {"authors", "criteria", "learn", "fusion", "when"}
    assert data["curated"]["source"] == ["https://example.org/abs/p1"]
    assert report.written == ["p1"] and not report.unmatched_papers
    load_catalog(PAPERS)  # still valid


def test_existing_values_are_never_overwritten_but_reported():
    paper("p1", authors=["Someone Else"], tags={"when": ["after-training"], "criteria": ["loss-change"]})
    report = apply(fact())
    data = entry()
    assert data["authors"] == ["Someone Else"] and data["tags"]["criteria"] == ["loss-change"]
    text = " ".join(d for c in report.changes for d in c.disagreements)
    assert "authors differ" in text and "criteria" in text


def test_a_finer_value_in_the_facts_is_added_next_to_its_parent():
    # post-training is a child of after-training: the two agree, the entry gains the finer value.
    paper("p1", tags={"when": ["after-training"], "criteria": []})
    report = apply(fact(when=["post-training"]))
    assert entry()["tags"]["when"] == ["after-training", "post-training"]
    assert not [d for c in report.changes for d in c.disagreements]
    assert apply(fact(when=["post-training"])).written == []  # and a second run is a no-op


def test_a_coarser_or_unrelated_value_in_the_facts_is_still_a_disagreement():
    paper("p1", tags={"when": ["after-training", "post-training"], "criteria": []})
    paper("p2", tags={"when": ["after-training"], "criteria": []})
    report = apply(fact(when=["after-training"]), fact(title="Paper p2", when=["before-training"]))
    assert entry("p1")["tags"]["when"] == ["after-training", "post-training"]
    assert entry("p2")["tags"]["when"] == ["after-training"]
    text = " ".join(d for c in report.changes for d in c.disagreements)
    assert "before-training" in text and "post-training" in text


def test_a_second_run_changes_nothing():
    paper("p1", tags={"when": [], "criteria": []})
    apply(fact())
    before = (PAPERS / "p1.yaml").read_bytes()
    report = apply_facts(PAPERS, read_facts(Path("facts.jsonl")), today=TODAY + dt.timedelta(days=3))
    assert report.written == [] and (PAPERS / "p1.yaml").read_bytes() == before


def test_matching_by_arxiv_id_needs_agreeing_titles():
    # A link copied from another paper must not pull that paper's facts in.
    paper("p1", title="Dreaming to Prune Image Deraining Networks", url="https://arxiv.org/abs/2105.14713", tags={"criteria": []})
    paper("p2", title="1xN Pattern for Pruning Convolutional Neural Networks", url="https://example.org/1xn", tags={"criteria": []})
    report = apply(fact(title="1xN Pattern for Pruning Convolutional Neural Networks", arxiv="2105.14713", criteria=["lp-norm"]))
    assert entry("p1")["tags"]["criteria"] == [] and entry("p2")["tags"]["criteria"] == ["lp-norm"]
    assert report.unmatched_papers == ["p1"]


def test_a_title_typo_named_as_alias_is_fixed_and_kept_as_alias():
    paper("p1", title="Trainability Preserving Nueral Structured Pruning")
    apply(fact(title="Trainability Preserving Neural Pruning", aliases=["Trainability Preserving Nueral Structured Pruning"]))
    data = entry()
    assert data["title"] == "Trainability Preserving Neural Pruning"
    assert data["title_aliases"] == ["Trainability Preserving Nueral Structured Pruning"]
    assert "title" in data["curated"]["axes"]


def test_a_title_is_not_corrected_to_the_title_of_another_entry():
    # Two entries for one paper (a list's old title, and the real one): the fix would make a duplicate.
    paper("p1", title="Paper p1 old name")
    paper("p2", title="Paper p1")
    report = apply(fact(aliases=["Paper p1 old name"]))
    assert entry("p1")["title"] == "Paper p1 old name" and entry("p2")["title"] == "Paper p1"
    assert "same paper twice" in " ".join(d for c in report.changes for d in c.disagreements)
    load_catalog(PAPERS)


def test_an_entry_matched_by_title_with_another_arxiv_id_is_reported():
    paper("p1", url="https://arxiv.org/abs/2306.02924", tags={"when": [], "criteria": []})
    report = apply(fact(arxiv="2310.06927"))
    assert "arXiv id: entry 2306.02924 vs facts 2310.06927" in " ".join(d for c in report.changes for d in c.disagreements)


def test_a_preprint_venue_replaced_by_the_publication_is_kept_in_other_venues():
    paper("p1", venue="arXiv", year=2023)
    apply(fact(venue="NeurIPS", year=2023))
    data = entry()
    assert (data["venue"], data["year"]) == ("NeurIPS", 2023)
    assert data["other_venues"] == [{"venue": "arXiv", "year": 2023}]


def test_venue_changes_need_high_confidence_and_a_known_venue():
    paper("p1", venue="ICML", year=2021)
    report = apply(fact(venue="NeurIPS", year=2020, confidence="medium"))
    assert (entry()["venue"], entry()["year"]) == ("ICML", 2021)
    paper("p2", venue="ICML", year=2021)
    report = apply(fact(title="Paper p2", venue="Some Workshop Nobody Knows", year=2021))
    assert any("not in the taxonomy" in d for c in report.changes for d in c.disagreements)


def test_a_confirmed_year_before_the_arxiv_id_is_kept_and_silences_the_warning():
    paper("p1", url="https://arxiv.org/abs/2205.11141", venue="AAAI", year=2022)
    apply(fact(arxiv="2205.11141", venue="AAAI", year=2021))
    assert entry()["year"] == 2021 and "year" in entry()["curated"]["axes"]
    assert not [w for w in load_catalog(PAPERS).warnings if w.field == "year"]


def test_unclassified_method_papers_get_the_reason():
    paper("p1", tags={"criteria": [], "learn": []})
    paper("p2", tags={"criteria": [], "learn": []})
    apply(
        fact(criteria=[], unclassified_reason="random masks"),
        fact(title="Paper p2", kind="analysis", criteria=[]),
    )
    assert entry("p1")["unclassified_reason"] == "random masks"
    assert entry("p2")["unclassified_reason"] == "analysis paper"


def test_a_placeholder_reason_gives_way_to_the_reason_of_a_record_that_was_read():
    paper("p1", tags={"when": [], "criteria": []}, unclassified_reason="not classified: no abstract read")
    paper("p2", tags={"when": [], "criteria": []}, unclassified_reason="random masks")
    apply(
        fact(criteria=[], unclassified_reason="distillation-based recovery; criterion not named"),
        fact(title="Paper p2", criteria=[], unclassified_reason="x"),
    )
    assert entry("p1")["unclassified_reason"] == "distillation-based recovery; criterion not named"
    assert entry("p2")["unclassified_reason"] == "random masks"  # a curator's reason stays


def test_list_only_records_give_authors_but_no_tags():
    paper("p1", tags={"criteria": []})
    apply(fact(kind=None, criteria=["magnitude"], evidence=["https://github.com/example/list"]))
    data = entry()
    assert data["authors"] and data["tags"]["criteria"] == [] and data["curated"]["axes"] == ["authors"]


def test_a_partial_author_list_is_not_applied_but_reported():
    paper("p1")
    report = apply(fact(authors=["A. First", "B. Second"], authors_partial=True))
    assert "authors" not in entry() or not entry()["authors"]
    assert any("partial author list" in d for c in report.changes for d in c.disagreements)


def test_entries_and_records_without_a_counterpart_are_tolerated():
    paper("p1")
    report = apply(fact(title="A Paper Not In The Catalog", arxiv="2401.00001"))
    assert report.unmatched_papers == ["p1"] and report.unused_facts == [3]
    assert report.written == []


def test_the_script_runs_as_a_command(capsys):
    import runpy
    import sys

    paper("p1", tags={"criteria": []})
    facts(fact())
    script = Path(__file__).resolve().parents[2] / "scripts" / "apply_curation.py"
    argv = sys.argv
    sys.argv = [str(script), "facts.jsonl", "--papers", "papers", "--date", "2026-12-02", "--report", "report.json"]
    try:
        with pytest.raises(SystemExit) as done:
            runpy.run_path(str(script), run_name="__main__")
    finally:
        sys.argv = argv
    assert done.value.code == 0
    assert "1 matched a fact" in capsys.readouterr().out
    assert json.loads(Path("report.json").read_text())["written"] == ["p1"]
