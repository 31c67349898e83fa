"""Hostile and broken input: never crash, never execute, never lose a result.

Every case is generated into tmp_path. A case that could kill the interpreter (a C stack overflow
in libyaml on deeply nested documents) runs in a subprocess, so that a regression fails one test
instead of the whole session.
"""

from __future__ import annotations

import copy
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, load_all

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Queue:\n"
            "    Type: AWS::SQS::Queue\n")
SINGLE_AZ_DB = """provider "aws" {
  region = "us-east-1"
}

resource "aws_db_instance" "main" {
  engine   = "mysql"
  multi_az = false
}
"""


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


def scan(*args: str) -> tuple[int, dict]:
    """``hadr-lint scan ARGS --format json``: any exception fails the test (no traceback path)."""
    result = CliRunner().invoke(main, ["scan", *args, "--format", "json"], catch_exceptions=False)
    data = json.loads(result.stdout if hasattr(result, "stdout") else result.output)
    for error in data["errors"]:
        assert "internal error" not in error["message"], error
        assert "rule crashed" not in error["message"], error
        assert error["file"] and error["message"].strip() == error["message"], error
        assert "\n" not in error["message"], error
    return result.exit_code, data


def errors_of(data: dict, name: str) -> list[dict]:
    return [e for e in data["errors"] if e["file"].endswith(name)]


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HADR_LINT_NO_CACHE", "1")


# ---------------------------------------------------------------------------- malformed files

MALFORMED = {
    "hcl": ("bad/main.tf", 'resource "aws_instance" "a" {\n  ami = \n}\n', 2, "HCL syntax error"),
    "yaml": ("bad/t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n",
             None, "cannot parse template"),
    "json": ("bad/t.json", '{\n"AWSTemplateFormatVersion": "2010-09-09",\n"Resources": {\n',
             None, "cannot parse template"),
    "tf.json": ("bad/main.tf.json", '{"resource": {\n', None, "invalid JSON"),
    "plan": ("bad/plan.json", '{"format_version": "1.2", "planned_values": {\n', None,
             "invalid JSON"),
    "utf8-tf": ("bad/main.tf", b'resource "aws_sqs_queue" "a" {\n  name = "\xff"\n}\n', None,
                "not UTF-8 text"),
    "utf8-yaml": ("bad/t.yaml", TEMPLATE.encode() + b"# \xfe\xff\n", None, "not UTF-8 text"),
    "binary-tf": ("bad/main.tf", bytes(range(256)) * 64, None, "not UTF-8 text"),
    "binary-tf-no-nul": ("bad/main.tf", bytes(range(1, 256)) * 64, None, "not UTF-8 text"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_file_is_an_error_and_other_files_are_still_scanned(tmp_path, case):
    name, content, line, message = MALFORMED[case]
    write(tmp_path, {name: content, "good/t.yaml": TEMPLATE, "tf/main.tf": SINGLE_AZ_DB})
    code, data = scan(".")
    assert code == 2
    found = errors_of(data, name)
    assert len(found) >= 1 and message in found[0]["message"], data["errors"]
    if line is not None:
        assert found[0]["line"] == line
    else:
        assert found[0]["line"] is None or found[0]["line"] >= 1
    assert data["summary"]["resources"] >= 2  # the queue and the database
    assert any(f["rule_id"] == "HA005" for f in data["findings"])


def test_yaml_parse_errors_carry_a_line(tmp_path):
    write(tmp_path, {"t.yaml": TEMPLATE + "  Other:\n    Type: [AWS::SQS::Queue\n"})
    code, data = scan(".")
    assert code == 2
    assert data["errors"][0]["line"] == 6  # at the end of the file: its last line


# ---------------------------------------------------------------------------- encodings, empty

BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("name, content", [
    ("main.tf", BOM + SINGLE_AZ_DB.encode()),
    ("t.yaml", BOM + (TEMPLATE + "  Db:\n    Type: AWS::RDS::DBInstance\n"
                      "    Properties:\n      Engine: mysql\n").encode()),
    ("t.json", BOM + json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "mysql"}}}}).encode()),
])
def test_utf8_bom_parses(tmp_path, name, content):
    write(tmp_path, {name: content})
    code, data = scan(".", "--region", "us-east-1", "--select", "HA005")
    assert not data["errors"]
    assert code == 1 and [f["rule_id"] for f in data["findings"]] == ["HA005"]


def test_empty_files(tmp_path):
    write(tmp_path, {"main.tf": "", "t.yaml": "", "t.json": "", "x.yml": "\n\n",
                     "other/main.tf": SINGLE_AZ_DB})
    code, data = scan(".")
    assert not data["errors"]
    assert data["summary"]["resources"] == 1


def test_crlf_line_endings_parse_with_the_right_lines(tmp_path):
    template = ("AWSTemplateFormatVersion: '2010-09-09'\r\nResources:\r\n\r\n  Db:\r\n"
                "    Type: AWS::RDS::DBInstance\r\n    Properties:\r\n      Engine: mysql\r\n"
                "      MultiAZ: false\r\n")
    write(tmp_path, {"tf/main.tf": SINGLE_AZ_DB.replace("\n", "\r\n"), "cfn/t.yaml": template})
    code, data = scan(".", "--region", "us-east-1", "--select", "HA005")
    assert not data["errors"]
    lines = {(f["file"], f["line"], f["end_line"]) for f in data["findings"]}
    assert lines == {("tf/main.tf", 5, 8), ("cfn/t.yaml", 4, 8)}


# ---------------------------------------------------------------------------- size limit

def test_20_mb_file_is_refused_quickly_with_a_clear_error(tmp_path):
    big = "# padding\n" * 2_000_000  # 20 MB
    write(tmp_path, {"big/main.tf": big, "big/t.yaml": TEMPLATE + big, "ok/main.tf": SINGLE_AZ_DB})
    started = time.monotonic()
    code, data = scan(".")
    assert time.monotonic() - started < 10
    assert code == 2
    for name in ("main.tf", "t.yaml"):
        (error,) = errors_of(data, f"big/{name}")
        assert "20.0 MB, over the size limit of 5.0 MB" in error["message"]
        assert "--max-file-size" in error["message"]
    assert data["summary"]["resources"] == 1


