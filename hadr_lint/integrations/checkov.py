"""``hadr-lint scan --with-checkov``: run checkov's HA/DR checks beside hadr-lint's rules.

checkov cannot live in hadr-lint's environment (it installs its own ``hcl2`` package over
python-hcl2's and pins an old networkx), so it runs as a separate program: the ``checkov`` on
PATH or the one given with ``--checkov PATH``, never through a shell, with a timeout, and only
when the user asks for it. Only its HA/DR checks run: the checkov ids listed in the rules'
``equivalents`` plus ``EXTRA_CHECKS`` (HA/DR checks hadr-lint has no rule for).

Its failed checks are merged into the report, marked as checkov's. A checkov result that
repeats a hadr-lint finding (same file and resource, and the checkov id is listed in that
hadr-lint rule's equivalents) is dropped as a duplicate; suppressed and baselined hadr-lint
findings count, so a problem accepted in hadr-lint does not come back through checkov. Results on
resources hadr-lint left unverified are kept: checkov may know more.

The scanned repository is untrusted, and checkov honours configuration it finds: a
``.checkov.yaml`` in the scanned folder, the working directory or the home directory (which can
name ``external-checks-dir``, Python files checkov imports), and ``CKV_*``, ``BC_*`` and other
environment variables. So checkov runs in a fresh empty folder (its working directory and
``HOME``), with an explicit empty ``--config-file``, an empty ``--external-checks-dir`` (a value on
the command line overrides any configuration file's), folders given as ``--directory=PATH`` (the
form checkov does not search for a configuration file) and only the environment variables a
program needs to start (``SAFE_ENVIRONMENT``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from hadr_lint.engine import display_path
from hadr_lint.loaders.terraform.roots import names_a_folder
from hadr_lint.model import LoadError
from hadr_lint.result import ExternalFinding, ExternalRun, check_id_order

INSTALL_HINT = (
    "checkov was not found on PATH. Install it in its own environment, e.g. "
    "`pipx install checkov` (it cannot share hadr-lint's environment: it replaces the hcl2 "
    "package), or pass --checkov /path/to/checkov."
)
TIMEOUT = 900  # seconds; checkov takes about 25 s on a large module, 2 s just to start
CHECKOV_ID = re.compile(r"\bCKV2?_AWS_\d+\b")
# checkov's HA/DR checks that no hadr-lint rule covers (checked against checkov 3.3.30).
EXTRA_CHECKS = {
    "CKV_AWS_138": "Classic ELB cross-zone load balancing",
    "CKV_AWS_152": "ALB/NLB cross-zone load balancing",
    "CKV_AWS_310": "CloudFront origin failover",
    "CKV_AWS_360": "DocumentDB backup retention",
    "CKV_AWS_361": "Neptune backup retention",
    "CKV_AWS_394": "aws_availability_zones pins zone identity",
}
LEVELS = {"CRITICAL": "error", "HIGH": "error", "MEDIUM": "warning", "LOW": "note",
          "INFO": "note"}
DEFAULT_SEVERITY = "warning"  # checkov reports no severity without a Prisma Cloud key
CONFIG, CHECKS = "config.yaml", "checks"  # in the neutral folder
SAFE_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TEMP", "TMP",
                    "SYSTEMROOT", "SYSTEMDRIVE", "COMSPEC", "PATHEXT", "WINDIR")


class CheckovMissing(Exception):
    pass


def find_checkov(explicit: str | None = None) -> str:
    """The checkov executable: ``explicit`` (a path or a name on PATH), else ``checkov``."""
    candidate = explicit or "checkov"
    found = shutil.which(candidate)
    if found is None and explicit and Path(explicit).is_file():
        found = explicit
    if found is None:
        raise CheckovMissing(INSTALL_HINT)
    return str(Path(found).absolute())  # checkov runs in another folder


def check_ids(rules) -> list[str]:
    """The checkov ids named in the rules' equivalents, plus EXTRA_CHECKS."""
    ids = {i for rule in rules for i in equivalent_ids(rule)} | set(EXTRA_CHECKS)
    return sorted(ids, key=check_id_order)


