"""Suppressions: findings a team has decided to accept, written next to the code.

Terraform: a comment inside a resource (or module) block, or on the comment lines directly above
it::

    # hadr-lint:ignore HA001,HA005 reason="batch workers, one AZ is fine" expires=2027-03-31
    resource "aws_autoscaling_group" "batch" { ... }

``//`` works too. On a ``module`` call it covers every resource of that module, every instance.

CloudFormation: ``Metadata: {hadr-lint: {ignore: [{id: HA001, reason: "...", expires: ...}]}}``
on a resource, or the same under the template's top-level ``Metadata`` for every resource.

Each loader reads its format's suppressions and puts them on what it returns (see ``collect``):
``hadr_lint.loaders.terraform.suppressions`` (comments in ``.tf`` files and Terragrunt units, and
beside a plan), ``hadr_lint.loaders.cloudformation.suppressions`` (``Metadata``). This module
holds what every format shares: the directive grammar, how a suppression is built and checked,
and applying them; it imports no loader.

The filter runs in the engine after the rules (rules never see suppressions). Suppressed
findings stay in the result (``ScanResult.suppressed``); a suppression without a reason (HL001),
one that suppressed nothing (HL002) and a malformed one (HL003) are findings of pseudo rules.
An ``expires`` date in the past turns the suppression off: the finding comes back.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from hadr_lint.model import WORKLOAD_TYPE, Finding, LoadResult
from hadr_lint.result import SuppressedFinding, Suppression
from hadr_lint.rulebase import LoadedRule, Rule, matches, unknown_ids

DIRECTIVE = re.compile(r"(?:#|//)\s*hadr-lint:ignore\b(?P<rest>.*)$")
# A comment that starts like a directive but is not one: "# hadr-lint: ignore", "#HADR-LINT:...",
# "# hadr_lint ignore", "// hadr-lint-ignore", "/* hadr-lint:ignore ... */" (block comments are
# not read): HL003, never silently nothing.
NEAR_MISS = re.compile(r"(?:#|//|/\*)\s*hadr[-_ ]?lint\s*(?::|=|-?ignore\b)", re.IGNORECASE)
EXPECTED = ('expected `# hadr-lint:ignore HA001[,HA005] reason="..." [expires=YYYY-MM-DD]` '
            '(no space after the colon)')
BLANKET = ("ALL", "*")
_OPTION = re.compile(
    r"""(?P<key>[A-Za-z_]+)=(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|(?P<bare>\S+))"""
)
_RULE_ID = re.compile(r"^[A-Za-z]+[0-9]*$")
_COMMENT_LINE = re.compile(r"^\s*(#|//|/\*)")


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
Reports a suppression that suppresses nothing because it cannot be read: no rule ids, an id or
prefix that names no rule (`HA02`), `all` (not supported: name the rule ids, since a blanket
suppression would also hide every rule added later), an unknown option, an `expires` date that
is not `YYYY-MM-DD`; and a comment that starts like a directive but is not one
(`# hadr-lint: ignore HE003` with a space after the colon, `#HADR-LINT:IGNORE`,
`# hadr_lint ignore`), or a CloudFormation `Metadata` key that looks like `hadr-lint` but is
not (`hadr_lint`, `Ignore` under `hadr-lint`, `ignore` under `HadrLint`).

## Why is this bad?
A typo in a suppression must not hide findings, nor be silently ignored.

## Example
```hcl
# hadr-lint: ignore HE003 reason="logs are rewritten daily"
resource "aws_s3_bucket" "logs" { bucket = "logs" }
```

## Fix
```hcl
# hadr-lint:ignore HE003 reason="logs are rewritten daily" expires=2027-01-31
resource "aws_s3_bucket" "logs" { bucket = "logs" }
```
"""),
)


def pseudo_rules() -> list[LoadedRule]:
    return list(PSEUDO_RULES)


# ----- reading directives ------------------------------------------------------------------------

BLANKET_PROBLEM = ("names `all`, which is not supported: name the rule ids (a blanket "
                   "suppression would also hide every rule added later)")


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
    elif set(ids) & set(BLANKET):
        problem = BLANKET_PROBLEM
    elif any(not _RULE_ID.match(i) for i in ids):
        problem = f"rule ids must look like HA001, not {head.strip()!r}"
    elif set(options) - {"reason", "expires"}:
        problem = f"unknown option(s) {', '.join(sorted(set(options) - {'reason', 'expires'}))}"
    elif leftover:
        problem = f"cannot read {leftover!r}"
    return ids, options, problem


def make_suppression(ids: Sequence[str], reason: Any, expires: Any, file: str, line: int,
                     target: str, problem: str | None = None) -> Suppression:
    """A suppression as read (``reason`` and ``expires`` as written, maybe not text), with the
    problem that keeps it from suppressing anything: a blanket id, a date that is not one."""
    reason = reason.strip() if isinstance(reason, str) else None
    expires = str(expires) if expires not in (None, "") else None
    if problem is None and set(ids) & set(BLANKET):
        problem = BLANKET_PROBLEM
    if problem is None and expires is not None:
        try:
            datetime.date.fromisoformat(expires)
        except ValueError:
            problem = f"expires must be a date YYYY-MM-DD, not {expires!r}"
    return Suppression(tuple(ids), reason or None, expires, file, line, target, problem)