def test_max_file_size_option(tmp_path):
    write(tmp_path, {"main.tf": SINGLE_AZ_DB})
    code, data = scan(".", "--max-file-size", "50")
    assert code == 2 and "over the size limit" in data["errors"][0]["message"]
    code, data = scan(".", "--max-file-size", "100000")
    assert not data["errors"]


# ---------------------------------------------------------------------------- nesting, bombs

DEPTH = 100_000


def _deep_cases() -> dict[str, str]:
    brackets = "[" * DEPTH + "]" * DEPTH
    objects = '{"a": ' * DEPTH + "1" + "}" * DEPTH
    return {
        "json/t.json": '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": ' + brackets + "}",
        "json-objects/t.json": '{"AWSTemplateFormatVersion": "2010-09-09", "X": ' + objects + "}",
        "yaml/t.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources: " + brackets + "\n",
        "yaml-compact/t.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nX:\n  " + "- " * DEPTH
        + "x\n",
        "yaml-block/t.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
        + "".join(" " * i + f"k{i}:\n" for i in range(1, 2500)),
        "tfjson/main.tf.json": '{"resource": ' + brackets + "}",
        "plan/plan.json": '{"format_version": "1.2", "planned_values": ' + brackets + "}",
        "hcl/main.tf": "locals {\n  x = " + brackets + "\n}\n"
        'resource "aws_sqs_queue" "q" {\n  name = local.x\n}\n',
    }


def test_documents_nested_100000_levels_deep(tmp_path):
    """In a subprocess: libyaml overflowed the C stack on these (a segmentation fault)."""
    write(tmp_path, _deep_cases())
    write(tmp_path, {"ok/t.yaml": TEMPLATE})
    env = dict(os.environ, HADR_LINT_NO_CACHE="1")
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "hadr_lint", "scan", ".", "--format", "json"],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert run.returncode == 2, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert time.monotonic() - started < 120
    data = json.loads(run.stdout)
    messages = {e["file"]: e["message"] for e in data["errors"]}
    for folder in ("json", "json-objects", "yaml", "yaml-compact", "yaml-block"):
        name = next(n for n in messages if n.startswith(folder + "/"))
        assert "nested more than 1000 levels deep" in messages[name]
    assert "maximum recursion depth" in messages["tfjson/main.tf.json"]
    assert "maximum recursion depth" in messages["plan/plan.json"]
    assert all("internal error" not in m for m in messages.values())
    assert data["summary"]["resources"] == 2  # ok/Queue, and hcl's queue with an unknown name


def test_hcl_nested_expression_is_an_unknown_value(tmp_path):
    write(tmp_path, {"main.tf": 'resource "aws_sqs_queue" "q" {\n  name = ' + "[" * 5000
                     + "]" * 5000 + "\n}\n"})
    resources, errors = _load(tmp_path)
    assert not errors
    assert "nested too deeply" in resources["aws_sqs_queue.q"].raw["name"].reason


def test_yaml_alias_bomb_is_refused(tmp_path):
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'a: &a ["lol","lol","lol","lol","lol",'
             '"lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    lines += ["Resources:", "  Q:", "    Type: AWS::SQS::Queue", "    Properties:",
              "      Tags: *i"]
    write(tmp_path, {"bomb.yaml": "\n".join(lines) + "\n", "ok/t.yaml": TEMPLATE})
    started = time.monotonic()
    code, data = scan(".")
    assert time.monotonic() - started < 20
    assert code == 2
    (error,) = errors_of(data, "bomb.yaml")
    assert "alias" in error["message"]
    assert data["summary"]["resources"] == 1


# ---------------------------------------------------------------------------- duplicates, shapes

def test_duplicate_keys(tmp_path):
    write(tmp_path, {
        "yaml/t.yaml": TEMPLATE + "  Queue:\n    Type: AWS::SQS::Queue\n",
        "json/t.json": '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {\n'
                       '"Q": {"Type": "AWS::SQS::Queue"},\n"Q": {"Type": "AWS::SQS::Queue"}}}',
        "attr/main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "a"\n  name = "b"\n}\n',
        "block/main.tf": 'resource "aws_sqs_queue" "q" {\n  name = "a"\n}\n',
        "block/other.tf": '\n\nresource "aws_sqs_queue" "q" {}\n',
    })
    code, data = scan(".")
    assert code == 2
    assert any("Duplicate found 'Queue'" in e["message"] and e["line"] == 5
               for e in errors_of(data, "yaml/t.yaml"))
    assert any("Duplicate found" in e["message"] for e in errors_of(data, "json/t.json"))
    (attr,) = errors_of(data, "attr/main.tf")
    assert attr["line"] == 3 and 'argument "name" is set twice (lines 2 and 3)' in attr["message"]
    (block,) = errors_of(data, "block/other.tf")
    assert block["line"] == 3 and "first declared at block/main.tf:1" in block["message"]
    assert data["summary"]["resources"] == 1  # block's first queue


@pytest.mark.parametrize("name, content, message", [
    ("t.yaml", "- AWSTemplateFormatVersion: '2010-09-09'\n- Resources: {}\n",
     "template is not a mapping (found a list)"),
    ("t.json", '["AWSTemplateFormatVersion", "Resources"]', "template is not a mapping"),
    ("t.yaml", "AWSTemplateFormatVersion\n", "template is not a mapping (found a string)"),
    ("main.tf.json", '"resource"', "must hold a JSON object"),
    ("main.tf.json", '[{"resource": {}}]', "must hold a JSON object"),
])
def test_document_that_is_not_a_mapping(tmp_path, name, content, message):
    write(tmp_path, {name: content, "ok/t.yaml": TEMPLATE})
    code, data = scan(".")
    assert code == 2
    (error,) = errors_of(data, name)
    assert message in error["message"]
    assert data["summary"]["resources"] == 1


def test_plan_shaped_list_or_scalar_is_skipped_or_an_error(tmp_path):
    write(tmp_path, {"a/plan.json": '["format_version", "planned_values"]',
                     "b/plan.json": '"format_version"',
                     "c/plan.json": '{"format_version": "1.2", "planned_values": []}'})
    code, data = scan(".")
    assert [e["file"] for e in data["errors"]] == ["c/plan.json"]
    assert "no planned_values object" in data["errors"][0]["message"]


