"""Does loading stay linear in the number of resources? Times a scan of one generated module.

    python benchmarks/linear.py one-type 5000 10000 20000
    python benchmarks/linear.py splat 2000 8000 [--subnets 1000]

- ``one-type N``: N resources of one type in one module, each referring to the one before
  (``aws_subnet.s41.id``): every reference looks a name up in the type's index.
- ``splat N``: an ``aws_subnet`` with ``count = --subnets`` and N load balancers whose
  ``subnets = aws_subnet.s[*].id``: the list must be shared, not copied N times.

The module is written to a temporary folder; hadr-lint runs as a subprocess (``--no-cache``,
as a cold scan) and the table gives wall time, CPU time and peak memory (``os.wait4``). Never
timed in unit tests: run by hand on an idle machine and compare before and after a change.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ONE_TYPE = """\
resource "aws_subnet" "s{i}" {{
  vpc_id            = "vpc-1"
  cidr_block        = "10.0.{octet}.0/24"
  availability_zone = "us-east-1a"
  tags              = {{ Previous = aws_subnet.s{previous}.id }}
}}
"""

SUBNETS = """\
provider "aws" {{
  region = "us-east-1"
}}

resource "aws_subnet" "s" {{
  count             = {count}
  vpc_id            = "vpc-1"
  availability_zone = "us-east-1a"
}}
"""

LOAD_BALANCER = """\
resource "aws_lb" "lb{i}" {{
  load_balancer_type = "application"
  subnets            = aws_subnet.s[*].id
}}
"""


def generate(kind: str, size: int, folder: Path, subnets: int = 1000) -> None:
    """Write the module of ``kind`` with ``size`` resources into ``folder`` (in files of 500
    blocks, as a large module would be split)."""
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "one-type":
        (folder / "provider.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\n')
        blocks = [ONE_TYPE.format(i=i, octet=i % 250, previous=max(i - 1, 0) if i else size - 1)
                  for i in range(size)]
    else:
        (folder / "subnets.tf").write_text(SUBNETS.format(count=subnets))
        blocks = [LOAD_BALANCER.format(i=i) for i in range(size)]
    for start in range(0, len(blocks), 500):
        (folder / f"part{start // 500:04d}.tf").write_text("\n".join(blocks[start:start + 500]))


def timed_scan(folder: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds, peak RSS in MB, and the exit code of a cold scan."""
    command = [sys.executable, "-m", "hadr_lint", "scan", str(folder), "--no-cache",
               "--format", "json", "--fail-on", "never", "--output", os.devnull]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=dict(os.environ, HADR_LINT_JOBS="1"))
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, \
        os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("one-type", "splat"))
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--subnets", type=int, default=1000, help="count of aws_subnet.s")
    args = parser.parse_args()
    print(f"| {args.kind} | resources | wall s | CPU s | peak MB | exit |")
    print("|---|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="hadr-linear-") as temporary:
            folder = Path(temporary) / "module"
            generate(args.kind, size, folder, args.subnets)
            wall, cpu, peak, code = timed_scan(folder)
        print(f"| {args.kind} | {size} | {wall:.1f} | {cpu:.1f} | {peak} | {code} |",
              flush=True)


if __name__ == "__main__":
    main()
