"""Time hadr-lint on synthetic repositories: medians over several runs, peak memory per command.

    python benchmarks/run.py [--sizes 1000 10000] [--runs 5] [--exe PATH] [--compare]

Runs ``hadr-lint`` as a subprocess, as users do, with its cache in a temporary folder:

- ``--version``: start-up;
- pre-commit: ``scan one.tf`` in a folder of 50 files, the others in the cache, the given file
  changed before every run (so it is parsed each time);
- cold scan (no parse cache) and warm scan (cache filled by an earlier run) of each size;
- with ``--compare``: cfn-lint (``cfn-lint`` on PATH) on the CloudFormation part and on one
  template, and checkov from ``/tmp/checkov-venv`` (its own environment: it replaces python-hcl2's
  ``hcl2`` package) on the Terraform part. Slow tools run fewer times.

Wall time is what a user waits; CPU time (user + system of the command and its worker
processes) is steadier on a shared machine. Peak memory is the command's maximum resident set
size (``os.wait4``; a worker's own peak is not added). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate, generate_module  # noqa: E402

CHECKOV = Path("/tmp/checkov-venv/bin/checkov")


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, its worker processes included) and peak RSS
    in MB of one run of ``command``."""
    before = os.times()
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=env)
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user
           + after.children_system - before.children_system)
    return wall, cpu, usage.ru_maxrss / 1024


def timed(command: list[str], env: dict[str, str], runs: int,
          before: Callable[[], None] | None = None) -> tuple[float, float, float]:
    """Median wall and CPU time and the largest peak RSS over ``runs`` runs; ``before`` runs
    untimed before each."""
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        if before:
            before()
        wall, cpu, peak = run_once(command, env)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return statistics.median(walls), statistics.median(cpus), max(peaks)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores, {model}, Python {platform.python_version()}, {platform.system()}"


class Bench:
    def __init__(self, exe: str, runs: int, work: Path) -> None:
        self.exe = exe
        self.runs = runs
        self.cache = work / "cache"
        self.env = dict(os.environ, XDG_CACHE_HOME=str(self.cache))
        self.env.pop("HADR_LINT_NO_CACHE", None)
        self.rows: list[tuple[str, float, float, float]] = []

    def add(self, name: str, command: list[str], runs: int | None = None, env=None,
            before: Callable[[], None] | None = None) -> float:
        wall, cpu, peak = timed(command, env or self.env, runs or self.runs, before)
        self.rows.append((name, wall, cpu, peak))
        print(f"  {name}: {wall:.3f} s, CPU {cpu:.3f} s, {peak:.0f} MB", file=sys.stderr)
        return wall

    def clear_parse_cache(self) -> None:
        """Cold: no parse cache. The compiled HCL grammar (a one-time cost) is kept."""
        for entry in self.cache.glob("hadr-lint/parse-v*"):
            shutil.rmtree(entry, ignore_errors=True)

    def scan(self, path: Path) -> list[str]:
        return [self.exe, "scan", str(path), "--fail-on", "never", "--format", "json"]


def pre_commit_case(bench: Bench, work: Path) -> None:
    module = work / "module50"
    generate_module(module, 50)
    changed = module / "service07.tf"
    original = changed.read_text()
    counter = iter(range(10**6))

    def edit() -> None:  # a new edit each run: that file is parsed, the other 49 come cached
        changed.write_text(original + f"\n# edit {next(counter)}\n")

    run_once(bench.scan(module), bench.env)  # fill the cache, as the previous commit did
    bench.add("pre-commit: scan 1 changed file of a 50-file module", bench.scan(changed),
              before=edit)