def directive_lines(lines: Sequence[str], start: int, end: int) -> list[tuple[int, str | None]]:
    """Directive comments inside lines ``start..end`` (1-based) and in the comment lines directly
    above ``start``: (line, the text after ``hadr-lint:ignore``), or (line, None) for a comment
    that starts like a directive but cannot be read as one."""
    found: list[tuple[int, str | None]] = []
    above = start - 1
    while above >= 1 and _COMMENT_LINE.match(lines[above - 1]):
        above -= 1
    for number in range(above + 1, min(end, len(lines)) + 1):
        match = DIRECTIVE.search(lines[number - 1])
        if match:
            found.append((number, match["rest"]))
        elif NEAR_MISS.search(lines[number - 1]):
            found.append((number, None))
    return found


def unreadable(comment: str) -> str:
    """The problem of a comment that starts like a directive but cannot be read as one."""
    comment = comment.strip()
    start_at = NEAR_MISS.search(comment)
    shown = comment[start_at.start():] if start_at else comment
    return f"cannot be read: {shown!r}; {EXPECTED}"


def comment_suppressions(
    lines: Sequence[str], start: int, end: int, file: str, target: str
) -> list[Suppression]:
    """The suppressions of the directive comments ``directive_lines`` finds (a near miss is a
    suppression with a problem: HL003), all on ``target``."""
    result = []
    for number, rest in directive_lines(lines, start, end):
        if rest is None:
            result.append(make_suppression((), None, None, file, number, target,
                                           unreadable(lines[number - 1])))
            continue
        ids, options, problem = parse_directive(rest)
        result.append(make_suppression(ids, options.get("reason"), options.get("expires"), file,
                                       number, target, problem))
    return result


def mentions(text: str) -> bool:
    """Whether a file may hold a suppression comment or a near miss (worth keeping its lines)."""
    return NEAR_MISS.search(text) is not None or "hadr-lint:ignore" in text


def collect(results: Iterable[LoadResult]) -> dict[tuple[str, str], list[Suppression]]:
    """(file, resource label) -> the suppressions that apply to that resource: the findings'
    ``resource`` is the label, one per instance (a comment on a block covers every instance).

    The loaders read them: a resource's own in ``meta["suppressions"]``, those of a whole
    document (a CloudFormation template's ``Metadata``) in ``LoadResult.suppressions``, which
    cover each of its resources and the document itself (its workload's findings)."""
    index: dict[tuple[str, str], list[Suppression]] = {}
    for result in results:
        whole = list(result.suppressions) if result.files else []
        for resource in result.resources:
            found = list(resource.meta.get("suppressions") or ()) + whole
            if found:
                key = (resource.location.file, resource.label)
                known = index.setdefault(key, [])
                known.extend(s for s in found if s not in known)
        if whole:  # the document itself: its workload's findings (OB001, OB002...)
            index.setdefault((result.files[0], "template"), []).extend(whole)
    return index


# ----- applying them ------------------------------------------------------------------------------

def apply(
    findings: Iterable[Finding],
    index: Mapping[tuple[str, str], list[Suppression]],
    rules: Sequence[LoadedRule],
    severity: Mapping[str, str],
    today: datetime.date,
    known: Iterable[str] | None = None,
) -> Outcome:
    """Suppress the findings ``index`` covers; report HL001-HL003. ``known``: every rule id that
    exists (selected or not); a suppression naming none of them is HL003 and suppresses
    nothing."""
    if known is not None:
        index = _with_unknown_ids(index, list(known))
    outcome = Outcome()
    used: set[tuple[Suppression, str]] = set()
    for finding in findings:
        match = _matching(_candidates(index, finding), finding, today)
        if match is None:
            outcome.findings.append(finding)
            continue
        used.add((match, _id_for(match, finding.rule_id)))
        outcome.suppressed.append(SuppressedFinding(finding, match))
    everything = list(dict.fromkeys(s for group in index.values() for s in group))
    selected = {r.id for r in rules}
    outcome.findings += _reports(everything, used, selected, severity, today, outcome.notes)
    return outcome


def _candidates(index, finding: Finding) -> list[Suppression]:
    """The suppressions that may cover ``finding``: those of its resource; for a finding on a
    workload declared in a template's Metadata (OB001, OB002...), the template's own."""
    found = list(index.get((finding.file, finding.resource), ()))
    if finding.resource_type == WORKLOAD_TYPE:
        found += index.get((finding.file, "template"), [])
    return found


def _with_unknown_ids(index, known: list[str]):
    checked: dict[Suppression, Suppression] = {}
    for group in index.values():
        for s in group:
            unknown = [] if s.problem else unknown_ids(s.rule_ids, known)
            checked[s] = replace(s, problem="names " + "; ".join(unknown)) if unknown else s
    return {key: list(dict.fromkeys(checked[s] for s in group)) for key, group in index.items()}


def _id_for(suppression: Suppression, rule_id: str) -> str:
    return next(i for i in suppression.rule_ids if matches(rule_id, [i]))


def _matching(candidates, finding: Finding, today: datetime.date) -> Suppression | None:
    for suppression in candidates:
        if suppression.problem or suppression.expired(today):
            continue
        if matches(finding.rule_id, suppression.rule_ids) and suppression.covers(finding):
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
    return replace(finding, severity=level)


def _finding(rule_id: str, suppression: Suppression, message: str) -> Finding:
    rule = next(r for r in PSEUDO_RULES if r.id == rule_id)
    return Finding(
        rule_id=rule_id, rule_name=rule.meta.name, severity=rule.meta.severity, message=message,
        resource=suppression.target, resource_type="suppression", file=suppression.file,
        line=suppression.line, end_line=suppression.line, scope=rule.meta.scope,
    )
