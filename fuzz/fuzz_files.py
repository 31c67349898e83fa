"""Coverage-guided fuzzing of discovery and reading: file types and links in a scanned tree.

    python fuzz/fuzz_files.py -max_total_time=600 -timeout=20

Each input describes a small repository (a ``.git`` folder makes it the tree): up to eight
entries, each a regular file, a FIFO, a folder, or a link (to ``/dev/zero``, to a file outside
the repository holding a secret, to a missing target, to itself, to another entry), named like
the files hadr-lint reads (``main.tf``, ``terraform.tfvars``, ``x.auto.tfvars.json``,
``template.yaml``, ``.hadr-lint.yaml``, ``.terraform/modules/modules.json``, a module folder).
``engine.load_all`` then scans it, and the rules run on what it loaded. A crash is an exception
that escapes; a FIFO or ``/dev/zero`` that is opened shows as a timeout (-timeout) or an
out-of-memory; the secret appearing in any resource, note or error is a crash too.
"""

import os
import shutil
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["hadr_lint"]):
    from hadr_lint.config import Config
    from hadr_lint.engine import ScanOptions, load_all

import _common  # noqa: E402

SECRET = "hunter2-outside-the-tree"
FOLDERS = ("", "live", "live/m", "modules/db", ".terraform/modules/db", "cfn")
NAMES = ("main.tf", "variables.tf", "terraform.tfvars", "x.auto.tfvars", "x.auto.tfvars.json",
         "main.tf.json", "template.yaml", "stack.json", ".hadr-lint.yaml", "modules.json",
         "m", "db", "nested.yaml")
KINDS = ("file", "file", "file", "fifo", "folder", "link-zero", "link-secret", "link-missing",
         "link-self", "link-entry", "link-parent")
CONTENTS = (
    'variable "password" {}\nresource "aws_db_instance" "db" {\n  multi_az = false\n'
    '  tags = { p = var.password }\n}\nmodule "m" {\n  source = "./m"\n}\n',
    'module "db" {\n  source = "../modules/db"\n}\n',
    'password = "from-tfvars"\n',
    '{"Modules": [{"Key": "db", "Source": "x", "Dir": "../../../outside"}]}',
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  S:\n    Type: "
    "AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./nested.yaml\n",
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
    "select: [HA]\nmax_file_size: 100\n",
)


def build(data: bytes, root: Path, outside: Path) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    entries: list[Path] = []
    for _ in range(fdp.ConsumeIntInRange(1, 8)):
        folder = root / fdp.PickValueInList(list(FOLDERS))
        path = folder / fdp.PickValueInList(list(NAMES))
        kind = fdp.PickValueInList(list(KINDS))
        if fdp.ConsumeBool():
            content = fdp.PickValueInList(list(CONTENTS))
        else:
            content = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 300))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            make(kind, path, content, outside, entries)
        except (OSError, ValueError):
            continue  # the name is taken by an earlier entry: fine
        entries.append(path)


def make(kind: str, path: Path, content: str, outside: Path, entries: list[Path]) -> None:
    """One entry; FileExistsError when the name is taken (never written through: an earlier
    entry may be a FIFO, whose open would block the harness itself)."""
    if kind == "file":
        write_new(path, content)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
        write_new(path / "main.tf", content)
    elif kind == "link-zero":
        path.symlink_to("/dev/zero")
    elif kind == "link-secret":
        path.symlink_to(outside / ("folder" if "." not in path.name else "secret.tf"))
    elif kind == "link-missing":
        path.symlink_to(path.parent / "missing-target")
    elif kind == "link-self":
        path.symlink_to(path.name)
    elif kind == "link-entry" and entries:
        path.symlink_to(entries[len(entries) // 2])
    elif kind == "link-parent":
        path.symlink_to("..")


def write_new(path: Path, content: str) -> None:
    with open(path, "x", encoding="utf-8", errors="surrogatepass") as out:
        out.write(content)


def outside_tree(base: Path) -> Path:
    """Files outside the repository that a link may point to: they must never be read."""
    outside = base / "outside"
    (outside / "folder").mkdir(parents=True)
    secret = (f'password = "{SECRET}"\nresource "aws_db_instance" "{SECRET}" {{\n'
              f'  multi_az = false\n  tags = {{ s = "{SECRET}" }}\n}}\n')
    (outside / "secret.tf").write_text(secret)
    (outside / "folder" / "main.tf").write_text(secret)
    return outside


def TestOneInput(data: bytes) -> None:
    base = Path(tempfile.mkdtemp(prefix="hadr-fuzz-files-"))
    try:
        outside = outside_tree(base)
        root = base / "repo"
        (root / ".git").mkdir(parents=True)
        build(data, root, outside)
        results = load_all(ScanOptions(paths=(root,)), Config())
        resources = [r for result in results for r in result.resources]
        _common.check_everything(resources)
        shown = repr([(r.address, r.raw) for r in resources]) + repr(
            [(result.errors, result.notes) for result in results])
        if SECRET in shown:
            raise AssertionError("a file outside the tree was read")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("HADR_LINT_NO_CACHE", "1")
    _common.seed_corpus("files", (), {f"s{i}": os.urandom(64).hex() for i in range(8)})
    _common.fuzz("files", TestOneInput)
