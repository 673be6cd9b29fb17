"""Run every benchmark (``benchmarks/bench_*.py``) and print its figures.

Benchmarks measure the speed goals of the issues; they are scripts, not tests, so that timing
noise never turns CI red. Run one alone with ``python benchmarks/bench_<name>.py``, or pass
names: ``python benchmarks/run.py catalog readme``.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    for script in scripts:
        name = script.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"\n=== {name} ({script.relative_to(HERE.parent)}) ===", flush=True)
        spec = importlib.util.spec_from_file_location(script.stem, script)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        started = time.perf_counter()
        module.main()
        print(f"--- {name}: {time.perf_counter() - started:.1f} s in all", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
