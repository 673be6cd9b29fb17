"""GitHub-flavoured Markdown documents: heading anchors, headings and in-page links.

Escaping text and link URLs is :mod:`catalog.markdown_text` (re-exported here), the one escaper
the README, the site pages and the reports share. The anchor slugger reproduces github-slugger
(what github.com uses for heading ids), so that a table of contents built here links to
headings that exist on GitHub. Shared by the README and
any other renderer that writes Markdown.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from catalog.markdown_text import escape_cell, escape_markdown, link, link_url

__all__ = ["escape_cell", "escape_markdown", "link", "link_url"]  # re-exported: the one escaper lives in catalog.markdown_text

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