@pytest.mark.parametrize("version", ['"2.0"', "1", "null", '"x"', "[1]"])
def test_plan_of_an_unsupported_format_version(tmp_path, version):
    write(tmp_path, {"plan.json": '{"format_version": ' + version + ', "planned_values": '
                                  '{"root_module": {"resources": []}}}'})
    code, data = scan(".")
    assert code == 2
    assert "unsupported plan format version" in data["errors"][0]["message"]
    assert data["errors"][0]["file"] == "plan.json"


SINGLE_AZ_PLAN = {
    "format_version": "0.2", "terraform_version": "0.15.5",
    "planned_values": {"root_module": {"resources": [{
        "address": "aws_db_instance.main", "mode": "managed", "type": "aws_db_instance",
        "name": "main", "provider_name": "registry.terraform.io/hashicorp/aws",
        "values": {"engine": "mysql", "multi_az": False, "identifier": "main"}}]}},
    "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {
        "region": {"constant_value": "eu-west-1"}}}}},
}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-8-sig",
                                      "utf-32"])
def test_plan_written_by_powershell_or_with_a_bom_is_decoded(tmp_path, encoding):
    """PowerShell 5's `terraform show -json tfplan > plan.json` writes UTF-16 LE with a BOM."""
    text = json.dumps(SINGLE_AZ_PLAN) + "\r\n"
    content = {"utf-16-le-bom": b"\xff\xfe" + text.encode("utf-16-le"),
               "utf-16-be-bom": b"\xfe\xff" + text.encode("utf-16-be")}.get(encoding)
    write(tmp_path, {"plan.json": content or text.encode(encoding), "ok/t.yaml": TEMPLATE})
    code, data = scan(".", "--select", "HA005")
    assert data["errors"] == []
    assert [(f["file"], f["rule_id"], f["resource"]) for f in data["findings"]] == [
        ("plan.json", "HA005", "aws_db_instance.main")]
    assert code == 1


def test_utf16_without_a_bom_is_still_not_utf8_text(tmp_path):
    text = json.dumps(SINGLE_AZ_PLAN)
    write(tmp_path, {"plan.json": text.encode("utf-16-le"), "ok/t.yaml": TEMPLATE})
    code, data = scan(".")
    assert code == 2
    assert [(e["file"], e["message"].split(" (")[0]) for e in data["errors"]] == [
        ("plan.json", "not UTF-8 text")]
    assert data["summary"]["resources"] == 1


def test_utf16_text_with_nul_characters_is_binary(tmp_path):
    write(tmp_path, {"plan.json": "\ufeff{\x00}".encode("utf-16-le"), "ok/t.yaml": TEMPLATE})
    code, data = scan(".")
    assert code == 2
    assert [(e["file"], e["message"].split(" (")[0]) for e in data["errors"]] == [
        ("plan.json", "not UTF-16 text")]


def test_plan_configuration_with_wrong_types(tmp_path):
    """Found by fuzz/fuzz_plan.py: a configuration resource whose type is an object."""
    plan = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{
            "address": "aws_sqs_queue.q", "mode": "managed", "type": "aws_sqs_queue",
            "name": "q", "values": {"name": {"not": "a string"}}}]}},
        "resource_changes": [{"address": "aws_sqs_queue.q", "change": {"after_unknown": []}}],
        "configuration": {"provider_config": {"aws": {"expressions": {"region": []}}},
                          "root_module": {"resources": [
                              {"type": {"x": 1}, "name": ["q"], "mode": "managed"},
                              {"type": "aws_sqs_queue", "name": "q", "expressions": []}]}},
    }
    write(tmp_path, {"plan.json": json.dumps(plan)})
    code, data = scan(".")
    assert not data["errors"]
    assert data["summary"]["resources"] == 1


# ---------------------------------------------------------------------------- nothing executed

PAYLOADS = {
    "in-properties.yaml": TEMPLATE + "    Properties:\n      QueueName: !!python/object/apply:"
                          "os.system ['touch {marker}']\n",
    "document.yaml": "!!python/object/apply:os.system ['touch {marker}']\n",
    "resources.yaml": "Resources: !!python/object/apply:os.system ['touch {marker}']\n",
    "new.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources: !!python/object/new:"
                "subprocess.Popen [['touch', '{marker}']]\n",
    "name.yaml": "AWSTemplateFormatVersion: !!python/name:os.system\nResources: {{}}\n",
}


def test_yaml_python_tags_are_never_constructed(tmp_path, monkeypatch):
    marker = tmp_path / "PWNED"
    calls = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    write(tmp_path, {f"t/{name}": text.format(marker=marker) for name, text in PAYLOADS.items()})
    with _no_network_no_processes(monkeypatch):
        code, data = scan(".")
    assert not marker.exists() and not calls
    assert data["summary"]["resources"] == 0
    flagged = {e["file"] for e in data["errors"]}
    assert "t/in-properties.yaml" in flagged and "t/new.yaml" in flagged
    assert all("could not determine a constructor" in e["message"] for e in data["errors"])


class _Forbidden(AssertionError):
    pass


def _forbid(*args, **kwargs):
    raise _Forbidden(f"network or process access during a scan: {args!r}")


class _no_network_no_processes:
    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def __enter__(self):
        for target, name in ((socket, "socket"), (socket, "create_connection"),
                             (socket, "getaddrinfo"), (subprocess, "Popen"), (os, "system"),
                             (os, "popen"), (os, "fork")):
            self.monkeypatch.setattr(target, name, _forbid)
        return self

    def __exit__(self, *exc):
        self.monkeypatch.undo()
        return False


def test_scanning_every_fixture_opens_no_socket_and_starts_no_process(monkeypatch):
    monkeypatch.chdir(ROOT)
    with _no_network_no_processes(monkeypatch):
        result = CliRunner().invoke(main, ["scan", "fixtures", "--format", "json"],
                                    catch_exceptions=True)
    assert not isinstance(result.exception, _Forbidden), result.exception
    assert result.exit_code in (0, 1, 2)
    data = json.loads(result.output)
    assert data["summary"]["resources"] > 50


# ---------------------------------------------------------------------------- expansion limits

