"""Issue 9.3: an import that reads nothing, or leaves rows it could not place, is a failure."""

from __future__ import annotations

from pathlib import Path

from pruning_catalog.cli import main

PROSE = """# Some list of papers

Nothing here is a table or a bullet a reader knows:

A paragraph that links [a paper](https://arxiv.org/abs/2301.00774) in running text.
"""

UNPLACEABLE = """# A list

| Title | Venue |
|---|---|
| [Placed Paper](https://arxiv.org/abs/2301.00774) | ICML |
| [No Year Anywhere](https://example.org/paper.pdf) | Journal of Nowhere |
"""


def test_a_file_with_nothing_to_read_exits_1_saying_what_was_looked_for(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "prose.md"
    source.write_text(PROSE, encoding="utf-8")
    assert main(["import-markdown", str(source), "--out", str(tmp_path / "papers"), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "no paper entries found" in err
    assert "looked for" in err and "table" in err and "bullet" in err
    assert "no layout reads: 5" in err  # the line with a link that nothing read
    assert not (tmp_path / "papers").exists()


def test_rows_that_cannot_be_placed_exit_1_with_their_line_numbers(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "list.md"
    source.write_text(UNPLACEABLE, encoding="utf-8")
    assert main(["import-markdown", str(source), "--out", str(tmp_path / "papers")]) == 1
    err = capsys.readouterr().err
    assert f"{source}:6:" in err
    assert "skipped lines: 6" in err
    assert not (tmp_path / "papers").exists()
