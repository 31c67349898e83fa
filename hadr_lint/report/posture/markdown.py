"""The posture report as Markdown, sized for a pull-request comment.

GitHub refuses a comment over 65,536 characters. ``render_markdown(data, max_length)`` keeps the
report under ``max_length`` (default ``COMMENT_LIMIT``) by giving up, in this order, only what
is needed: the architecture diagram, the folded evidence, then rows of the findings and store
tables (errors first), each cut saying how many rows are left out and where the full report is
(``--format html`` or ``json``). The headline tables always stay."""

from __future__ import annotations

from typing import Any

from hadr_lint.objectives.estimate import NO_STORES
from hadr_lint.report.escape import md_code, md_text
from hadr_lint.report.posture.wording import (
    SCOPE_NAMES,
    estimate_cell,
    regions_sentence,
    summary_line,
)

STATUS = {"present": "✅ present", "missing": "❌ missing", "unknown": "❔ unknown"}


def cell(text: Any) -> str:
    """Repository text as literal Markdown, safe in a table cell (``escape.md_text``)."""
    return md_text(text)


COMMENT_LIMIT = 65_000  # GitHub: 65,536 characters per comment; some room for a marker line
FULL_REPORT = "the full report: `hadr-lint report --format html` or `--format json`"
SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}


def render_markdown(data: dict[str, Any], max_length: int | None = COMMENT_LIMIT) -> str:
    """The report; with ``max_length`` (None: unlimited), shortened to fit as the module says."""
    steps: list[tuple[bool, bool, int | None]] = [(True, True, None), (False, True, None),
                                                  (False, False, None)]
    steps += [(False, False, n) for n in (200, 100, 50, 20, 5, 0)]
    text = ""
    for diagram, evidence, rows in steps:
        text = _render(data, diagram, evidence, rows)
        if max_length is None or len(text) <= max_length:
            return text
    assert max_length is not None
    return text[:max_length - len(CUT)] + CUT


CUT = "\n\n… cut to fit a pull-request comment; " + FULL_REPORT + ".\n"


def _render(data: dict[str, Any], diagram: bool, evidence: bool, rows: int | None) -> str:
    lines = ["# hadr-lint recovery posture", ""]
    lines += [summary_line(data["summary"]), ""]
    for workload in data["workloads"]:
        lines += _workload(workload, evidence, rows)
    if diagram:
        lines += data.get("architecture") or []
    elif data.get("architecture"):
        lines += [f"The architecture diagram is left out to fit a comment; {FULL_REPORT}.", ""]
    lines += _findings(data["findings"], rows)
    return "\n".join(lines).rstrip() + "\n"


def _capped(rows: list[str], limit: int | None, what: str) -> list[str]:
    if limit is None or len(rows) <= limit:
        return rows
    return rows[:limit] + [f"| … | {len(rows) - limit} more {what} | | | |"]


def _workload(w: dict[str, Any], evidence: bool = True, rows: int | None = None) -> list[str]:
    declared = w["declared"]
    lines = [f"## Workload {md_code(w['name'], table=False)}", ""]
    lines += [
        "| | declared | estimated: AZ loss | estimated: region loss |",
        "|---|---|---|---|",
        f"| strategy | {cell(declared['strategy'] or 'not declared')} | | |",
        f"| RPO | {cell(declared['rpo_text'])} | {_est(w['rpo']['az'])} "
        f"| {_est(w['rpo']['region'])} |",
        f"| RTO | {cell(declared['rto_text'])} | {_est(w['rto']['az'])} "
        f"| {_est(w['rto']['region'])} |",
        "",
    ]
    lines.append(regions_sentence(w["regions"], cell) + _sources(declared["sources"]))
    lines.append("")
    lines += _evidence(w) if evidence else [f"Evidence left out to fit a comment; {FULL_REPORT}.",
                                            ""]
    lines += _stores(w["stores"], rows)
    lines += _blocks(w, rows)
    return lines


def _est(found: dict[str, Any]) -> str:
    kind, text = estimate_cell(found, cell)
    return f"**{text}**" if kind == "estimate" else text