def _load(root: Path):
    results = load_all(ScanOptions(paths=(root,)), Config())
    resources = {r.address.split("::", 1)[1]: r for res in results for r in res.resources}
    errors = [e for res in results for e in res.errors]
    return resources, errors


def _notes(root: Path) -> list[str]:
    return [n for res in load_all(ScanOptions(paths=(root,)), Config()) for n in res.notes]


def test_huge_count_and_for_each_are_capped_and_unknown(tmp_path):
    write(tmp_path, {"main.tf": """
locals {
  big = range(100000000)
}
resource "aws_sqs_queue" "count" {
  count = 1000000
  name  = "q-${count.index}"
}
resource "aws_sqs_queue" "set" {
  for_each = toset([for i in range(1000000) : tostring(i)])
}
resource "aws_sqs_queue" "map" {
  for_each = { for i in range(5000) : tostring(i) => i }
}
resource "aws_sqs_queue" "local" {
  count = length(local.big)
}
"""})
    started = time.monotonic()
    resources, errors = _load(tmp_path)
    assert time.monotonic() - started < 20
    assert not errors
    assert set(resources) == {"aws_sqs_queue.count", "aws_sqs_queue.set", "aws_sqs_queue.map",
                              "aws_sqs_queue.local"}
    for resource in resources.values():
        assert resource.meta["count_unknown"], resource.address
    assert "expansion cap" in resources["aws_sqs_queue.count"].meta["count_unknown"]


