"""The posture report agrees with itself and with ``scan``.

* Every fixture folder with stateful stores: each store's backups and cross-region copy cells say
  what the RPO evidence of that same store says (both come from ``analysis.protection`` and the
  estimates; a past report read "backups: none" beside "automated backups, point-in-time
  restore").
* The report's headline counts are ``scan --format json``'s for the same inputs, suppression
  findings (HL001-HL003) included.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.api import scan
from hadr_lint.cli import main
from hadr_lint.report.posture.report import as_dict

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_ROOTS = ("fixtures/rules", "fixtures/objectives", "fixtures/cloudformation",
                 "fixtures/plan", "fixtures/gate")


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def _stores(folder: Path) -> list[dict]:
    data = as_dict(scan(folder))
    return [s for w in data["workloads"] for s in w["stores"]]


def _says(items: list[dict], *words: str) -> bool:
    return any(all(w in e["contribution"] for w in words) for e in items)


BACKUP_CLAIMS = ("automated backups", "EFS automatic backups", "AWS Backup")


def _check_store(store: dict) -> list[str]:
    """What disagrees between the store's row and its own evidence (empty: all agrees)."""
    backups, copy = store["backups"], store["cross_region_copy"]
    az, region = store["evidence"]["rpo_az"], store["evidence"]["rpo_region"]
    wrong = []
    if _says(az, "automated backups, point-in-time restore") and \
            "automated backups" not in backups:
        wrong.append("evidence: automated backups; table: " + backups)
    if _says(az, "EFS automatic backups") and "EFS automatic backups" not in backups:
        wrong.append("evidence: EFS automatic backups; table: " + backups)
    if _says(az + region, "AWS Backup") and "AWS Backup" not in backups:
        wrong.append("evidence: AWS Backup; table: " + backups)
    claims = [e for e in az + region if e["contribution"].startswith(BACKUP_CLAIMS)]
    if backups == "none" and claims:
        wrong.append("table: no backups; evidence: " + claims[0]["contribution"])
    if "restore back" in store["human_error"] and "(automated backups)" in \
            store["human_error"] and "automated backups" not in backups:
        wrong.append("human error: automated backups; table: " + backups)
    zones, rpo_az = store["multi_az"], store["rpo_az"]
    if zones.startswith("yes") != (rpo_az == "0s") and not copy.startswith("not counted"):
        wrong.append(f"table: Multi-AZ {zones}; RPO AZ {rpo_az}")
    if (zones == "unknown") != (rpo_az == "unknown") and rpo_az != "unknown":
        wrong.append(f"table: Multi-AZ {zones}; RPO AZ {rpo_az}")
    copies = [e for e in region if not e["contribution"].startswith(("no copy", "unknown"))]
    if copy.startswith("not counted"):
        return wrong
    if copy == "none" and copies:
        wrong.append("table: no copy; evidence: " + copies[0]["contribution"])
    if copy not in ("none", "unknown") and not copies:
        wrong.append(f"table: copy {copy}; evidence: none")
    if copy == "none" and store["rpo_region"] != "unbounded":
        wrong.append(f"table: no copy; RPO region {store['rpo_region']}")
    return wrong


def test_every_fixture_store_row_agrees_with_its_evidence(fixture_folders):
    checked = 0
    disagreements = {}
    for folder in fixture_folders(*FIXTURE_ROOTS):
        for store in _stores(folder):
            checked += 1
            wrong = _check_store(store)
            if wrong:
                disagreements[f"{folder.relative_to(ROOT)} {store['resource']}"] = wrong
    assert checked > 100  # the fixtures hold this many stores: the property is not vacuous
    assert disagreements == {}


def test_unset_rds_retention_is_the_same_backups_in_table_evidence_and_human_error(tmp_path):
    """The past symptom: RDS keeps 1 day of automated backups when no retention is set."""
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        'resource "aws_db_instance" "orders" {\n  engine = "postgres"\n}\n\n'
        'resource "aws_db_instance" "off" {\n  engine = "postgres"\n'
        '  backup_retention_period = 0\n}\n')
    stores = {s["resource"]: s for s in _stores(tmp_path)}
    orders, off = stores["aws_db_instance.orders"], stores["aws_db_instance.off"]
    assert orders["backups"] == "automated backups 1 day"
    assert orders["rpo_az"] == "5m"
    assert "automated backups, point-in-time restore" in orders["evidence"]["rpo_az"][0][
        "contribution"]
    assert "restore back 1 day (automated backups)" in orders["human_error"]
    assert off["backups"] == "none"
    assert off["rpo_az"] == "unbounded"
    assert "no restore point" in off["human_error"]
    assert _check_store(orders) == [] and _check_store(off) == []


