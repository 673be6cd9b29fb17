"""Run the browser tests again and again while busy loops keep every core at 100%.

Issue 9 asks for a browser suite that does not flake on a busy machine. This script is how that
is shown: it starts one `while True: pass` Python process per core (or ``--hogs``), runs
``pytest -m browser`` ``--runs`` times in a row, and stops the busy loops (by their pids) however
the runs end. It prints one line per run and a summary, and writes the figures as JSON to
``test-artifacts/browser-soak.json``. It is a script that prints figures, not a collected test.

    .venv/bin/python benchmarks/browser_soak.py --runs 10
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOG = "while True: pass"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="how many runs in a row (default 10)")
    parser.add_argument("--hogs", type=int, default=os.cpu_count() or 2, help="busy-loop processes (default: one per core)")
    parser.add_argument("--stop-on-failure", action="store_true", help="stop at the first failing run")
    parser.add_argument("pytest_args", nargs="*", default=["-m", "browser"], help="what to run (default: -m browser)")
    args = parser.parse_args(argv)

    # Ctrl-C and kill (also when started in the background, where SIGINT starts out ignored) end
    # the run through the `finally` below, so the busy loops never outlive the script.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    env = {**os.environ, "REQUIRE_BROWSER": "1", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.pytest_args]
    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(args.hogs)]
    runs: list[dict[str, object]] = []
    try:
        print(
            f"{args.hogs} busy loops (pids {', '.join(str(h.pid) for h in hogs)}) on {os.cpu_count()} cores; "
            f"running: {' '.join(command[1:])}"
        )
        for number in range(1, args.runs + 1):
            start = time.monotonic()
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            seconds = time.monotonic() - start
            tail = [line for line in done.stdout.splitlines() if line.strip()][-1:] or ["(no output)"]
            runs.append({"run": number, "exit": done.returncode, "seconds": round(seconds, 1), "summary": tail[0], "load": load_average()})
            print(f"run {number:2d}: exit {done.returncode}  {seconds:6.1f} s  load {load_average()}  {tail[0]}", flush=True)
            if done.returncode != 0:
                print(done.stdout[-6000:], file=sys.stderr)
                if args.stop_on_failure:
                    break
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()
    passed = sum(1 for r in runs if r["exit"] == 0)
    times = [float(str(r["seconds"])) for r in runs]
    print(f"{passed} of {len(runs)} runs passed; {min(times):.0f}-{max(times):.0f} s a run" if times else "no run")
    out = ROOT / "test-artifacts" / "browser-soak.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    report = {"command": command[1:], "hogs": args.hogs, "cores": os.cpu_count(), "runs": runs, "passed": passed}
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0 if runs and passed == len(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
