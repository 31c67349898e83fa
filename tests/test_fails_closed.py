"""The gate fails closed (issue 16): a typo in a rule id, a missing path, an output that cannot be
written or a suppression that cannot be read is refused (exit 2 or an HL003 finding), never a
green run with nothing checked. Everything goes through the real command line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = "fixtures/seed"


@pytest.fixture(autouse=True)
def at_root(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


# ----- unknown rule ids --------------------------------------------------------------------------

@pytest.mark.parametrize("option, value, expected", [
    ("--select", "XX999", "--select: unknown rule id XX999; `hadr-lint rules` lists them"),
    ("--select", "HA05", "--select: unknown rule id HA05 (did you mean HA005"),
    ("--ignore", "HA001,HE03", "--ignore: unknown rule id HE03 (did you mean HE003"),
])
@pytest.mark.parametrize("command", ["scan", "report", "graph"])
def test_unknown_rule_id_on_the_command_line(command, option, value, expected) -> None:
    result = invoke(command, SEED, option, value)
    assert result.exit_code == 2, result.output
    assert expected in one_line(result.stderr)
    assert result.stdout == ""


def test_prefixes_and_pseudo_rules_are_known() -> None:
    result = invoke("scan", SEED, "--select", "HA00,HL", "--ignore", "hl003")
    assert result.exit_code == 1, result.output
    assert "HA005" in result.stdout


@pytest.mark.parametrize("config, expected", [
    ({"select": ["XX1"]}, "select: unknown rule id XX1"),
    ({"ignore": ["HA001", "DR9"]}, "ignore: unknown rule id DR9"),
    ({"severity": {"HA05": "note"}}, "severity: unknown rule id HA05 (did you mean HA005"),
    ({"severity": {"HA": "note"}}, "severity: unknown rule id HA"),  # no prefix: exact ids
])
def test_unknown_rule_id_in_the_configuration(tmp_path: Path, config, expected) -> None:
    file = tmp_path / ".hadr-lint.yaml"
    file.write_text(yaml.safe_dump(config))
    result = invoke("scan", SEED, "--config", file)
    assert result.exit_code == 2, result.output
    assert f"{file}: {expected}" in one_line(result.stderr)
    check = invoke("config", "--check", file)
    assert check.exit_code == 1, check.output
    key, _, message = expected.partition(": ")
    assert re.search(rf"^{re.escape(str(file))}:\d+: {key}\S*: {re.escape(message)}",
                     check.stderr, re.M), check.stderr
    assert "invalid" in check.stdout


def plugin_rules(tmp_path: Path) -> Path:
    """A --rules-dir folder with ZZ005, a copy of HA005."""
    rules = tmp_path / "my_rules"
    rules.mkdir()
    text = (ROOT / "rules" / "ha005_rds_multi_az.py").read_text()
    (rules / "zz_copy.py").write_text(text.replace('id="HA005"', 'id="ZZ005"'))
    return rules


def test_plugin_rule_ids_are_known(tmp_path: Path) -> None:
    rules = plugin_rules(tmp_path)
    result = invoke("scan", SEED, "--rules-dir", rules, "--select", "ZZ005")
    assert result.exit_code == 1, result.output
    assert "ZZ005" in result.stdout
    refused = invoke("scan", SEED, "--select", "ZZ005")
    assert refused.exit_code == 2
    assert "--select: unknown rule id ZZ005" in one_line(refused.stderr)


@pytest.mark.parametrize("command", ["report", "graph"])
def test_report_and_graph_take_rules_dir(tmp_path: Path, command) -> None:
    rules = plugin_rules(tmp_path)
    result = invoke(command, SEED, "--rules-dir", rules, "--select", "ZZ005", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"ZZ005"' in result.stdout
    refused = invoke(command, SEED, "--select", "ZZ005")
    assert refused.exit_code == 2
    assert "--select: unknown rule id ZZ005" in one_line(refused.stderr)


def test_explain_unknown_rule_id_is_one_line_with_a_suggestion() -> None:
    result = invoke("explain", "HA05")
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr).startswith("Error: unknown rule id HA05 (did you mean HA005, ")
    assert result.stdout == ""


def test_rules_dir_that_does_not_exist_is_refused() -> None:
    """A typo in --rules-dir would silently run none of the plugin's rules."""
    result = invoke("scan", SEED, "--rules-dir", "my_rules_typo")
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr) == "Error: --rules-dir my_rules_typo: no such folder"