def test_efs_automatic_backups_are_a_backup_in_table_and_estimate(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        'resource "aws_efs_file_system" "one_zone" {\n'
        '  availability_zone_name = "us-east-1a"\n}\n\n'
        'resource "aws_efs_backup_policy" "p" {\n'
        '  file_system_id = aws_efs_file_system.one_zone.id\n'
        '  backup_policy {\n    status = "ENABLED"\n  }\n}\n')
    (store,) = _stores(tmp_path)
    assert store["multi_az"] == "no (One Zone)"
    assert store["backups"] == "EFS automatic backups"
    assert store["rpo_az"] == "1d"
    assert _check_store(store) == []


def test_an_unknown_zone_is_unknown_in_both_columns(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        'variable "zone" {}\n\n'
        'resource "aws_efs_file_system" "files" {\n'
        '  availability_zone_name = var.zone\n}\n')
    (store,) = _stores(tmp_path)
    assert store["multi_az"] == "unknown"  # was "no (One Zone)" beside an unknown RPO
    assert store["rpo_az"] == "unknown"
    assert _check_store(store) == []


def test_the_property_catches_a_disagreement():
    store = {"backups": "none", "cross_region_copy": "none", "rpo_region": "unbounded",
             "multi_az": "no", "rpo_az": "5m",
             "human_error": "no restore point",
             "evidence": {"rpo_az": [{"contribution": "automated backups, point-in-time "
                                                      "restore (logs uploaded every 5 min): 5m"}],
                          "rpo_region": []}}
    assert len(_check_store(store)) == 2


COUNTED = ("findings", "errors", "warnings", "notes", "unverified", "files", "resources",
           "file_errors")


@pytest.mark.parametrize("folder", [
    "fixtures/gate/tf-suppressions",            # HL001, HL002, HL003 among the findings
    "fixtures/gate/suppression-near-misses",
    "fixtures/objectives/multi-region",
    "fixtures/rules/OB005/tf-calculated-slowest-child",
    "fixtures/rules/OB001/cfn-metadata",
])
def test_report_headline_counts_equal_scan(folder):
    scanned = json.loads(CliRunner().invoke(main, ["scan", folder, "--format", "json"]).output)
    reported = json.loads(CliRunner().invoke(main, ["report", folder, "--format", "json"])
                          .output)
    assert {k: reported["summary"][k] for k in COUNTED} == {k: scanned["summary"][k]
                                                            for k in COUNTED}
    assert sorted((f["rule_id"], f["severity"], f["line"]) for f in reported["findings"]) == \
        sorted((f["rule_id"], f["severity"], f["line"]) for f in scanned["findings"])


def test_report_counts_suppression_findings():
    reported = json.loads(CliRunner().invoke(
        main, ["report", "fixtures/gate/tf-suppressions", "--format", "json"]).output)
    assert {"HL001", "HL002", "HL003"} <= {f["rule_id"] for f in reported["findings"]}
    text = CliRunner().invoke(main, ["report", "fixtures/gate/tf-suppressions"]).output
    assert "| HL001 |" in text


def test_calculated_and_metric_checks_read_as_what_they_follow_in_every_format():
    """The CloudFormation fixture: a CALCULATED check (HealthThreshold 1) over an endpoint check
    (3 x 10 s) and a CLOUDWATCH_METRIC check whose alarm fires after 5 x 60 s."""
    folder = "fixtures/rules/OB005/cfn-calculated-alarm"

    def run(fmt: str) -> str:
        return CliRunner().invoke(main, ["report", folder, "--region", "us-east-1",
                                         "--format", fmt, "--max-length", "0"]).output

    data = json.loads(run("json"))
    (workload,) = data["workloads"]
    chain = [(e["resource"], e["attribute"], e["contribution"])
             for e in workload["rto"]["region"]["evidence"]]
    assert chain[:3] == [
        ("LatencyAlarm", "period, evaluation_periods",
         "alarm LatencyAlarm fires after 5 x 60 s: 5m"),
        ("LatencyCheck", "alarm", "CloudWatch metric health check follows alarm LatencyAlarm: 5m"),
        ("PrimaryCheck", "child_health_checks",
         "calculated health check follows its slowest child check (health check follows alarm "
         "LatencyAlarm, which fires after 5 x 60 s), health threshold 1 of 2: 5m")]
    routing = next(b for b in workload["blocks"] if b["name"] == "health-checked failover routing")
    assert routing["detail"].endswith("with calculated health check PrimaryCheck (follows its "
                                      "child checks)")
    for text in (run("markdown"), run("html"), json.dumps(data)):
        assert "follows alarm LatencyAlarm" in text
        assert "follows its child checks" in text
        # the defaults of a polling check (3 x 30 s) never describe these two checks
        assert "3 x 30 s" not in text and "failure_threshold, request_interval" not in text
