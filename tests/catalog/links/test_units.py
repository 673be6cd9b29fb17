"""Small pure pieces: exit codes per class, header parsing, title comparison, report determinism."""

from __future__ import annotations

import pytest
from requests.structures import CaseInsensitiveDict

from catalog.links.checker import CheckReport
from catalog.links.http import parse_retry_after, rate_limit_wait
from catalog.links.report import as_json, as_markdown, as_text, summary
from catalog.links.results import CLASSES, LinkResult
from catalog.links.titles import clearly_different


def _report(*classes: str) -> CheckReport:
    links = [
        LinkResult(
            f"p{i}", "url", f"https://example.org/{i}", f"papers/p{i}.yaml", 3, "generic", "example.org", f"url:example.org/{i}", cls
        )
        for i, cls in enumerate(classes)
    ]
    return CheckReport(links=links, targets=len(links))


@pytest.mark.parametrize("cls", CLASSES)
def test_exit_code_per_class(cls: str) -> None:
    report = _report("ok", cls)
    assert report.exit_code() == (1 if cls in ("not-found", "invalid", "title-mismatch") else 0)
    assert report.exit_code(strict=True) == (1 if cls in ("not-found", "invalid", "title-mismatch", "renamed", "archived") else 0)


def test_reports_are_deterministic_and_sorted() -> None:
    a = _report("timeout", "not-found", "ok", "blocked")
    b = _report("timeout", "not-found", "ok", "blocked")
    b.links.reverse()
    b.links.sort(key=LinkResult.sort_key)
    assert as_json(a) == as_json(b) and as_markdown(a) == as_markdown(b) and as_text(a) == as_text(b)
    md = as_markdown(a)
    assert md.index("Not found") < md.index("Blocked") < md.index("Timed out")
    assert "error: not-found" in as_text(a) and "warning: timeout" in as_text(a)
    assert "not-found" in summary(a) and "FAILED: 1 failing links" in summary(a)


def test_retry_after_forms() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("7", now) == 7
    assert parse_retry_after("Tue, 14 Nov 2023 22:14:20 GMT", now) == pytest.approx(60, abs=1)
    assert parse_retry_after("soon", now) is None and parse_retry_after(None, now) is None
    headers = CaseInsensitiveDict({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 90)})
    assert rate_limit_wait(headers, now) == 90
    assert rate_limit_wait(CaseInsensitiveDict({"x-ratelimit-remaining": "5"}), now) is None


@pytest.mark.parametrize(
    ("ours", "theirs", "different"),
    [
        (
            "SNIP: Single-shot Network Pruning based on Connection Sensitivity",
            "SNIP: Single-shot Network Pruning based on Connection Sensitivity",
            False,
        ),
        (
            "The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural Networks",
            "The Lottery Ticket Hypothesis: Finding Small, Trainable Neural Networks",
            False,
        ),
        ("Movement Pruning", "Movement Pruning: Adaptive Sparsity by Fine-Tuning", False),
        ("Pruning Filters for Effcient ConvNets", "Pruning Filters for Efficient ConvNets", False),
        ("Pruning Filters for Efficient ConvNets", "Deep Residual Learning for Image Recognition", True),
        ("Pruning Filters for Efficient ConvNets", "0", False),  # arXiv's known bad answer
    ],
)
def test_titles(ours: str, theirs: str, different: bool) -> None:
    assert clearly_different(ours, theirs) is different


def test_progress_bar_draws_only_when_enabled() -> None:
    import io

    from catalog.links.progress import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(4, stream=stream, enabled=True)
    bar(1)
    bar(3)
    bar.close()
    assert stream.getvalue().endswith("] 4/4\n") and "\r" in stream.getvalue()
    quiet = io.StringIO()
    ProgressBar(4, stream=quiet)(2)  # a StringIO is no terminal
    assert quiet.getvalue() == ""