def test_config_check_knows_rules_dir_ids(tmp_path: Path) -> None:
    rules = plugin_rules(tmp_path)
    file = tmp_path / ".hadr-lint.yaml"
    file.write_text(yaml.safe_dump({"select": ["ZZ005"], "severity": {"ZZ005": "note"}}))
    without = invoke("config", "--check", file)
    assert without.exit_code == 1
    assert f"{file}:2: select[0]: unknown rule id ZZ005" in without.stderr
    plugged = invoke("config", "--check", "--rules-dir", rules, file)
    assert plugged.exit_code == 0, plugged.output
    assert plugged.stdout.strip() == f"{file}: valid"
    scan = invoke("scan", SEED, "--config", file, "--rules-dir", rules)
    assert scan.exit_code == 0, scan.output  # ZZ005 lowered to a note: no failure
    assert "ZZ005" in scan.stdout


# ----- paths -------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["scan", "report", "graph"])
def test_missing_path_is_a_usage_error(command) -> None:
    result = invoke(command, SEED, "fixtures/no-such-folder")
    assert result.exit_code == 2
    assert one_line(result.stderr) == "Error: fixtures/no-such-folder: no such file or folder"
    assert result.stdout == ""


@pytest.mark.parametrize("args, expected", [
    (("--var-file", "prod.tfvars"), "Error: --var-file prod.tfvars: no such file"),
    (("--baseline", "baseline.json"), "Error: --baseline baseline.json: cannot read baseline: "
                                      "No such file or directory"),
    (("--config", "missing.yaml"), "Error: missing.yaml: cannot read configuration: [Errno 2] "
                                   "No such file or directory: 'missing.yaml'"),
])
def test_missing_input_file_is_a_usage_error(args, expected) -> None:
    result = invoke("scan", SEED, *args)
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr) == expected
    assert result.stdout == ""


@pytest.mark.parametrize("check", [("--check",), ()])
def test_config_of_a_missing_file_is_a_usage_error(check) -> None:
    result = invoke("config", *check, "missing.yaml")
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr) == "Error: missing.yaml: no such file"


def test_baseline_that_is_not_one_is_refused_before_scanning(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    target.write_text('{"findings": []}')
    result = invoke("scan", SEED, "--baseline", target)
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr) == (f"Error: --baseline {target}: not a hadr-lint baseline "
                                       "(version 1 expected)")
    assert result.stdout == ""


@pytest.mark.parametrize("option, value, expected", [
    ("--rpo", "5 minutes", "Error: --rpo: expected a duration such as 0, 30s, 5m, 1h30m or 1d, "
                           "not '5 minutes'"),
    ("--strategy", "hot", "Error: --strategy: 'hot' is not a strategy; use one of"),
])
def test_bad_objective_on_the_command_line_is_one_line(option, value, expected) -> None:
    result = invoke("scan", SEED, option, value)
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr).startswith(expected)


