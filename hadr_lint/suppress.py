"""Suppressions: findings a team has decided to accept, written next to the code.

Terraform: a comment inside a resource (or module) block, or on the comment lines directly above
it::

    # hadr-lint:ignore HA001,HA005 reason="batch workers, one AZ is fine" expires=2027-03-31
    resource "aws_autoscaling_group" "batch" { ... }

``//`` works too. On a ``module`` call it covers every resource of that module, every instance.

CloudFormation: ``Metadata: {hadr-lint: {ignore: [{id: HA001, reason: "...", expires: ...}]}}``
on a resource, or the same under the template's top-level ``Metadata`` for every resource.

The filter runs in the engine after the rules (rules never see suppressions). Suppressed
findings stay in the result (``ScanResult.suppressed``); a suppression without a reason (HL001),
one that suppressed nothing (HL002) and a malformed one (HL003) are findings of pseudo rules.
An ``expires`` date in the past turns the suppression off: the finding comes back.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hadr_lint.model import Finding, LoadResult
from hadr_lint.rulebase import LoadedRule, Rule, matches

DIRECTIVE = re.compile(r"(?:#|//)\s*hadr-lint:ignore\b(?P<rest>.*)$")
_OPTION = re.compile(
    r"""(?P<key>[A-Za-z_]+)=(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|(?P<bare>\S+))"""
)
_RULE_ID = re.compile(r"^[A-Za-z]+[0-9]*$")
_COMMENT_LINE = re.compile(r"^\s*(#|//)")


@dataclass(frozen=True)
class Suppression:
    """One ignore directive: the rule ids it names, why, until when, and where it is written."""

    rule_ids: tuple[str, ...]
    reason: str | None
    expires: str | None
    file: str
    line: int
    target: str
    problem: str | None = None

    def expiry(self) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(self.expires) if self.expires else None
        except ValueError:
            return None

    def expired(self, today: datetime.date) -> bool:
        day = self.expiry()
        return day is not None and day < today

    def as_dict(self) -> dict[str, Any]:
        return {"rules": list(self.rule_ids), "reason": self.reason, "expires": self.expires,
                "file": self.file, "line": self.line, "target": self.target}


@dataclass(frozen=True)
class SuppressedFinding:
    finding: Finding
    suppression: Suppression


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[SuppressedFinding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ----- pseudo rules ------------------------------------------------------------------------------

def _pseudo(rule_id: str, name: str, short: str, doc: str) -> LoadedRule:
    meta = Rule(id=rule_id, name=name, severity="warning", scope="suppression", kinds=(),
                short=short, description=short, tags=("suppression",))
    return LoadedRule(meta, lambda graph, config: iter(()), doc.strip())


PSEUDO_RULES = (
    _pseudo("HL001", "suppression-without-reason", "A suppression gives no reason", """
A suppression gives no reason.

## What it does
Reports a `hadr-lint:ignore` comment or a CloudFormation `hadr-lint` ignore entry without a
`reason`. The finding it names is still suppressed.

## Why is this bad?
An accepted risk nobody can explain is soon a risk nobody remembers accepting.

## Example
```hcl
# hadr-lint:ignore HA005
resource "aws_db_instance" "reports" { multi_az = false }
```

## Fix
```hcl
# hadr-lint:ignore HA005 reason="rebuilt nightly from S3" expires=2027-01-31
resource "aws_db_instance" "reports" { multi_az = false }
```
"""),
    _pseudo("HL002", "unused-suppression", "A suppression matches no finding", """
A suppression matches no finding.

## What it does
Reports a suppression whose rule ran but found nothing to suppress on that resource.

## Why is this bad?
A stale suppression silently hides the next real problem on the same resource.

## Example
A `# hadr-lint:ignore HA005` left on a database that is Multi-AZ now.

## Fix
Delete the suppression.
"""),
    _pseudo("HL003", "malformed-suppression", "A suppression cannot be read", """
A suppression cannot be read.

## What it does
Reports a suppression without rule ids, with an unknown option or with an `expires` date that is
not `YYYY-MM-DD`. It suppresses nothing.

## Why is this bad?
A typo in a suppression must not hide findings, nor be silently ignored.

## Example
`# hadr-lint:ignore HA001 expires=next-week`

