"""``--format gitlab``: GitLab Code Quality JSON, valid against a schema written from GitLab's
documented fields (tests/data/gitlab-codequality.schema.json), fingerprints shared with SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.report import FORMATS

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed"
SCHEMA = json.loads((ROOT / "tests" / "data" / "gitlab-codequality.schema.json").read_text())


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def scan(*args: str) -> tuple[int, object]:
    done = CliRunner().invoke(main, ["scan", *args])
    return done.exit_code, json.loads(done.stdout)


def test_findings_are_valid_code_quality_issues():
    code, issues = scan(str(SEED), "--format", "gitlab")
    assert code == 1
    jsonschema.Draft7Validator(SCHEMA).validate(issues)
    assert [(i["check_name"], i["severity"], i["location"]["path"],
             i["location"]["lines"]["begin"]) for i in issues] == [
        ("HA001", "critical", "fixtures/seed/broken/main.tf", 62),
        ("HA005", "critical", "fixtures/seed/broken/main.tf", 83),
    ]
    assert "[aws_db_instance.main]" in issues[1]["description"]


def test_the_schema_rejects_what_gitlab_would():
    validator = jsonschema.Draft7Validator(SCHEMA)
    good = {"description": "d", "check_name": "HA001", "fingerprint": "f", "severity": "major",
            "location": {"path": "main.tf", "lines": {"begin": 3}}}
    assert validator.is_valid([good])
    for bad in ({**good, "severity": "error"}, {**good, "location": {"path": "/abs/main.tf",
                                                                        "lines": {"begin": 3}}},
                {**good, "location": {"path": "main.tf"}},
                {k: v for k, v in good.items() if k != "fingerprint"}):
        assert not validator.is_valid([bad])


def test_fingerprints_are_the_sarif_partial_fingerprints():
    _, issues = scan(str(SEED), "--format", "gitlab")
    _, sarif = scan(str(SEED), "--format", "sarif")
    expected = [r["partialFingerprints"]["hadrLintFinding/v1"] for r in sarif["runs"][0]["results"]]
    assert [i["fingerprint"] for i in issues] == expected


def test_warnings_notes_file_errors_and_unverified_map_to_gitlab_severities(tmp_path,
                                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)  # the repository root: paths are relative to it
    (tmp_path / "main.tf").write_text(
        'resource "aws_db_instance" "db" {\n  engine = "postgres"\n  instance_class = var.c\n'
        '  multi_az = var.multi_az\n}\n'
        'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
    (tmp_path / "bad.tf").write_text('resource "aws_instance" "x" {\n  ami = {\n')
    code, issues = scan(".", "--format", "gitlab", "--show-unknown")
    assert code == 2
    jsonschema.Draft7Validator(SCHEMA).validate(issues)
    severities = {i["severity"] for i in issues}
    assert "blocker" in severities and "info" in severities
    blocker = next(i for i in issues if i["severity"] == "blocker")
    assert (blocker["location"]["path"], blocker["check_name"]) == ("bad.tf", "file-error")
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_one_registry_drives_the_choices_and_the_lookup():
    help_text = CliRunner().invoke(main, ["scan", "--help"]).stdout
    for name in FORMATS:
        assert name in help_text
    refused = CliRunner().invoke(main, ["scan", str(SEED), "--format", "nope"])
    assert refused.exit_code == 2 and "gitlab" in refused.stderr
