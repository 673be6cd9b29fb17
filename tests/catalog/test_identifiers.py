"""Link identifiers: one grammar for arXiv, OpenReview, GitHub and DOIs, shared by every command.

The ids the architecture issue found accepted by ``validate`` but rejected by ``check-links``
(``2301.00000``, ``2301.00774v0``, ``foo/0112017``) are checked through the real loader on
files in a temporary folder, so the test also proves the error names file, line and field; and
through the link checker's target classification, so both now say the same.
"""

from __future__ import annotations

import pytest

from catalog.identifiers import (
    IdentifierError,
    arxiv_from_url,
    arxiv_id,
    github_repo_key,
    parse_arxiv_id,
    parse_arxiv_url,
    parse_doi,
    parse_github_url,
    parse_openreview_url,
)
from catalog.links.targets import classify_url
from catalog.normalize import normalize_url
from tests.support.catalog_files import assert_reported, line_of, problems_of, raw_yaml


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


ONCE_ACCEPTED = [
    ("2301.00000", "number 00000 does not exist"),
    ("2301.00774v0", "version v0 does not exist"),
    ("foo/0112017", "unknown archive 'foo'"),
]


@pytest.mark.parametrize(("bad", "why"), ONCE_ACCEPTED)
def test_ids_validate_once_accepted_are_validation_errors_with_file_line_and_field(bad: str, why: str) -> None:
    text = raw_yaml(url="https://example.org/paper", arxiv=bad, year=2024)
    assert_reported(problems_of(text), line_of(text, "arxiv:"), "arxiv", why)


@pytest.mark.parametrize(("bad", "why"), ONCE_ACCEPTED)
def test_the_same_ids_inside_an_arxiv_url_point_at_the_url(bad: str, why: str) -> None:
    text = raw_yaml(url=f"https://arxiv.org/abs/{bad}", year=2024)
    assert_reported(problems_of(text), line_of(text, "url:"), "url", why)


@pytest.mark.parametrize(("bad", "why"), ONCE_ACCEPTED)
def test_validate_and_the_link_checker_agree(bad: str, why: str) -> None:
    target, _ = classify_url(f"https://arxiv.org/abs/{bad}")
    assert target.family == "invalid" and why in target.problem
    with pytest.raises(IdentifierError, match="not an arXiv identifier"):
        arxiv_id(bad)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("cs/9201001", "archive cs took papers from 1993-01"),  # before the archive existed
        ("acc-phys/9701001", "to 1996-09"),  # after a defunct archive closed
        ("stat/0704001", "March 2007"),  # stat started with the new-style ids
        ("hep-th/9901000", "number 000"),
        ("9901.00001", "has not come yet"),
        ("2301.00774v", "not an arXiv identifier"),
        ("\uff12\uff13\uff10\uff11.00774", "not an arXiv identifier"),  # full-width digits
    ],
)
def test_archive_dates_and_numbers_are_checked(text: str, why: str) -> None:
    parsed, problem = parse_arxiv_id(text)
    assert parsed is None and problem is not None and why in problem


@pytest.mark.parametrize(
    ("text", "canonical", "year"),
    [
        ("2301.00774v12", "2301.00774v12", 2023),
        ("0704.0001", "0704.0001", 2007),
        ("hep-th/9108028", "hep-th/9108028", 1991),
        ("math.gt/0309136", "math.GT/0309136", 2003),
        ("q-bio/0309001v2", "q-bio/0309001v2", 2003),
        ("solv-int/9912001", "solv-int/9912001", 1999),
    ],
)
def test_well_formed_ids_parse_to_a_canonical_form(text: str, canonical: str, year: int) -> None:
    parsed = arxiv_id(text)
    assert (str(parsed), parsed.year) == (canonical, year)


