"""Benchmark: loading and validating the catalog, against merely parsing the same YAML.

Prints, for the real catalog (``papers/``, when present) and for synthetic catalogs of 1,000 and
10,000 entries written to a temporary folder:

- seconds and entries per second for ``load_catalog`` (read + parse + validate + cross checks),
- the same for the bare parse baseline: read each file and ``yaml.load(text, Loader=yaml.CSafeLoader)``,
- their ratio (fair: BOTH include reading the files, from a warm page cache; best of several runs),
- peak traced memory (``tracemalloc``, in a separate untimed run) and the process' ``ru_maxrss``,
- wall time of ``pruning-catalog validate`` as a subprocess, i.e. what a shell user waits for.

Targets (2-core machine): real catalog under 1 s from the shell; 10,000 entries under 3 s;
validation at most 2x the bare parse.

Run: ``python benchmarks/bench_catalog.py`` (from the repository root).
"""

from __future__ import annotations

import gc
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `catalog` and `tests.support` importable
    sys.path.insert(0, str(ROOT))

from catalog.load import C_LOADER_AVAILABLE, load_catalog, paper_files  # noqa: E402
from tests.support.factory import write_synthetic_catalog  # noqa: E402

REPEATS = 3
TARGET_SHELL_S = 1.0
TARGET_10K_S = 3.0
TARGET_RATIO = 2.0


def best_of(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    """Best wall time and best CPU time of ``repeats`` runs (the least disturbed by other load).

    CPU time is printed too because this machine is shared: other processes stretch wall time
    but hardly the CPU time the loader itself needs.
    """
    walls, cpus = [], []
    for _ in range(repeats):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


def bare_parse(files: list[Path]) -> list[object]:
    """The baseline: read every file and parse it with PyYAML's C loader, nothing else."""
    return [yaml.load(f.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader) for f in files]


def traced_peak(fn: Callable[[], object]) -> float:
    """Peak memory allocated by Python while ``fn`` runs, in MiB (tracemalloc slows it; untimed)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def cli_command() -> list[str]:
    script = Path(sys.executable).with_name("pruning-catalog")
    return [str(script), "validate"] if script.exists() else [sys.executable, "-m", "pruning_catalog", "validate"]


def shell_seconds(folder: Path, cwd: Path) -> tuple[float, float, int]:
    """Best and median wall time of ``pruning-catalog validate --papers folder``, and its exit code."""
    times, code = [], 0
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = subprocess.run([*cli_command(), "--papers", str(folder)], cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        code = result.returncode
        if "Traceback" in result.stderr:
            raise SystemExit(f"pruning-catalog validate crashed:\n{result.stderr}")
    return min(times), statistics.median(times), code


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def measure(label: str, folder: Path, cwd: Path, check_10k: bool = False) -> dict[str, float]:
    files = paper_files([folder])
    count = len(files)
    bare_parse(files)  # warm the page cache (and imports) so both measurements read from memory
    load_catalog(folder)
    validate_s, validate_cpu = best_of(lambda: load_catalog(folder))
    parse_s, parse_cpu = best_of(lambda: bare_parse(files))
    ratio = validate_s / parse_s
    peak_mib = traced_peak(lambda: load_catalog(folder))
    shell_best, shell_median, code = shell_seconds(folder, cwd)
    print(f"\n{label}: {count} entries in {folder}")
    print(f"  load + validate   {validate_s:8.3f} s  {count / validate_s:10.0f} entries/s   (cpu {validate_cpu:.3f} s)")
    print(
        f"  bare C parse      {parse_s:8.3f} s  {count / parse_s:10.0f} entries/s   (cpu {parse_cpu:.3f} s; read + yaml.load CSafeLoader)"
    )
    print(
        f"  ratio             {ratio:8.2f} x  wall, {validate_cpu / parse_cpu:.2f} x cpu "
        f"(target <= {TARGET_RATIO:.1f}x: {verdict(ratio <= TARGET_RATIO)})"
    )
    print(f"  peak traced mem   {peak_mib:8.1f} MiB (tracemalloc, load + validate)")
    print(f"  shell validate    {shell_best:8.3f} s best, {shell_median:.3f} s median, exit {code}")
    if check_10k:
        print(
            f"  10k target        {validate_s:8.3f} s in-process, {shell_best:.3f} s from the shell "
            f"(target < {TARGET_10K_S:.0f} s: {verdict(shell_best < TARGET_10K_S)})"
        )
    return {"validate": validate_s, "parse": parse_s, "ratio": ratio, "shell": shell_best}


def main() -> None:
    print("catalog benchmark: load + validate vs bare YAML parse")
    print(f"  python {sys.version.split()[0]}, PyYAML {yaml.__version__} (C loader: {C_LOADER_AVAILABLE}), {os.cpu_count()} CPUs")
    print(f"  timings are the best of {REPEATS} runs; both sides read the files (warm page cache)")

    papers = ROOT / "papers"
    if papers.is_dir() and any(papers.glob("*.yaml")):
        real = measure("real catalog", papers, ROOT)
        print(f"  shell target      < {TARGET_SHELL_S:.0f} s: {verdict(real['shell'] < TARGET_SHELL_S)}")
    else:
        print("\nreal catalog: skipped (no papers/*.yaml yet)")

    tmp = Path(tempfile.mkdtemp(prefix="bench-catalog-"))
    try:
        for count in (1_000, 10_000):
            folder = tmp / f"papers-{count}"
            start = time.perf_counter()
            write_synthetic_catalog(folder, count, seed=1)
            print(f"\n(wrote {count} synthetic entries in {time.perf_counter() - start:.1f} s, untimed below)")
            measure(f"synthetic {count:,}", folder, tmp, check_10k=count == 10_000)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS (ru_maxrss, whole benchmark): {rss:.0f} MiB")


if __name__ == "__main__":
    main()
