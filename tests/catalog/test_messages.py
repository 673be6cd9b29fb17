"""Errors that say how to fix them (issue 10, point 5), through the loader and the CLI as a contributor meets them."""

from __future__ import annotations

import re

import pytest

from catalog.load import parse_paper_text
from pruning_catalog.cli import main
from tests.support.catalog_files import raw_yaml
from tests.support.factory import write_paper

BASE = raw_yaml()


def problems(text: str) -> list[str]:
    paper, _, found = parse_paper_text(text, "papers/sample-paper.yaml")
    assert paper is None, "expected the file to be invalid"
    return [str(p) for p in found]


def line(text: str, fragment: str) -> int:
    return next(i for i, row in enumerate(text.splitlines(), 1) if fragment in row)


def only(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def test_a_misspelt_key_gets_did_you_mean() -> None:
    assert only(BASE.replace("algorithm:", "algoritm:")).endswith("algoritm: unknown key `algoritm`: did you mean `algorithm`?")
    text = BASE.replace("  criteria:", "  critera:")
    assert only(text) == f"papers/sample-paper.yaml:{line(text, 'critera')}: tags.critera: unknown key `critera`: did you mean `criteria`?"
    assert only(BASE + "github: https://github.com/a/b\n").endswith("did you mean `code`?")
    assert only(BASE + "Authors: [A]\n").endswith("did you mean `authors`?")


def test_a_nested_key_written_at_the_top_level_says_where_it_belongs() -> None:
    assert only(BASE + "framework: PyTorch\n").endswith("`framework` belongs inside `code:`; indent it under that key")


def test_an_unquoted_colon_in_a_title_says_to_quote_it() -> None:
    text = BASE.replace("title: A Sample Paper on Pruning", "title: Wanda: A Sample Paper on Pruning")
    assert only(text) == (
        f"papers/sample-paper.yaml:{line(text, 'title:')}: -: the value of `title` contains ': ', which YAML reads as a new key: "
        "put the value in quotes, e.g. title: 'Wanda: A Sample Paper on Pruning'"
    )


def test_a_tab_is_named() -> None:
    text = BASE.replace("  when:", "\twhen:")
    assert only(text) == (
        f"papers/sample-paper.yaml:{line(text, 'when:')}: -: a tab character is used for indentation: "
        "YAML indents with spaces only (two per level); replace the tab with spaces"
    )


@pytest.mark.parametrize(
    ("old", "new", "at"), [("  when:", "   when:", "when:"), ("  framework: PyTorch", "   framework: PyTorch", "framework:")]
)
def test_a_bad_indent_is_named_at_its_line(old, new, at) -> None:
    text = BASE.replace(old, new)
    assert old in BASE
    found = only(text)
    assert found.startswith(f"papers/sample-paper.yaml:{line(text, at)}: -: the indentation does not match the lines around it")


def test_an_unclosed_quote_names_the_line_it_opens() -> None:
    text = BASE.replace("title: A Sample Paper on Pruning", "title: 'A Sample Paper on Pruning")
    assert only(text).startswith(f"papers/sample-paper.yaml:{line(text, 'title:')}: -: a quote opened on this line is never closed")


@pytest.mark.parametrize(
    ("venue", "fix"),
    [
        ("ICLR 2024", "venue: ICLR and year: 2024"),
        ("NeurIPS'23", "venue: NeurIPS and year: 2023"),
        ("cvpr-2022", "venue: CVPR and year: 2022"),
    ],
)
def test_a_year_in_the_venue_says_to_put_it_in_year(venue, fix) -> None:
    text = BASE.replace("venue: NeurIPS", f"venue: {venue!r}" if "'" not in venue else f'venue: "{venue}"')
    assert only(text).endswith(f"venue: the year goes in its own field: write {fix}")


@pytest.mark.parametrize("added", ["01/08/2024", "2024-13-01", "August 2024", "2024-02-30"])
def test_a_bad_date_shows_the_expected_form(added) -> None:
    text = BASE.replace("added: 2024-08-01", f"added: {added}")
    assert only(text).endswith("write dates as YYYY-MM-DD, e.g. 2024-08-01")


PYDANTIC_WORDING = re.compile(
    r"Input should|instance of|pydantic|validation error|type=|errors\.pydantic|\[type=|Value error", re.IGNORECASE
)
BROKEN = [
    BASE.replace("tags:\n", "tags: [after-training]\n#", 1),
    BASE.replace("year: 2023", "year: '2023'"),
    BASE.replace("year: 2023", "year: 2023.5"),
    BASE.replace("year: 2023", "year: 1800"),
    BASE.replace("pioneer: false", "pioneer: maybe") if "pioneer:" in BASE else BASE + "pioneer: maybe\n",
    BASE + "survey: 1\n",
    BASE + "code: https://github.com/a/b\n" if "code:" not in BASE else BASE.replace("code:", "code: https://github.com/a/b\nold_code:"),
    BASE + "other_venues: TPAMI\n",
    BASE + "other_venues: [{venue: TPAMI}]\n",
    BASE + "authors: Ada Lovelace\n",
    BASE + "published: soon\n",
    BASE.replace("title: A Sample Paper on Pruning", "title: [A, B]"),
    BASE.replace("title: A Sample Paper on Pruning", "title:"),
    BASE.replace("url: https://arxiv.org/abs/2301.00774", "url: 42"),
]


@pytest.mark.parametrize("index", range(len(BROKEN)))
def test_no_pydantic_wording_reaches_the_user(index) -> None:
    for message in problems(BROKEN[index]):
        assert not PYDANTIC_WORDING.search(message), message


def test_validate_file_checks_it_against_the_whole_catalog(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    write_paper(tmp_path / "papers", id="sample-paper")
    write_paper(tmp_path / "papers", id="other", title="Another Paper Entirely", url="https://example.org/other")
    mine = write_paper(tmp_path / "drafts", id="my-copy", title="My Copy of the Sample", url="https://arxiv.org/abs/2301.00774v2")
    assert main(["validate", str(mine)]) == 1
    out = capsys.readouterr().out
    assert "drafts/my-copy.yaml" in out and "same arXiv id 2301.00774" in out and "papers/sample-paper.yaml" in out
    # A committed file is checked in place of its own committed version, not against itself.
    assert main(["validate", "papers/other.yaml"]) == 0