def test_nested_module_counts_stop_at_the_total_cap(tmp_path):
    """Seven small files: 20 instances per level, six levels: 64 million without a total cap."""
    folder = tmp_path
    for _ in range(6):
        write(folder, {"main.tf": 'module "x" {\n  source = "./m"\n  count  = 20\n}\n'
                                  'resource "aws_sqs_queue" "q" {}\n'})
        folder = folder / "m"
    write(folder, {"main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    started = time.monotonic()
    code, data = scan(".")
    assert time.monotonic() - started < 120
    assert not data["errors"]
    assert any("stopped expanding" in n for n in data["notes"])
    assert data["summary"]["resources"] < 60_000


def test_module_that_includes_itself(tmp_path):
    write(tmp_path, {"main.tf": 'module "me" {\n  source = "./"\n}\n'
                                'resource "aws_sqs_queue" "q" {}\n'})
    code, data = scan(".")
    assert code == 2
    (error,) = data["errors"]
    assert error["file"] == "main.tf" and error["line"] == 1
    assert "module.me includes itself" in error["message"]
    assert data["summary"]["resources"] == 2  # the folder is loaded: the queue, and module.me


def test_modules_in_a_cycle_with_and_without_a_root(tmp_path):
    write(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",  # a repository: ../a is inside the tree
        "root/main.tf": 'module "a" {\n  source = "../a"\n}\n',
        "a/main.tf": 'module "b" {\n  source = "../b"\n}\nresource "aws_sqs_queue" "qa" {}\n',
        "b/main.tf": 'module "a" {\n  source = "../a"\n}\n',
    })
    code, data = scan("root")
    assert code == 2
    assert [(e["file"], e["line"]) for e in data["errors"]] == [("b/main.tf", 1)]
    assert "root -> a -> b -> a" in data["errors"][0]["message"]
    # a and b only call each other: each is loaded as a root, the cycle is reported
    code, data = scan("a", "b")
    assert code == 2
    assert {e["file"] for e in data["errors"]} == {"a/main.tf", "b/main.tf"}
    assert data["summary"]["resources"] >= 1


def test_module_source_with_a_nul_character(tmp_path):
    """Found by fuzz/fuzz_hcl.py: Path.resolve() raised ValueError (embedded null byte)."""
    write(tmp_path, {"main.tf": 'module "m" {\n  source = "./\\u0000x"\n}\n'
                                'resource "aws_sqs_queue" "q" {}\n'})
    code, data = scan(".")
    assert not data["errors"]
    assert data["summary"]["resources"] == 2  # the queue and the module that was not loaded


def test_locals_in_a_cycle_are_unknown(tmp_path):
    write(tmp_path, {"main.tf": 'locals {\n  a = local.b\n  b = local.c\n  c = local.a\n}\n'
                                'resource "aws_sqs_queue" "q" {\n  name = local.a\n}\n'})
    resources, errors = _load(tmp_path)
    assert not errors
    assert "refers to itself (cycle)" in resources["aws_sqs_queue.q"].raw["name"].reason


def test_2000_locals_in_a_chain_resolve(tmp_path):
    chain = "".join(f"  l{i} = local.l{i - 1}\n" for i in range(1, 2001))
    write(tmp_path, {"main.tf": f'locals {{\n  l0 = "end"\n{chain}}}\n'
                                'resource "aws_sqs_queue" "q" {\n  name = local.l2000\n}\n'})
    resources, errors = _load(tmp_path)
    assert not errors
    assert resources["aws_sqs_queue.q"].raw["name"] == "end"


# ---------------------------------------------------------------------------- links, permissions

def test_symbolic_link_loops_and_links_outside_the_tree(tmp_path):
    outside = write(tmp_path / "outside", {"main.tf": SINGLE_AZ_DB, "t.yaml": TEMPLATE})
    tree = write(tmp_path / "tree", {"main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "sub").mkdir()
    (tree / "sub" / "up").symlink_to(tree / "sub", target_is_directory=True)
    (tree / "out").symlink_to(outside, target_is_directory=True)
    (tree / "db.tf").symlink_to(outside / "main.tf")
    (tree / "t.yaml").symlink_to(outside / "t.yaml")
    (tree / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    (tree / "self.tf").symlink_to(tree / "self.tf")
    started = time.monotonic()
    code, data = scan("tree", "--select", "HA005")
    assert time.monotonic() - started < 30
    assert data["findings"] == []  # outside/main.tf's database is not read
    names = {n.split(":")[0] for n in data["notes"]}
    assert {"tree/db.tf", "tree/t.yaml"} <= names
    assert data["summary"]["resources"] == 1


def test_unreadable_file(tmp_path, monkeypatch):
    """Tests run as root, where chmod 000 does not stop reading: the read itself is refused."""
    write(tmp_path, {"locked/main.tf": SINGLE_AZ_DB, "locked/t.yaml": TEMPLATE,
                     "ok/main.tf": SINGLE_AZ_DB})
    for path in (tmp_path / "locked").iterdir():
        path.chmod(0)
    from hadr_lint import text

    original = text._open

    def refused(path):
        if Path(path).parent.name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(text, "_open", refused)
    code, data = scan(".")
    assert code == 2
    assert {(e["file"], e["message"]) for e in data["errors"]} == {
        ("locked/main.tf", "cannot read: Permission denied"),
        ("locked/t.yaml", "cannot read: Permission denied"),
    }
    assert [f["file"] for f in data["findings"] if f["rule_id"] == "HA005"] == ["ok/main.tf"]


# ---------------------------------------------------------------------------- scale

def test_cloudformation_with_10000_resources_finishes(tmp_path):
    """cfn-lint's decoder checks duplicate keys against every earlier key (quadratic): about
    4 s for 10,000 resources on the reference machine, 4x that for 20,000."""
    body = "".join(f"  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                   f"      QueueName: q{i}\n" for i in range(10_000))
    write(tmp_path, {"t.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + body})
    started = time.monotonic()
    code, data = scan(".")
    assert time.monotonic() - started < 120
    assert not data["errors"]
    assert data["summary"]["resources"] == 10_000


# ---------------------------------------------------------------------------- wrong types in rules

def _wrong_values():
    from hadr_lint.model import Ref, Unknown

    return {
        "string": "not-what-you-expect",
        "map": {"key": "value", "Fn::Nope": ["x"]},
        "list": ["a", 1, {"b": None}],
        "int": 7,
        "float": 1.5,
        "bool": True,
        "none": None,
        "unknown": Unknown("wrong type"),
        "nested-unknown-list": [Unknown("wrong type"), "a"],
        "nested-unknown-map": {"key": Unknown("wrong type"), "x": [Unknown("deeper")]},
        "ref": Ref("nowhere.thing", "id"),
    }


def _string_constants(code) -> set[str]:
    found = set()
    for const in code.co_consts:
        if isinstance(const, str) and const.isidentifier():
            found.add(const)
        elif hasattr(const, "co_consts"):
            found |= _string_constants(const)
    return found


def _raw_keys() -> set[str]:
    """Every key a spec path or a derive function of the normalise tables may read."""
    import inspect

    from hadr_lint.normalise import FAMILIES, TABLES

    keys = set()
    for table in TABLES.values():
        for found in table.values():
            keys |= {f.path.split(".")[0] for f in found.fields.values()}
    for family in FAMILIES:
        for _, function in inspect.getmembers(family, inspect.isfunction):
            keys |= _string_constants(function.__code__)
    return keys


def _set_path(raw: dict, path: str, value) -> None:
    """Put ``value`` where the dotted path ``a.0.b`` reads it, building the containers."""
    parts = path.split(".")
    current = raw
    for part, following in zip(parts, parts[1:], strict=False):
        if part.isdigit():
            continue  # current is already the first item of that list
        child = current.get(part)
        if following.isdigit():
            if not (isinstance(child, list) and child and isinstance(child[0], dict)):
                child = current[part] = [{}]
            current = child[0]
        else:
            if not isinstance(child, dict):
                child = current[part] = {}
            current = child
    if not parts[-1].isdigit():
        current[parts[-1]] = value


def _wrong_resources(value, source: str, nested: bool):
    from hadr_lint.model import Location, Resource
    from hadr_lint.normalise import TABLES
    from hadr_lint.normalise.registry_modules import MODULES

    keys = sorted(_raw_keys())
    table = TABLES["terraform" if source == "plan" else source]
    types = [(rtype, found, {}) for rtype, found in sorted(table.items())]
    if source == "terraform":
        types += [("module", MODULES[key][1], {"source": key}) for key in sorted(MODULES)]
    made = []
    for index, (rtype, found, meta) in enumerate(types):
        raw = {key: copy.deepcopy(value) for key in keys}
        if nested:
            for item in found.fields.values():
                _set_path(raw, item.path, copy.deepcopy(value))
        meta = dict(meta, lifecycle={"prevent_destroy": value}, deletion_policy=value,
                    update_replace_policy=value, update_policy=value, creation_policy=value,
                    metadata=value, count_unknown=None, index=None)
        made.append(Resource(
            address=f"{source}::{rtype}.w{index}", name=f"{rtype}.w{index}", type=rtype,
            location=Location("wrong.tf", index + 1, index + 1), raw=raw, region=value,
            source=source, meta=meta,
        ))
    return made


def _without_unknowns(resource):
    """The resource with every attribute that holds an Unknown anywhere made absent."""
    import dataclasses

    from hadr_lint.model import find_unknown

    attributes = {k: (None if find_unknown(v) is not None else v)
                  for k, v in resource.attributes.items()}
    region = None if find_unknown(resource.region) is not None else resource.region
    return dataclasses.replace(resource, attributes=attributes, region=region)


def _error_findings(resources) -> set[tuple[str, str]]:
    from hadr_lint.graph import Graph
    from hadr_lint.model import Problem
    from hadr_lint.rulebase import all_rules

    graph = Graph(resources)
    config = Config()
    found = set()
    for rule in all_rules():
        for outcome in rule.check(graph, config):  # an exception here fails the test
            if isinstance(outcome, Problem) and (outcome.severity or rule.meta.severity) == "error":
                found.add((rule.id, outcome.resource.name))
    return found


@pytest.mark.parametrize("source", ["terraform", "plan", "cloudformation"])
@pytest.mark.parametrize("nested", [False, True], ids=["flat", "nested"])
@pytest.mark.parametrize("value_name", sorted(_wrong_values()))
def test_wrong_typed_values_never_crash_a_rule_nor_make_an_error(source, nested, value_name):
    """Every canonical kind of both formats' tables (discovered, so new kinds and rules are
    covered), every field and every raw key the tables read holding one wrong-typed value: no
    rule may raise, and an error-severity finding must not depend on an Unknown (it must still
    be there when every attribute holding an Unknown is absent instead)."""
    from hadr_lint.normalise import normalise

    resources = [normalise(r) for r in _wrong_resources(_wrong_values()[value_name], source,
                                                        nested)]
    assert {r.kind for r in resources} - {"other"}, "no canonical kind was built"
    with_wrong = _error_findings(resources)
    with_absent = _error_findings([_without_unknowns(r) for r in resources])
    assert with_wrong <= with_absent, sorted(with_wrong - with_absent)


def test_every_canonical_kind_is_covered_by_the_wrong_type_test():
    from hadr_lint.normalise import known_kinds, normalise

    built = {normalise(r).kind for source in ("terraform", "cloudformation")
             for r in _wrong_resources("x", source, False)}
    assert set(known_kinds()) <= built


def test_deeply_nested_configuration_file_is_a_usage_error(tmp_path):
    write(tmp_path, {".hadr-lint.yaml": "select: " + "[" * 5000 + "]" * 5000 + "\n",
                     "main.tf": SINGLE_AZ_DB})
    result = CliRunner().invoke(main, ["scan", "."], catch_exceptions=False)
    assert result.exit_code == 2
    assert "cannot read configuration" in result.output


def test_duplicate_and_unlabelled_module_blocks(tmp_path):
    """Found by fuzz/fuzz_hcl.py: a module block declared twice was expanded twice at every
    level (2^depth), and a module block without a label raised IndexError."""
    folder = tmp_path
    for _ in range(14):
        write(folder, {"main.tf": 'module "m" {\n  source = "./m"\n}\n\nmodule "m" {\n'
                                  '  source = "./m"\n}\nmodule {\n  source = "./m"\n}\n'})
        folder = folder / "m"
    write(folder, {"main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    started = time.monotonic()
    code, data = scan(".")
    assert time.monotonic() - started < 30
    assert code == 2
    (error,) = [e for e in data["errors"] if e["file"] == "main.tf"]
    assert error["line"] == 5
    assert 'duplicate module "m": first declared at main.tf:1' in error["message"]
    assert len(data["errors"]) == 14
    assert data["summary"]["resources"] == 1


# ------------------------------------------------------------------- reading outside the tree
# hadr_lint/tree.py: the tree is the enclosing repository (a .git entry), else the scanned paths.
# Files the scanned files point to (variable files, .hadr-lint.yaml, module sources, modules.json
# Dir entries, TemplateURLs) are read only inside it.

SECRET_VARS = 'region = "hunter2"\n'
USES_REGION = ('variable "region" {\n  default = "eu-west-1"\n}\n\nprovider "aws" {\n'
               '  region = var.region\n}\n\nresource "aws_db_instance" "db" {\n'
               '  engine   = "mysql"\n  multi_az = false\n}\n')
LIVES = "has no copy in another region (it lives only in {})"


def cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _outputs(*args: str) -> dict[str, str]:
    """text (with its notes, which go to standard error), JSON and SARIF of ``scan ARGS``:
    DR005 quotes the region in its message."""
    found = {fmt: cli("scan", *args, "--strategy", "warm-standby", "--select", "DR005",
                      "--format", fmt) for fmt in ("text", "json", "sarif")}
    return {fmt: r.output if fmt == "text" else r.stdout for fmt, r in found.items()}


@pytest.mark.parametrize("name", ["terraform.tfvars", "prod.auto.tfvars"])
def test_variable_file_linked_outside_the_repository_is_not_read(tmp_path, name):
    write(tmp_path, {"home/.env": SECRET_VARS, "repo/.git/HEAD": "ref: refs/heads/main\n",
                     "repo/main.tf": USES_REGION})
    (tmp_path / "repo" / name).symlink_to(tmp_path / "home" / ".env")
    outputs = _outputs("repo")
    for fmt, text in outputs.items():
        assert "hunter2" not in text, fmt
        assert LIVES.format("eu-west-1") in text, fmt  # the default applies
    assert (f"note: repo/{name}: variables not read: the file links outside the repository"
            in outputs["text"])
    # the same file inside the repository is read: the check above can fail
    (tmp_path / "repo" / name).unlink()
    write(tmp_path, {f"repo/{name}": SECRET_VARS})
    assert all(LIVES.format("hunter2") in text for text in _outputs("repo").values())


def test_auto_tfvars_json_linked_outside_is_not_read(tmp_path):
    write(tmp_path, {"home/secret.json": '{"region": "hunter2"}',
                     "repo/.git/HEAD": "", "repo/main.tf": USES_REGION})
    (tmp_path / "repo" / "x.auto.tfvars.json").symlink_to(tmp_path / "home" / "secret.json")
    outputs = _outputs("repo")
    assert not [fmt for fmt, text in outputs.items() if "hunter2" in text]
    notes = json.loads(outputs["json"])["notes"]
    assert any(n.startswith("repo/x.auto.tfvars.json: variables not read") for n in notes)


def test_var_file_given_on_the_command_line_is_read_wherever_it_is(tmp_path):
    write(tmp_path, {"home/secret.tfvars": SECRET_VARS, "repo/.git/HEAD": "",
                     "repo/main.tf": USES_REGION})
    outputs = _outputs("repo", "--var-file", "home/secret.tfvars")
    assert LIVES.format("hunter2") in outputs["text"]


MODULE_CALL = 'module "db" {\n  source = "%s"\n}\n'


def test_module_outside_the_scanned_folder_but_inside_the_repository_is_loaded(tmp_path):
    """Monorepos: ``live/prod`` calls ``../../modules/db``."""
    write(tmp_path, {".git/HEAD": "", "modules/db/main.tf": SINGLE_AZ_DB,
                     "live/prod/main.tf": MODULE_CALL % "../../modules/db"})
    code, data = scan("live/prod", "--select", "HA005")
    assert code == 1
    assert [(f["resource"], f["file"]) for f in data["findings"]] == [
        ("module.db.aws_db_instance.main", "modules/db/main.tf")]
    assert data["notes"] == []


def test_module_outside_the_repository_is_not_read(tmp_path):
    write(tmp_path, {"outside/db/main.tf": SINGLE_AZ_DB, "repo/.git/HEAD": "",
                     "repo/live/main.tf": MODULE_CALL % "../../outside/db"
                     + 'resource "aws_sqs_queue" "q" {}\n'})
    (tmp_path / "repo" / "modules").mkdir()
    (tmp_path / "repo" / "modules" / "linked").symlink_to(tmp_path / "outside" / "db")
    write(tmp_path, {"repo/other/main.tf": MODULE_CALL % "../modules/linked"})
    code, data = scan("repo", "--select", "HA005")
    assert data["findings"] == []  # outside/db's single-AZ database is never read
    assert sorted(data["notes"]) == [
        f"repo/{caller}/main.tf:1: module.db ({source}) was not loaded: it lies or links outside "
        "the repository (or the scanned folder)"
        for caller, source in (("live", "../../outside/db"), ("other", "../modules/linked"))]


def test_without_git_the_tree_is_the_scanned_folder(tmp_path):
    write(tmp_path, {"modules/db/main.tf": SINGLE_AZ_DB,
                     "live/prod/main.tf": MODULE_CALL % "../../modules/db"})
    code, data = scan("live/prod", "--select", "HA005")
    assert data["findings"] == []
    assert data["notes"] == ["live/prod/main.tf:1: module.db (../../modules/db) was not loaded: "
                             "it lies or links outside the repository (or the scanned folder)"]
    # scanning the folder that holds both reads the module
    code, data = scan(".", "--select", "HA005")
    assert [f["resource"] for f in data["findings"]] == ["module.db.aws_db_instance.main"]


def test_modules_json_dir_outside_the_repository_is_not_read(tmp_path):
    modules = {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                           {"Key": "db", "Source": "registry.terraform.io/x/db/aws",
                            "Dir": "../outside/db"}]}
    write(tmp_path, {"outside/db/main.tf": SINGLE_AZ_DB, "repo/.git/HEAD": "",
                     "repo/main.tf": MODULE_CALL % "x/db/aws",
                     "repo/.terraform/modules/modules.json": json.dumps(modules)})
    code, data = scan("repo", "--select", "HA005")
    assert data["findings"] == []
    assert any("module db: Dir '../outside/db' not read" in n for n in data["notes"])
    # inside the repository the downloaded module is read
    modules["Modules"][1]["Dir"] = ".terraform/modules/db"
    write(tmp_path, {"repo/.terraform/modules/modules.json": json.dumps(modules),
                     "repo/.terraform/modules/db/main.tf": SINGLE_AZ_DB})
    code, data = scan("repo", "--select", "HA005")
    assert [f["resource"] for f in data["findings"]] == ["module.db.aws_db_instance.main"]


SECRET_CONFIG = "select: [hunter2-HA005]\n"


def test_configuration_linked_outside_the_repository_is_not_read(tmp_path):
    write(tmp_path, {"home/evil.yaml": SECRET_CONFIG, "repo/.git/HEAD": "",
                     "repo/main.tf": SINGLE_AZ_DB})
    (tmp_path / "repo" / ".hadr-lint.yaml").symlink_to(tmp_path / "home" / "evil.yaml")
    result = cli("scan", "repo")
    assert "hunter2" not in result.output
    assert result.exit_code == 1  # the defaults: HA005 finds the single-AZ database
    assert "repo/.hadr-lint.yaml: not read: the configuration file lies or links outside" \
        in result.output
    assert "configuration:" not in result.output.splitlines()[-1]


def test_configuration_search_stops_at_the_repository_root(tmp_path):
    write(tmp_path, {".hadr-lint.yaml": SECRET_CONFIG, "repo/.git/HEAD": "",
                     "repo/main.tf": SINGLE_AZ_DB})
    result = cli("scan", "repo")
    assert result.exit_code == 1, result.output
    assert "hunter2" not in result.output
    assert "configuration:" not in result.output.splitlines()[-1]
    # the repository's own configuration is used and named in the summary
    write(tmp_path, {"repo/.hadr-lint.yaml": "ignore: [HA005]\n"})
    result = cli("scan", "repo", "--select", "HA005")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith("; configuration: repo/.hadr-lint.yaml")


def test_configuration_search_without_git(tmp_path, monkeypatch):
    """Without git the search stops at the scanned folder, unless the current folder is above
    it: then at the current folder (the user chose it)."""
    write(tmp_path, {"a/.hadr-lint.yaml": "ignore: [HA005]\n", "a/b/main.tf": SINGLE_AZ_DB,
                     "elsewhere/.keep": ""})
    monkeypatch.chdir(tmp_path / "a")
    result = cli("scan", "b", "--select", "HA005")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith("; configuration: .hadr-lint.yaml")
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = cli("scan", str(tmp_path / "a" / "b"), "--select", "HA005")
    assert result.exit_code == 1, result.output
    assert "configuration:" not in result.output.splitlines()[-1]


# ---------------------------------------------------------------------------- never a traceback
# Each of these ended the scan with a Python traceback and exit 1 (issue 22). --output into a
# missing folder or /dev/full and --write-baseline into a missing folder: test_fails_closed.py.

OK_DB = {"ok/main.tf": SINGLE_AZ_DB}
PARENT = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
    "Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "x"}},
    "Queue": {"Type": "AWS::SQS::Queue"}}}


def _ok_finding_stands(data: dict) -> None:
    assert [(f["rule_id"], f["file"]) for f in data["findings"]
            if f["file"] == "ok/main.tf"] == [("HA005", "ok/main.tf")]


def _usage_error(result) -> str:
    """Exit 2, no traceback, one line on stderr: returned."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("url", ["child\x00.yaml", "loop/child.yaml"])
def test_template_url_with_nul_or_through_a_link_loop(tmp_path, url):
    parent = copy.deepcopy(PARENT)
    parent["Resources"]["Child"]["Properties"]["TemplateURL"] = url
    write(tmp_path, {**OK_DB, "stacks/parent.json": json.dumps(parent)})
    (tmp_path / "stacks" / "loop").symlink_to(tmp_path / "stacks" / "loop")
    code, data = scan(".", "--select", "HA005", "--region", "us-east-1")
    assert code == 1
    _ok_finding_stands(data)
    assert data["summary"]["resources"] == 3  # the parent's stack and queue, ok's database
    assert data["errors"] == []


def test_module_source_through_a_link_loop(tmp_path):
    write(tmp_path, {**OK_DB, "looped/main.tf": 'module "m" {\n  source = "./loop"\n}\n'
                                                'resource "aws_sqs_queue" "q" {}\n'})
    (tmp_path / "looped" / "loop").symlink_to(tmp_path / "looped" / "loop")
    code, data = scan(".", "--select", "HA005")
    _ok_finding_stands(data)
    assert "aws_sqs_queue.q" in {r for r in _resource_names(".")}  # every root still loads
    assert code == 1


def _resource_names(path: str) -> set[str]:
    result = CliRunner().invoke(main, ["graph", path, "--format", "json"],
                                catch_exceptions=False)
    return {n["name"] for n in json.loads(result.stdout)["nodes"]}


def test_scan_argument_that_is_a_link_loop(tmp_path):
    write(tmp_path, OK_DB)
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    code, data = scan("loop", "ok", "--select", "HA005")
    assert code == 2
    assert data["errors"] == [{"file": "loop", "line": None,
                               "message": "cannot read: symbolic link loop"}]
    _ok_finding_stands(data)


def test_400_digit_rpo_in_template_metadata(tmp_path):
    template = {"AWSTemplateFormatVersion": "2010-09-09",
                "Metadata": {"HadrLint": {"Strategy": "backup-restore", "RPO": "9" * 400}},
                "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}
    write(tmp_path, {**OK_DB, "t.json": json.dumps(template)})
    code, data = scan(".", "--select", "HA005", "--region", "us-east-1")
    assert code == 2
    (error,) = data["errors"]
    assert error["file"] == "t.json" and "at most 100 years" in error["message"]
    _ok_finding_stands(data)


def test_400_digit_rpo_in_a_configuration_found_by_search(tmp_path):
    write(tmp_path, {**OK_DB, ".hadr-lint.yaml": f"objectives:\n  rpo: {'9' * 400}\n"})
    line = _usage_error(cli("scan", "."))
    assert ".hadr-lint.yaml" in line and "at most 100 years" in line


def test_stack_names_key_with_nul(tmp_path):
    write(tmp_path, {**OK_DB, ".hadr-lint.yaml": 'stack_names:\n  "a\\0b.yaml": prod\n'})
    line = _usage_error(cli("scan", "."))
    assert ".hadr-lint.yaml" in line and "stack_names" in line


def test_baseline_nested_100000_deep(tmp_path):
    write(tmp_path, {**OK_DB, "baseline.json": "[" * DEPTH + "]" * DEPTH})
    line = _usage_error(cli("scan", "ok", "--baseline", "baseline.json"))
    assert line == "Error: --baseline baseline.json: baseline is not valid JSON: nested too deeply"


def test_deeply_nested_auto_tfvars_json(tmp_path):
    write(tmp_path, {**OK_DB, "deep/main.tf": 'resource "aws_sqs_queue" "q" {}\n',
                     "deep/x.auto.tfvars.json": '{"v": ' + "[" * DEPTH + "]" * DEPTH + "}"})
    code, data = scan(".", "--select", "HA005")
    assert code == 2
    (error,) = data["errors"]
    assert error["file"] == "deep/x.auto.tfvars.json"
    assert error["message"].startswith("cannot read variables: ")
    _ok_finding_stands(data)


def _subprocess(*args: str, cwd: Path, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    """The installed entry point (``cli.run``), with a timeout: a hang fails the test."""
    code = "from hadr_lint.cli import run; run()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120,
                          env={**os.environ, "HADR_LINT_NO_CACHE": "1"})


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("name", ["main.tf", "x.yaml"])
def test_fifo_named_like_a_source_file_does_not_hang(tmp_path, name):
    write(tmp_path, OK_DB)
    (tmp_path / "fifo").mkdir()
    os.mkfifo(tmp_path / "fifo" / name)
    done = _subprocess("scan", ".", "--select", "HA005", "--format", "json", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    data = json.loads(done.stdout)
    assert [(e["file"], e["message"]) for e in data["errors"]] == [
        (f"fifo/{name}", "cannot read: not a regular file (a FIFO)")]
    _ok_finding_stands(data)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_to_dev_full(tmp_path):
    write(tmp_path, OK_DB)
    with open("/dev/full", "w") as full:
        done = _subprocess("scan", ".", cwd=tmp_path, stdout=full)
    assert done.returncode == 2, done.stderr
    assert done.stderr == ("Error: cannot write the report to standard output: "
                           "No space left on device\n")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_template_larger_than_cloudformation_accepts_is_a_file_error_not_decoded(
        tmp_path, monkeypatch, suffix):
    """A mapping of 40,000 keys (1.3 MB): over the 1 MB CloudFormation accepts through S3, so
    it is reported without reaching cfn-lint's decoder (quadratic on wide mappings); the other
    template still loads."""
    import cfnlint.decode

    from hadr_lint.loaders.cloudformation.decode import MAX_TEMPLATE_BYTES

    keys = {f"Key{i:05d}": {"Value": f"ami-{i:012d}"} for i in range(40_000)}
    if suffix == ".json":
        big = json.dumps({"AWSTemplateFormatVersion": "2010-09-09",
                          "Mappings": {"Images": keys},
                          "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}})
    else:
        lines = [f"    {k}:\n      Value: {v['Value']}\n" for k, v in keys.items()]
        big = TEMPLATE + "Mappings:\n  Images:\n" + "".join(lines)
    assert len(big) > MAX_TEMPLATE_BYTES
    write(tmp_path, {f"big{suffix}": big, "small.yaml": TEMPLATE.replace("Queue", "Other")})
    # both decoders: cfn-lint's and the fast one (loaders/cloudformation/fast_yaml.py)
    decoded: list[int] = []
    from hadr_lint.loaders.cloudformation import fast_yaml

    for module, name in ((cfnlint.decode, "decode_str"), (fast_yaml, "loads_or_none")):
        real = getattr(module, name)

        def spy(text: str, *args, real=real, **kwargs):
            decoded.append(len(text))
            return real(text, *args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    code, data = scan(".", "--fail-on", "never")
    found = errors_of(data, f"big{suffix}")
    assert len(found) == 1, data["errors"]
    assert f"template is {len(big):,} bytes" in found[0]["message"]
    assert "1 MB" in found[0]["message"] and "cannot be deployed" in found[0]["message"]
    assert decoded and max(decoded) < MAX_TEMPLATE_BYTES  # small.yaml only
    assert code == 2  # a file error