def pre_commit_template_case(bench: Bench, work: Path) -> None:
    """One changed CloudFormation template: cfn-lint's decoder must be imported (0.3 s alone)."""
    out = work / "templates"
    generate(out, 400, cfn_share=1.0)
    changed = sorted((out / "cloudformation").glob("*.yaml"))[0]
    original = changed.read_text()
    counter = iter(range(10**6))

    def edit() -> None:
        changed.write_text(original + f"\n# edit {next(counter)}\n")

    run_once(bench.scan(out), bench.env)
    bench.add("pre-commit: scan 1 changed CloudFormation template", bench.scan(changed),
              before=edit)
    beside = Path(shutil.which(bench.exe) or bench.exe).parent / "python"
    python = str(beside) if beside.exists() else sys.executable  # hadr-lint's environment
    bench.add("for comparison: python -c 'import cfnlint.decode' (the decoder alone)",
              [python, "-c", "import cfnlint.decode"])


def sizes_case(bench: Bench, work: Path, sizes: list[int]) -> dict[int, tuple[float, float]]:
    measured = {}
    for size in sizes:
        out = work / f"repo{size}"
        made = generate(out, size)
        count = made["resources"]
        cold = bench.add(f"scan {count} resources, cold (no cache)", bench.scan(out),
                         before=bench.clear_parse_cache)
        run_once(bench.scan(out), bench.env)
        warm = bench.add(f"scan {count} resources, warm (cache filled)", bench.scan(out))
        measured[count] = (cold, warm)
    serial = dict(bench.env, HADR_LINT_JOBS="1")
    bench.add(f"scan {count} resources, cold, parsing in 1 process", bench.scan(out),
              env=serial, before=bench.clear_parse_cache)
    bench.add(f"scan {count} resources, --no-cache", bench.scan(out) + ["--no-cache"])
    return measured


def compare_case(bench: Bench, work: Path, sizes: list[int]) -> None:
    out = work / f"repo{sizes[0]}"
    cfn = out / "cloudformation"
    one = sorted(cfn.glob("*.yaml"))[0]
    if shutil.which("cfn-lint"):
        bench.add("cfn-lint, one template", ["cfn-lint", str(one)], runs=3)
        bench.add("hadr-lint, same template, cold", bench.scan(one), runs=3,
                  before=bench.clear_parse_cache)
        templates = sorted(str(p) for p in cfn.glob("*.yaml"))
        bench.add(f"cfn-lint, {len(templates)} templates", ["cfn-lint", *templates], runs=1)
        bench.add(f"hadr-lint, same {len(templates)} templates, cold", bench.scan(cfn), runs=3,
                  before=bench.clear_parse_cache)
    if CHECKOV.exists():
        env = dict(bench.env)
        bench.add("checkov --version", [str(CHECKOV), "--version"], runs=3, env=env)
        tf = out / "terraform"
        bench.add(f"checkov -d, Terraform part of {sizes[0]}", [
            str(CHECKOV), "-d", str(tf), "--framework", "terraform", "--quiet", "--compact",
            "--skip-download"], runs=1, env=env)
        bench.add("hadr-lint, same Terraform part, cold", bench.scan(tf), runs=3,
                  before=bench.clear_parse_cache)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--exe", default=shutil.which("hadr-lint") or "hadr-lint")
    parser.add_argument("--compare", action="store_true",
                        help="also time cfn-lint and checkov when installed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hadr-bench-") as tmp:
        work = Path(tmp)
        bench = Bench(args.exe, args.runs, work)
        bench.add("hadr-lint --version", [args.exe, "--version"])
        pre_commit_case(bench, work)
        pre_commit_template_case(bench, work)
        measured = sizes_case(bench, work, sorted(args.sizes))
        if args.compare:
            compare_case(bench, work, sorted(args.sizes))
    print(f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| what | wall, median (s) | CPU, median (s) | peak RSS (MB) |")
    print("|---|---:|---:|---:|")
    for name, wall, cpu, peak in bench.rows:
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {peak:.0f} |")
    counts = sorted(measured)
    if len(counts) > 1:
        small, large = counts[0], counts[-1]
        for index, label in ((0, "cold"), (1, "warm")):
            ratio = measured[large][index] / measured[small][index]
            print(f"\n{label}: {large} / {small} resources ({large / small:.1f}x) "
                  f"takes {ratio:.1f}x the time")


if __name__ == "__main__":
    main()