def equivalent_ids(rule) -> set[str]:
    return set(CHECKOV_ID.findall(str(rule.meta.equivalents.get("checkov", ""))))


def command(executable: str, paths, checks, neutral: Path) -> list[str]:
    """checkov's arguments; ``neutral`` is the empty folder made by ``neutral_folder``."""
    args = [executable, "--quiet", "--compact", "-o", "json", "--skip-download",
            "--config-file", str(neutral / CONFIG), "--external-checks-dir", str(neutral / CHECKS),
            "--framework", "terraform", "cloudformation", "--check", ",".join(checks)]
    for path in map(Path, paths):
        # "--directory=PATH" in one argument: checkov looks for a .checkov.yaml in the folder
        # after "-d" or "--directory" given as two arguments, not in this form.
        args.append(f"--{'directory' if path.is_dir() else 'file'}={path.resolve()}")
    return args


def neutral_folder(base: str) -> Path:
    """An empty folder to run checkov in, holding an empty configuration file and an empty
    folder of external checks."""
    folder = Path(base)
    (folder / CONFIG).write_text("{}\n", encoding="utf-8")  # checkov rejects an empty file
    (folder / CHECKS).mkdir()
    (folder / "home").mkdir()
    return folder


def environment(neutral: Path) -> dict[str, str]:
    """The variables checkov gets: those a program needs to start, no CKV_*, BC_*, PRISMA_*,
    PYTHON* or proxy settings (they change checkov's checks, or send the code to a platform)."""
    env = {name: os.environ[name] for name in SAFE_ENVIRONMENT if name in os.environ}
    home = str(neutral / "home")
    return dict(env, HOME=home, USERPROFILE=home, BC_SKIP_MAPPING="TRUE", LOG_LEVEL="ERROR")


def path_groups(paths) -> list[list[Path]]:
    """checkov ignores ``-f`` when ``-d`` is given: folders and files run separately. A
    ``.tfvars`` file stands for its folder."""
    folders: list[Path] = []
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_file() and names_a_folder(path):
            path = path.parent
        (folders if path.is_dir() else files).append(path)
    return [group for group in (list(dict.fromkeys(folders)), files) if group]


def run(executable: str, paths, checks, timeout: float = TIMEOUT) -> ExternalRun:
    """Run checkov over ``paths``; its failures to run become ``errors``, never raise."""
    with tempfile.TemporaryDirectory(prefix="hadr-lint-checkov-") as base:
        neutral = neutral_folder(base)
        runs = [_run_once(command(executable, group, checks, neutral), neutral, timeout)
                for group in path_groups(paths)]
    reports = [report for _, found, _ in runs for report in found]
    return ExternalRun(
        tool="checkov",
        version=_version(reports),
        command=tuple(" ".join(args) for args, _, _ in runs),
        checks=tuple(checks),
        findings=tuple(parse(reports)),
        errors=tuple(e for _, _, errors in runs for e in errors),
        information_uri="https://www.checkov.io",
        help_uri="https://www.checkov.io/5.Policy%20Index/all.html",
        default_severity=DEFAULT_SEVERITY,
    )


def _run_once(args: list[str], neutral: Path, timeout: float
              ) -> tuple[list[str], list[dict], list[str]]:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                              env=environment(neutral), cwd=neutral, check=False,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return args, [], [f"checkov did not finish within {timeout:g} s"]
    except OSError as exc:
        return args, [], [f"cannot run checkov: {exc}"]
    try:
        reports = _documents(done.stdout)
    except ValueError as exc:
        tail = " ".join(done.stderr.strip().splitlines()[-2:])
        return args, [], [f"checkov exited with {done.returncode} and no JSON report ({exc}): "
                          f"{tail}"]
    if done.returncode not in (0, 1):
        return args, reports, [f"checkov exited with {done.returncode}"]
    return args, reports, []


