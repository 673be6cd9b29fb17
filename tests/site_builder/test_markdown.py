"""Cell escaping, link URLs and GitHub heading anchors (site_builder.markdown)."""

from __future__ import annotations

import html
import re

import markdown as python_markdown
import pytest

from site_builder.markdown import Slugger, escape_cell, github_slug, internal_links, iter_headings, link, link_url, plain_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain title", "Plain title"),
        ("a | b", "a \\| b"),
        ("line\nbreak\r\nand\ttab", "line break and tab"),
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ("`code`", "\\`code\\`"),
        ("[x](y)", "\\[x\\](y)"),
        ("*a* and **b**", "\\*a\\* and \\*\\*b\\*\\*"),
        ("_a_ and snake_case and L_0", "\\_a\\_ and snake_case and L_0"),
        ("~~gone~~", "\\~\\~gone\\~\\~"),
        ("back\\slash\\", "back\\\\slash\\\\"),
        ("&lt; &#124; &amp; & plain", "&amp;lt; &amp;#124; &amp;amp; & plain"),
        ("see https://x.org and www.x.org", "see https\\://x.org and www\\.x.org"),
    ],
)
def test_escape_cell(text: str, expected: str) -> None:
    assert escape_cell(text) == expected


def test_escaped_text_renders_as_the_original_text() -> None:
    """Outside tables (pipes: see the README tests); python-markdown lacks CommonMark's \\: and \\~ escapes."""
    text = "A <i>b</i> [c](d) `e` *f* _g_ h\\ &amp; L_0"
    rendered = python_markdown.markdown(escape_cell(text))
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == text
    assert "<i>" not in rendered and "<a" not in rendered and "<code>" not in rendered and "<em>" not in rendered


def test_link_url_encodes_characters_that_could_end_a_link() -> None:
    assert link_url("https://ex.org/a(b)|c<d>[e]`f\\g\"h") == "https://ex.org/a%28b%29%7Cc%3Cd%3E%5Be%5D%60f%5Cg%22h"
    assert link_url("https://openreview.net/forum?id=x&referrer=%5Bp%5D(%2Fp)") == "https://openreview.net/forum?id=x&referrer=%5Bp%5D%28%2Fp%29"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/a", "//x.org/a", "https://", "data:text/html,x", "https://a b.org"])
def test_link_refuses_urls_that_are_not_http(url: str) -> None:
    with pytest.raises(ValueError):
        link("x", url)


def test_link_text_and_url_cannot_break_out() -> None:
    made = link("t](https://evil.example/) [x", "https://ok.org/p)(q")
    assert made == "[t\\](https\\://evil.example/) \\[x](https://ok.org/p%29%28q)"
    rendered = python_markdown.markdown(made)
    assert re.findall(r'href="([^"]*)"', rendered) == ["https://ok.org/p%29%28q"]


# Anchors GitHub gave the headings of the original hand-edited list (its table of contents
# linked to them), plus github-slugger's own fixtures.
@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("0. Overview", "0-overview"),
        ("1.1.1.1 Pruning CNNs", "1111-pruning-cnns"),
        ("Pruning Before Training CNNs 2024", "pruning-before-training-cnns-2024"),
        ("Pruning During Training CNNs 2018 and earlier", "pruning-during-training-cnns-2018-and-earlier"),
        ("1.1.3.6 Pruning Vision-and-Languages", "1136-pruning-vision-and-languages"),
        ("4.1 Pruning and Quantization", "41-pruning-and-quantization"),
        ("Universal/Specific Speedup", "universalspecific-speedup"),
        ("Pruning & Quantization", "pruning--quantization"),
        ("Привет non-latin 你好", "привет-non-latin-你好"),
        ("😄 emoji", "-emoji"),
        ("snake_case Heading", "snake_case-heading"),
        ("  leading spaces", "--leading-spaces"),
    ],
)
def test_github_slug(heading: str, anchor: str) -> None:
    assert github_slug(heading) == anchor


def test_slugger_numbers_repeated_headings_like_github() -> None:
    slugger = Slugger()
    assert [slugger.slug(t) for t in ["Papers", "Papers", "Papers-1", "Papers"]] == ["papers", "papers-1", "papers-1-1", "papers-2"]


def test_iter_headings_skips_code_blocks_and_reads_rendered_text() -> None:
    doc = "# Title\n\n```sh\n# not a heading\n```\n\n## A \\| B [link](https://x.org) `code`\n### Papers\n#### Papers\n"
    headings = list(iter_headings(doc))
    assert [(h.level, h.text, h.anchor) for h in headings] == [
        (1, "Title", "title"),
        (2, "A | B link code", "a--b-link-code"),
        (3, "Papers", "papers"),
        (4, "Papers", "papers-1"),
    ]


def test_plain_text_and_internal_links() -> None:
    assert plain_text("\\*x\\* &lt;y&gt; **z**") == "*x* <y> z"
    assert internal_links("[a](#one) [b](https://x.org/#two) [c](#three)") == ["one", "three"]
