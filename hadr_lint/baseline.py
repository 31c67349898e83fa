"""Baselines: accept today's findings, fail only on new ones.

``hadr-lint scan --write-baseline FILE`` writes every current finding; ``--baseline FILE`` hides
the findings it lists. The file is JSON::

    {
      "version": 1,
      "tool": "hadr-lint 0.1.0",
      "findings": [
        {"rule": "HA001", "file": "envs/prod/main.tf", "resource": "aws_autoscaling_group.web",
         "fingerprint": "3f1c0a9b2d4e5f60a7b8", "line": 60, "message": "Auto Scaling group ..."}
      ]
    }

``file`` is relative to the baseline file's folder, so the baseline works from any working
directory. A finding matches an entry on rule, file, resource and fingerprint (a hash of rule,
resource and message): never on the line, which moves with unrelated edits, and never ignoring the
file. ``line`` and ``message`` are there for people reading the file. Each entry matches one
finding. Entries that match nothing, for a file that was scanned and a rule that ran, are reported
as fixed.

Findings name the instance (``aws_db_instance.db["a"]``, ``aws_s3_bucket.b[0]``); baselines
written before they did name the block (``aws_db_instance.db``), one entry for all its
instances. Such an entry still matches each instance's finding with that message.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from hadr_lint import __version__
from hadr_lint.model import Finding, without_instance_keys

VERSION = 1


class BaselineError(Exception):
    pass


def fingerprint(rule_id: str, resource: str, message: str) -> str:
    text = "\x1f".join((rule_id, resource, message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _relative(file: str, base: Path) -> str:
    try:
        return Path(os.path.relpath(Path(file).resolve(), base.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(file).resolve().as_posix()


def _key(entry: dict[str, Any]) -> tuple[str, str, str, str]:
    return (entry["rule"], entry["file"], entry["resource"], entry["fingerprint"])


def entry(finding: Finding, base: Path) -> dict[str, Any]:
    return {
        "rule": finding.rule_id,
        "file": _relative(finding.file, base),
        "resource": finding.resource,
        "fingerprint": fingerprint(finding.rule_id, finding.resource, finding.message),
        "line": finding.line,
        "message": finding.message,
    }


def _legacy_key(finding: Finding, base: Path) -> tuple[str, str, str, str] | None:
    """The key a baseline written before findings named instances has for ``finding``: its
    block's name without instance keys; None when the finding names no instance."""
    plain = without_instance_keys(finding.resource)
    if plain == finding.resource:
        return None
    return (finding.rule_id, _relative(finding.file, base), plain,
            fingerprint(finding.rule_id, plain, finding.message))


def write(path: Path, findings: Iterable[Finding]) -> int:
    base = path.resolve().parent
    entries = sorted((entry(f, base) for f in findings),
                     key=lambda e: (e["file"], e["rule"], e["resource"], e["fingerprint"]))
    data = {"version": VERSION, "tool": f"hadr-lint {__version__}", "findings": entries}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return len(entries)


def read(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except RecursionError:  # nested 100,000 deep
        raise BaselineError(f"{path}: baseline is not valid JSON: nested too deeply") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: baseline is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise BaselineError(f"{path}: not a hadr-lint baseline (version {VERSION} expected)")
    entries = data.get("findings")
    needed = ("rule", "file", "resource", "fingerprint")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and all(isinstance(e.get(k), str) for k in needed) for e in entries
    ):
        raise BaselineError(f"{path}: each baseline finding needs {', '.join(needed)}")
    return entries


def apply(
    findings: list[Finding],
    path: Path | None,
    result: Any,
    keep: Callable[[str], bool] = lambda file: True,
    present: Iterable[Finding] = (),
) -> tuple[list[Finding], list[Finding], list[dict[str, Any]]]:
    """(new findings, findings hidden by the baseline, baseline entries fixed since)."""
    if path is None:
        return findings, [], []
    entries = read(path)
    base = path.resolve().parent
    available = Counter(_key(e) for e in entries)
    legacy_used: set[tuple[str, str, str, str]] = set()

    def take(finding: Finding) -> bool:
        key = _key(entry(finding, base))
        if available[key] > 0:
            available[key] -= 1
            return True
        legacy = _legacy_key(finding, base)
        if legacy is not None and legacy in available:
            legacy_used.add(legacy)
            return True
        return False

    new: list = []
    known: list = []
    for finding in findings:
        (known if take(finding) else new).append(finding)
    for finding in present:  # still there, only suppressed: not fixed
        take(finding)
    kept = [f for f in result.files if keep(f)]
    # where findings can point: the scanned files, their folders and configuration files (a
    # workload-level finding is on its root folder or its declaration)
    scanned = {_relative(f, base) for f in kept}
    scanned |= {_relative(str(p), base) for p in {q for f in kept for q in Path(f).parents}}
    scanned |= {_relative(c, base) for c in getattr(result, "configs", ())}
    ran = {r.id for r in result.rules}
    fixed = []
    for item in entries:
        key = _key(item)
        if key in legacy_used:
            continue
        if available[key] > 0 and item["file"] in scanned and item["rule"] in ran:
            available[key] -= 1
            fixed.append(item)
    return new, known, fixed
