"""Write paper files (valid or deliberately broken) and collect what the loader says about them.

The catalog tests assert on the printed form of problems, ``path:line: field: message``, so these
helpers write real files into a temporary ``papers/`` folder (the tests chdir there, so paths
print as ``papers/<id>.yaml``) and return what :func:`catalog.load.load_catalog` reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from catalog.errors import CatalogError, Problem
from catalog.load import load_catalog
from catalog.model import Paper
from catalog.taxonomy import Taxonomy
from tests.support.factory import paper_data, write_paper


def raw_yaml(**overrides: Any) -> str:
    """``paper_data(**overrides)`` as YAML text WITHOUT validating it, so broken values can be written."""
    return yaml.safe_dump(paper_data(**overrides), sort_keys=False, allow_unicode=True, width=10_000)


def write_raw(folder: Path, text: str | bytes, name: str = "sample-paper") -> Path:
    """Write ``text`` (or raw bytes) as ``folder/<name>.yaml`` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def write_distinct_paper(pid: str, folder: Path = Path("papers"), **overrides: Any) -> Path:
    """A valid paper of its own: distinct id, title, URL and code link unless overridden, so that
    cross-entry checks stay quiet until a test makes two papers clash on purpose."""
    fields = {"title": f"Paper {pid}", "url": f"https://example.org/{pid}", "code": [{"url": f"https://github.com/example/{pid}"}]}
    return write_paper(folder, id=pid, **{**fields, **overrides})


def line_of(text: str, prefix: str, start: int = 1) -> int:
    """The 1-based number of the first line (from ``start`` on) whose stripped text starts with ``prefix``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and line.strip().startswith(prefix):
            return number
    raise AssertionError(f"no line starts with {prefix!r} in:\n{text}")


def collect(*paths: Path | str) -> list[Problem]:
    """Every problem (errors and warnings) the loader reports for ``paths``, sorted."""
    try:
        catalog = load_catalog(*paths)
    except CatalogError as exc:
        return list(exc.problems)
    return list(catalog.warnings)


def printed(*paths: Path | str) -> list[str]:
    """The problems for ``paths`` as the CLI prints them."""
    return [str(p) for p in collect(*paths)]


def problems_of(text: str | bytes, name: str = "sample-paper") -> list[str]:
    """Write one file as ``papers/<name>.yaml`` in the current folder and return its printed problems."""
    return printed(write_raw(Path("papers"), text, name))


def assert_reported(problems: list[str], line: int, field: str, fragment: str, path: str = "papers/sample-paper.yaml") -> None:
    """Assert that one printed problem names ``path``, ``line`` and ``field`` and says ``fragment``."""
    prefix = f"{path}:{line}: {field}: " if line else f"{path}: {field}: "
    matching = [p for p in problems if p.startswith(prefix) and fragment in p]
    assert matching, f"expected {prefix}...{fragment}... among:\n" + "\n".join(problems)


def restaged(paper: Paper, section_id: str, taxonomy: Taxonomy) -> bool:
    """A curator settled the paper's stage against the section a list filed it under (issue 12)."""
    implied = set(taxonomy.section(section_id).implies.get("when", ()))
    return paper.curated is not None and "when" in paper.curated.axes and not implied <= set(paper.tags.values("when"))