def _sources(sources: dict[str, str]) -> str:
    if not sources:
        return " No objectives declared."
    grouped: dict[str, list[str]] = {}
    for key, where in sources.items():
        grouped.setdefault(where, []).append(key)
    return " Declared in: " + "; ".join(f"{', '.join(cell(k) for k in keys)} from {cell(where)}"
                                        for where, keys in sorted(grouped.items())) + "."


def _evidence(w: dict[str, Any]) -> list[str]:
    lines = ["<details><summary>Evidence</summary>", ""]
    for metric in ("rpo", "rto"):
        for scope in ("az", "region"):
            found = w[metric][scope]
            if found["unknown_reason"] == NO_STORES:
                continue
            lines.append(f"**{metric.upper()}, {SCOPE_NAMES[scope]}: {cell(found['text'])}**"
                         + (f" ({cell(found['unknown_reason'])})" if found["unknown_reason"]
                            else ""))
            lines.append("")
            for item in found["evidence"]:
                where = (md_code(f"{item['file']}:{item['line']}", table=False) + " "
                         if item["file"] else "")
                attribute = md_code(item["attribute"], table=False) if item["attribute"] else ""
                what = " ".join(p for p in (cell(item["resource"] or ""), attribute) if p)
                lines.append(f"- {where}{what}: {cell(item['contribution'])}")
            if found["evidence"]:
                lines.append("")
    lines += ["</details>", ""]
    return lines


def _stores(stores: list[dict[str, Any]], rows: int | None = None) -> list[str]:
    if not stores:
        return ["No stateful stores.", ""]
    lines = ["### Stateful stores", "",
             "| store | class | region | Multi-AZ | backups | cross-region copy | RPO AZ "
             "| RPO region | human error |",
             "|---|---|---|---|---|---|---|---|---|"]
    table = [f"| {md_code(s['resource'])} | {cell(s['class'])} | {cell(s['region'])} "
             f"| {cell(s['multi_az'])} "
             f"| {cell(s['backups'])} | {cell(s['cross_region_copy'])} | {cell(s['rpo_az'])} "
             f"| {cell(s['rpo_region'])} | {cell(s['human_error'])} |" for s in stores]
    return lines + _capped(table, rows, "stores") + [""]


BLOCK_ORDER = {"missing": 0, "unknown": 1, "present": 2}


def _blocks(w: dict[str, Any], rows: int | None = None) -> list[str]:
    if not w["blocks"]:
        return []
    blocks = w["blocks"]
    if rows is not None:  # missing blocks first when rows must go
        blocks = sorted(blocks, key=lambda b: BLOCK_ORDER.get(b["status"], 3))
    lines = [f"### Building blocks of {cell(w['declared']['strategy'])}", "",
             "| needed by | block | status | resource | detail |", "|---|---|---|---|---|"]
    table = [f"| {cell(b['strategy'])} | {cell(b['name'])} | {STATUS[b['status']]} "
             f"| {md_code(b['resource'])} | {cell(b['detail'])} |" for b in blocks]
    return lines + _capped(table, rows, "building blocks") + [""]


def _findings(findings: list[dict[str, Any]], rows: int | None = None) -> list[str]:
    lines = ["## Findings", ""]
    if not findings:
        return lines + ["No findings.", ""]
    if rows is not None:  # errors first when rows must go
        findings = sorted(findings, key=lambda f: SEVERITY_ORDER.get(f["severity"], 3))
    lines += ["| severity | rule | resource | location | message |", "|---|---|---|---|---|"]
    table = [f"| {cell(f['severity'])} | {cell(f['rule_id'])} | {md_code(f['resource'])} "
             f"| {md_code(f['file'] + ':' + str(f['line']))} | {cell(f['message'])} |"
             for f in findings]
    lines += _capped(table, rows, "findings")
    if rows is not None and len(table) > rows:
        lines += ["", f"Findings per rule: {_per_rule(findings)}; {FULL_REPORT}."]
    return lines + [""]


def _per_rule(findings: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f["rule_id"]] = counts.get(f["rule_id"], 0) + 1
    return ", ".join(f"{rule} {count}" for rule, count in sorted(counts.items()))