def test_folder_without_iac_fails_in_ci(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# docs only\n")
    (tmp_path / "ci.yml").write_text("on: push\njobs: {}\n")
    result = invoke("scan", tmp_path)
    assert result.exit_code == 2, result.output
    assert f"no Terraform or CloudFormation files found under {tmp_path}" in result.stderr


def test_precommit_given_only_non_iac_files_passes(tmp_path: Path) -> None:
    (tmp_path / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "package.json").write_text('{"name": "web"}\n')
    result = invoke("scan", tmp_path / "ci.yml", tmp_path / "package.json")
    assert result.exit_code == 0, result.output
    assert "no Terraform or CloudFormation files found under" in result.stderr


def test_one_empty_folder_among_others_fails(tmp_path: Path) -> None:
    result = invoke("scan", "fixtures/seed/good", tmp_path)
    assert result.exit_code == 2, result.output
    assert f"no Terraform or CloudFormation files found under {tmp_path}" in result.stderr


@pytest.mark.parametrize("command", ["report", "graph"])
def test_report_and_graph_of_a_folder_without_iac_fail(tmp_path: Path, command) -> None:
    (tmp_path / "README.md").write_text("# docs only\n")
    result = invoke(command, tmp_path)
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr) == f"no Terraform or CloudFormation files found under {tmp_path}"


# ----- output ------------------------------------------------------------------------------------

@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_output_into_a_missing_folder(tmp_path: Path, option) -> None:
    target = tmp_path / "missing" / "report.json"
    result = invoke("scan", SEED, option, target)
    assert result.exit_code == 2, result.output
    assert str(target) in one_line(result.stderr)
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("command", ["scan", "report", "graph"])
def test_output_into_a_folder(tmp_path: Path, command) -> None:
    result = invoke(command, SEED, "--output", tmp_path)
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr) == f"Error: --output {tmp_path}: is a folder, not a file"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", ["scan", "report", "graph"])
def test_output_that_cannot_be_written(command) -> None:
    result = invoke(command, SEED, "--output", "/dev/full")
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr) == ("Error: --output /dev/full: cannot write: "
                                       "No space left on device")


def test_output_into_a_read_only_file(tmp_path: Path) -> None:
    import os

    target = tmp_path / "report.txt"
    target.write_text("old")
    target.chmod(0o444)
    if os.access(target, os.W_OK):
        pytest.skip("running as root: every file is writable")
    result = invoke("scan", SEED, "--output", target)
    assert result.exit_code == 2, result.output
    assert one_line(result.stderr) == f"Error: --output {target}: permission denied"


# ----- small gate defects ------------------------------------------------------------------------

