"""The one Markdown escaper: catalog text placed into Markdown, safely.

Catalog text comes from pull requests, so every piece of it that lands in Markdown (the README,
the site's pages, the link report) goes through :func:`escape_markdown`. A title must never be
able to split a table row (``|``), open a link (``[``, ``]``), start raw HTML (``<``), open a code
span (backtick), strike or emphasise text (``*``, ``_``, ``~``) or turn into an autolink
(``https://``, ``www.``). URLs are taken only from validated fields and percent-encode the
characters that could end a link early.
"""

from __future__ import annotations

import re

from catalog.model import check_http_url

# http(s), a dotted host name (optionally a port), then anything without whitespace.
_PLAIN_HTTP_URL = re.compile(r"^https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#]\S*)?$")
_URL_NEEDS_ENCODING = re.compile(r'[() |<>\[\]`\\"]')
_URL_UNSAFE = {
    "(": "%28",
    ")": "%29",
    " ": "%20",
    "|": "%7C",
    "<": "%3C",
    ">": "%3E",
    "[": "%5B",
    "]": "%5D",
    "`": "%60",
    "\\": "%5C",
    '"': "%22",
}


_WHITESPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
# Everything escape_cell may change; text without any of these is returned as it is (fast path).
_SPECIAL = re.compile(r"[\\`*\[\]|~<>]|_|&(?=#?[A-Za-z0-9]+;)|:(?=//)|(?<=[wW]{3})\.")
# For Python-Markdown pages whose template HTML-escapes afterwards: only the characters
# Python-Markdown can backslash-escape (a backslash before any other shows literally), which
# include those of its heading ids and attribute lists (``#``, ``{``, ``}``), lists and images.
_SPECIAL_NO_HTML = re.compile(r"[\\`*\[\]{}()#+!|]|_")
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


def escape_markdown(text: str, *, html: bool = True) -> str:
    """Escape free text for a Markdown table cell, heading, paragraph or link text.

    Line breaks become spaces, ``<``/``>`` become entities, Markdown punctuation gets a
    backslash, an ``&`` that would start an entity becomes ``&amp;``, and URL-looking text is
    defused so GitHub does not turn it into a link. The result renders as exactly ``text``.
    ``html=False`` is for the site's pages: Python-Markdown (GitHub's autolinks do not apply) and a
    template engine that HTML-escapes afterwards, so ``<``, ``>``, ``&``, ``~`` and URLs are left
    alone and ``#``, ``{``, ``}``, ``+``, ``!``, ``(`` and ``)`` are escaped instead.
    """
    if _WHITESPACE_RUN.search(text):
        text = re.sub(r"\s+", " ", text)
    text = text.strip()
    return (_SPECIAL if html else _SPECIAL_NO_HTML).sub(_escape_match, text)


escape_cell = escape_markdown  # the name the README code and its tests use


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