## Fix
`# hadr-lint:ignore HA001 reason="..." expires=2027-01-31`
"""),
)


def pseudo_rules() -> list[LoadedRule]:
    return list(PSEUDO_RULES)


# ----- reading directives ------------------------------------------------------------------------

def parse_directive(rest: str) -> tuple[tuple[str, ...], dict[str, str], str | None]:
    """``HA001,HA005 reason="..." expires=...`` -> (ids, options, problem or None)."""
    first = _OPTION.search(rest)
    head = rest[: first.start()] if first else rest
    ids = tuple(dict.fromkeys(p.upper() for p in re.split(r"[,\s]+", head.strip()) if p))
    options: dict[str, str] = {}
    problem = None
    for match in _OPTION.finditer(rest):
        value = next(v for v in (match["dq"], match["sq"], match["bare"]) if v is not None)
        options[match["key"].lower()] = value.replace('\\"', '"')
    leftover = _OPTION.sub("", rest[len(head):]).strip()
    if not ids:
        problem = "names no rule id"
    elif any(not _RULE_ID.match(i) for i in ids):
        problem = f"rule ids must look like HA001, not {head.strip()!r}"
    elif set(options) - {"reason", "expires"}:
        problem = f"unknown option(s) {', '.join(sorted(set(options) - {'reason', 'expires'}))}"
    elif leftover:
        problem = f"cannot read {leftover!r}"
    return ids, options, problem


def _make(ids, reason, expires, file, line, target, problem=None) -> Suppression:
    reason = reason.strip() if isinstance(reason, str) else None
    expires = str(expires) if expires not in (None, "") else None
    if problem is None and expires is not None:
        try:
            datetime.date.fromisoformat(expires)
        except ValueError:
            problem = f"expires must be a date YYYY-MM-DD, not {expires!r}"
    return Suppression(tuple(ids), reason or None, expires, file, line, target, problem)


def directive_lines(lines: Sequence[str], start: int, end: int) -> list[tuple[int, str]]:
    """Directive comments inside lines ``start..end`` (1-based) and in the comment lines directly
    above ``start``."""
    found = []
    above = start - 1
    while above >= 1 and _COMMENT_LINE.match(lines[above - 1]):
        above -= 1
    for number in range(above + 1, min(end, len(lines)) + 1):
        match = DIRECTIVE.search(lines[number - 1])
        if match:
            found.append((number, match["rest"]))
    return found


def terraform_suppressions(
    lines: Sequence[str], start: int, end: int, file: str, target: str
) -> list[Suppression]:
    result = []
    for number, rest in directive_lines(lines, start, end):
        ids, options, problem = parse_directive(rest)
        result.append(_make(ids, options.get("reason"), options.get("expires"), file, number,
                            target, problem))
    return result


def metadata_suppressions(entries: Any, file: str, line: int, target: str) -> list[Suppression]:
    """CloudFormation ``ignore`` entries: ``{id, reason, expires}`` mappings or plain ids."""
    if not isinstance(entries, list):
        return [_make((), None, None, file, line, target, "ignore must be a list")]
    result = []
    for entry in entries:
        if isinstance(entry, Mapping):
            raw = entry.get("id", entry.get("rule", entry.get("ids")))
            raw = raw if isinstance(raw, list) else [raw] if raw is not None else []
            ids = tuple(str(i).strip().upper() for i in raw if str(i).strip())
            where = entry.get("line") if isinstance(entry.get("line"), int) else line
            unknown = set(entry) - {"id", "rule", "ids", "reason", "expires", "line"}
            problem = None if ids else "names no rule id"
            if ids and unknown:
                problem = f"unknown key(s) {', '.join(sorted(map(str, unknown)))}"
            result.append(_make(ids, entry.get("reason"), entry.get("expires"), file, where,
                                target, problem))
        else:
            ids = (str(entry).strip().upper(),) if str(entry).strip() else ()
            result.append(_make(ids, None, None, file, line, target,
                                None if ids else "names no rule id"))
    return result


def _cloudformation(resource) -> list[Suppression]:
    metadata = resource.meta.get("metadata")
    own = metadata.get("hadr-lint") if isinstance(metadata, Mapping) else None
    if not isinstance(own, Mapping) or "ignore" not in own:
        return []
    return metadata_suppressions(own["ignore"], resource.location.file,
                                 resource.location.line, resource.name)


def collect(results: Iterable[LoadResult]) -> dict[tuple[str, str], list[Suppression]]:
    """(file, resource name) -> the suppressions that apply to that resource."""
    index: dict[tuple[str, str], list[Suppression]] = {}
    for result in results:
        template: list[Suppression] = []
        if "ignore" in result.metadata and result.files:
            template = metadata_suppressions(result.metadata["ignore"], result.files[0], 1,
                                             "template")
        for resource in result.resources:
            found = list(resource.meta.get("suppressions") or ()) + _cloudformation(resource)
            found += template
            if found:
                key = (resource.location.file, resource.name)
                known = index.setdefault(key, [])
                known.extend(s for s in found if s not in known)
        if template and not result.resources:
            index.setdefault((result.files[0], "template"), []).extend(template)
    return index


# ----- applying them ------------------------------------------------------------------------------

def apply(
    findings: Iterable[Finding],
    index: Mapping[tuple[str, str], list[Suppression]],
    rules: Sequence[LoadedRule],
    severity: Mapping[str, str],
    today: datetime.date,
) -> Outcome:
    outcome = Outcome()
    used: set[tuple[Suppression, str]] = set()
    for finding in findings:
        match = _matching(index.get((finding.file, finding.resource), ()), finding, today)
        if match is None:
            outcome.findings.append(finding)
            continue
        used.add((match, _id_for(match, finding.rule_id)))
        outcome.suppressed.append(SuppressedFinding(finding, match))
    everything = list(dict.fromkeys(s for group in index.values() for s in group))
    selected = {r.id for r in rules}
    outcome.findings += _reports(everything, used, selected, severity, today, outcome.notes)
    return outcome


def _id_for(suppression: Suppression, rule_id: str) -> str:
    return next(i for i in suppression.rule_ids if matches(rule_id, [i]))


def _matching(candidates, finding: Finding, today: datetime.date) -> Suppression | None:
    for suppression in candidates:
        if suppression.problem or suppression.expired(today):
            continue
        if matches(finding.rule_id, suppression.rule_ids):
            return suppression
    return None


def _reports(suppressions, used, selected, severity, today, notes) -> list[Finding]:
    found = []
    for s in suppressions:
        if s.problem:
            found.append(_finding("HL003", s, f"suppression {s.problem}; it suppresses nothing"))
            continue
        if s.expired(today):
            notes.append(f"{s.file}:{s.line}: suppression of {', '.join(s.rule_ids)} on "
                         f"{s.target} expired on {s.expires}; its findings are reported again")
            continue
        if not s.reason:
            found.append(_finding("HL001", s, f"suppression of {', '.join(s.rule_ids)} gives no "
                                              'reason: add reason="..."'))
        for rule_id in s.rule_ids:
            ran = any(matches(r, [rule_id]) for r in selected if not r.startswith("HL"))
            if ran and (s, rule_id) not in used:
                found.append(_finding("HL002", s, f"suppression of {rule_id} matches no finding "
                                                  f"on {s.target}: remove it"))
    wanted = [f for f in found if f.rule_id in selected]
    return [_with_severity(f, severity) for f in wanted]


def _with_severity(finding: Finding, severity: Mapping[str, str]) -> Finding:
    level = severity.get(finding.rule_id)
    if not level:
        return finding
    from dataclasses import replace

    return replace(finding, severity=level)


def _finding(rule_id: str, suppression: Suppression, message: str) -> Finding:
    rule = next(r for r in PSEUDO_RULES if r.id == rule_id)
    return Finding(
        rule_id=rule_id, rule_name=rule.meta.name, severity=rule.meta.severity, message=message,
        resource=suppression.target, resource_type="suppression", file=suppression.file,
        line=suppression.line, end_line=suppression.line, scope=rule.meta.scope,
    )


def suppressed_dict(item: SuppressedFinding) -> dict[str, Any]:
    """A suppressed finding for the JSON report: the finding plus why and where."""
    import dataclasses

    data = dataclasses.asdict(item.finding)
    data["reason"] = item.suppression.reason
    data["suppression"] = item.suppression.as_dict()
    return data