def test_write_baseline_exits_zero(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    result = invoke("scan", SEED, "--select", "HA005", "--write-baseline", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote 1 finding to the baseline {target}" in result.stderr
    assert json.loads(target.read_text())["findings"][0]["rule"] == "HA005"
    again = invoke("scan", SEED, "--select", "HA005", "--baseline", target)
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("given, seconds", [("1h30m", 5400), ("2m30s", 150), ("1d2h", 93600),
                                             ("1H 30M", 5400)])
def test_compound_durations_on_the_command_line(given, seconds) -> None:
    result = invoke("report", SEED, "--strategy", "backup-restore", "--rpo", given,
                    "--format", "json")
    assert result.exit_code == 0, result.output
    declared = json.loads(result.stdout)["workloads"][0]["declared"]
    assert declared["rpo"] == seconds
    assert declared["sources"]["rpo"] == "command line"


COMPOUND_CONFIG = """\
objectives: {strategy: backup-restore, rpo: 1h30m, rto: 1d2h}
workloads:
  - {name: db, path: db, objectives: {RTO: 2m30s}}
strategies:
  backup-restore: {rpo: 12h30m, rto: 1d12h}
recovery_steps: {restore: 2h30m, manual_failover: 1h15m}
"""


def test_compound_durations_everywhere_durations_are_read(tmp_path: Path) -> None:
    """objectives, workloads, strategies and recovery_steps in the configuration, and a
    CloudFormation template's Metadata, all read 1h30m as the report prints it."""
    shutil.copytree(ROOT / SEED / "broken", tmp_path / "db")
    stack = tmp_path / "stack.yaml"
    shutil.copy(ROOT / "fixtures/rules/OB005/cfn-ok/template.yaml", stack)
    stack.write_text(stack.read_text().replace("RPO: 1m, RTO: 5m", "RPO: 1m30s, RTO: 4h45m"))
    config = tmp_path / ".hadr-lint.yaml"
    config.write_text(COMPOUND_CONFIG)
    check = invoke("config", "--check", config)
    assert check.exit_code == 0, check.output
    result = invoke("report", tmp_path, "--format", "json", "--region", "us-east-1")
    assert result.exit_code == 0, result.output
    workloads = {Path(w["name"]).name: w for w in json.loads(result.stdout)["workloads"]}
    declared = {name: (w["declared"]["rpo_text"], w["declared"]["rto_text"])
                for name, w in workloads.items()}
    assert declared == {"db": ("1h30m", "2m30s"), "stack.yaml": ("1m30s", "4h45m")}
    # recovery_steps: the single-AZ database restores in 2h30m (default 4h); a region loss
    # adds the manual failover, 1h15m (default 1h)
    rto = workloads["db"]["rto"]
    assert rto["az"]["text"] == "2h30m"
    assert ("recovery step: restore from backups and provision the stack: 2h30m"
            in [e["contribution"] for e in rto["region"]["evidence"]])
    # strategies: backup-restore's floors are replaced by 12h30m and 1d12h
    scan = invoke("scan", tmp_path / "db", "--select", "OB002", "--config", config)
    assert scan.exit_code == 1, scan.output
    assert ("OB002 declared RPO 1h30m is tighter than any backup-restore setup can deliver (at "
            "best 12h30m: set in strategies.backup-restore) and RTO 2m30s is tighter than any "
            "backup-restore setup can deliver (at best 1d12h: set in strategies.backup-restore)"
            ) in scan.stdout


def anchors(markdown: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation but '-' dropped, spaces to '-'."""
    found = set()
    for line in markdown.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def test_sarif_help_uris_point_at_existing_anchors() -> None:
    from hadr_lint.docs import rules_markdown

    result = invoke("scan", "fixtures/gate", "--format", "sarif", "--region", "eu-west-1")
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    generated = rules_markdown()
    assert generated == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    present = anchors(generated)
    uris = {r["id"]: r["helpUri"] for r in rules}
    assert {"HL001", "HL002", "HL003"} <= set(uris)
    for rule_id, uri in uris.items():
        page, _, anchor = uri.partition("#")
        assert page.endswith("docs/rules.md"), uri
        assert anchor in present, f"{rule_id}: no anchor #{anchor} in docs/rules.md"


def test_report_and_graph_take_select() -> None:
    report = invoke("report", SEED, "--select", "HA005", "--format", "json")
    assert report.exit_code == 0, report.output
    rule_ids = {f["rule_id"] for f in json.loads(report.stdout)["findings"]}
    assert rule_ids == {"HA005"}
    graph = invoke("graph", SEED, "--ignore", "HA", "--format", "json")
    assert graph.exit_code == 0, graph.output
    assert '"HA005"' not in graph.stdout
    assert '"HA005"' in invoke("graph", SEED, "--format", "json").stdout


# ----- config --check lists every problem --------------------------------------------------------

BAD_CONFIG = """\
min_azs: 0
select: [HA001, XX1]
severity:
  HA05: note
objectives:
  strategy: pilot-lite
  rto: 5 minutes
workloads:
  - path: services/a
    objectives: {RPO: 1h30m, colour: red}
  - name: b
recovery_steps: {restore: 2h, rebuild: 1h}
fail-on: error
"""


def test_config_check_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    file = tmp_path / ".hadr-lint.yaml"
    file.write_text(BAD_CONFIG)
    result = invoke("config", "--check", file)
    assert result.exit_code == 1
    expected = [
        "1: min_azs: 0 is less than the minimum of 1",
        "2: select[1]: unknown rule id XX1",
        "4: severity.HA05: unknown rule id HA05 (did you mean HA005",
        "6: objectives.strategy: 'pilot-lite' is not a strategy",
        "7: objectives.rto: '5 minutes' is not a duration",
        "10: workloads[0].objectives: 'colour' is not one of strategy, rpo, rto",
        "11: workloads[1]: 'path' is a required property",
        "12: recovery_steps: 'rebuild' is not one of",
        "13: fail-on: unknown key fail-on (did you mean fail_on?)",
    ]
    lines = result.stderr.splitlines()
    assert len(lines) == len(expected), result.stderr
    for line, text in zip(lines, expected, strict=True):
        assert line.startswith(f"{file}:{text}"), (line, text)
    scan = invoke("scan", SEED, "--config", file)  # the scan lists the same, then exits 2
    assert scan.exit_code == 2
    assert scan.stderr.splitlines()[:-1] == lines[:-1]
    assert scan.stderr.splitlines()[-1] == f"Error: {lines[-1]}"


DUPLICATED = """\
ignore: [HA005]
severity:
  HA001: note
fail_on: error
ignore: [HA001]
severity:
  HA001: error
  HA001: note
"""


def test_a_key_written_twice_is_refused(tmp_path: Path) -> None:
    """YAML keeps the last of two equal keys: the first ignore: block would silently not
    apply, so the scan and config --check both refuse it, naming both lines."""
    file = tmp_path / ".hadr-lint.yaml"
    file.write_text(DUPLICATED)
    check = invoke("config", "--check", file)
    assert check.exit_code == 1
    assert check.stderr.splitlines() == [
        f"{file}:5: ignore: duplicate key (also on line 1): only one would apply",
        f"{file}:6: severity: duplicate key (also on line 2): only one would apply",
        f"{file}:8: severity.HA001: duplicate key (also on line 7): only one would apply",
    ]
    scan = invoke("scan", SEED, "--config", file)
    assert scan.exit_code == 2
    assert scan.stderr.splitlines()[-1] == (f"Error: {file}:8: severity.HA001: duplicate key "
                                            "(also on line 7): only one would apply")
    assert scan.stdout == ""


@pytest.mark.parametrize("objectives", [
    {"strategy": "Pilot_Light", "RPO": "15m", "rto": "1h30m"},
    {"strategy": "multi-site", "PrimaryRegion": "eu-west-1", "dr_regions": "eu-central-1"},
    {"rpo": 0, "rto": 3600, "DRRegions": ["us-west-2"]},
    {"strategy": "pilot"},
    {"rpo": "5 minutes"},
    {"primary_region": ""},
    {"dr_regions": [1]},
    {"owner": "team-a"},
    {"rpo": "9" * 50},
])
def test_objectives_schema_agrees_with_the_loader(objectives) -> None:
    """The schema editors use and the loader judge objectives alike (here and in workloads)."""
    import jsonschema

    from hadr_lint.config import ConfigError, parse_config, schema

    for data in ({"objectives": objectives},
                 {"workloads": [{"path": "a", "objectives": objectives}]}):
        by_schema = not list(jsonschema.Draft7Validator(schema()).iter_errors(data))
        try:
            parse_config(data)
            by_loader = True
        except ConfigError:
            by_loader = False
        assert by_schema == by_loader, data


# ----- suppression near-misses ------------------------------------------------------------------

NEAR = "fixtures/gate/suppression-near-misses"


def scan_json(*args: str) -> tuple[int, dict]:
    result = invoke("scan", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


def test_suppression_near_misses_are_hl003_and_suppress_nothing() -> None:
    code, report = scan_json(NEAR, "--select", "HE003,HL")
    assert code == 1
    hl003 = {(f["file"].rsplit("/", 1)[-1], f["resource"]): f["message"]
             for f in report["findings"] if f["rule_id"] == "HL003"}
    he003 = {(f["file"].rsplit("/", 1)[-1], f["resource"])
             for f in report["findings"] if f["rule_id"] == "HE003"}
    expected = {
        ("main.tf", "aws_s3_bucket.a"): "cannot be read: '# hadr-lint: ignore HE003",
        ("main.tf", "aws_s3_bucket.b"): "names `all`, which is not supported",
        ("main.tf", "aws_s3_bucket.c"): "names unknown rule id HE03 (did you mean HE003",
        ("main.tf", "aws_s3_bucket.d"): "rule ids must look like HA001, not '=HE003'",
        ("main.tf", "aws_s3_bucket.e"): "cannot be read: '# HADR-LINT:IGNORE HE003",
        ("main.tf", "aws_s3_bucket.h"): "cannot be read: '/* hadr-lint:ignore HE003",
        ("stack.yaml", "template"): "cannot be read: Metadata key 'hadr_lint'",
        ("stack.yaml", "A"): "cannot be read: key(s) Ignore under hadr-lint",
        ("stack.yaml", "B"): "names `all`, which is not supported",
        ("stack.yaml", "C"): "names unknown rule id HE03 (did you mean HE003",
        ("stack.yaml", "D"): "cannot be read: Metadata key 'HadrLint'",
    }
    assert set(hl003) == set(expected)
    for key, text in expected.items():
        assert text in hl003[key], (key, hl003[key])
    assert "expected `# hadr-lint:ignore HA001" in hl003[("main.tf", "aws_s3_bucket.a")]
    # none of them suppressed anything; a prose comment mentioning hadr-lint is no directive
    assert {("main.tf", f"aws_s3_bucket.{n}") for n in "abcdefh"} <= he003
    assert {("stack.yaml", n) for n in "ABCD"} <= he003
    assert {(s["resource"]) for s in report["suppressed"]} == {"aws_s3_bucket.g", "E"}


def test_unknown_suppressed_id_is_known_when_not_selected() -> None:
    """HE003 is a rule even when only HL runs: the suppression naming it is not HL003."""
    code, report = scan_json(NEAR, "--select", "HL")
    messages = [f["message"] for f in report["findings"]]
    assert not any("unknown rule id HE003" in m for m in messages)
    assert any("unknown rule id HE03" in m for m in messages)


PLAN = "fixtures/gate/plan-suppressions"


def test_hcl_suppressions_apply_to_the_plan_of_that_module() -> None:
    code, report = scan_json(f"{PLAN}/plan.json", "--select", "HA005,HL")
    assert code == 0, report["findings"]
    suppressed = report["suppressed"]
    assert [s["resource"] for s in suppressed] == ["module.db.aws_db_instance.this[1]"]
    assert suppressed[0]["reason"] == "reporting copies, rebuilt nightly (RISK-77)"
    assert suppressed[0]["suppression"]["file"] == f"{PLAN}/main.tf"
    # without the Terraform files beside it, the plan's finding is reported
    code, report = scan_json("fixtures/rules/HA005/plan-modules/plan.json", "--select", "HA005")
    assert code == 1 and report["suppressed"] == []


def test_plan_suppression_that_matches_nothing_is_hl002() -> None:
    result = invoke("scan", f"{PLAN}/plan.json", f"{PLAN}/main.tf", "--select", "HA005,HE001,HL")
    assert result.exit_code == 1
    assert (f"{PLAN}/main.tf:9: HL002 suppression of HE001 matches no finding on "
            "aws_s3_bucket.gone") in result.stdout
    assert "HA005" not in result.stdout.split("findings (")[0]


# ----- configuration per file ------------------------------------------------------------------

def two_services(root: Path) -> tuple[Path, Path]:
    """services/a (HA005 lowered to a note) and services/b (HA005 as it is), the same code."""
    for name, config in (("a", {"select": ["HA005"], "severity": {"HA005": "note"}}),
                         ("b", {"select": ["HA005"]})):
        folder = root / "services" / name
        shutil.copytree(ROOT / SEED / "broken", folder)
        (folder / ".hadr-lint.yaml").write_text(yaml.safe_dump(config))
    (root / ".git").mkdir()  # the repository root: the search for configurations stops here
    return root / "services" / "a", root / "services" / "b"


def severities(output: str) -> dict[str, str]:
    found = re.findall(r"^services/(\w)/main\.tf:\d+: HA005 .*\((\w+)\)$", output, re.M)
    return dict(found)


def test_each_file_is_judged_under_its_nearest_config(tmp_path: Path, monkeypatch) -> None:
    two_services(tmp_path)
    monkeypatch.chdir(tmp_path)
    a, b = "services/a/main.tf", "services/b/main.tf"
    first = invoke("scan", a, b)
    second = invoke("scan", b, a)
    assert first.exit_code == second.exit_code == 1, first.output
    assert severities(first.stdout) == severities(second.stdout) == {"a": "note", "b": "error"}
    assert first.stdout == second.stdout
    assert first.stdout.rstrip().endswith(
        "configuration: services/a/.hadr-lint.yaml, services/b/.hadr-lint.yaml")
    alone = invoke("scan", a)  # a's note does not fail under a's fail_on (warning)
    assert alone.exit_code == 0, alone.output


def test_folder_scan_uses_nested_configs(tmp_path: Path, monkeypatch) -> None:
    two_services(tmp_path)
    (tmp_path / ".hadr-lint.yaml").write_text(yaml.safe_dump({"select": ["HA001"]}))
    monkeypatch.chdir(tmp_path)
    result = invoke("scan", ".")
    assert severities(result.stdout) == {"a": "note", "b": "error"}
    assert " HA001 " not in result.stdout  # the root's select reaches neither service
    forced = invoke("scan", ".", "--config", ".hadr-lint.yaml")  # --config: one for all
    assert severities(forced.stdout) == {} and " HA001 " in forced.stdout


def test_config_search_stops_at_the_repository_root(tmp_path: Path, monkeypatch) -> None:
    outer = tmp_path / ".hadr-lint.yaml"
    outer.write_text(yaml.safe_dump({"select": ["XX1"]}))  # would be refused if it were read
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / SEED / "broken", repo / "infra")
    (repo / ".git").mkdir()
    monkeypatch.chdir(repo)
    result = invoke("scan", "infra", "--select", "HA005")
    assert result.exit_code == 1, result.output
    assert "configuration:" not in result.stdout


def test_config_search_without_git_stops_at_the_scanned_folder(tmp_path: Path,
                                                              monkeypatch) -> None:
    (tmp_path / ".hadr-lint.yaml").write_text(yaml.safe_dump({"select": ["XX1"]}))
    shutil.copytree(ROOT / SEED / "broken", tmp_path / "infra")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke("scan", tmp_path / "infra", "--select", "HA005")
    assert result.exit_code == 1, result.output
    monkeypatch.chdir(tmp_path)  # from the folder of the configuration, it applies
    assert invoke("scan", "infra", "--select", "HA005").exit_code == 2


def test_report_refuses_paths_under_different_configs(tmp_path: Path, monkeypatch) -> None:
    two_services(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = invoke("report", "services/a", "services/b")
    assert result.exit_code == 2
    assert "the paths fall under different configurations (services/a/.hadr-lint.yaml, " \
           "services/b/.hadr-lint.yaml)" in one_line(result.stderr)
    assert invoke("report", "services/a").exit_code == 0


def test_a_dropped_zero_is_suggested_first() -> None:
    from hadr_lint.rulebase import unknown_ids

    known = ["HA001", "HA005", "HA011", "HA015", "HA018"]
    assert unknown_ids(["HA05"], known) == ["unknown rule id HA05 (did you mean HA005, HA015, "
                                            "HA018?)"]
    assert unknown_ids(["ha0011"], known)[0].startswith("unknown rule id ha0011 (did you mean "
                                                        "HA011, ")


def test_select_without_an_id_is_refused() -> None:
    for option in ("--select", "--ignore"):
        result = invoke("scan", ROOT / SEED / "broken", option, " , ")
        assert result.exit_code == 2, result.output
        assert one_line(result.stderr) == f"Error: {option}: no rule id given"
