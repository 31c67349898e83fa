"""DR005 and the region-loss RPO estimates read the same copies (``analysis.copies``).

Over every fixture folder with stores, scanned with a multi-region strategy so that DR005 judges
every store: a store DR005 passes (it has a copy in another region) never reads "no copy" in the
report JSON, and its region-loss RPO is bounded unless its only copies have no time bound (S3
replication without Replication Time Control); a store DR005 finds without a copy never has a
bounded region-loss RPO, except from an AWS Backup copy action (a backup copy DR005 leaves to
DR007). Unverified on either side is allowed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.analysis.copies import COPY_KINDS
from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_ROOTS = ("fixtures/rules", "fixtures/objectives", "fixtures/cloudformation",
                 "fixtures/plan", "fixtures/gate", "fixtures/seed")
NO_TIME_BOUND = "without Replication Time Control"
BACKUP_COPY = "AWS Backup copy to"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def _run(command: str, folder: Path, *extra: str) -> dict:
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    result = CliRunner().invoke(main, [command, str(shown), "--strategy",
                                       "pilot-light", "--format", "json", *extra])
    return json.loads(result.stdout)


def _dr005(scanned: dict) -> dict[tuple[str, int], str]:
    """(file, line) -> "no copy" (a finding) or "unverified"."""
    found = {(f["file"], f["line"]): "no copy" for f in scanned["findings"]
             if f["rule_id"] == "DR005"}
    found.update({(u["file"], u["line"]): "unverified" for u in scanned["unknowns"]
                  if u["rule_id"] == "DR005"})
    return found


def disagreement(verdict: str, store: dict) -> str | None:
    """Why a store's report row contradicts DR005's verdict (None: they agree)."""
    region = [e["contribution"] for e in store["evidence"]["rpo_region"]]
    named = [c for c in region if not c.startswith(("no copy", "unknown"))]
    if verdict == "copy":
        if store["cross_region_copy"] == "none" or any(c.startswith("no copy") for c in region):
            return f"DR005 passes, the report reads no copy: {region}"
        if store["rpo_region"] == "unbounded" and not all(NO_TIME_BOUND in c for c in named):
            return f"DR005 passes, region-loss RPO unbounded: {region}"
    if verdict == "no copy" and store["rpo_region"] not in ("unbounded", "unknown"):
        if not (named and named[0].startswith(BACKUP_COPY)):
            return f"DR005 finds no copy, region-loss RPO {store['rpo_region']}: {region}"
    return None


def test_dr005_and_the_region_rpo_agree_on_every_fixture_store(fixture_folders):
    seen: dict[str, set[str]] = {"copy": set(), "no copy": set(), "unverified": set()}
    wrong = {}
    for folder in fixture_folders(*FIXTURE_ROOTS):
        report = _run("report", folder, "--max-length", "0")
        stores = [s for w in report["workloads"] for s in w["stores"]
                  if not s["cross_region_copy"].startswith("not counted")]
        if not stores:
            continue
        verdicts = _dr005(_run("scan", folder, "--select", "DR005"))
        for store in stores:
            verdict = verdicts.get((store["file"], store["line"]), "copy")
            seen[verdict].add(store["kind"])
            why = disagreement(verdict, store)
            if why:
                wrong[f"{folder.relative_to(ROOT)} {store['resource']}"] = why
    assert wrong == {}
    # Not vacuous: every verdict occurs, and the store kinds the estimates once left out are
    # judged both ways.
    assert {"docdb_cluster", "neptune_cluster", "redshift_cluster", "memorydb_cluster"} <= \
        seen["no copy"]
    assert {"docdb_cluster", "redshift_cluster", "dynamodb_table", "s3_bucket",
            "db_cluster", "db_instance", "efs_file_system"} <= seen["copy"]
    assert seen["unverified"]


def _row(copy: str, rpo: str, *evidence: str) -> dict:
    return {"cross_region_copy": copy, "rpo_region": rpo,
            "evidence": {"rpo_region": [{"contribution": e} for e in evidence]}}


def test_the_property_catches_each_disagreement():
    no_copy = _row("none", "unbounded", "no copy of x outside its region: unbounded")
    assert disagreement("copy", no_copy) is not None
    assert disagreement("no copy", no_copy) is None
    replica = _row("global table replica in us-west-2", "1s",
                   "global table replica in us-west-2; asynchronous replication: 1s")
    assert disagreement("no copy", replica) is not None
    assert disagreement("copy", replica) is None
    s3 = _row("S3 replication to us-west-2 without Replication Time Control (no time bound)",
              "unbounded", "S3 replication to us-west-2 without Replication Time Control (no "
              "time bound): unbounded")
    assert disagreement("copy", s3) is None
    backup = _row("AWS Backup copy to us-west-2, rule r runs cron(0 5 * * ? *)", "1d",
                  "AWS Backup copy to us-west-2, rule r runs cron(0 5 * * ? *): 1d")
    assert disagreement("no copy", backup) is None
    assert disagreement("unverified", no_copy) is None and disagreement("unverified", replica) \
        is None


@pytest.mark.parametrize(("folder", "resource", "rpo", "says"), [
    ("fixtures/rules/DR005/tf-docdb-global-and-alone", "aws_docdb_cluster.catalog_east", "1s",
     "DocumentDB global cluster secondary in us-west-2"),
    ("fixtures/rules/DR005/tf-docdb-global-and-alone", "aws_neptune_cluster.graph", "unbounded",
     "no copy"),
    ("fixtures/rules/DR005/tf-redshift-snapshot-copy", "aws_redshift_cluster.warehouse", "8h",
     "automated snapshots every 8 hours or 5 GB per node"),
    ("fixtures/rules/DR005/tf-redshift-snapshot-copy", "aws_redshift_cluster.scratch",
     "unbounded", "no copy"),
    ("fixtures/rules/DR005/tf-rds-replica-arn", "aws_db_instance.billing", "1s",
     "cross-region read replica in"),  # the replica names its source by ARN
])
def test_region_rpo_of_the_store_kinds_dr005_judges(folder, resource, rpo, says):
    report = _run("report", ROOT / folder, "--max-length", "0")
    (store,) = [s for w in report["workloads"] for s in w["stores"] if s["resource"] == resource]
    assert store["rpo_region"] == rpo
    assert any(says in e["contribution"] for e in store["evidence"]["rpo_region"])


def test_every_copy_kind_documents_its_lag():
    assert all(isinstance(lag, float) and text.count("{}") == 1
               for lag, text in COPY_KINDS.values())


def test_a_global_database_without_scanned_members_is_unverified_in_dr005_and_the_estimate(
        tmp_path):
    """The other clusters of a global database named by id may live in another repository: an
    unknown copy for DR005 (was a finding) as for the region-loss RPO (unknown)."""
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        'resource "aws_docdb_cluster" "catalog" {\n'
        '  global_cluster_identifier = "catalog-global"\n}\n\n'
        'resource "aws_docdb_cluster" "alone" {\n}\n')
    scanned = _run("scan", tmp_path, "--select", "DR005")
    assert [(u["resource"], u["line"]) for u in scanned["unknowns"]] == \
        [("aws_docdb_cluster.catalog", 5)]
    assert "no secondary cluster among the scanned files" in scanned["unknowns"][0]["reason"]
    assert [f["resource"] for f in scanned["findings"]] == ["aws_docdb_cluster.alone"]
    report = _run("report", tmp_path, "--max-length", "0")
    rows = {s["resource"]: s for w in report["workloads"] for s in w["stores"]}
    assert rows["aws_docdb_cluster.catalog"]["rpo_region"] == "unknown"
    assert rows["aws_docdb_cluster.alone"]["rpo_region"] == "unbounded"


def test_a_redis_classed_workload_in_a_global_datastore_has_a_bounded_region_rpo(tmp_path):
    """ElastiCache Global Datastore: a Redis the team classes ``workload`` passes DR005 and its
    region-loss RPO is the datastore's lag; the same group left a ``cache`` is not judged."""
    folder = ROOT / "fixtures/rules/DR005/tf-elasticache-global-datastore"
    config = tmp_path / "hadr-lint.yaml"
    config.write_text("store_classes:\n"
                      "  aws_elasticache_replication_group.sessions: workload\n"
                      "  aws_elasticache_replication_group.queue: workload\n")
    scanned = _run("scan", folder, "--select", "DR005", "--config", str(config))
    assert [f["resource"] for f in scanned["findings"]] == \
        ["aws_elasticache_replication_group.queue"]
    report = _run("report", folder, "--max-length", "0", "--config", str(config))
    rows = {s["resource"]: s for w in report["workloads"] for s in w["stores"]}
    sessions = rows["aws_elasticache_replication_group.sessions"]
    assert sessions["rpo_region"] == "1s"
    assert any("ElastiCache Global Datastore member in us-west-2" in e["contribution"]
               for e in sessions["evidence"]["rpo_region"])
    assert rows["aws_elasticache_replication_group.queue"]["rpo_region"] == "unbounded"
    assert rows["aws_elasticache_replication_group.cache"]["rpo_region"] == "not counted (cache)"
    assert "aws_elasticache_replication_group.sessions_dr" not in rows  # a secondary: a copy
    unclassed = _run("scan", folder, "--select", "DR005")
    assert unclassed["findings"] == [] and unclassed["unknowns"] == []
