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
    """A distinct valid paper filed by hand in a section that implies nothing (so its axes may be empty)."""
    return write_distinct_paper(pid, **{"sections": ["other-works"], **overrides})


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
    assert entry("p2")["kind"] == ["analysis"] and "unclassified_reason" not in entry("p2")  # not a method paper


def test_an_unfiled_entry_is_filed_where_its_new_tags_place_it():
    paper("p1", sections=["not-yet-placed"], models=["llm"], tags={"when": []})
    paper("p2", sections=["not-yet-placed"], models=["llm"], tags={"when": []})
    paper("p3", sections=["not-yet-placed"], tags={"when": []})
    paper("p4", sections=["other-works"], models=["llm"], tags={"when": []})
    apply(
        fact(when=["after-training"]),
        fact(title="Paper p2", when=["post-training"]),
        fact(title="Paper p3", kind="theory", when=[]),
        fact(title="Paper p4", when=["after-training"]),
    )
    assert entry("p1")["sections"] == ["after-training-llm"]
    assert entry("p2")["sections"] == ["post-training"]  # the stored value, not also its parent
    assert entry("p3")["sections"] == ["other-works"] and entry("p3")["kind"] == ["theory"]
    assert entry("p4")["sections"] == ["other-works"]  # filed by hand: never moved


def test_structure_and_models_are_filled_when_empty_and_reported_when_they_differ():
    paper("p1", structure=[], models=[], tags={"speedup": []})
    paper("p2", structure=["F"], models=["cnn"])
    report = apply(
        fact(structure=["W"], models=["llm"]),
        fact(title="Paper p2", structure=["C"], models=["cnn"], speedup=[]),
    )
    assert entry("p1")["structure"] == ["W"] and entry("p1")["models"] == ["llm"]
    assert entry("p2")["structure"] == ["F"]
    assert any("structure: entry ['F'] vs facts ['C']" in d for c in report.changes for d in c.disagreements)


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
    assert report.written == ["p1"] and entry("p1")["title"] == "Paper p1"  # only put in canonical form (schema line)
    assert apply(fact(title="A Paper Not In The Catalog", arxiv="2401.00001")).written == []


def test_the_script_runs_as_a_command(capsys):
    paper("p1", tags={"criteria": []})
    facts(fact())
    assert run_script("facts.jsonl", "--papers", "papers", "--date", "2026-12-02", "--report", "report.json") == 0
    assert "1 matched a fact" in capsys.readouterr().out
    assert json.loads(Path("report.json").read_text())["written"] == ["p1"]


def run_script(*args: str) -> int:
    import runpy
    import sys

    script = Path(__file__).resolve().parents[2] / "scripts" / "apply_curation.py"
    argv = sys.argv
    sys.argv = [str(script), *args]
    try:
        with pytest.raises(SystemExit) as done:
            runpy.run_path(str(script), run_name="__main__")
    finally:
        sys.argv = argv
    return int(done.value.code)


def test_the_script_lists_each_disagreement_on_request(capsys):
    paper("p1", tags={"criteria": ["lp-norm"]})
    facts(fact())
    assert run_script("facts.jsonl", "--date", "2026-12-02", "--disagreements") == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["p1: criteria: entry ['lp-norm'] vs facts ['magnitude']"]


def test_a_broken_facts_line_is_named_and_nothing_is_written(capsys):
    path = paper("p1", tags={"criteria": []})
    before = path.read_bytes()
    Path("facts.jsonl").write_text(json.dumps(fact()) + "\n{\"title\": \"Paper p1\",\n", encoding="utf-8")
    assert run_script("facts.jsonl", "--date", "2026-12-02") == 2
    err = capsys.readouterr().err
    assert err.startswith("apply_curation: error: facts.jsonl:2: not valid JSON (") and "one record per line" in err
    Path("facts.jsonl").write_text("[1, 2]\n", encoding="utf-8")
    assert run_script("facts.jsonl") == 2
    assert "facts.jsonl:1: a record must be a JSON object, not list" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_a_settled_kind_replaces_the_entrys_and_method_clears_it():
    paper("p1", kind=["analysis"], tags={"criteria": []})
    paper("p2", kind=["analysis"], tags={"criteria": []})
    paper("p3", kind=["analysis"], tags={"criteria": []})
    report = apply(
        fact(kind="method", settled=["kind"]),
        fact(title="Paper p2", kind="theory", settled=["kind"], criteria=[]),
        fact(title="Paper p3", kind="method", criteria=[]),
    )
    assert "kind" not in entry("p1") and entry("p1")["tags"]["criteria"] == ["magnitude"]
    assert entry("p2")["kind"] == ["theory"]
    assert entry("p3")["kind"] == ["analysis"]  # not settled: left as it is, and reported
    assert report.disagreement_lines() == ["p3: kind: entry ['analysis'] vs facts 'method'"]


def test_a_paper_file_that_does_not_load_is_named_and_nothing_is_written(capsys):
    good = paper("p1", tags={"criteria": []})
    before = good.read_bytes()
    Path("papers/broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    facts(fact())
    assert run_script("facts.jsonl", "--date", "2026-12-02") == 1
    err = capsys.readouterr().err
    assert "papers/broken.yaml:" in err and "1 paper files do not load; fix them first (nothing written)" in err
    assert good.read_bytes() == before
