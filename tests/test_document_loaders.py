"""The engine knows no document format: it reads a file once and asks the registered loaders
(``hadr_lint.loaders.registry``) in order; the first that claims the file and loads it wins."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hadr_lint.config import Config
from hadr_lint.discover import Discovered
from hadr_lint.engine import ScanOptions, load_all, load_document, scan
from hadr_lint.loaders import Document, DocumentLoader, FolderLoader, registry
from hadr_lint.loaders.terraform.roots import terraform_folders
from hadr_lint.model import LoadResult, Location, Resource

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = {"Resources": {"Db": {"Type": "AWS::RDS::DBInstance",
                                 "Properties": {"Engine": "postgres", "MultiAZ": False}}}}


def _load(path: Path) -> LoadResult:
    return load_document(path, ScanOptions(paths=(path.parent,)), Config())


def test_json_that_mentions_format_version_but_is_no_plan_goes_to_the_next_loader(
        tmp_path: Path) -> None:
    template = dict(TEMPLATE, Metadata={"format_version": "1.2"})
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    [db] = _load(path).resources
    assert (db.type, db.source) == ("AWS::RDS::DBInstance", "cloudformation")


def test_a_registered_loader_is_asked_without_touching_the_engine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def load(document: Document) -> LoadResult:
        asked.append(document.shown)
        where = Location(document.shown, 1)
        return LoadResult(resources=(Resource("thing.a", "a", "thing", where, {}),),
                          files=(document.shown,))

    thing = DocumentLoader("thing", lambda path, text: text.startswith("thing:"), load)
    monkeypatch.setattr(registry, "DOCUMENT_LOADERS", (thing, *registry.DOCUMENT_LOADERS))
    (tmp_path / "a.yaml").write_text("thing: 1\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(json.dumps(TEMPLATE), encoding="utf-8")
    assert [r.address for r in _load(tmp_path / "a.yaml").resources] == ["thing.a"]
    assert [r.type for r in _load(tmp_path / "b.yaml").resources] == ["AWS::RDS::DBInstance"]
    assert len(asked) == 1 and asked[0].endswith("a.yaml")


def test_the_engine_sniffs_no_format() -> None:
    text = (ROOT / "hadr_lint" / "engine.py").read_text(encoding="utf-8")
    assert not [s for s in ('"format_version"', '"Resources"', "AWSTemplateFormatVersion",
                            "load_plan", "cloudformation", '"exports"', '"nests"') if s in text]


def test_discovery_names_no_format_folder() -> None:
    """``.terraform`` and ``.terragrunt-cache`` are the Terraform loader's ``skip_dirs``."""
    text = (ROOT / "hadr_lint" / "discover.py").read_text(encoding="utf-8")
    assert not [s for s in (".terraform", ".terragrunt-cache") if s in text]


def test_the_engine_knows_no_terraform() -> None:
    """Terraform roots, Terragrunt units and .tfvars scan paths live in
    ``hadr_lint.loaders.terraform.roots``; the engine only iterates ``FOLDER_LOADERS``. The one
    mention left is ScanOptions' Terragrunt option, which the engine passes through."""
    lines = (ROOT / "hadr_lint" / "engine.py").read_text(encoding="utf-8").splitlines()
    assert [line.strip() for line in lines
            if any(s in line.lower() for s in ("terraform", "tfvars", "terragrunt", "hcl"))] == [
        "terragrunt_mock_outputs: bool = False  # dependency outputs from mock_outputs"]


def test_a_registered_folder_loader_gets_what_discovery_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_db_instance" "db" {\n  multi_az = false\n}\n', encoding="utf-8")
    (tmp_path / "stack.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")
    seen: list[tuple[list[str], list[str]]] = []

    def load(found: Discovered, options: ScanOptions, config: Config) -> list[LoadResult]:
        seen.append(([p.name for p in terraform_folders(found)],
                     [p.name for p in found.documents]))
        where = Location("thing", 1)
        return [LoadResult(resources=(Resource("thing.a", "a", "thing", where, {}),))]

    thing = FolderLoader("thing", load)
    monkeypatch.setattr(registry, "FOLDER_LOADERS", (*registry.FOLDER_LOADERS, thing))
    results = load_all(ScanOptions(paths=(tmp_path,)), Config())
    addresses = sorted(r.address.rpartition("::")[2] for x in results for r in x.resources)
    assert seen == [([tmp_path.name], ["stack.json"])]
    assert addresses == ["Db", "aws_db_instance.db", "thing.a"]


def test_a_folder_loader_that_crashes_is_an_error_and_the_scan_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "stack.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")

    def load(found: Discovered, options: ScanOptions, config: Config) -> list[LoadResult]:
        raise ValueError("broken")

    monkeypatch.setattr(registry, "FOLDER_LOADERS", (FolderLoader("thing", load),))
    results = load_all(ScanOptions(paths=(tmp_path,)), Config())
    assert [e.message for x in results for e in x.errors] == [
        "internal error while loading: ValueError: broken"]
    assert [r.type for x in results for r in x.resources] == ["AWS::RDS::DBInstance"]


