"""Normalising links to targets: one target per repository and per arXiv id, bad ids caught locally."""

from __future__ import annotations

import pytest

from catalog.identifiers import parse_arxiv_id
from catalog.links.targets import catalog_links, classify_url, paper_links, shared_targets, unique_targets
from catalog.load import load_catalog
from tests.support.factory import make_paper, write_paper


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/Owner/Repo",
        "https://github.com/owner/repo.git",
        "http://www.github.com/owner/repo/",
    ],
)
def test_github_urls_of_one_repository_share_a_target(url: str) -> None:
    target, _ = classify_url(url)
    assert target.key == target.repo_key == "github:owner/repo"
    assert target.family == "github"


def test_a_subpath_is_its_own_target_on_the_same_repository() -> None:
    target, sub = classify_url("https://github.com/OWNER/repo/tree/feature/x/src/models")
    assert target.key == "github:owner/repo/tree/feature/x/src/models" and target.repo_key == "github:owner/repo"
    assert target.expressions() == ["feature:x/src/models", "feature/x:src/models", "feature/x/src:models"]
    assert classify_url("https://github.com/o/r/blob/main/README.md")[0].expressions() == ["main:README.md", "main/README.md"]
    assert classify_url("https://github.com/o/r/tree/main")[0].expressions() == ["main"]
    assert classify_url("https://github.com/o/r/issues")[0].expressions() == []


def test_github_subpath_is_kept_for_the_link() -> None:
    target, sub = classify_url("https://github.com/google-research/rigl/tree/master/rigl/rigl_tf2")
    assert (target.owner, target.name, sub) == ("google-research", "rigl", "tree/master/rigl/rigl_tf2")


@pytest.mark.parametrize(
    "url", ["https://github.com/someone", "https://github.com/orgs/x/repositories", "https://someone.github.io/project"]
)
def test_github_pages_that_are_no_repository_are_generic(url: str) -> None:
    assert classify_url(url)[0].family == "generic"


@pytest.mark.parametrize(
    ("url", "key", "form"),
    [
        ("https://arxiv.org/abs/1707.08567", "arxiv:1707.08567", "abs"),
        ("https://arxiv.org/pdf/1707.08567.pdf", "arxiv:1707.08567", "pdf"),
        ("https://arxiv.org/pdf/2401.06426v1#page=3.05", "arxiv:2401.06426v1", "pdf"),
        ("https://arxiv.org/html/2401.06426v2", "arxiv:2401.06426v2#html", "html"),
        ("http://export.arxiv.org/abs/cs/0112017v1", "arxiv:cs/0112017v1", "abs"),
        ("https://arxiv.org/abs/math.GT/0309136", "arxiv:math.GT/0309136", "abs"),
    ],
)
def test_arxiv_urls(url: str, key: str, form: str) -> None:
    target, sub = classify_url(url)
    assert (target.key, target.family, sub) == (key, "arxiv", form)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2313.00001", "month 13"),
        ("1501.0001", "5-digit"),
        ("1412.00001", "5-digit numbers start in 2015"),
        ("0612.1234", "April 2007"),
        ("foo/0101001", "unknown archive"),
        ("cs/0112017v0", "v0"),
        ("2301.0077", "5-digit"),
        ("abc", "not an arXiv identifier"),
        ("cs/0805001", "March 2007"),
    ],
)
def test_malformed_arxiv_ids_are_invalid_without_a_request(text: str, why: str) -> None:
    parsed, problem = parse_arxiv_id(text)
    assert parsed is None and problem and why in problem
    target, _ = classify_url(f"https://arxiv.org/abs/{text}")
    assert target.family == "invalid" and why in target.problem


def test_valid_ids_parse_with_version() -> None:
    assert str(parse_arxiv_id("2301.00774v3")[0]) == "2301.00774v3"
    assert parse_arxiv_id("0704.0001")[0].base == "0704.0001"
    assert parse_arxiv_id("hep-th/9901001")[0].version is None


def test_paper_links_cover_url_alternates_arxiv_field_and_code() -> None:
    p = make_paper(url="https://openreview.net/forum?id=abc", arxiv="2301.00774", alternate_urls=["https://arxiv.org/pdf/2301.00774.pdf"])
    fields = [(lk.field, lk.target.key) for lk in paper_links(p)]
    assert fields == [
        ("url", "url:openreview:abc"),
        ("alternate_urls.0", "arxiv:2301.00774"),
        ("code.0.url", "github:example/sample"),
    ]
    q = make_paper(url="https://openreview.net/forum?id=abc", arxiv="2301.00774")
    assert ("arxiv", "arxiv:2301.00774") in [(lk.field, lk.target.key) for lk in paper_links(q)]


def test_duplicates_collapse_and_shared_paper_targets_are_reported(tmp_path) -> None:
    write_paper(tmp_path, id="a", title="First paper", url="https://example.org/x", code=[{"url": "https://github.com/o/r"}])
    write_paper(
        tmp_path,
        id="b",
        title="Second paper",
        url="https://example.org/x/",
        code=[{"url": "https://github.com/O/R.git"}],
        review="same URL on purpose",
    )
    catalog = load_catalog(tmp_path)
    links = catalog_links(catalog)
    assert len(links) == 4
    assert sorted(unique_targets(links)) == ["github:o/r", "url:example.org/x"]
    shared = shared_targets(links)
    assert list(shared) == ["github:o/r", "url:example.org/x"]
