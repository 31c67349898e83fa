"""Time a pre-commit run on real files: one changed file of a fetched public repository.

    python benchmarks/real.py --terraform PATH/terraform-aws-vpc \
        --cloudformation PATH/aws-cloudformation-templates/ECS/.../private-vpc.yaml [--runs 7]

The repositories are not part of hadr-lint (fetch them yourself, never commit them). The given
Terraform folder (its ``main.tf``) and template are copied to a temporary folder, then:

- ``scan main.tf`` (the folder of terraform-aws-modules/terraform-aws-vpc: a 1,600-line
  ``main.tf``) after a one-line edit before every run: a comment line inserted into the block
  at the middle of the file, so that block changes and every later line moves down one;
- ``scan t.yaml`` (one CloudFormation template) after the same kind of edit;
- both again with nothing changed (every parse result comes from the cache).

The cache is filled by one scan first, as the previous commit's hook did. Prints medians of
``--runs`` whole-process runs (wall and CPU time) and the largest peak RSS, as a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import machine, run_once, timed  # noqa: E402


def one_line_edit(path: Path) -> Callable[[], None]:
    """An edit function: each call writes the original text with one new comment line inside
    the top-level block (Terraform) or mapping entry (YAML) nearest the middle of the file."""
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    middle = len(lines) // 2
    starts = [i for i, line in enumerate(lines) if line[:1].isalpha()] or [0]
    if path.suffix == ".tf":
        start = min(starts, key=lambda i: abs(i - middle))
        at, indent = start + 1, "  "
    else:  # a YAML template: before the first indented line at or after the middle
        at = next((i for i in range(middle, len(lines)) if lines[i][:1] == " "
                   and lines[i].strip() and not lines[i].strip().startswith("-")), middle)
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    counter = iter(range(10**9))

    def edit() -> None:
        text = lines[:at] + [f"{indent}# edit {next(counter)}\n"] + lines[at:]
        path.write_text("".join(text), encoding="utf-8")

    return edit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--terraform", type=Path, help="a folder with a main.tf")
    parser.add_argument("--cloudformation", type=Path, help="one template (.yaml or .json)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--exe", default=shutil.which("hadr-lint") or "hadr-lint",
                        help="the command, e.g. 'python -m hadr_lint' (split like a shell)")
    args = parser.parse_args()
    if not (args.terraform or args.cloudformation):
        parser.error("give --terraform and/or --cloudformation")
    args.terraform = args.terraform and args.terraform.resolve()  # before the chdir below
    args.cloudformation = args.cloudformation and args.cloudformation.resolve()
    rows = []
    with tempfile.TemporaryDirectory(prefix="hadr-real-") as tmp:
        work = Path(tmp)
        # compiled modules kept, as an installed package has them
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"),
                   PYTHONPYCACHEPREFIX=str(work / "pycache"))
        for name in ("HADR_LINT_NO_CACHE", "PYTHONDONTWRITEBYTECODE"):
            env.pop(name, None)
        (work / "cwd").mkdir()
        os.chdir(work / "cwd")  # ``python -m`` puts it on sys.path: keep its time stamp still
        cases = []
        if args.terraform:
            folder = work / "terraform"
            shutil.copytree(args.terraform, folder, ignore=shutil.ignore_patterns(".git"))
            cases.append(("main.tf", folder / "main.tf"))
        if args.cloudformation:
            (work / "cfn").mkdir()
            target = work / "cfn" / f"t{args.cloudformation.suffix}"
            shutil.copyfile(args.cloudformation, target)
            cases.append((target.name, target))
        for name, path in cases:
            lines = len(path.read_text(encoding="utf-8").splitlines())
            command = [*shlex.split(args.exe), "scan", str(path), "--fail-on", "never",
                       "--format", "json"]
            run_once(command, env)  # fill the cache, as the previous commit's hook did
            edit = one_line_edit(path)
            wall, cpu, peak = timed(command, env, args.runs, edit)
            rows.append((f"`scan {name}` ({lines} lines), one-line edit", wall, cpu, peak))
            wall, cpu, peak = timed(command, env, args.runs)
            rows.append((f"`scan {name}`, nothing changed (cache hit)", wall, cpu, peak))
            for row in rows[-2:]:
                print(f"  {row[0]}: {row[1]:.3f} s, CPU {row[2]:.3f} s, {row[3]:.0f} MB",
                      file=sys.stderr)
    print(f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end; "
          f"median of {args.runs} runs\n")
    print("| what | wall, median (s) | CPU, median (s) | peak RSS (MB) |")
    print("|---|---:|---:|---:|")
    for name, wall, cpu, peak in rows:
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
