"""Writing GitHub-flavoured Markdown safely: cell escaping, link URLs and heading anchors.

Catalog text comes from pull requests, so every piece of it that lands in Markdown goes through
one function here. A title must never be able to split a table row (``|``), open a link
(``[``, ``]``), start raw HTML (``<``), open a code span (backtick), strike or emphasise text
(``*``, ``_``, ``~``) or turn into an autolink (``https://``, ``www.``). URLs are taken only
from validated fields and percent-encode the characters that could end a link early.

The anchor slugger reproduces github-slugger (what github.com uses for heading ids), so that a
table of contents built here links to headings that exist on GitHub. Shared by the README and
any other renderer that writes Markdown.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from catalog.model import check_http_url

# http(s), a dotted host name (optionally a port), then anything without whitespace.
_PLAIN_HTTP_URL = re.compile(r"^https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#]\S*)?$")
_URL_NEEDS_ENCODING = re.compile(r'[() |<>\[\]`\\"]')
_URL_UNSAFE = {"(": "%28", ")": "%29", " ": "%20", "|": "%7C", "<": "%3C", ">": "%3E", "[": "%5B", "]": "%5D", "`": "%60", "\\": "%5C", '"': "%22"}


_WHITESPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
# Everything escape_cell may change; text without any of these is returned as it is (fast path).
_SPECIAL = re.compile(r"[\\`*\[\]|~<>]|_|&(?=#?[A-Za-z0-9]+;)|:(?=//)|(?<=[wW]{3})\.")
_REPLACEMENTS = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def _escape_match(m: re.Match[str]) -> str:
    ch = m.group(0)
    if ch == "_":
        # "_" only formats at a word edge (CommonMark flanking rules); "L_0" stays as written.
        text, i = m.string, m.start()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        return "_" if before.isalnum() and after.isalnum() else "\\_"
    # ":" of "scheme://" and "." of "www." are escaped because GFM autolinks them only when the
    # "//" or the dot follows directly.
    return _REPLACEMENTS.get(ch) or "\\" + ch


def escape_cell(text: str) -> str:
    """Escape free text for a Markdown table cell, heading or link text.

    Line breaks become spaces, ``<``/``>`` become entities, Markdown punctuation gets a
    backslash, an ``&`` that would start an entity becomes ``&amp;``, and URL-looking text is
    defused so GitHub does not turn it into a link. The result renders as exactly ``text``.
    """
    if _WHITESPACE_RUN.search(text):
        text = re.sub(r"\s+", " ", text)
    text = text.strip()
    return _SPECIAL.sub(_escape_match, text)


def link_url(url: str) -> str:
    """A validated http(s) URL made safe as a Markdown link destination.

    ``(``, ``)``, spaces, ``|``, angle brackets, square brackets, backticks, backslashes and
    quotes are percent-encoded so the URL can neither end the link early nor split a table.
    Raises ValueError for anything that is not an absolute http(s) URL.
    """
    if not _PLAIN_HTTP_URL.match(url):
        check_http_url(url)  # the full check, for hosts the quick pattern does not cover
    if _URL_NEEDS_ENCODING.search(url):
        url = "".join(_URL_UNSAFE.get(ch, ch) for ch in url)
    return url


def link(text: str, url: str) -> str:
    """``[text](url)`` with the text escaped and the URL validated and encoded."""
    return f"[{escape_cell(text)}]({link_url(url)})"


def anchor_link(text: str, anchor: str) -> str:
    """A link to a heading anchor of the same document."""
    return f"[{escape_cell(text)}](#{anchor})"


# -- GitHub heading anchors -------------------------------------------------------------------


def github_slug(text: str) -> str:
    """The anchor github-slugger computes for a heading's text (without de-duplication).

    Lower-case; keep letters, marks, numbers, connector punctuation (``_``), ``-`` and spaces;
    drop everything else; each space becomes ``-``.
    """
    out = []
    for ch in text.lower():
        if ch == " ":
            out.append("-")
        elif ch == "-":
            out.append(ch)
        else:
            category = unicodedata.category(ch)
            if category[0] in "LMN" or category == "Pc":
                out.append(ch)
    return "".join(out)


@dataclass
class Slugger:
    """Anchors for a document's headings in order; repeats get ``-1``, ``-2``... like GitHub."""

    occurrences: dict[str, int] = field(default_factory=dict)

    def slug(self, text: str) -> str:
        base = github_slug(text)
        slug = base
        while slug in self.occurrences:
            self.occurrences[base] += 1
            slug = f"{base}-{self.occurrences[base]}"
        self.occurrences[slug] = 0
        return slug


_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_LINK_RE = re.compile(r"!?\[((?:\\.|[^\[\]\\])*)\]\([^)]*\)")
_BACKSLASH_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def plain_text(markdown: str) -> str:
    """The text a reader sees for one line of inline Markdown (what GitHub slugs)."""
    text = _INLINE_LINK_RE.sub(r"\1", markdown)
    text = re.sub(r"(?<!\\)`", "", text)
    text = re.sub(r"(?<!\\)(\*\*|__)", "", text)
    text = _BACKSLASH_ESCAPE_RE.sub(r"\1", text)
    return html.unescape(text)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # plain text, as rendered
    anchor: str
    line: int  # 1-based line in the document


def iter_headings(markdown: str, slugger: Slugger | None = None) -> Iterator[Heading]:
    """The ATX headings of a document outside fenced code blocks, with their GitHub anchors."""
    slugger = slugger or Slugger()
    fence: str | None = None
    for number, line in enumerate(markdown.split("\n"), start=1):
        fm = _FENCE_RE.match(line)
        if fm:
            marker = fm[1]
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip()[len(marker) :].strip():
                fence = None
            continue
        if fence is not None:
            continue
        hm = _HEADING_RE.match(line)
        if hm:
            text = plain_text((hm[2] or "").strip())
            yield Heading(level=len(hm[1]), text=text, anchor=slugger.slug(text), line=number)


def internal_links(markdown: str) -> list[str]:
    """Every ``](#anchor)`` target of a document, in order (code blocks included: none expected)."""
    return re.findall(r"\]\(#([^)\s]*)\)", markdown)
