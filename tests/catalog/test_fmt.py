"""``pruning-catalog fmt``: one canonical form, idempotent, comments kept, the committed catalog already in it."""

from __future__ import annotations

from pathlib import Path

from catalog.canonical import SCHEMA_LINE, format_text
from catalog.dump import dump_paper
from pruning_catalog.cli import main
from tests.support.factory import make_paper, write_paper

REPO = Path(__file__).resolve().parents[2]

MESSY = """\
# A note for maintainers: checked against the PDF.
title:   "A Sample Paper on Pruning"   # as printed
id: sample-paper
sections: [ after-training-cnn ]
tags:
  criteria: [magnitude]
  # the method prunes a trained model
  when:
    - after-training
url: https://arxiv.org/abs/2301.00774
venue: neurips
year: 2023
structure: [W]
models: [cnn]
added: 2024-08-01
pioneer: false
"""


def comments(text: str) -> list[str]:
    return sorted(
        line.split("#", 1)[1].strip()
        for line in text.splitlines()
        if "#" in line and "yaml-language-server" not in line and "://" not in line.split("#")[0]
    )


def test_a_messy_file_becomes_canonical_and_keeps_its_comments() -> None:
    result = format_text(MESSY, "papers/sample-paper.yaml")
    assert result.text is not None, result.problems
    text = result.text
    assert text.startswith(SCHEMA_LINE)
    assert comments(text) == comments(MESSY)  # lossless: every comment is still there
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == [
        "id",
        "title",
        "url",
        "venue",
        "year",
        "structure",
        "models",
        "tags",
        "sections",
        "added",
    ]  # model order, defaults dropped
    assert "venue: NeurIPS" in text and "when: [after-training]" in text and "sections: [after-training-cnn]" in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_fmt_is_idempotent() -> None:
    once = format_text(MESSY, "p.yaml").text
    assert once is not None
    assert format_text(once, "p.yaml").text == once
    plain = SCHEMA_LINE + dump_paper(make_paper())
    assert format_text(plain, "p.yaml").text == plain


def test_without_comments_the_form_is_exactly_dump_paper_plus_the_schema_line() -> None:
    paper = make_paper(title="Title: with a colon", authors=["Ada Lovelace", "Alan Turing"])
    assert format_text(dump_paper(paper), "p.yaml").text == SCHEMA_LINE + dump_paper(paper)


def test_crlf_and_a_missing_final_newline_are_fixed() -> None:
    text = dump_paper(make_paper()).replace("\n", "\r\n").rstrip()
    assert format_text(text, "p.yaml").text == SCHEMA_LINE + dump_paper(make_paper())


def test_check_lists_files_that_differ_and_writes_nothing(tmp_path, capsys) -> None:
    papers = tmp_path / "papers"
    good = write_paper(papers, id="sample-paper")
    good.write_text(SCHEMA_LINE + good.read_text(encoding="utf-8"), encoding="utf-8")
    messy = papers / "messy.yaml"
    messy.write_text(MESSY.replace("id: sample-paper", "id: messy").replace("A Sample Paper", "Another Paper"), encoding="utf-8")
    before = messy.read_text(encoding="utf-8")
    assert main(["fmt", "--check", "--papers", str(papers)]) == 1
    out = capsys.readouterr()
    assert out.out.strip().endswith("messy.yaml") and "sample-paper" not in out.out
    assert messy.read_text(encoding="utf-8") == before
    assert main(["fmt", "--papers", str(papers)]) == 0
    assert main(["fmt", "--check", "--papers", str(papers)]) == 0


def test_an_invalid_file_is_reported_and_left_alone(tmp_path, capsys) -> None:
    papers = tmp_path / "papers"
    bad = papers / "bad.yaml"
    papers.mkdir()
    bad.write_text("id: bad\ntitle: Wanda: Pruning\n", encoding="utf-8")
    assert main(["fmt", str(bad)]) == 1
    assert "put the value in quotes" in capsys.readouterr().err
    assert bad.read_text(encoding="utf-8") == "id: bad\ntitle: Wanda: Pruning\n"


def test_the_committed_catalog_is_canonical(monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    assert main(["fmt", "--check", "papers"]) == 0


def test_comments_of_keys_the_canonical_form_drops_are_kept() -> None:
    text = MESSY.replace("pioneer: false", "pioneer: false  # not a pioneer, says the author").replace(
        "  criteria:", "  speedup: []  # derived\n  criteria:"
    )
    text += "arxiv: '2301.00774'  # same as the URL\n"
    result = format_text(text, "p.yaml").text
    assert result is not None
    assert comments(result) == comments(text)
    assert "pioneer" not in result.replace("# not a pioneer", "") and "\narxiv:" not in result and "speedup" not in result
    assert format_text(result, "p.yaml").text == result
