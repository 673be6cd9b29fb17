"""Benchmark: load + render README.md for the real catalog and for 10,000 synthetic entries.

Targets (issue 3): the real catalog under 1 s from the shell, 10,000 entries under 5 s. Prints
the load time, the render time, their ratio, and a shell timing of ``pruning-catalog readme
--check``. Run alone: ``python benchmarks/bench_readme.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalog.load import load_catalog  # noqa: E402
from site_builder.readme import render_readme  # noqa: E402
from tests.support.factory import write_synthetic_catalog  # noqa: E402

SYNTHETIC_COUNT = 10_000


def _best_of(runs: int, fn):
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def measure(label: str, papers: Path, runs: int) -> None:
    load_s, catalog = _best_of(runs, lambda: load_catalog(papers))
    render_s, text = _best_of(runs, lambda: render_readme(catalog))
    total = load_s + render_s
    print(
        f"{label:<28} {len(catalog):>6} papers  load {load_s:7.3f} s  render {render_s:7.3f} s  "
        f"load+render {total:7.3f} s  render/load {render_s / load_s:5.2f}  ({len(text) / 1e6:.2f} MB of Markdown)"
    )


def shell_check(papers: Path, readme: Path, label: str) -> None:
    """Wall time of the whole command as a user runs it (interpreter start and imports included)."""
    exe = Path(sys.executable).with_name("pruning-catalog")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "pruning_catalog"]
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    times = []
    for _ in range(3):
        start = time.perf_counter()
        proc = subprocess.run(
            [*command, "readme", "--check", "--papers", str(papers), "--output", str(readme)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - start)
    state = {0: "fresh", 1: "stale"}.get(proc.returncode, f"exit {proc.returncode}")
    print(f"{label:<28} pruning-catalog readme --check from the shell: {min(times):.3f} s (best of 3; README {state})")


def main() -> None:
    real = ROOT / "papers"
    if real.is_dir():
        measure("real catalog (papers/)", real, runs=5)
        shell_check(real, ROOT / "README.md", "real catalog (papers/)")
    else:
        print("real catalog: papers/ not found, skipped")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "papers"
        write_synthetic_catalog(folder, SYNTHETIC_COUNT, seed=1)
        measure(f"synthetic ({SYNTHETIC_COUNT:,} entries)", folder, runs=2)
        readme = Path(tmp) / "README.md"
        readme.write_text(render_readme(load_catalog(folder)), encoding="utf-8")
        shell_check(folder, readme, f"synthetic ({SYNTHETIC_COUNT:,} entries)")


if __name__ == "__main__":
    main()
