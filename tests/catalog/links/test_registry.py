"""The family registry: every family registered once, in report order, and a clash is refused."""

from __future__ import annotations

import pytest

from catalog.links.arxiv import ArxivChecker
from catalog.links.checker import FAMILIES
from catalog.links.generic import GenericChecker
from catalog.links.github import GitHubChecker
from catalog.links.registry import checker_for, families, register
from catalog.links.results import CLASSES, TargetResult, Verdict


def test_every_family_has_one_registered_checker_in_report_order() -> None:
    assert FAMILIES == families() == ("github", "arxiv", "generic")
    assert [checker_for(f) for f in FAMILIES] == [GitHubChecker, ArxivChecker, GenericChecker]


def test_a_second_checker_for_a_family_is_refused() -> None:
    class Impostor(GitHubChecker):
        pass

    with pytest.raises(ValueError, match="two checkers registered for the 'github' family"):
        register("github", rank=0)(Impostor)
    assert checker_for("github") is GitHubChecker


def test_verdicts_are_their_strings() -> None:
    assert [str(v) for v in CLASSES][:3] == ["not-found", "invalid", "title-mismatch"]
    result = TargetResult.not_found("url:x", "HTTP 404", status=404)
    assert result.cls == "not-found" and result.cls is Verdict.NOT_FOUND and f"{result.cls}" == "not-found"
    with pytest.raises(TypeError):
        TargetResult("url:x", Verdict.OK)  # type: ignore[misc]  # keyword-only: no positional calls
