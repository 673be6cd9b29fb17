"""``pruning-catalog stats``: how complete the catalog's classification and facts are.

Per taxonomy axis and facet, how many entries carry each value (a parent value counts its
refinements, as in the README); how many method papers (every entry that is neither a survey nor
of a ``kind`` such as analysis) have
neither a criteria nor a learn-to-prune value, and the reason recorded for each; authors and
curation coverage. Text for people, ``--format json`` for scripts.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from catalog.catalog import Catalog
from catalog.commands.common import load_or_report
from catalog.options import papers_option

EXAMPLE = """example:
  pruning-catalog stats
  pruning-catalog stats --format json > stats.json
"""

NONE = "(none)"


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def compute_stats(catalog: Catalog) -> dict[str, Any]:
    """Every figure the command prints, as plain data (the JSON output)."""
    papers = catalog.papers
    tax = catalog.taxonomy

    def tally(name: str) -> dict[str, int]:
        counts = dict(catalog.counts(name))
        counts[NONE] = sum(1 for p in papers if not catalog.values_of(p, name))
        return counts

    methods = [p for p in papers if p.is_method]
    unclassified = [p for p in methods if not p.tags.values("criteria") and not p.tags.values("learn")]
    curated_axes: dict[str, int] = {}
    for p in papers:
        for axis in p.curated.axes if p.curated else ():
            curated_axes[axis] = curated_axes.get(axis, 0) + 1
    with_authors = sum(1 for p in papers if p.authors)
    return {
        "papers": len(papers),
        "surveys": sum(1 for p in papers if p.survey),
        "other_kinds": sum(1 for p in papers if not p.survey and not p.is_method),
        "unplaced": sum(1 for p in papers if tax.roles.unplaced_section in p.sections),
        "axes": {axis: tally(axis) for axis in tax.axes},
        "facets": {facet: tally(facet) for facet in tax.facets},
        "method_papers": {
            "total": len(methods),
            "with_criteria_or_learn": len(methods) - len(unclassified),
            "percent_classified": _percent(len(methods) - len(unclassified), len(methods)),
            "unclassified": len(unclassified),
            "unclassified_with_reason": sum(1 for p in unclassified if p.unclassified_reason),
        },
        "authors": {"with": with_authors, "without": len(papers) - with_authors, "percent": _percent(with_authors, len(papers))},
        "curated": {"entries": sum(1 for p in papers if p.curated), "by_axis": dict(sorted(curated_axes.items()))},
        "unclassified_method_papers": [{"id": p.id, "title": p.title, "reason": p.unclassified_reason} for p in unclassified],
    }


def format_text(stats: dict[str, Any]) -> str:
    """The human-readable report."""
    lines = [
        f"{stats['papers']} papers: {stats['method_papers']['total']} method papers, {stats['surveys']} surveys, "
        f"{stats['other_kinds']} of another kind (analysis, theory, ...: see kind); {stats['unplaced']} not yet placed in a section",
        "",
    ]
    for group in ("axes", "facets"):
        for name, counts in stats[group].items():
            lines.append(f"{name}:")
            width = max(len(v) for v in counts)
            lines += [f"  {value:<{width}}  {n:>4}" for value, n in counts.items()]
        lines.append("")
    m = stats["method_papers"]
    lines.append(
        f"method papers: {m['total']}; with a criteria or learn value: {m['with_criteria_or_learn']} ({m['percent_classified']}%); "
        f"with neither: {m['unclassified']} ({m['unclassified_with_reason']} with a reason)"
    )
    a = stats["authors"]
    lines.append(f"authors: {a['with']} of {stats['papers']} entries ({a['percent']}%)")
    c = stats["curated"]
    by_axis = ", ".join(f"{k} {v}" for k, v in c["by_axis"].items()) or "-"
    lines.append(f"curated: {c['entries']} entries ({by_axis})")
    if stats["unclassified_method_papers"]:
        lines += ["", "method papers with neither criteria nor learn:"]
        lines += [f"  {u['id']}: {u['reason'] or 'NO REASON RECORDED'}" for u in stats["unclassified_method_papers"]]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    catalog = load_or_report(args.papers, command="stats")
    if catalog is None:
        return 1
    stats = compute_stats(catalog)
    print(json.dumps(stats, indent=2, ensure_ascii=False) if args.format == "json" else format_text(stats))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "stats",
        help="count tags per axis and facet, unclassified method papers and authors coverage",
        description="Report how complete the catalog's classification and facts are. Exit 0, or 1 when the catalog is invalid.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    papers_option(parser)
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    parser.set_defaults(func=run)

