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
Several ``--exe`` compare versions (each with its own copy and cache), one run of each in turn:

    python benchmarks/real.py --terraform ... --cloudformation ... \
        --exe "env PYTHONPATH=/tmp/before python -m hadr_lint" --exe "python -m hadr_lint"
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import machine, run_once  # noqa: E402


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
    parser.add_argument("--exe", action="append",
                        help="the command, e.g. 'python -m hadr_lint' (split like a shell); "
                             "give several to compare them, runs interleaved")
    args = parser.parse_args()
    if not (args.terraform or args.cloudformation):
        parser.error("give --terraform and/or --cloudformation")
    exes = args.exe or [shutil.which("hadr-lint") or "hadr-lint"]
    sources = [("main.tf", args.terraform.resolve() / "main.tf")] if args.terraform else []
    if args.cloudformation:
        sources.append((f"t{args.cloudformation.suffix}", args.cloudformation.resolve()))
    rows = []
    with tempfile.TemporaryDirectory(prefix="hadr-real-") as tmp:
        work = Path(tmp)
        (work / "cwd").mkdir()
        os.chdir(work / "cwd")  # ``python -m`` puts it on sys.path: keep its time stamp still
        for name, source in sources:
            lines = len(source.read_text(encoding="utf-8").splitlines())
            setups = [_setup(work / f"{name}-{i}", source, name, exe)
                      for i, exe in enumerate(exes)]
            for label, edit in ((f"`scan {name}` ({lines} lines), one-line edit", True),
                                (f"`scan {name}`, nothing changed (cache hit)", False)):
                measured = _interleaved(setups, args.runs, edit)
                for exe, (wall, cpu, peak) in zip(exes, measured, strict=True):
                    rows.append((label, exe, wall, cpu, peak))
                    print(f"  {label} [{exe}]: {wall:.3f} s, CPU {cpu:.3f} s, {peak:.0f} MB",
                          file=sys.stderr)
    print(f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end; "
          f"median of {args.runs} runs\n")
    print("| what | command | wall, median (s) | CPU, median (s) | peak RSS (MB) |")
    print("|---|---|---:|---:|---:|")
    for label, exe, wall, cpu, peak in rows:
        print(f"| {label} | `{exe}` | {wall:.3f} | {cpu:.3f} | {peak:.0f} |")


def _setup(folder: Path, source: Path, name: str, exe: str) -> tuple:
    """A copy of the file (with its folder for Terraform) and a cache of its own for ``exe``,
    the cache filled as the previous commit's hook did: (command, env, edit)."""
    if name == "main.tf":
        shutil.copytree(source.parent, folder, ignore=shutil.ignore_patterns(".git"))
        path = folder / "main.tf"
    else:
        folder.mkdir()
        path = folder / name
        shutil.copyfile(source, path)
    # compiled modules kept, as an installed package has them
    env = dict(os.environ, XDG_CACHE_HOME=str(folder.parent / f"{folder.name}.cache"),
               PYTHONPYCACHEPREFIX=str(folder.parent / f"{folder.name}.pycache"))
    for variable in ("HADR_LINT_NO_CACHE", "PYTHONDONTWRITEBYTECODE"):
        env.pop(variable, None)
    command = [*shlex.split(exe), "scan", str(path), "--fail-on", "never", "--format", "json"]
    run_once(command, env)
    return command, env, one_line_edit(path)


def _interleaved(setups: list[tuple], runs: int, edit: bool) -> list[tuple[float, float, float]]:
    """Median wall and CPU time and the largest peak RSS of each setup; one run of each in turn,
    so a change in the machine's load hits all of them alike."""
    measured: list[list[tuple[float, float, float]]] = [[] for _ in setups]
    for _ in range(runs):
        for (command, env, change), out in zip(setups, measured, strict=True):
            if edit:
                change()
            out.append(run_once(command, env))
    return [(statistics.median(r[0] for r in out), statistics.median(r[1] for r in out),
             max(r[2] for r in out)) for out in measured]


if __name__ == "__main__":
    main()
