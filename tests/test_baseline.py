"""Baselines through the command line: write, hide, new findings, fixed ones, line moves, files."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
SELECT = ["--select", "HA001,HA005"]

NEW_DATABASE = """
resource "aws_db_instance" "audit" {
  identifier     = "audit"
  engine         = "postgres"
  instance_class = "db.t4g.medium"
  multi_az       = false
}
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    shutil.copytree(ROOT / "fixtures" / "gate" / "baseline", tmp_path / "infra" / "prod")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, ["scan", *args, *SELECT])


def report(*args: str) -> dict:
    return json.loads(run(*args, "--format", "json").stdout)


def test_write_then_gate_on_new_findings_only(repo: Path) -> None:
    written = run("infra", "--write-baseline", ".hadr-lint-baseline.json")
    assert written.exit_code == 0, written.output  # accepting today's findings passes
    assert "wrote 2 findings to the baseline" in written.stderr
    data = json.loads((repo / ".hadr-lint-baseline.json").read_text())
    assert data["version"] == 1
    assert {(e["rule"], e["file"], e["resource"]) for e in data["findings"]} == {
        ("HA001", "infra/prod/main.tf", "aws_autoscaling_group.web_asg"),
        ("HA005", "infra/prod/main.tf", "aws_db_instance.main"),
    }
    assert all(len(e["fingerprint"]) == 20 and e["line"] > 0 for e in data["findings"])

    quiet = run("infra", "--baseline", ".hadr-lint-baseline.json")
    assert quiet.exit_code == 0, quiet.output
    assert "2 in the baseline, 0 fixed since" in quiet.output

    main_tf = repo / "infra" / "prod" / "main.tf"
    main_tf.write_text("# moved down by a new header\n\n\n" + main_tf.read_text() + NEW_DATABASE)
    gated = report("infra", "--baseline", ".hadr-lint-baseline.json")
    assert [(f["rule_id"], f["resource"]) for f in gated["findings"]] == [
        ("HA005", "aws_db_instance.audit")]
    assert len(gated["baselined"]) == 2
    assert run("infra", "--baseline", ".hadr-lint-baseline.json").exit_code == 1


def test_fixed_entries_are_reported(repo: Path) -> None:
    run("infra", "--write-baseline", "baseline.json")
    main_tf = repo / "infra" / "prod" / "main.tf"
    main_tf.write_text(main_tf.read_text().replace("multi_az             = false",
                                                   "multi_az             = true"))
    result = run("infra", "--baseline", "baseline.json")
    assert result.exit_code == 0
    assert "1 in the baseline, 1 fixed since" in result.output
    assert "fixed: infra/prod/main.tf: HA005" in result.output
    fixed = report("infra", "--baseline", "baseline.json")["fixed"]
    assert [(e["rule"], e["resource"]) for e in fixed] == [("HA005", "aws_db_instance.main")]


def test_the_file_is_part_of_the_match(repo: Path) -> None:
    run("infra", "--write-baseline", "baseline.json")
    shutil.copytree(repo / "infra" / "prod", repo / "infra" / "staging")
    gated = report("infra", "--baseline", "baseline.json")
    assert {f["file"] for f in gated["findings"]} == {"infra/staging/main.tf"}
    assert len(gated["findings"]) == 2 and len(gated["baselined"]) == 2


def test_a_changed_message_is_a_new_finding(repo: Path) -> None:
    run("infra", "--write-baseline", "baseline.json")
    main_tf = repo / "infra" / "prod" / "main.tf"
    # two AZs instead of one: still a finding, but not the one that was accepted
    main_tf.write_text(main_tf.read_text().replace(
        "app_subnets = [aws_subnet.private[0].id]",
        "app_subnets = [aws_subnet.private[0].id, aws_subnet.private[1].id]"))
    gated = report("infra", "--baseline", "baseline.json")
    assert [f["rule_id"] for f in gated["findings"]] == ["HA001"]
    assert "2 AZs" in gated["findings"][0]["message"]
    assert [e["rule"] for e in gated["fixed"]] == ["HA001"]


def test_paths_are_relative_to_the_baseline_file(repo: Path) -> None:
    run("infra", "--write-baseline", "baseline.json")
    os.chdir(repo / "infra")
    result = run("prod", "--baseline", "../baseline.json")
    assert result.exit_code == 0, result.output


def test_unreadable_baseline_is_a_usage_error(repo: Path) -> None:
    (repo / "baseline.json").write_text('{"findings": []}')
    result = run("infra", "--baseline", "baseline.json")
    assert result.exit_code == 2
    assert "not a hadr-lint baseline" in result.output
    (repo / "broken.json").write_text("{")
    assert "not valid JSON" in run("infra", "--baseline", "broken.json").output


def test_a_baseline_written_before_instance_keys_still_matches(tmp_path: Path,
                                                               monkeypatch) -> None:
    """The fixture's baseline was written when findings named the block (one entry for both
    tenants, ``aws_db_instance.reports`` for ``reports[0]``): it still hides every instance's
    finding, reports nothing fixed, and a resource without instance keys keeps its fingerprint."""
    shutil.copytree(ROOT / "fixtures" / "gate" / "baseline-instances", tmp_path / "db")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "db")
    old = json.loads(Path(".hadr-lint-baseline.json").read_text())
    assert {e["resource"] for e in old["findings"]} == {
        "aws_db_instance.main", "aws_db_instance.tenant", "aws_db_instance.reports"}
    gated = report(".", "--baseline", ".hadr-lint-baseline.json")
    assert gated["findings"] == [] and gated["fixed"] == []
    assert sorted(f["resource"] for f in gated["baselined"]) == [
        "aws_db_instance.main", "aws_db_instance.reports[0]",
        'aws_db_instance.tenant["acme"]', 'aws_db_instance.tenant["globex"]']

    assert run(".", "--write-baseline", "new.json").exit_code == 0
    new = {e["resource"]: e for e in json.loads(Path("new.json").read_text())["findings"]}
    assert len(new) == 4
    unchanged = next(e for e in old["findings"] if e["resource"] == "aws_db_instance.main")
    assert new["aws_db_instance.main"] == unchanged


def test_an_old_block_entry_does_not_hide_another_message(tmp_path: Path, monkeypatch) -> None:
    """The entry without keys matches an instance only with the message it was written for."""
    shutil.copytree(ROOT / "fixtures" / "gate" / "baseline-instances", tmp_path / "db")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "db")
    baseline = Path(".hadr-lint-baseline.json")
    data = json.loads(baseline.read_text())
    for item in data["findings"]:
        if item["resource"] == "aws_db_instance.tenant":
            item["fingerprint"] = "0" * 20  # written for another message
    baseline.write_text(json.dumps(data))
    gated = report(".", "--baseline", str(baseline))
    assert sorted(f["resource"] for f in gated["findings"]) == [
        'aws_db_instance.tenant["acme"]', 'aws_db_instance.tenant["globex"]']
    assert [f["resource"] for f in gated["fixed"]] == ["aws_db_instance.tenant"]