@pytest.mark.parametrize(
    ("url", "form", "ident"),
    [
        ("https://arxiv.org/abs/2301.00774", "abs", "2301.00774"),
        ("http://www.arxiv.org/pdf/2301.00774v2.pdf", "pdf", "2301.00774v2"),
        ("https://export.arxiv.org/abs/cs/0112017/", "abs", "cs/0112017"),
        ("https://ARXIV.org/html/2401.06426v1#S2", "html", "2401.06426v1"),
        ("https://arxiv.org/html/2401.06426v1/x1.png", "html", "2401.06426v1"),
        ("https://arxiv.org/abs/hep-th/9901001v2/", "abs", "hep-th/9901001v2"),
    ],
)
def test_arxiv_urls_on_every_host_and_form(url: str, form: str, ident: str) -> None:
    found = parse_arxiv_url(url)
    assert found is not None and found.form == form and str(found.id) == ident
    assert arxiv_from_url(url) == ident


@pytest.mark.parametrize(
    "url", ["https://arxiv.org/list/cs.LG/recent", "https://notarxiv.org/abs/2301.00774", "ftp://arxiv.org/abs/2301.00774"]
)
def test_other_urls_carry_no_arxiv_id(url: str) -> None:
    assert parse_arxiv_url(url) is None and arxiv_from_url(url) is None


@pytest.mark.parametrize(
    ("url", "key", "subpath"),
    [
        ("https://github.com/Owner/Repo", "owner/repo", ""),
        ("http://www.github.com/owner/repo.git", "owner/repo", ""),
        ("https://github.com/owner/repo/", "owner/repo", ""),
        ("https://github.com/owner/repo/tree/main/src", "owner/repo", "tree/main/src"),
    ],
)
def test_github_host_spellings_and_suffixes(url: str, key: str, subpath: str) -> None:
    repo = parse_github_url(url)
    assert repo is not None and (repo.key, repo.subpath) == (key, subpath)
    assert github_repo_key(url) == key


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/orgs/x/repositories",
        "https://github.com/topics/pruning",
        "https://github.com/features/actions",
        "https://github.com/someone",
        "https://gitlab.com/o/r",
    ],
)
def test_github_pages_that_are_no_repository(url: str) -> None:
    assert parse_github_url(url) is None and github_repo_key(url) is None


def test_an_impossible_github_name_is_an_error_for_the_checker_and_no_key_for_badges() -> None:
    with pytest.raises(IdentifierError, match="not a valid GitHub repository name"):
        parse_github_url("https://github.com/own%20er/repo")
    assert github_repo_key("https://github.com/own%20er/repo") is None


def test_openreview_and_doi() -> None:
    assert str(parse_openreview_url("https://openreview.net/forum?id=rJl-b3RcF7")) == "rJl-b3RcF7"
    assert str(parse_openreview_url("https://www.openreview.net/pdf?id=rJl-b3RcF7")) == "rJl-b3RcF7"
    assert parse_openreview_url("https://openreview.net/group?x=1") is None
    doi = parse_doi("https://dx.doi.org/10.1109/CVPR.2016.90")
    assert doi is not None and doi.key == "10.1109/cvpr.2016.90" and doi == parse_doi("10.1109/CVPR.2016.90")
    assert parse_doi("doi:10.1145/3065386") is not None and parse_doi("https://example.org/10.1109/x") is None


def test_normalize_url_uses_the_same_identifiers() -> None:
    assert (
        normalize_url("https://arxiv.org/pdf/2301.00774v2.pdf")
        == normalize_url("http://export.arxiv.org/abs/2301.00774")
        == "arxiv:2301.00774"
    )
    assert normalize_url("https://openreview.net/pdf?id=abc") == normalize_url("https://openreview.net/forum?id=abc") == "openreview:abc"
    assert normalize_url("https://doi.org/10.1109/CVPR.2016.90") == normalize_url("https://dx.doi.org/10.1109/cvpr.2016.90")
    assert normalize_url("https://www.github.com/o/r.git") == normalize_url("https://github.com/o/r/tree/main") == "github.com/o/r"
