"""The Markdown link report goes through the one escaper: hostile text cannot split a row or inject HTML."""

from __future__ import annotations

import re

from catalog.links.checker import CheckReport
from catalog.links.report import as_markdown
from catalog.links.results import LinkResult, Verdict


def test_hostile_details_and_urls_stay_inside_their_cells() -> None:
    bad = LinkResult(
        paper_id="p",
        field="url",
        url="https://example.org/a|b<script>",
        path="papers/p.yaml",
        line=3,
        family="generic",
        host="example.org",
        key="url:example.org/a|b",
        cls=Verdict.REDIRECTED,
        canonical_url="https://example.org/new|page",
        detail="redirects to <img src=x onerror=alert(1)> | [click](javascript:x)",
    )
    out = as_markdown(CheckReport(links=[bad], targets=1))
    row = next(line for line in out.splitlines() if line.startswith("| `papers/p.yaml:3`"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 5
    assert "<img" not in row and "<script>" not in row and "\\[click\\](javascript" in row  # brackets escaped: no link
    assert "(https://example.org/new%7Cpage)" in row  # the new address is a link, its pipe encoded
