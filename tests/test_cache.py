"""The parse cache: same output with and without it, invalidation, damage, concurrency."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint import cache
from hadr_lint.cli import main
from hadr_lint.progress import Progress

ROOT = Path(__file__).resolve().parent.parent

MODULE = """\
variable "subnets" {
  type = list(string)
}

resource "aws_autoscaling_group" "web" {
  min_size            = 2
  max_size            = 6
  vpc_zone_identifier = var.subnets
}
"""

ROOT_TF = """\
provider "aws" {
  region = "eu-west-1"
}

variable "zones" {
  default = 1
}

data "aws_availability_zones" "all" {}

resource "aws_subnet" "a" {
  count             = var.zones
  vpc_id            = "vpc-1"
  availability_zone = data.aws_availability_zones.all.names[count.index]
}

module "web" {
  source  = "../modules/web"
  subnets = aws_subnet.a[*].id
}

resource "aws_db_instance" "db" {
  engine         = "postgres"
  instance_class = "db.t3.micro"
  multi_az       = false
}
"""

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      MultiAZ: false
"""


@pytest.fixture(autouse=True)
def cache_on(monkeypatch, tmp_path):
    """These tests use the cache, in a folder of their own; conftest turns it off elsewhere."""
    monkeypatch.delenv(cache.ENV_DISABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_disabled", False)
    monkeypatch.setattr(cache, "_fingerprint", None)
    monkeypatch.setattr(cache, "_avoided", frozenset())


@pytest.fixture
def project(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / "live").mkdir(parents=True)
    (repo / "modules" / "web").mkdir(parents=True)
    (repo / "cfn").mkdir()
    (repo / "live" / "main.tf").write_text(ROOT_TF)
    (repo / "modules" / "web" / "main.tf").write_text(MODULE)
    (repo / "cfn" / "db.yaml").write_text(TEMPLATE)
    monkeypatch.chdir(repo)
    return repo


def scan(*args: str) -> str:
    result = CliRunner().invoke(main, ["scan", ".", "--format", "json", "--fail-on", "never",
                                       *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def entries() -> list[Path]:
    return sorted(cache.directory().rglob("*.pickle"))


def test_cold_warm_and_no_cache_give_byte_identical_json(project):
    cold = scan()
    assert entries(), "the first scan fills the cache"
    warm = scan()
    without = scan("--no-cache")
    assert cold == warm == without
    findings = {(f["rule_id"], f["resource"]) for f in json.loads(cold)["findings"]}
    assert ("HA005", "aws_db_instance.db") in findings
    assert ("HA005", "Database") in findings


def test_no_cache_flag_and_environment_write_nothing(project, monkeypatch):
    scan("--no-cache")
    assert entries() == []
    monkeypatch.setenv(cache.ENV_DISABLE, "1")
    scan()
    assert entries() == []


def test_a_changed_module_file_is_seen(project):
    assert "aws_autoscaling_group.web" in scan()
    renamed = MODULE.replace('"aws_autoscaling_group" "web"', '"aws_autoscaling_group" "api"')
    (project / "modules" / "web" / "main.tf").write_text(renamed)
    warm = scan()
    assert "aws_autoscaling_group.api" in warm
    assert "aws_autoscaling_group.web" not in warm
    assert warm == scan("--no-cache")


@pytest.mark.parametrize("change", ["tfvars", "new file", "module", "cfn"])
def test_every_input_change_gives_the_uncached_result(project, change):
    scan()
    if change == "tfvars":
        (project / "live" / "terraform.tfvars").write_text("zones = 3\n")
    elif change == "new file":
        (project / "live" / "extra.tf").write_text(
            'resource "aws_db_instance" "other" {\n  multi_az = false\n}\n')
    elif change == "module":
        (project / "modules" / "web" / "extra.tf").write_text(
            'resource "aws_db_instance" "in_module" {\n  multi_az = false\n}\n')
    else:
        (project / "cfn" / "db.yaml").write_text(TEMPLATE.replace("MultiAZ: false",
                                                                  "MultiAZ: true"))
    warm = scan()
    assert warm == scan("--no-cache")
    assert warm != scan_of_original(project, change)


def scan_of_original(project: Path, change: str) -> str:
    """The result before the change, recomputed without the cache."""
    if change == "tfvars":
        (project / "live" / "terraform.tfvars").unlink()
    elif change == "new file":
        (project / "live" / "extra.tf").unlink()
    elif change == "module":
        (project / "modules" / "web" / "extra.tf").unlink()
    else:
        (project / "cfn" / "db.yaml").write_text(TEMPLATE)
    return scan("--no-cache")


def test_options_are_part_of_the_key(project):
    scan()
    assert scan("--var", "zones=3") == scan("--var", "zones=3", "--no-cache")
    assert scan("--region", "us-east-1") == scan("--region", "us-east-1", "--no-cache")


@pytest.mark.parametrize("damage", [b"", b"garbage", "truncate", "other key"])
def test_damaged_entries_are_misses_and_are_rewritten(project, damage):
    expected = scan()
    stored = entries()
    first = stored[0].read_bytes()
    for path in stored:
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "other key":  # a valid entry, but written for another key
            path.write_bytes(first if path != stored[0] else stored[1].read_bytes())
        else:
            path.write_bytes(damage)
    assert scan() == expected
    for path in entries():
        assert cache.from_bytes(path.stem, path.read_bytes()) is not cache.MISS


def test_unwritable_cache_folder_is_no_error(project, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert scan() == scan("--no-cache")


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path):
    key = cache.key("test", 1)
    for value in range(20):
        cache.store(key, {"value": value})
    assert cache.load(key) == {"value": 19}
    assert [p.name for p in cache.directory().rglob("*")
            if p.is_file() and p.name.startswith(".tmp-")] == []


def test_concurrent_runs_agree(project):
    env = dict(os.environ)
    command = [sys.executable, "-m", "hadr_lint", "scan", ".", "--format", "json",
               "--fail-on", "never"]
    runs = [subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for _ in range(3)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert outputs[0][0].decode() == scan("--no-cache")


def test_parallel_parsing_gives_the_serial_result(tmp_path, monkeypatch):
    repo = tmp_path / "many"
    for index in range(12):
        folder = repo / f"stack{index:02d}"
        folder.mkdir(parents=True)
        (folder / "main.tf").write_text(ROOT_TF.replace("../modules/web", "./web"))
        (folder / "web").mkdir()
        (folder / "web" / "main.tf").write_text(MODULE)
    monkeypatch.chdir(repo)
    serial = scan("--no-cache")
    monkeypatch.setattr(cache, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setenv(cache.ENV_JOBS, "2")
    parsed = []
    real = cache.parse_many

    def spy(*args, **kwargs):
        result = real(*args, **kwargs)
        parsed.append(len(result))
        return result

    monkeypatch.setattr(cache, "parse_many", spy)
    assert scan("--no-cache") == serial  # in workers, without the cache
    assert scan() == serial  # in workers, then read from the cache they wrote
    assert parsed[:2] == [24, 24]
    assert scan() == serial  # all from the cache


def test_grammar_is_compiled_into_the_user_cache_not_site_packages(tmp_path):
    """Where site-packages is read-only, the compiled HCL grammar still lands somewhere
    writable: every file opened for writing while parsing is below XDG_CACHE_HOME."""
    script = textwrap.dedent("""
        import sys
        written = []
        def audit(event, args):
            if event == "open" and isinstance(args[0], str) and args[1] and \\
                    any(c in args[1] for c in "wax+"):
                written.append(args[0])
        sys.addaudithook(audit)
        from hadr_lint.loaders.terraform.parse import parse_blocks
        parse_blocks('a = 1\\n')
        print("\\n".join(written))
    """)
    xdg = tmp_path / "xdg"
    env = dict(os.environ, XDG_CACHE_HOME=str(xdg))
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, check=True, timeout=300).stdout.split()
    assert (xdg / "hadr-lint" / "hcl2-grammar.bin").is_file()
    assert all(Path(p).resolve().is_relative_to(xdg.resolve()) for p in out), out


class FakeTerminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_progress_only_on_a_terminal():
    quiet = FakeTerminal(tty=False)
    with Progress(3, "parsing", quiet) as progress:
        for _ in range(3):
            progress.advance()
    assert quiet.getvalue() == ""
    shown = FakeTerminal(tty=True)
    with Progress(3, "parsing", shown) as progress:
        for _ in range(3):
            progress.advance()
    assert "parsing 3/3" in shown.getvalue()
    assert shown.getvalue().endswith("\r\033[K")


def test_prune_removes_old_entries_and_other_formats_once_a_day(monkeypatch):
    old, fresh = cache.key("test", "old"), cache.key("test", "fresh")
    monkeypatch.setattr(cache, "_pruned", True)  # no pruning while writing the entries
    cache.store(old, 1)
    cache.store(fresh, 2)
    other_format = cache.directory().parent / "parse-v0"
    other_format.mkdir()
    now = cache._entry(fresh).stat().st_mtime
    os.utime(cache._entry(old), (now - cache.MAX_AGE - 10, now - cache.MAX_AGE - 10))
    monkeypatch.setattr(cache, "_pruned", False)
    cache.prune(now)
    assert cache.load(old) is cache.MISS
    assert cache.load(fresh) == 2
    assert not other_format.exists()
    cache.store(old, 1)
    os.utime(cache._entry(old), (now - cache.MAX_AGE - 10, now - cache.MAX_AGE - 10))
    monkeypatch.setattr(cache, "_pruned", False)
    cache.prune(now + 3600)  # pruned an hour ago: not again today
    assert cache.load(old) == 1


def test_cached_parse_trees_hold_no_positions_and_round_trip_unchanged():
    """Expressions are stored without positions (Node and Leaf): an entry is a third of the
    size and unpickles three times faster, and gives back exactly what the parser gave."""
    import pickle

    from lark import Token, Tree

    from hadr_lint.loaders.terraform.parse import Leaf, Node, parse_blocks

    blocks = parse_blocks(MODULE, "main.tf")
    nodes = [n for b in blocks for a in b.attributes.values() for n in walk(a.expr)]
    assert nodes and all(type(n) in (Node, Leaf) for n in nodes if isinstance(n, (Tree, Token)))
    assert all(type(n.data) is str for n in nodes if isinstance(n, Tree))
    again = pickle.loads(pickle.dumps(blocks, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == blocks
    assert [type(n) for b in again for a in b.attributes.values() for n in walk(a.expr)] == \
        [type(n) for n in nodes]
    assert blocks[0].line == 1 and blocks[0].attributes  # block positions are kept


def walk(node):
    from lark import Tree

    yield node
    if isinstance(node, Tree):
        for child in node.children:
            yield from walk(child)


def test_library_stamps_name_the_installed_files_without_importlib_metadata():
    stamp = cache._library_stamp("hcl2")
    assert stamp.startswith("hcl2=") and "hcl2" in stamp.split("=", 1)[1]
    assert cache._library_stamp("no_such_package_xyz") == "no_such_package_xyz=none"
    script = ("import sys; from hadr_lint import cache; cache.fingerprint(); "
              "print('importlib.metadata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "False"


# ---------------------------------------------------------------------------------------------
# Entries cannot run code: owner and mode of the folder, never inside the scanned tree, HMAC


class _RunsCode:
    """Unpickling this runs ``touch MARKER``: what a forged entry would carry."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def forged(entry_key: str, marker: Path, secret: bytes | None = None) -> bytes:
    """A valid header, a pickle that runs code, and an HMAC under ``secret`` (or garbage)."""
    import hashlib
    import hmac
    import pickle

    header = cache.MAGIC + entry_key.encode("ascii") + b"\n"
    payload = pickle.dumps(_RunsCode(marker))
    mac = hmac.new(secret, header + payload, hashlib.sha256).digest() if secret else b"\0" * 32
    return header + mac + payload


def run_cli(cwd: Path, xdg: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=str(xdg))
    env.pop(cache.ENV_DISABLE, None)
    return subprocess.run([sys.executable, "-m", "hadr_lint", "scan", ".", "--format", "json",
                           "--fail-on", "never", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def plant(folder: Path, marker: Path, secret: bytes | None) -> None:
    """Forged grammar and parse entries for every key the project's scan would read."""
    fingerprint = subprocess.run(
        [sys.executable, "-c", "from hadr_lint import cache; print(cache.fingerprint())"],
        capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    grammar_key = cache.digest("\0".join([fingerprint, "hcl2-grammar"]))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hcl2-grammar.bin").write_bytes(forged(grammar_key, marker, secret))
    if secret:
        (folder / "key").write_bytes(secret)
        os.chmod(folder / "key", 0o600)


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_a_cache_folder_others_can_write_is_not_used(project, tmp_path, mode):
    xdg = tmp_path / "shared"
    marker = tmp_path / "pwned"
    plant(xdg / "hadr-lint", marker, secret=b"k" * 32)  # entries signed with the key beside them
    os.chmod(xdg / "hadr-lint", mode)
    before = sorted(p.name for p in (xdg / "hadr-lint").iterdir())
    run = run_cli(project, xdg)
    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert sorted(p.name for p in (xdg / "hadr-lint").iterdir()) == before  # nothing written
    assert run.stdout == run_cli(project, xdg, "--no-cache").stdout


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a folder to another user needs root")
def test_a_cache_folder_owned_by_someone_else_is_not_used(project, tmp_path):
    xdg = tmp_path / "theirs"
    marker = tmp_path / "pwned"
    plant(xdg / "hadr-lint", marker, secret=b"k" * 32)
    os.chmod(xdg / "hadr-lint", 0o700)
    for path in [xdg / "hadr-lint", *(xdg / "hadr-lint").iterdir()]:
        os.chown(path, 65534, 65534)
    run = run_cli(project, xdg)
    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert not list((xdg / "hadr-lint").rglob("*.pickle"))


def test_a_cache_folder_inside_the_scanned_tree_is_not_used(project, tmp_path):
    """The checkout ships .cache/hadr-lint with a key and entries signed with it, and CI points
    XDG_CACHE_HOME into the checkout: nothing there is read, nothing is written."""
    (project / ".git").mkdir()
    xdg = project / ".cache"
    marker = tmp_path / "pwned"
    plant(xdg / "hadr-lint", marker, secret=b"k" * 32)
    os.chmod(xdg / "hadr-lint", 0o700)
    run = run_cli(project / "live", xdg)  # the tree is the repository, not only live/
    assert run.returncode == 0, run.stderr
    assert not marker.exists()
    assert not list(xdg.rglob("*.pickle"))
    assert (xdg / "hadr-lint" / "key").read_bytes() == b"k" * 32


def test_a_forged_entry_in_our_own_folder_does_not_run(project, tmp_path):
    """Someone who can write the entries but cannot read the key (or a copied cache)."""
    xdg = tmp_path / "cache"
    marker = tmp_path / "pwned"
    first = run_cli(project, xdg)
    assert first.returncode == 0, first.stderr
    folder = xdg / "hadr-lint"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / "key").stat().st_mode & 0o777) == "0o600"
    written = sorted(folder.rglob("*.pickle")) + [folder / "hcl2-grammar.bin"]
    for path in written:
        key = path.stem if path.suffix == ".pickle" else None
        if key is None:
            key = path.read_bytes()[len(cache.MAGIC):].split(b"\n", 1)[0].decode()
        path.write_bytes(forged(key, marker, secret=b"not the key" * 3))
    again = run_cli(project, xdg)
    assert again.returncode == 0, again.stderr
    assert not marker.exists()
    assert again.stdout == first.stdout
    assert again.stderr == ""


def test_random_bytes_behind_a_valid_header_are_a_quiet_miss_and_rewritten(project, tmp_path):
    xdg = tmp_path / "cache"
    first = run_cli(project, xdg)
    folder = xdg / "hadr-lint"
    stored = sorted(folder.rglob("*.pickle")) + [folder / "hcl2-grammar.bin"]
    noise = bytes(range(256)) * 40
    for path in stored:
        data = path.read_bytes()
        header = data[: data.index(b"\n", len(cache.MAGIC)) + 1]
        path.write_bytes(header + noise)
    again = run_cli(project, xdg)
    assert again.returncode == 0
    assert again.stderr == "", again.stderr  # no SystemError, no "Exception ignored"
    assert again.stdout == first.stdout
    assert all(noise not in path.read_bytes() for path in stored)  # rewritten


def test_an_entry_over_the_size_bound_is_neither_written_nor_read(monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRY", 10_000)
    small, big = cache.key("test", "small"), cache.key("test", "big")
    cache.store(small, "x" * 100)
    cache.store(big, "x" * 20_000)
    assert cache.load(small) == "x" * 100
    assert not cache._entry(big).exists()
    data = cache._entry(small).read_bytes()
    monkeypatch.setattr(cache, "MAX_ENTRY", len(data) - 1)
    assert cache.load(small) is cache.MISS


def test_relinking_a_module_folder_is_seen(tmp_path, monkeypatch):
    """``m -> x`` becomes ``m -> y``: x is unchanged, but the module is y's now."""
    repo = tmp_path / "repo"
    for name in ("x", "y"):
        (repo / "modules" / name).mkdir(parents=True)
        (repo / "modules" / name / "main.tf").write_text(
            f'resource "aws_db_instance" "{name}" {{\n  multi_az = false\n}}\n')
    (repo / "live").mkdir()
    (repo / "live" / "main.tf").write_text('module "db" {\n  source = "./m"\n}\n')
    (repo / ".git").mkdir()  # the tree is the repository: modules/ may be read
    link = repo / "live" / "m"
    link.symlink_to(Path("..") / "modules" / "x")
    monkeypatch.chdir(repo / "live")  # scan live/ only: modules/x, y are not roots
    assert "aws_db_instance.x" in scan()
    link.unlink()
    link.symlink_to(Path("..") / "modules" / "y")
    warm = scan()
    assert "aws_db_instance.y" in warm and "aws_db_instance.x" not in warm
    assert warm == scan("--no-cache")


def test_the_grammar_is_ready_before_worker_processes_start(tmp_path, monkeypatch):
    """Workers are forked from the scanning process: with the grammar built there first, a first
    run compiles it once, not once per worker."""
    from hadr_lint.loaders.terraform import FolderReader
    from hadr_lint.loaders.terraform.parse import hcl_parser

    for i in range(3):
        (tmp_path / f"f{i}.tf").write_text(f'resource "aws_sqs_queue" "q{i}" {{}}\n')
    hcl_parser.cache_clear()
    ready = []

    def spy(jobs, parse, label):
        ready.append(hcl_parser.cache_info().currsize)
        return {}

    monkeypatch.setattr(cache, "parse_many", spy)
    monkeypatch.setattr(cache, "missing", lambda jobs: list(jobs))
    FolderReader(display=str).prefetch([tmp_path])
    assert ready == [1]
