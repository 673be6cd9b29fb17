"""Apply a curated facts file (JSONL) to the catalog: ``python scripts/apply_curation.py data/curation/facts.jsonl``.

Idempotent and safe to run on a catalog that has grown since the facts were gathered: entries
are matched by arXiv id or normalised title, missing facts are skipped, existing values are
never overwritten (disagreements are reported). See :mod:`catalog.curation` for the rules.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalog.curation import FactsError, apply_facts, read_facts  # noqa: E402
from catalog.errors import CatalogError  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("facts", type=Path, help="JSONL file of curated facts")
    parser.add_argument("--papers", type=Path, default=Path("papers"), help="folder of paper YAML files (default: papers/)")
    parser.add_argument("--date", type=dt.date.fromisoformat, default=None, help="curation date to record (default: today)")
    parser.add_argument("--report", type=Path, help="write the full report (JSON) here")
    parser.add_argument("--dry-run", action="store_true", help="change nothing, only report")
    parser.add_argument("--disagreements", action="store_true", help="also list each disagreement left for a person")
    args = parser.parse_args(argv)
    if not args.facts.is_file() or not args.papers.is_dir():
        print(f"apply_curation: error: need a facts file and a papers folder ({args.facts}, {args.papers})", file=sys.stderr)
        return 2
    try:
        facts = read_facts(args.facts)
    except FactsError as exc:
        print(f"apply_curation: error: {exc}", file=sys.stderr)
        return 2
    try:
        report = apply_facts(args.papers, facts, today=args.date, dry_run=args.dry_run)
    except CatalogError as exc:
        print("\n".join(str(p) for p in exc.problems), file=sys.stderr)
        print(f"apply_curation: error: {len(exc.errors)} paper files do not load; fix them first (nothing written)", file=sys.stderr)
        return 1
    if args.report:
        args.report.write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(report.summary())
    if args.disagreements:
        print("\n".join(report.disagreement_lines()))
    return 1 if report.invalid else 0


if __name__ == "__main__":
    sys.exit(main())
