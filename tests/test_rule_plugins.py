"""Rules from outside hadr-lint: installed packages (entry points) and --rules-dir folders.

The entry-point tests install a real distribution (a ``*.dist-info`` folder with
``entry_points.txt``) on PYTHONPATH and run hadr-lint in a subprocess with its cache on, so
they cover importlib.metadata's discovery and the cache of its answer.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint import rulebase
from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "fixtures" / "seed" / "broken"

RULE_MODULE = '''
"""Every RDS instance must carry an owner tag (a team's own policy)."""

from hadr_lint.rulebase import Rule, problem

RULE = Rule(
    id="{id}",
    name="db-owner-tag",
    severity="warning",
    scope="human",
    kinds=("db_instance",),
    short="Database without an owner tag",
)


def check(graph, config):
    for db in graph.resources("db_instance"):
        tags = db.attributes.get("tags")
        if not isinstance(tags, dict) or "owner" not in tags:
            yield problem(db, "RDS instance has no owner tag: nobody is paged when it fails")
'''


def write_rule(folder: Path, module: str, rule_id: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{module}.py").write_text(RULE_MODULE.format(id=rule_id))


def install(site: Path, name: str, value: str) -> Path:
    """A minimal installed distribution ``name`` registering ``value`` as a hadr-lint rule."""
    dist = site / f"{name}-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[hadr_lint.rules]\n{name} = {value}\n")
    return dist


def listed_rules(site: Path, cache: Path) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(site), XDG_CACHE_HOME=str(cache))
    env.pop("HADR_LINT_NO_CACHE", None)
    out = subprocess.run([sys.executable, "-m", "hadr_lint", "rules"], env=env, check=True,
                         capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def test_an_installed_package_adds_its_rules(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_rule(site / "team_rules", "owner_tag", "XT001")
    (site / "team_rules" / "__init__.py").write_text("")
    install(site, "team_rules", "team_rules.owner_tag")
    rules = listed_rules(site, cache)
    assert "XT001" in rules and "HA001" in rules


def test_installing_and_removing_a_package_is_seen_through_the_cache(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_rule(site, "first_rules", "XT001")
    write_rule(site, "second_rules", "XT002")
    first = install(site, "first_rules", "first_rules")
    assert "XT001" in listed_rules(site, cache)
    assert "XT001" in listed_rules(site, cache)  # answered from the cache
    install(site, "second_rules", "second_rules")
    assert {"XT001", "XT002"} <= set(listed_rules(site, cache))
    shutil.rmtree(first)
    rules = listed_rules(site, cache)
    assert "XT002" in rules and "XT001" not in rules


def test_a_rewritten_entry_points_file_is_seen_through_the_cache(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_rule(site, "first_rules", "XT001")
    write_rule(site, "other_rules", "XT003")
    dist = install(site, "first_rules", "first_rules")
    assert "XT001" in listed_rules(site, cache)
    entry_points = dist / "entry_points.txt"
    entry_points.write_text("[hadr_lint.rules]\nfirst_rules = other_rules\n")
    stat = entry_points.stat()
    os.utime(entry_points, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    rules = listed_rules(site, cache)
    assert "XT003" in rules and "XT001" not in rules


@pytest.mark.parametrize("value", ["pkg.mod", "pkg.mod:RULES.first", " pkg.mod : RULES.first "])
def test_entry_point_values_load_like_importlib_metadata(tmp_path, monkeypatch, value):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "mod.py").write_text("class RULES:\n    first = 'found'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    loaded = rulebase.load_entry_point(value)
    assert (loaded == "found") if ":" in value else (loaded.__name__ == "pkg.mod")


def test_rules_dir_adds_a_folder_of_rules_that_run_on_the_scan(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    write_rule(tmp_path, "owner_tag", "XT001")
    result = CliRunner().invoke(main, ["scan", str(BROKEN), "--rules-dir", str(tmp_path),
                                       "--select", "XT001", "--format", "json"])
    findings = json.loads(result.output)["findings"]
    assert [f["rule_id"] for f in findings] == ["XT001"]
    assert findings[0]["resource"] == "aws_db_instance.main"
    assert result.exit_code == 1


def test_a_rules_dir_module_without_metadata_is_a_clear_error(tmp_path):
    (tmp_path / "broken_rule.py").write_text(textwrap.dedent('''
        def check(graph, config):
            return []
    '''))
    with pytest.raises(rulebase.RuleError, match="no RULE metadata"):
        rulebase.directory_rules(tmp_path)
