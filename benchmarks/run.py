"""Time hadr-lint on synthetic repositories: medians over several runs, peak memory.

    python benchmarks/run.py [--sizes 1000 10000] [--runs 5]

Prints a Markdown table. Runs the installed ``hadr-lint`` as a subprocess, as users do.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402


def timed(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall time in seconds and peak RSS in MB of the child processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = shutil.which("hadr-lint") or "hadr-lint"
    rows = [("hadr-lint --version", *timed([exe, "--version"], args.runs))]
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            out = Path(tmp) / str(size)
            made = generate(out, size)
            command = [exe, "scan", str(out), "--fail-on", "never"]
            rows.append((f"scan {made['resources']} resources", *timed(command, args.runs)))
    print("| what | median (s) | peak RSS (MB) |")
    print("|---|---|---|")
    for name, seconds, peak in rows:
        print(f"| {name} | {seconds:.3f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
