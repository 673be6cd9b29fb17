"""Every link of a catalog, normalised to a target and de-duplicated; arXiv ids checked locally.

Checking targets instead of URLs is what keeps the request count tiny: ``github.com/o/r``,
``github.com/o/r.git`` and ``github.com/O/R/tree/main/x`` are one repository, and the abs, pdf
and html links of an arXiv paper are one identifier. The identifier formats are checked here,
without a request, because one malformed id sent to the arXiv API fails a whole batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from catalog.catalog import Catalog
from catalog.identifiers import ArxivId, IdentifierError, parse_arxiv_id, parse_arxiv_url, parse_github_url
from catalog.model import Paper
from catalog.normalize import normalize_url


@dataclass(frozen=True)
class Target:
    """What a link points at, in a form where equal means "the same thing to check"."""

    key: str  # github:owner/name, arxiv:ID[vN], url:host/path, invalid:...
    family: str  # github, arxiv, generic, invalid
    host: str
    url: str  # the URL to request for generic targets; a representative link otherwise
    owner: str = ""
    name: str = ""
    arxiv: ArxivId | None = None
    problem: str = ""  # why an invalid target is invalid
    subpath: str = ""  # github: what follows owner/name (tree/main/src), checked when it names a ref or path

    @property
    def repo_key(self) -> str:
        """The key of the repository itself (a subpath target shares its repository's lookup)."""
        return f"github:{self.owner.lower()}/{self.name.lower()}"

    def expressions(self) -> list[str]:
        """Git object expressions (``ref:path``) that the subpath may mean, most likely first.

        ``tree/feature/x/src`` is ambiguous (a branch ``feature/x``?), so up to three splits are
        tried; the path exists if any of them does. Empty for subpaths that name no git object
        (issues, releases, wiki...).
        """
        parts = self.subpath.split("/")
        if len(parts) < 2 or parts[0] not in ("tree", "blob", "commit"):
            return []
        rest = parts[1:]
        out = []
        for k in range(1, min(3, len(rest)) + 1):
            ref, path = "/".join(rest[:k]), "/".join(rest[k:])
            out.append(f"{ref}:{path}" if path else ref)
        return out


@dataclass(frozen=True)
class Link:
    """One URL in one field of one paper."""

    paper_id: str
    field: str
    url: str
    target: Target
    is_paper_link: bool  # the paper itself (url, alternate_urls, arxiv), not its code
    subpath: str = ""  # github: what follows owner/name (tree/main/x); arXiv: the form (abs, pdf, html)


def github_target(url: str) -> tuple[Target | None, str]:
    """A github.com repository target and the subpath, or (None, "") when the URL is no repository."""
    try:
        repo = parse_github_url(url)
    except IdentifierError as exc:
        host = (urlsplit(url).hostname or "").lower()
        return Target(key=f"invalid:{url}", family="invalid", host=host, url=url, problem=str(exc)), ""
    if repo is None:
        return None, ""
    sub = repo.subpath
    key = f"github:{repo.key}" + (f"/{sub}" if sub else "")
    target_url = repo.url + (f"/{sub}" if sub else "")
    return Target(key=key, family="github", host="github.com", url=target_url, owner=repo.owner, name=repo.name, subpath=sub), sub


def arxiv_target(url: str) -> tuple[Target | None, str]:
    """An arXiv identifier target and the form (abs, pdf, html), or (None, "") for other arXiv pages."""
    found = parse_arxiv_url(url)
    if found is None:
        return None, ""
    return arxiv_id_target(found.text, url, found.form), found.form


def arxiv_id_target(text: str, url: str, form: str = "abs") -> Target:
    """abs and pdf links share a target; an html link is its own (not every paper has an HTML version)."""
    parsed, problem = parse_arxiv_id(text)
    if parsed is None:
        return Target(key=f"invalid:arxiv:{text}", family="invalid", host="arxiv.org", url=url, problem=f"arXiv id {text!r}: {problem}")
    if form == "html":
        return Target(
            key=f"arxiv:{parsed}#html",
            family="arxiv",
            host="arxiv.org",
            url=f"https://arxiv.org/html/{parsed}",
            arxiv=parsed,
            subpath="html",
        )
    return Target(key=f"arxiv:{parsed}", family="arxiv", host="arxiv.org", url=f"https://arxiv.org/abs/{parsed}", arxiv=parsed)


def classify_url(url: str) -> tuple[Target, str]:
    """The target of any URL and its subpath or form."""
    for make in (github_target, arxiv_target):
        target, sub = make(url)
        if target is not None:
            return target, sub
    host = (urlsplit(url).hostname or "").lower()
    return Target(key=f"url:{normalize_url(url)}", family="generic", host=host.removeprefix("www."), url=url), ""


def paper_links(paper: Paper) -> list[Link]:
    """Every link of one paper: its URL, alternate URLs, arXiv id (when no URL carries it) and code URLs."""
    links: list[Link] = []
    fields: list[tuple[str, str, bool]] = [("url", paper.url, True)]
    fields += [(f"alternate_urls.{i}", u, True) for i, u in enumerate(paper.alternate_urls)]
    fields += [(f"code.{i}.url", c.url, False) for i, c in enumerate(paper.code)]
    for field_name, url, is_paper in fields:
        target, sub = classify_url(url)
        links.append(Link(paper.id, field_name, url, target, is_paper, sub))
    if paper.arxiv:
        target = arxiv_id_target(paper.arxiv, f"https://arxiv.org/abs/{paper.arxiv}")
        covered = {lk.target.arxiv.base for lk in links if lk.target.arxiv}
        if target.arxiv is None or target.arxiv.base not in covered:
            links.append(Link(paper.id, "arxiv", target.url, target, True, "abs"))
    return links


def catalog_links(catalog: Catalog, paper_ids: Iterable[str] | None = None) -> list[Link]:
    """The links of the chosen papers (all by default), in catalog order."""
    chosen = None if paper_ids is None else set(paper_ids)
    return [lk for p in catalog.papers if chosen is None or p.id in chosen for lk in paper_links(p)]


def unique_targets(links: Iterable[Link]) -> dict[str, Target]:
    """One target per key, in first-seen order."""
    targets: dict[str, Target] = {}
    for lk in links:
        targets.setdefault(lk.target.key, lk.target)
    return targets


def shared_targets(links: Iterable[Link]) -> dict[str, list[Link]]:
    """Targets linked by several papers: one paper link for two papers is a copy-paste slip, and so is,
    more often than not, one code repository for two unrelated papers (a monorepo path is its own target)."""
    groups: dict[str, list[Link]] = defaultdict(list)
    for lk in links:
        groups[lk.target.key].append(lk)
    return {k: v for k, v in sorted(groups.items()) if len({lk.paper_id for lk in v}) > 1}
