"""Merging lists into a catalog: match by identifiers and titles, add facts, never overwrite, account for every row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog.load import load_catalog
from pruning_catalog.cli import main
from tests.support.factory import write_paper

# A list in he-y's layout. Each row tests one matching rule against the catalog written below.
LIST = (Path(__file__).with_name("fixtures") / "other-list.md").read_text(encoding="utf-8")


def catalog_dir(tmp_path: Path) -> Path:
    papers = tmp_path / "papers"
    common = {"structure": ["W"], "models": ["cnn"], "tags": {"when": ["after-training"]}, "sections": ["after-training-cnn"]}
    write_paper(
        papers,
        **{
            **common,
            "id": "sparsegpt",
            "title": "SparseGPT: Massive Language Models Can be Accurately Pruned in One-Shot",
            "url": "https://arxiv.org/abs/2301.00774",
            "venue": "NeurIPS",
            "year": 2023,
            "code": [],
            "algorithm": "SparseGPT",
        },
    )
    write_paper(
        papers,
        **{
            **common,
            "id": "trainability",
            "title": "Trainability Preserving Nueral Structured Pruning",
            "url": "https://openreview.net/forum?id=AZFvpnnewr",
            "venue": "ICLR",
            "year": 2023,
            "code": [],
        },
    )
    write_paper(
        papers,
        **{
            **common,
            "id": "journal",
            "title": "A Journal Paper on Pruning",
            "url": "https://ieeexplore.ieee.org/document/10330640",
            "alternate_urls": ["https://doi.org/10.1109/tpami.2023.3334614"],
            "venue": "TPAMI",
            "year": 2023,
            "code": [],
        },
    )
    write_paper(
        papers,
        **{
            **common,
            "id": "prunining",
            "title": "Prunining Neural Networks at Initialization: Why are We Missing the Mark?",
            "url": "https://arxiv.org/abs/2009.08576",
            "venue": "ICLR",
            "year": 2021,
            "code": [],
        },
    )
    # Two catalog entries share 1906.02773 (one link is wrong): that id is never a match key.
    for pid, title in (
        ("long-live", "Long Live the Lottery: The Existence of Winning Tickets"),
        ("one-ticket", "One Ticket to Win Them All"),
    ):
        write_paper(
            papers,
            **{
                **common,
                "id": pid,
                "title": title,
                "url": "https://arxiv.org/abs/1906.02773",
                "venue": "ICLR",
                "year": 2020,
                "code": [],
                "review": "Two entries share this arXiv link.",
            },
        )
    return papers


def merge(tmp_path: Path, papers: Path, *extra: str, text: str = LIST) -> int:
    source = tmp_path / "other.md"
    source.write_text(text, encoding="utf-8")
    return main(
        ["merge", f"other={source}", "--papers", str(papers), "--added", "2026-12-02", "--report-dir", str(tmp_path / "reports"), *extra]
    )


def test_papers_are_matched_by_identifier_and_title_and_new_ones_added(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    papers = catalog_dir(tmp_path)
    assert merge(tmp_path, papers) == 0
    assert "6 rows, 6 papers: 5 merged into existing entries, 1 new" in capsys.readouterr().out
    report = json.loads((tmp_path / "reports" / "other-report.json").read_text())
    how = {r["title"][:20]: (r["action"], r["entry"], r["matched_by"]) for r in report["rows"]}
    assert how["SparseGPT: Massive L"] == ("merged", "sparsegpt", "arxiv")  # v3 matches the unversioned id
    assert how["Trainability Preserv"] == ("merged", "trainability", "openreview")
    assert how["Journal Paper On Pru"] == ("merged", "journal", "doi")
    assert how["Pruning Neural Netwo"] == ("merged", "prunining", "near title")
    assert how["Long Live the Lottery"[:20]] == ("merged", "long-live", "title")  # by title: the shared id is no key
    assert how["A Brand New Pruning "][0] == "new"
    catalog = load_catalog(papers)
    assert len(catalog) == 7


def test_existing_entries_gain_facts_but_keep_their_values_and_conflicts_are_listed(tmp_path: Path) -> None:
    papers = catalog_dir(tmp_path)
    assert merge(tmp_path, papers) == 0
    catalog = load_catalog(papers)
    sparsegpt = catalog.get("sparsegpt")
    assert sparsegpt is not None
    assert (sparsegpt.venue, sparsegpt.title) == ("NeurIPS", "SparseGPT: Massive Language Models Can be Accurately Pruned in One-Shot")
    assert [c.url for c in sparsegpt.code] == ["https://github.com/IST-DASLab/sparsegpt"]  # filled: the entry had none
    assert sparsegpt.sources[0].list == "other" and sparsegpt.sources[0].venue == "ICML"  # what the list says where it differs
    report = json.loads((tmp_path / "reports" / "other-report.json").read_text())
    assert "sparsegpt: venue NeurIPS (kept) vs ICML (other)" in report["conflicts"]
    assert "precedence" in report and "keeps its values" in report["precedence"]
    # A near-identical title is merged, but never silently: flagged in the report and on the entry.
    prunining = catalog.get("prunining")
    assert prunining is not None and prunining.review and "nearly identical title" in prunining.review
    assert any("prunining" in f for f in report["flags"])
    new = next(p for p in catalog.papers if p.title == "A Brand New Pruning Paper")
    assert new.sections == ("not-yet-placed",) and str(new.added) == "2026-12-02" and new.sources[0].list == "other"


def test_a_re_import_updates_only_what_the_list_owns(tmp_path: Path) -> None:
    papers = catalog_dir(tmp_path)
    assert merge(tmp_path, papers) == 0
    before = {p.name: p.read_text() for p in papers.glob("*.yaml")}
    assert merge(tmp_path, papers) == 0
    assert {p.name: p.read_text() for p in papers.glob("*.yaml")} == before  # idempotent
    changed = LIST.replace("| ICML | `W` |", "| ICML **(Oral)** | `W` |")
    assert merge(tmp_path, papers, text=changed) == 0
    sparsegpt = load_catalog(papers).get("sparsegpt")
    assert sparsegpt is not None and len(sparsegpt.sources) == 1  # the list's record replaced, not added twice
    assert sparsegpt.venue == "NeurIPS" and sparsegpt.award is None  # the entry's own venue is not the list's


def test_rows_that_cannot_be_placed_fail_the_merge_unless_accepted_and_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    papers = catalog_dir(tmp_path)
    before = sorted(p.name for p in papers.glob("*.yaml"))
    text = LIST + "| [No Date Anywhere](https://example.org/paper.pdf) | Journal of Nowhere | `W` | - |\n"
    assert merge(tmp_path, papers, text=text) == 1
    err = capsys.readouterr().err
    assert "other.md:11: skipped:" in err and "nothing written" in err
    assert sorted(p.name for p in papers.glob("*.yaml")) == before
    assert merge(tmp_path, papers, "--accept-skipped", text=text) == 0
    report = json.loads((tmp_path / "reports" / "other-report.json").read_text())
    skipped = [r for r in report["rows"] if r["action"] == "skipped"]
    assert [r["line"] for r in skipped] == [11] and "unknown venue" in skipped[0]["why"]
