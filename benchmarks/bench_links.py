"""Benchmark of ``check-links``: the real catalog against the local emulator, under the real rules.

Every request to the emulator takes 100 ms (network latency), arXiv calls are 3 s apart (its
terms of use), other hosts and github.com pages 1 s apart. Prints requests and seconds per host
family for a cold run and a warm-cache rerun, next to what one request per URL would need.
Targets: GitHub + arXiv requests <= 2 % of one-per-URL, whole catalog < 60 s, warm rerun < 2 s.

Run: ``python benchmarks/bench_links.py [PAPERS_DIR]`` (default papers/, else a synthetic catalog).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalog.links.cache import LinkCache  # noqa: E402
from catalog.links.checker import check_links  # noqa: E402
from catalog.links.config import CheckConfig  # noqa: E402
from catalog.links.targets import catalog_links  # noqa: E402
from catalog.load import load_catalog  # noqa: E402
from tests.support.emulator import Emulator, Reply  # noqa: E402
from tests.support.factory import write_synthetic_catalog  # noqa: E402

LATENCY = 0.1
ARXIV_DELAY = 3.0
WEB_INTERVAL = 1.0
TOKEN = "bench-token"


def _populate(emu: Emulator, catalog) -> None:
    """Everything in the catalog exists upstream, with the catalog's titles."""
    for link in catalog_links(catalog):
        t = link.target
        if t.family == "github":
            emu.add_repo(f"{t.owner}/{t.name}")
        elif t.family == "arxiv" and t.arxiv:
            paper = catalog.get(link.paper_id)
            title = paper.title if (paper and link.is_paper_link) else "Untitled"
            if t.arxiv.base not in emu.papers or link.is_paper_link:
                emu.add_paper(t.arxiv.base, title, max(t.arxiv.version or 1, emu.papers.get(t.arxiv.base, (1, ""))[0]))
    emu.site_default = Reply(200, "<html>paper</html>")


def _naive(catalog) -> tuple[Counter, dict[str, float]]:
    """One request per URL: GitHub pages and other hosts at 1/s per host, arXiv at 1 per 3 s."""
    links = catalog_links(catalog)
    count = Counter(lk.target.family for lk in links if lk.target.family != "invalid")
    per_host = Counter(lk.target.host for lk in links if lk.target.family == "generic")
    seconds = {
        "github": count["github"] * max(WEB_INTERVAL, LATENCY),
        "arxiv": count["arxiv"] * max(ARXIV_DELAY, LATENCY),
        "generic": max(per_host.values(), default=0) * (WEB_INTERVAL + LATENCY),
    }
    return count, seconds


def main() -> None:
    papers = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "papers"
    with tempfile.TemporaryDirectory() as tmp:
        if not papers.is_dir() or not any(papers.glob("*.yaml")):
            papers = Path(tmp) / "papers"
            write_synthetic_catalog(papers, 300)
            print(f"(no papers/ folder: using a synthetic catalog of 300 entries in {papers})")
        catalog = load_catalog(papers)
        with Emulator(latency=LATENCY, token=TOKEN) as emu:
            _populate(emu, catalog)
            base = emu.base

            def rewrite(url: str) -> str:
                parts = urlsplit(url)
                return f"{base}/site/{parts.hostname}{parts.path}" + (f"?{parts.query}" if parts.query else "")

            config = CheckConfig(
                **emu.endpoints(), token=TOKEN, arxiv_delay=ARXIV_DELAY, web_interval=WEB_INTERVAL, timeout=10, rewrite=rewrite
            )
            cache_path = Path(tmp) / "cache.json"
            runs = []
            for label in ("cold", "warm"):
                cache = LinkCache(cache_path)
                start = time.monotonic()
                report = check_links(catalog, config, cache)
                elapsed = time.monotonic() - start
                cache.save()
                runs.append((label, report, elapsed))
            # The same warm rerun through the command line, catalog loading included.
            env = {**os.environ, "GITHUB_TOKEN": TOKEN, "PRUNING_CATALOG_ARXIV_DELAY": str(ARXIV_DELAY)}
            env.update({f"PRUNING_CATALOG_{k.upper()}": v for k, v in emu.endpoints().items()})
            before = len(emu.requests())
            start = time.monotonic()
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pruning_catalog",
                    "check-links",
                    "--papers",
                    str(papers),
                    "--cache",
                    str(cache_path),
                    "--no-metadata",
                    "--format",
                    "json",
                ],
                cwd=tmp,
                env={**env, "PYTHONPATH": str(ROOT)},
                capture_output=True,
                text=True,
            )
            cli_s = time.monotonic() - start
            cli_requests = len(emu.requests()) - before
            stray = [r for r in emu.requests() if r.client != "127.0.0.1"]
            assert not stray, "a request left loopback"
        naive_count, naive_seconds = _naive(catalog)
        links = catalog_links(catalog)
        print(f"catalog: {len(catalog)} papers, {len(links)} links, {len({lk.target.key for lk in links})} unique targets")
        print(f"emulator: {LATENCY * 1000:.0f} ms per request, arXiv {ARXIV_DELAY:g} s apart, other hosts {WEB_INTERVAL:g} s apart")
        print()
        print(
            f"{'family':<8} {'links':>6} {'naive req':>10} {'naive s':>9} | "
            f"{'cold req':>9} {'cold s':>7} {'% naive':>8} | {'warm req':>9} {'warm s':>7}"
        )
        (_, cold, cold_s), (_, warm, warm_s) = runs
        for fam in ("github", "arxiv", "generic"):
            n = naive_count[fam]
            req = cold.requests.get(fam, 0)
            pct = 100 * req / n if n else 0.0
            print(
                f"{fam:<8} {n:>6} {n:>10} {naive_seconds[fam]:>9.0f} | {req:>9} {cold.seconds.get(fam, 0.0):>7.1f} {pct:>7.1f}% | "
                f"{warm.requests.get(fam, 0):>9} {warm.seconds.get(fam, 0.0):>7.1f}"
            )
        ga_naive = naive_count["github"] + naive_count["arxiv"]
        ga_req = cold.requests.get("github", 0) + cold.requests.get("arxiv", 0)
        print()
        print(
            f"GitHub + arXiv: {ga_req} requests for {ga_naive} links = {100 * ga_req / max(ga_naive, 1):.1f}% of one per URL (target <= 2%)"
        )
        print(
            f"whole catalog, cold: {cold_s:.1f} s (target < 60 s); "
            f"one request per URL would need ~{sum(naive_seconds.values()):.0f} s in sequence"
        )
        print(f"warm-cache rerun: {warm_s:.2f} s in-process, {sum(warm.requests.values())} requests (target < 2 s, 0 requests)")
        print(
            f"warm-cache rerun via the CLI (process start + catalog load + check): "
            f"{cli_s:.2f} s, {cli_requests} requests, exit {done.returncode}"
        )
        classes = Counter(r.cls for r in cold.links)
        print("classes (cold): " + ", ".join(f"{c} {n}" for c, n in sorted(classes.items())))


if __name__ == "__main__":
    main()
