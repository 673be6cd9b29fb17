"""Reports of a link check: a terminal summary, JSON for machines, Markdown for a PR comment.

Every format lists links by file and line (sorted), so the same findings give the same bytes;
only the terminal summary mentions seconds. The Markdown report says, per class, what to do,
so that it can be pasted into an issue or posted on a pull request as it is.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from catalog.links.checker import FAMILIES, CheckReport
from catalog.links.results import CLASSES, FAILING, STRICT_FAILING, LinkResult, Verdict, class_order
from catalog.markdown_text import escape_markdown, link

SILENT = frozenset({Verdict.OK, Verdict.UNCHECKED})  # counted, not listed
HEADINGS = {
    Verdict.NOT_FOUND: "Not found",
    Verdict.INVALID: "Invalid",
    Verdict.TITLE_MISMATCH: "Points at another paper",
    Verdict.RENAMED: "Renamed repositories",
    Verdict.ARCHIVED: "Archived repositories",
    Verdict.VERSION_NOT_FOUND: "arXiv version does not exist",
    Verdict.REDIRECTED: "Redirected",
    Verdict.BLOCKED: "Blocked by the site (check by hand)",
    Verdict.RATE_LIMITED: "Not checked: rate-limited",
    Verdict.TIMEOUT: "Timed out",
    Verdict.ERROR: "Errors",
}


def fix_for(r: LinkResult) -> str:
    """The change a maintainer should make, in one sentence."""
    new = r.canonical_url or ""
    return {
        Verdict.NOT_FOUND: "Find the paper's or code's new address, or remove the link.",
        Verdict.INVALID: "Correct the identifier or URL (it cannot exist).",
        Verdict.TITLE_MISMATCH: "Check the link: it leads to a different paper; use the id of this paper.",
        Verdict.RENAMED: f"Replace the link with {new}." if new else "Update the link to the repository's new name.",
        Verdict.ARCHIVED: "Nothing to fix: the repository is read-only now (it gets an 'archived' badge).",
        Verdict.VERSION_NOT_FOUND: f"Link {new} or drop the version." if new else "Drop the version.",
        Verdict.REDIRECTED: f"Replace the link with {new}." if new else "Update the link to where it redirects.",
        Verdict.BLOCKED: "Open it in a browser; the site refuses robots, so the checker cannot tell.",
        Verdict.RATE_LIMITED: "Nothing now: rerun later (or with GITHUB_TOKEN for GitHub).",
        Verdict.TIMEOUT: "Nothing now: rerun later; fix it if it keeps timing out.",
        Verdict.ERROR: "Rerun later; look at it if the error persists.",
    }.get(r.cls, "")


def class_counts(report: CheckReport) -> dict[str, dict[str, int]]:
    """Links per class and family (families as columns), classes in report order."""
    counts: dict[str, Counter[str]] = {}
    for r in report.links:
        counts.setdefault(r.cls, Counter())[r.family] += 1
    return {cls: dict(counts[cls]) for cls in sorted(counts, key=class_order)}


def failing_classes(strict: bool) -> frozenset[str]:
    return STRICT_FAILING if strict else FAILING


def as_text(report: CheckReport, strict: bool = False) -> str:
    """One line per finding (``path:line: field: class: url: detail``), for stdout."""
    lines = []
    for r in sorted(report.links, key=lambda r: (r.sort_key(), class_order(r.cls))):
        if r.cls in SILENT:
            continue
        level = "error" if r.cls in failing_classes(strict) else "warning"
        extra = f" -> {r.canonical_url}" if r.canonical_url else ""
        lines.append(f"{r.path}:{r.line}: {r.field}: {level}: {r.cls}: {r.url}{extra}" + (f" ({r.detail})" if r.detail else ""))
    for key, group in report.shared.items():
        where = ", ".join(f"{lk.paper_id} ({lk.field})" for lk in group)
        lines.append(f"note: {key} is linked by several entries (check that it belongs to each): {where}")
    return "\n".join(lines) + ("\n" if lines else "")


def summary(report: CheckReport, strict: bool = False) -> str:
    """Counts by class and family, requests per host and seconds per family (for stderr)."""
    counts = class_counts(report)
    fams = [f for f in FAMILIES if any(f in c for c in counts.values())] or list(FAMILIES)
    width = max([len(c) for c in counts] + [5])
    out = [f"{'class':<{width}}  " + "  ".join(f"{f:>7}" for f in fams) + "    total"]
    for cls, per in counts.items():
        out.append(f"{cls:<{width}}  " + "  ".join(f"{per.get(f, 0):>7}" for f in fams) + f"  {sum(per.values()):>7}")
    out.append(
        f"{len(report.links)} links, {report.targets} unique targets, {report.cached} answered from the cache"
        + (" (offline: no requests)" if report.offline else "")
    )
    req = ", ".join(
        f"{f} {report.requests.get(f, 0)}" + (f" in {report.seconds[f]:.1f} s" if f in report.seconds else "") for f in FAMILIES
    )
    out.append(f"requests: {req}")
    if report.requests_by_host:
        out.append("by host: " + ", ".join(f"{h} {n}" for h, n in sorted(report.requests_by_host.items())))
    out += [f"note: {n}" for n in report.notes]
    bad = len(report.failing(strict))
    out.append(f"{'FAILED' if bad else 'OK'}: {bad} failing links" + (" (--strict)" if strict else ""))
    return "\n".join(out) + "\n"


def as_json(report: CheckReport, strict: bool = False) -> str:
    data: dict[str, Any] = {
        "summary": {
            "links": len(report.links),
            "targets": report.targets,
            "cached": report.cached,
            "offline": report.offline,
            "strict": strict,
            "exit_code": report.exit_code(strict),
            "classes": {cls: sum(per.values()) for cls, per in class_counts(report).items()},
            "by_family": class_counts(report),
            "requests": {f: report.requests.get(f, 0) for f in FAMILIES},
            "requests_by_host": dict(sorted(report.requests_by_host.items())),
        },
        "notes": report.notes,
        "links": [r.as_dict() for r in report.links],
        "shared_targets": [
            {"target": k, "links": [{"paper": lk.paper_id, "field": lk.field, "url": lk.url} for lk in v]} for k, v in report.shared.items()
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _code(text: str) -> str:
    """A path, field or target key as a code span; a ``|`` must still be escaped there, or it splits the row."""
    fence = "``" if "`" in text else "`"
    body = " ".join(text.split()).replace("|", "\\|")
    return f"{fence}{body}{fence}"


def _url(url: str) -> str:
    """A link that stays clickable; text that is no valid URL is shown escaped, never as a link."""
    try:
        return link(url, url)
    except ValueError:
        return escape_markdown(url)


def _fix(r: LinkResult) -> str:
    """The fix, escaped, with the new address in it as a link."""
    text = escape_markdown(fix_for(r))
    new = r.canonical_url
    return text.replace(escape_markdown(new), _url(new), 1) if new else text


def as_markdown(report: CheckReport, strict: bool = False) -> str:
    """Grouped by class, failing classes first, each row with the fix to make."""
    bad = failing_classes(strict)
    failing = report.failing(strict)
    out = ["## Link check", ""]
    counts = Counter(r.cls for r in report.links)
    tally = ", ".join(f"{counts[c]} {c}" for c in CLASSES if counts.get(c))
    verdict = f"**{len(failing)} link(s) to fix.**" if failing else "**No broken links.**"
    out += [f"{verdict} {len(report.links)} links checked ({tally}).", ""]
    groups: dict[Verdict, list[LinkResult]] = {}
    for r in report.links:
        if r.cls not in SILENT:
            groups.setdefault(r.cls, []).append(r)
    ordered = sorted(groups, key=lambda c: (c not in bad, class_order(c)))
    for cls in ordered:
        rows = groups[cls]
        marker = "❌" if cls in bad else "⚠️"
        out += [
            f"### {marker} {HEADINGS.get(cls, cls)} (`{cls}`, {len(rows)})",
            "",
            "| Entry | Link | Finding | Fix |",
            "|---|---|---|---|",
        ]
        for r in rows:
            out.append(
                f"| {_code(f'{r.path}:{r.line}')} {_code(r.field)} | {_url(r.url)} | {escape_markdown(r.detail or r.cls)} | {_fix(r)} |"
            )
        out.append("")
    if report.shared:
        out += ["### ℹ️ One target, several entries", "", "| Target | Entries |", "|---|---|"]
        for key, group in report.shared.items():
            out.append(f"| {_code(key)} | " + ", ".join(f"{_code(lk.paper_id)} ({escape_markdown(lk.field)})" for lk in group) + " |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
