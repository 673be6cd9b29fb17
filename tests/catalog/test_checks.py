"""Checks across entries: each clash is reported once, naming BOTH files with their lines.

Each test writes two (or three) otherwise valid papers that differ from distinct papers in one
way, then loads the folder. A clash involving an entry with a ``review`` note is a documented,
known problem and comes back as a warning on an otherwise valid catalog.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.load import load_catalog
from tests.support.catalog_files import collect, line_of, printed
from tests.support.catalog_files import write_distinct_paper as paper

PAPERS = Path("papers")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)




def test_distinct_papers_raise_nothing():
    paper("first")
    paper("second")
    assert printed(PAPERS) == []


def test_the_same_arxiv_paper_twice_is_an_error_naming_both_files():
    first = paper("first", url="https://arxiv.org/abs/2301.00774", title="SparseGPT")
    second = paper("second", url="https://arxiv.org/pdf/2301.00774v2", title="SparseGPT: Massive Language Models Can Be Accurately Pruned")
    url_line = line_of(second.read_text(), "url:")
    assert printed(PAPERS) == [
        f"papers/second.yaml:{url_line}: url: same arXiv id 2301.00774 as 'first': the same paper twice? "
        f"(also in papers/first.yaml:{line_of(first.read_text(), 'url:')})"
    ]


def test_an_explicit_arxiv_id_clash_points_at_the_arxiv_field():
    paper("first", url="https://example.org/one", arxiv="2301.00774", title="Same Paper")
    second = paper("second", url="https://example.org/two", arxiv="2301.00774v3", title="Same Paper, Again")
    problems = collect(PAPERS)
    assert [(p.path, p.line, p.field, p.severity) for p in problems] == [
        ("papers/second.yaml", line_of(second.read_text(), "arxiv:"), "arxiv", "error")
    ]
    assert "papers/first.yaml" in problems[0].message


def test_one_arxiv_id_for_two_different_titles_says_a_link_is_wrong():
    paper("first", url="https://arxiv.org/abs/2301.00774", title="Pruning Large Language Models")
    paper("second", url="https://arxiv.org/abs/2301.00774", title="Dynamic Channel Gating for Video")
    [problem] = collect(PAPERS)
    assert problem.path == "papers/second.yaml" and problem.severity == "error"
    assert "different title" in problem.message and "papers/first.yaml" in problem.message


@pytest.mark.parametrize(
    ("first_url", "second_url"),
    [
        ("https://example.org/paper", "http://www.example.org/paper/"),
        ("https://Example.org/paper.pdf#page=2", "https://example.org/paper.pdf"),
        ("https://openreview.net/forum?id=abc123", "https://openreview.net/pdf?id=abc123"),
    ],
)
def test_one_url_for_papers_with_different_titles_is_an_error_naming_both_files(first_url, second_url):
    first = paper("first", url=first_url, title="Movement Pruning")
    second = paper("second", url=second_url, title="Channel Gating")
    [problem] = collect(PAPERS)
    assert (problem.path, problem.line, problem.field, problem.severity) == (
        "papers/second.yaml",
        line_of(second.read_text(), "url:"),
        "url",
        "error",
    )
    assert "a paper with a different title" in problem.message
    assert f"(also in papers/first.yaml:{line_of(first.read_text(), 'url:')})" in problem.message


def test_a_url_clash_in_alternate_urls_points_at_that_item():
    paper("first", url="https://example.org/shared", title="Movement Pruning")
    second = paper("second", title="Channel Gating", alternate_urls=["https://example.org/own", "https://example.org/shared/"])
    [problem] = collect(PAPERS)
    assert (problem.path, problem.field) == ("papers/second.yaml", "alternate_urls.1")
    assert problem.line == line_of(second.read_text(), "alternate_urls:")


def test_the_same_url_with_the_same_title_is_reported_once_as_the_same_paper():
    paper("first", url="https://example.org/shared", title="Movement Pruning")
    paper("second", url="https://www.example.org/shared", title="Movement pruning")
    [problem] = printed(PAPERS)
    assert problem.startswith("papers/second.yaml:2: title: same title as 'first': the same paper twice? (also in papers/first.yaml:2)")


@pytest.mark.parametrize("variant", ["movement pruning", "Movement  Pruning!", "Movement-Pruning", "Móvement Pruning"])
def test_the_same_normalised_title_is_an_error_naming_both_files(variant):
    paper("first", title="Movement Pruning")
    paper("second", title=variant)
    assert printed(PAPERS) == ["papers/second.yaml:2: title: same title as 'first': the same paper twice? (also in papers/first.yaml:2)"]


def test_the_same_id_in_two_folders_is_an_error_naming_both_files():
    paper("twin", folder=Path("one"))
    paper("twin", folder=Path("two"), title="Another Title", url="https://example.org/other")
    problems = printed("one", "two")
    assert "two/twin.yaml:1: id: id 'twin' is used twice (also in one/twin.yaml:1)" in problems


def test_three_copies_give_two_errors_each_naming_the_first_file():
    for pid in ("copy-a", "copy-b", "copy-c"):
        paper(pid, title="Movement Pruning")
    assert printed(PAPERS) == [
        "papers/copy-b.yaml:2: title: same title as 'copy-a': the same paper twice? (also in papers/copy-a.yaml:2)",
        "papers/copy-c.yaml:2: title: same title as 'copy-a': the same paper twice? (also in papers/copy-a.yaml:2)",
    ]


@pytest.mark.parametrize("noted", ["first", "second"])
def test_a_review_note_on_either_entry_turns_the_clash_into_a_warning(noted):
    note = {"review": "The list has two rows for this paper with different venues; kept until the authors answer."}
    paper("first", url="https://example.org/shared", title="Movement Pruning", **(note if noted == "first" else {}))
    paper("second", url="https://example.org/shared", title="Channel Gating", **(note if noted == "second" else {}))
    catalog = load_catalog(PAPERS)  # does not raise: warnings only
    assert len(catalog) == 2
    [warning] = catalog.warnings
    assert (warning.path, warning.field, warning.severity) == ("papers/second.yaml", "url", "warning")
    assert str(warning).startswith("papers/second.yaml:3: url: warning: URL (example.org/shared)")
    assert "papers/first.yaml:3" in warning.message


def test_without_a_review_note_the_same_clash_fails_the_load():
    paper("first", url="https://example.org/shared", title="Movement Pruning")
    paper("second", url="https://example.org/shared", title="Channel Gating")
    assert [p.severity for p in collect(PAPERS)] == ["error"]


def test_a_shared_code_repository_is_only_a_warning():
    paper("first", code=[{"url": "https://github.com/group/monorepo"}])
    paper("second", code=[{"url": "https://github.com/group/monorepo/"}])
    catalog = load_catalog(PAPERS)
    [warning] = catalog.warnings
    assert (warning.path, warning.field, warning.severity) == ("papers/second.yaml", "code.0.url", "warning")
    assert "papers/first.yaml" in warning.message and "mark both links 'shared: true'" in warning.message


def test_a_repository_both_entries_mark_as_shared_raises_nothing():
    paper("first", code=[{"url": "https://github.com/group/monorepo", "shared": True}])
    paper("second", code=[{"url": "https://github.com/group/monorepo/", "shared": True}])
    assert collect(PAPERS) == []
    paper("third", code=[{"url": "https://github.com/group/monorepo"}])  # a third that does not say so is still checked
    assert [(p.path, p.field) for p in collect(PAPERS)] == [("papers/third.yaml", "code.0.url")]


def test_a_year_before_the_arxiv_id_is_a_warning_until_a_curator_confirms_it():
    import datetime as dt

    path = paper("opq", url="https://arxiv.org/abs/2205.11141", venue="AAAI", year=2021)
    assert printed(PAPERS) == [
        f"papers/opq.yaml:{line_of(path.read_text(), 'year:')}: year: warning: 2021 is earlier than the arXiv id 2205.11141 (2022): "
        "right only if the paper was published before its preprint; check, then confirm with curated.axes: [year]"
    ]
    paper("opq", url="https://arxiv.org/abs/2205.11141", venue="AAAI", year=2021, curated={"axes": ["year"], "date": dt.date(2026, 12, 2)})
    assert printed(PAPERS) == []


def test_a_task_outside_the_vocabulary_is_a_warning():
    path = paper("odd", tasks=["Image Classification", "Basket Weaving"])
    assert printed(PAPERS) == [
        f"papers/odd.yaml:{line_of(path.read_text(), 'tasks:')}: tasks.1: warning: unknown task 'Basket Weaving': "
        "fix a typo, or add it (or an alias) under tasks: in catalog/taxonomy.yaml"
    ]
