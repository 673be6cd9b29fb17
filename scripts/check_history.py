"""Import every version of the seed list's history; optionally date the catalog's seed papers.

    python scripts/check_history.py [--bundle ../shared/seeds/awesome-pruning/history.bundle]
        [--every-month] [--set-added papers/]

The bundle is cloned into a temporary folder. Each version's README.md is imported with the
reader the importer picks for it; a version passes when the import raises nothing and every
table line with a link is accounted for (an entry, merged, or skipped with its line and why).
Exit 0 when every version passes, 1 otherwise (the failures are listed).

``--set-added DIR`` then rewrites the ``added`` date of every entry in DIR that the seed list
holds: the date of the first commit whose README lists the paper (same arXiv id, same link or
same normalised title).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.dump import dump_paper  # noqa: E402
from catalog.fileio import write_text_atomic  # noqa: E402
from catalog.identifiers import arxiv_from_url, strip_arxiv_version  # noqa: E402
from catalog.importers.markdown import ImportResult, import_markdown_text  # noqa: E402
from catalog.load import load_papers  # noqa: E402
from catalog.model import Paper  # noqa: E402
from catalog.normalize import normalize_title, normalize_url  # noqa: E402

DEFAULT_BUNDLE = ROOT.parent / "shared" / "seeds" / "awesome-pruning" / "history.bundle"
SEED_LIST = "awesome-pruning"
_ROW_RE = re.compile(r"^\s*\|.*\]\(")


@dataclass(frozen=True)
class Version:
    commit: str
    date: dt.date


@dataclass
class VersionResult:
    version: Version
    reader: str = ""
    rows: int = 0
    entries: int = 0
    skipped: int = 0
    unaccounted: list[int] = field(default_factory=list)
    error: str | None = None
    keys: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.unaccounted


def clone(bundle: Path, into: Path) -> Path:
    target = into / "history"
    subprocess.run(["git", "clone", "--quiet", str(bundle), str(target)], check=True, capture_output=True)
    return target


def versions(repo: Path) -> list[Version]:
    out = subprocess.run(["git", "-C", str(repo), "log", "--reverse", "--format=%H %cs"], check=True, capture_output=True, text=True).stdout
    return [Version(c, dt.date.fromisoformat(d)) for c, d in (line.split() for line in out.splitlines() if line.strip())]


def monthly(all_versions: Sequence[Version]) -> list[Version]:
    """The first version of every month."""
    seen: dict[tuple[int, int], Version] = {}
    for v in all_versions:
        seen.setdefault((v.date.year, v.date.month), v)
    return list(seen.values())


def readme_at(repo: Path, commit: str) -> str | None:
    done = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:README.md"], capture_output=True)
    return done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else None


def paper_keys(title: str, url: str) -> set[str]:
    keys = {"t:" + normalize_title(title)} if title else set()
    if url:
        keys.add("u:" + normalize_url(url))
        arxiv = arxiv_from_url(url.strip())
        if arxiv:
            keys.add("a:" + strip_arxiv_version(arxiv))
    return keys


def check_version(repo: Path, version: Version) -> VersionResult:
    result = VersionResult(version)
    text = readme_at(repo, version.commit)
    if text is None:
        return result  # no README.md in this commit: nothing to import
    try:
        imported: ImportResult = import_markdown_text(text, source=f"README.md@{version.commit[:7]}", added=version.date)
    except Exception as exc:  # noqa: BLE001 - the point of the script is to catch any traceback
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    result.reader = imported.reader
    result.rows = len(imported.rows)
    result.entries = len(imported.papers)
    accounted = {r.line for r in imported.rows if r.entry or r.errors} | {p.line for p in imported.problems if p.line}
    result.skipped = len({r.line for r in imported.rows if not r.entry} | {p.line for p in imported.problems if p.line})
    in_code = False
    candidates = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("```"):
            in_code = not in_code
        elif not in_code and _ROW_RE.match(line) and not re.match(r"^\s*\|\s*\[[^\]]*\]\(#", line):
            candidates.append(n)
    result.unaccounted = [n for n in candidates if n not in accounted and imported.reader in ("numbered-tables", "tables")]
    for r in imported.rows:
        result.keys |= paper_keys(r.title, "")
    for p in imported.papers:
        for u in p.all_urls:
            result.keys |= paper_keys("", u)
        result.keys |= paper_keys(p.title, "")
    return result


def first_listed(results: Iterable[VersionResult]) -> dict[str, dt.date]:
    first: dict[str, dt.date] = {}
    for r in results:
        for key in r.keys:
            first.setdefault(key, r.version.date)
    return first


def date_papers(papers_dir: Path, first: dict[str, dt.date]) -> tuple[int, list[str]]:
    """Rewrite `added` of the seed list's papers; returns (changed, ids never found in the history)."""
    loaded, problems = load_papers([papers_dir])
    if any(p.severity == "error" for p in problems):
        raise SystemExit("\n".join(map(str, problems)))
    changed, missing = 0, []
    for paper, _source in loaded:
        if not any(s.list == SEED_LIST for s in paper.sources) and paper.added != dt.date(2024, 8, 1):
            continue
        keys = paper_keys(paper.title, "")
        for u in paper.all_urls:
            keys |= paper_keys("", u)
        dates = [first[k] for k in keys if k in first]
        if not dates:
            missing.append(paper.id)
            continue
        when = min(dates)
        if when != paper.added:
            updated = Paper.model_validate({**paper.model_dump(), "added": when})
            write_text_atomic(papers_dir / f"{paper.id}.yaml", dump_paper(updated))
            changed += 1
    return changed, missing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=DEFAULT_BUNDLE)
    parser.add_argument("--every-month", action="store_true", help="only the first version of each month")
    parser.add_argument("--set-added", type=Path, metavar="DIR", help="date the seed papers in DIR by their first listing")
    args = parser.parse_args(argv)
    if not args.bundle.exists():
        print(f"{args.bundle}: no such bundle (the seeds live in ../shared beside the repository)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="history-") as tmp:
        repo = clone(args.bundle, Path(tmp))
        all_versions = versions(repo)
        chosen = monthly(all_versions) if args.every_month else all_versions
        results = [check_version(repo, v) for v in chosen]
    failed = [r for r in results if not r.ok]
    readers: dict[str, int] = {}
    for r in results:
        readers[r.reader or "(no README)"] = readers.get(r.reader or "(no README)", 0) + 1
    rows = sum(r.rows for r in results)
    print(
        f"{len(results)} versions ({all_versions[0].date} to {all_versions[-1].date}) imported in {time.perf_counter() - started:.1f} s: "
        f"{rows} rows, {sum(r.entries for r in results)} entries, {sum(r.skipped for r in results)} rows skipped with a reason; "
        f"readers: {', '.join(f'{k} {v}' for k, v in sorted(readers.items()))}; {len(failed)} failed"
    )
    for r in failed:
        print(
            f"  {r.version.commit[:7]} {r.version.date}: {r.error or 'lines not accounted for: ' + ', '.join(map(str, r.unaccounted[:20]))}"
        )
    if args.set_added:
        changed, missing = date_papers(args.set_added, first_listed(results))
        print(f"added dates: {changed} entries changed; {len(missing)} seed entries never seen in the history: {', '.join(missing[:20])}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
