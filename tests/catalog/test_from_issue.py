"""``pruning-catalog from-issue``: GitHub's rendered issue-form bodies, well and badly filled, into entries through add."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from catalog.commands.add import Request, create
from catalog.issue_form import FIELDS, FormError, choices_from_body, form_data, parse_body
from catalog.load import load_catalog
from catalog.taxonomy import default_taxonomy
from pruning_catalog.cli import main
from tests.support.arxiv import DSNOT, DSNOT_AUTHORS, TODAY, config_for, small_catalog

GOOD = f"""### arXiv id or URL

https://arxiv.org/abs/{DSNOT}

### Title (only for a paper without an arXiv id)

_No response_

### Paper link (only for a paper without an arXiv id)

_No response_

### Authors (only for a paper without an arXiv id)

_No response_

### Venue

ICLR

### Year

2024

### When does the method prune?

post-training — Post-training Pruning

### What does it remove?

W — Weight pruning, N:M — N:M sparsity

### Model family

llm — LLMs

### List section (optional)

_No response_

### Pruning criteria (optional)

sensitivity-saliency — Sensitivity and/or Saliency

### Learn to prune (optional)

_No response_

### Combined with (optional)

_No response_

### Code repository (optional)

https://github.com/zyxxmu/DSnoT

### Method name (optional)

DSnoT

### Tasks (optional)