def test_a_folder_loaders_skip_dirs_keep_discovery_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("app", "app/.terraform/modules/x", "app/.thing-cache"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "stack.json").write_text(json.dumps(TEMPLATE), encoding="utf-8")

    def files() -> list[str]:
        results = load_all(ScanOptions(paths=(tmp_path,)), Config())
        return sorted(f for x in results for f in x.files)

    # .terraform: the Terraform loader's skip_dirs
    assert [Path(f).parent.name for f in files()] == [".thing-cache", "app"]
    monkeypatch.setattr(registry, "FOLDER_LOADERS", (*registry.FOLDER_LOADERS, FolderLoader(
        "thing", lambda *a: [], skip_dirs=(".thing-cache",))))
    assert [Path(f).parent.name for f in files()] == ["app"]


def test_a_document_loaders_own_metadata_stays_out_of_the_scans(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def load(document: Document) -> LoadResult:
        return LoadResult(files=(document.shown,),
                          metadata={"mine": document.shown, "shared": "all"})

    thing = DocumentLoader("thing", lambda path, text: text.startswith("thing:"), load,
                           document_keys=("mine",))
    monkeypatch.setattr(registry, "DOCUMENT_LOADERS", (thing, *registry.DOCUMENT_LOADERS))
    (tmp_path / "a.yaml").write_text("thing: 1\n", encoding="utf-8")
    exporting = dict(TEMPLATE, Outputs={"Db": {"Value": "x", "Export": {"Name": "db"}}})
    (tmp_path / "b.json").write_text(json.dumps(exporting), encoding="utf-8")
    metadata = scan(ScanOptions(paths=(tmp_path,)), Config(), []).metadata
    assert metadata["shared"] == "all"
    assert not {"mine", "exports", "outputs"} & set(metadata)  # CloudFormation's: per template


def test_the_registry_names_the_cloudformation_keys_its_loader_writes() -> None:
    from hadr_lint.loaders.cloudformation.exports import LINK_KEYS

    assert registry.CLOUDFORMATION_KEYS == LINK_KEYS


SCAN_AND_LIST_MODULES = """
import json, sys
from hadr_lint.cli import main
cache = ["--no-cache"] if sys.argv[3] == "off" else []
try:
    main(["scan", *cache, "--format", "json", "--output", sys.argv[2], sys.argv[1]])
except SystemExit as exc:
    code = exc.code
json.dump({"exit": code, "modules": sorted(sys.modules)}, sys.stderr)
"""


def _scan_in_a_new_process(path: Path, tmp_path: Path,
                           cache: bool = False) -> tuple[set[str], list[str]]:
    """The modules a whole scan of ``path`` imported, and the rule ids of its findings."""
    import subprocess
    import sys

    report = tmp_path / "report.json"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    if cache:
        env.pop("HADR_LINT_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", SCAN_AND_LIST_MODULES, str(path), str(report),
                           "on" if cache else "off"],
                          capture_output=True, text=True, cwd=tmp_path, check=True, env=env)
    ran = json.loads(done.stderr.strip().splitlines()[-1])
    assert ran["exit"] == 1  # findings: the file was loaded, not skipped
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    return set(ran["modules"]), sorted({f["rule_id"] for f in findings})


def _loaded(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if m.startswith(packages))


def test_a_yaml_template_only_scan_imports_no_terraform_nor_plan_loader_nor_lark(
        tmp_path: Path) -> None:
    modules, rules = _scan_in_a_new_process(
        ROOT / "fixtures" / "rules" / "HA005" / "cfn-single-az" / "template.yaml", tmp_path)
    assert "HA005" in rules
    assert "hadr_lint.loaders.cloudformation.template" in modules
    assert _loaded(modules, "lark", "hcl2", "hadr_lint.loaders.terraform.",
                   "hadr_lint.loaders.plan") == []


def test_a_warm_terraform_scan_imports_neither_lark_nor_the_evaluator(tmp_path: Path) -> None:
    # a pre-commit run on an unchanged root reads its load result from the cache
    import shutil

    shutil.copytree(ROOT / "fixtures" / "rules" / "HA005" / "tf-single-az", tmp_path / "root")
    first, rules = _scan_in_a_new_process(tmp_path / "root" / "main.tf", tmp_path, cache=True)
    assert "lark" in first and "HA005" in rules
    warm, rules = _scan_in_a_new_process(tmp_path / "root" / "main.tf", tmp_path, cache=True)
    assert "HA005" in rules
    assert _loaded(warm, "lark", "hcl2", "hadr_lint.loaders.terraform.evaluate",
                   "hadr_lint.loaders.terraform.parse") == []


def test_a_terraform_only_scan_imports_no_plan_cloudformation_or_terragrunt_loader(
        tmp_path: Path) -> None:
    modules, rules = _scan_in_a_new_process(
        ROOT / "fixtures" / "rules" / "HA005" / "tf-single-az" / "main.tf", tmp_path)
    assert "HA005" in rules
    assert "hadr_lint.loaders.terraform.evaluate" in modules
    assert _loaded(modules, "hadr_lint.loaders.plan", "hadr_lint.loaders.cloudformation",
                   "hadr_lint.loaders.terraform.terragrunt") == []