def _documents(text: str) -> list[dict]:
    """checkov prints one JSON value per scanned folder: a report or a list of reports."""
    decoder, index = json.JSONDecoder(), 0
    found: list[Any] = []
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return [d for d in found if isinstance(d, dict)]
        value, index = decoder.raw_decode(text, index)
        found += value if isinstance(value, list) else [value]


def _version(reports: list[dict]) -> str:
    for report in reports:
        version = (report.get("summary") or {}).get("checkov_version")
        if version:
            return str(version)
    return ""


def parse(reports: list[dict]) -> list[ExternalFinding]:
    found: dict[tuple, ExternalFinding] = {}
    for report in reports:
        for item in (report.get("results") or {}).get("failed_checks") or ():
            finding = _finding(item)
            found.setdefault((finding.check_id, finding.file, finding.resource, finding.line),
                             finding)
    return sorted(found.values(), key=lambda f: (f.file, f.line, f.check_id, f.resource))


def _finding(item: dict) -> ExternalFinding:
    lines = item.get("file_line_range") or [0, 0]
    path = item.get("file_abs_path") or item.get("file_path") or ""
    severity = LEVELS.get(str(item.get("severity") or "").upper(), DEFAULT_SEVERITY)
    return ExternalFinding(
        tool="checkov",
        check_id=str(item.get("check_id", "")),
        check_name=str(item.get("check_name", "")),
        severity=severity,
        resource=str(item.get("resource", "")),
        file=display_path(Path(path)) if path else "",
        line=int(lines[0] or 0),
        end_line=int(lines[-1] or 0),
        guideline=item.get("guideline"),
    )


def merge(result, external: ExternalRun, rules):
    """``result`` with checkov's run attached; duplicates of hadr-lint findings set aside."""
    by_rule = {rule.id: equivalent_ids(rule) for rule in rules}
    hadr = list(result.findings) + [s.finding for s in result.suppressed] + list(result.baselined)
    seen: dict[tuple[str, str], set[str]] = {}
    for f in hadr:
        for key in _resource_keys(f.resource):
            seen.setdefault((_file_key(f.file), key), set()).add(f.rule_id)
    kept, duplicates = [], []
    for finding in external.findings:
        rule_id = _duplicate_of(finding, seen, by_rule)
        if rule_id:
            duplicates.append((finding, rule_id))
        else:
            kept.append(finding)
    external = replace(external, findings=tuple(kept), duplicates=tuple(duplicates))
    errors = tuple(LoadError("checkov", None, e) for e in external.errors)
    return replace(result, external=tuple(result.external) + (external,),
                   errors=tuple(result.errors) + errors)


def _duplicate_of(finding: ExternalFinding, seen: dict, by_rule: dict) -> str | None:
    file = _file_key(finding.file)
    for key in sorted(_resource_keys(finding.resource)):
        for rule_id in sorted(seen.get((file, key), ())):
            if finding.check_id in by_rule.get(rule_id, ()):
                return rule_id
    return None


def _file_key(file: str) -> str:
    return str(Path(file).resolve()) if file else ""


def _resource_keys(name: str) -> set[str]:
    """Names that identify one resource across tools: ``aws_db_instance.main`` (instance keys
    dropped), ``module.db.aws_db_instance.this`` and its ``aws_db_instance.this`` tail, and a
    CloudFormation logical id from checkov's ``AWS::RDS::DBInstance.OrdersDb``."""
    plain = re.sub(r"\[[^\]]*\]", "", name)
    keys = {plain}
    if "::" in plain:
        keys.add(plain.rsplit(".", 1)[-1])
    else:
        parts = plain.split(".")
        if len(parts) >= 2:
            keys.add(".".join(parts[-2:]))
    return keys


def scan_with_checkov(result, paths, rules, executable: str | None = None,
                      timeout: float = TIMEOUT):
    """Find checkov (raises CheckovMissing), run it over ``paths`` and merge its results."""
    found = find_checkov(executable)
    return merge(result, run(found, paths, check_ids(rules), timeout), rules)