Language Modeling, Zero-shot Classification
"""


def run_issue(tmp_path: Path, emu, clock, body: str) -> tuple[int, str]:
    papers = tmp_path / "papers"
    if not papers.exists():
        small_catalog(papers)
    arxiv, choices = choices_from_body(body)
    err = io.StringIO()
    code = create(
        Request(arxiv, choices, manual=arxiv is None), papers, config=config_for(emu), clock=clock, today=TODAY, out=io.StringIO(), err=err
    )
    return code, err.getvalue()


def test_a_well_filled_form_becomes_the_same_entry_add_would_write(tmp_path, emu, clock) -> None:
    code, err = run_issue(tmp_path, emu, clock, GOOD)
    assert code == 0, err
    paper = load_catalog(tmp_path / "papers").get("dynamic-sparse-no-training-training-free-fine-tuning-for")
    assert paper is not None
    assert paper.authors == DSNOT_AUTHORS and paper.venue == "ICLR" and paper.year == 2024
    assert paper.structure == ("W", "N:M") and paper.models == ("llm",) and paper.tags.when == ("post-training",)
    assert paper.tags.criteria == ("sensitivity-saliency",) and paper.sections == ("post-training",)
    assert paper.algorithm == "DSnoT" and paper.tasks == ("Language Modeling", "Zero-shot Classification")
    assert paper.code[0].url == "https://github.com/zyxxmu/DSnoT"


def test_the_form_fields_are_the_fields_from_issue_reads() -> None:
    data = form_data(default_taxonomy())
    ids = [e["id"] for e in data["body"] if "id" in e]
    assert ids == [f.id for f in FIELDS]
    when = next(e for e in data["body"] if e.get("id") == "when")
    assert when["attributes"]["options"][0] == "before-training — Pruning before Training"


def test_windows_line_endings_and_extra_text_are_tolerated(tmp_path, emu, clock) -> None:
    body = GOOD.replace("\n", "\r\n") + "\r\n### Anything else\r\n\r\nThanks!\r\n"
    code, err = run_issue(tmp_path, emu, clock, body)
    assert code == 0, err


def test_a_form_without_the_required_choices_lists_them(tmp_path, emu, clock) -> None:
    body = GOOD.replace("post-training — Post-training Pruning", "_No response_").replace("llm — LLMs", "_No response_")
    code, err = run_issue(tmp_path, emu, clock, body)
    assert code == 2 and "--when:" in err and "--model:" in err and "after-training" in err
    assert emu.requests() == []


def test_a_paper_already_listed_is_refused_naming_the_file(tmp_path, emu, clock) -> None:
    code, err = run_issue(tmp_path, emu, clock, GOOD.replace(f"https://arxiv.org/abs/{DSNOT}", "2306.11695"))
    assert code == 1 and "a-simple-and-effective-pruning-approach-for-large-language.yaml" in err


def test_a_badly_typed_arxiv_id_is_a_usage_error(tmp_path, emu, clock) -> None:
    code, err = run_issue(tmp_path, emu, clock, GOOD.replace(f"https://arxiv.org/abs/{DSNOT}", "arxiv 2310.089"))
    assert code == 2 and "is not an arXiv id" in err


def test_a_paper_without_arxiv_id_needs_title_link_venue_and_year(tmp_path, emu, clock) -> None:
    body = GOOD.replace(f"https://arxiv.org/abs/{DSNOT}", "_No response_").replace("### Year\n\n2024", "### Year\n\n_No response_")
    code, err = run_issue(tmp_path, emu, clock, body)
    assert code == 2 and "--title" in err and "--url" in err and "--year" in err
    filled = (
        body.replace(
            "### Title (only for a paper without an arXiv id)\n\n_No response_",
            "### Title (only for a paper without an arXiv id)\n\nPruning by Hand: A Study",
        )
        .replace(
            "### Paper link (only for a paper without an arXiv id)\n\n_No response_",
            "### Paper link (only for a paper without an arXiv id)\n\nhttps://openreview.net/forum?id=XyZ987",
        )
        .replace(
            "### Authors (only for a paper without an arXiv id)\n\n_No response_",
            "### Authors (only for a paper without an arXiv id)\n\nAda Lovelace, Alan Turing",
        )
        .replace("### Year\n\n_No response_", "### Year\n\n2023")
    )
    code, err = run_issue(tmp_path, emu, clock, filled)
    assert code == 0, err
    paper = load_catalog(tmp_path / "papers").get("pruning-by-hand-a-study")
    assert paper is not None and paper.authors == ("Ada Lovelace", "Alan Turing") and paper.url == "https://openreview.net/forum?id=XyZ987"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Please add DSnoT, arXiv 2310.08915, it is great", "none of the form's headings"),
        (GOOD.replace("### Year\n\n2024", "### Year\n\nICLR 2024"), "Year: 'ICLR 2024' is not a year"),
        (GOOD.replace("https://github.com/zyxxmu/DSnoT", "github zyxxmu/DSnoT"), "Code repository: 'github zyxxmu/DSnoT' is not a link"),
    ],
)
def test_badly_filled_forms_say_what_to_fix(body, message) -> None:
    with pytest.raises(FormError, match=message):
        choices_from_body(body)


def test_an_unknown_dropdown_value_is_refused_with_the_allowed_ones(tmp_path, emu, clock) -> None:
    code, err = run_issue(tmp_path, emu, clock, GOOD.replace("llm — LLMs", "gpt — GPTs"))
    assert code == 2 and "--model: unknown value 'gpt'; allowed: cnn, vit" in err


def test_parse_body_reads_empty_answers_as_empty() -> None:
    values = parse_body(GOOD)
    assert values["title"] == "" and values["arxiv"] == f"https://arxiv.org/abs/{DSNOT}"


def test_the_cli_reads_the_body_from_a_file(tmp_path, emu, monkeypatch, capsys) -> None:
    small_catalog(tmp_path / "papers")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_API", emu.endpoints()["arxiv_api"])
    monkeypatch.setenv("PRUNING_CATALOG_ARXIV_DELAY", "0")
    (tmp_path / "body.md").write_text(GOOD, encoding="utf-8")
    assert main(["from-issue", "body.md", "--dry-run"]) == 0
    assert "id: dynamic-sparse-no-training-training-free-fine-tuning-for" in capsys.readouterr().out
    assert main(["from-issue", "body.md", "--added", "2026-01-05"]) == 0
    assert (tmp_path / "README.md").exists() and main(["readme", "--check"]) == 0
    (tmp_path / "bad.md").write_text("just text", encoding="utf-8")
    assert main(["from-issue", "bad.md"]) == 2
