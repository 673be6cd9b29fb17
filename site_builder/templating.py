"""The one Jinja environment factory for every renderer (README, site pages).

Templates ship inside this package (``site_builder/templates/``), so an installed copy renders
as well as a checkout. Both renderers get the same settings (strict undefined variables, LF
endings kept, block tags trimmed); they differ only in what they escape: the README is Markdown
(every value is escaped by :mod:`catalog.markdown_text` before it reaches the template), the
site's pages are Markdown with raw HTML (Jinja HTML-escapes, and the ``md`` filter escapes
Markdown in free text placed outside HTML).
"""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from catalog.markdown_text import escape_markdown

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def md_escape(text: Any) -> str:
    """Escape Markdown syntax in free text of a site page (HTML is escaped by Jinja afterwards)."""
    return escape_markdown(str(text), html=False)


def yaml_string(text: Any) -> Markup:
    """A front-matter title: HTML-escaped (Material prints page titles unescaped into ``<h1>`` and
    ``<title>``), then a double-quoted YAML scalar (JSON strings are valid YAML)."""
    return Markup(json.dumps(html.escape(str(text), quote=False), ensure_ascii=False))


def anchor(value_id: str) -> str:
    """An HTML id for a value (``N:M`` -> ``n-m``), stable across builds."""
    return re.sub(r"[^a-z0-9]+", "-", value_id.lower()).strip("-") or "value"


@functools.cache
def environment(folder: Path, *, html_pages: bool) -> jinja2.Environment:
    """The environment for the templates in ``folder``; ``html_pages`` turns on HTML escaping and the site's filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=html_pages,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if html_pages:
        env.filters["md"] = md_escape
        env.filters["yaml_string"] = yaml_string
        env.filters["anchor"] = anchor
    return env


def readme_environment(templates: Path = TEMPLATES_DIR) -> jinja2.Environment:
    return environment(templates / "readme", html_pages=False)


def site_environment(templates: Path = TEMPLATES_DIR) -> jinja2.Environment:
    return environment(templates / "site" / "pages", html_pages=True)
