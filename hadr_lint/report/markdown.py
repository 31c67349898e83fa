"""The posture report as Markdown, sized for a pull-request comment."""

from __future__ import annotations

from typing import Any

from hadr_lint.objectives.estimate import NO_STORES
from hadr_lint.report.escape import md_code, md_text

SCOPE_NAMES = {"az": "AZ loss", "region": "region loss"}
STATUS = {"present": "✅ present", "missing": "❌ missing", "unknown": "❔ unknown"}


def cell(text: Any) -> str:
    """Repository text as literal Markdown, safe in a table cell (``escape.md_text``)."""
    return md_text(text)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(summary: dict[str, Any]) -> str:
    return (f"{plural(summary['resources'], 'resource')} from {plural(summary['files'], 'file')}"
            f"; {plural(summary['findings'], 'finding')} ({plural(summary['errors'], 'error')}, "
            f"{plural(summary['warnings'], 'warning')}, {plural(summary['notes'], 'note')}); "
            f"{plural(summary['unverified'], 'check')} unverified.")


def render_markdown(data: dict[str, Any]) -> str:
    lines = ["# hadr-lint recovery posture", ""]
    summary = data["summary"]
    lines += [summary_line(summary), ""]
    for workload in data["workloads"]:
        lines += _workload(workload)
    lines += data.get("architecture") or []
    lines += _findings(data["findings"])
    return "\n".join(lines).rstrip() + "\n"


def _workload(w: dict[str, Any]) -> list[str]:
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
    lines.append(_regions(w["regions"]) + _sources(declared["sources"]))
    lines.append("")
    lines += _evidence(w)
    lines += _stores(w["stores"])
    lines += _blocks(w)
    return lines


def _est(found: dict[str, Any]) -> str:
    if found["unknown_reason"] == NO_STORES:
        return "n/a (no stateful store)"
    if found["text"] == "unknown":
        return f"unknown: {cell(found['unknown_reason'])}"
    return f"**{cell(found['text'])}**"


def _regions(regions: dict[str, Any]) -> str:
    if regions["primary"] is None:
        return f"Primary region unknown ({cell(regions['primary_unknown'])})."
    dr = ", ".join(cell(r) for r in regions["dr"]) or "none"
    return (f"Primary region {cell(regions['primary'])} ({cell(regions['primary_source'])}); "
            f"DR regions: {dr}.")


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


def _stores(stores: list[dict[str, Any]]) -> list[str]:
    if not stores:
        return ["No stateful stores.", ""]
    lines = ["### Stateful stores", "",
             "| store | region | Multi-AZ | backups | cross-region copy | RPO AZ | RPO region "
             "| human error |",
             "|---|---|---|---|---|---|---|---|"]
    for s in stores:
        lines.append(
            f"| {md_code(s['resource'])} | {cell(s['region'])} | {cell(s['multi_az'])} "
            f"| {cell(s['backups'])} | {cell(s['cross_region_copy'])} | {cell(s['rpo_az'])} "
            f"| {cell(s['rpo_region'])} | {cell(s['human_error'])} |")
    return lines + [""]


def _blocks(w: dict[str, Any]) -> list[str]:
    if not w["blocks"]:
        return []
    lines = [f"### Building blocks of {cell(w['declared']['strategy'])}", "",
             "| needed by | block | status | resource | detail |", "|---|---|---|---|---|"]
    for b in w["blocks"]:
        lines.append(f"| {cell(b['strategy'])} | {cell(b['name'])} | {STATUS[b['status']]} "
                     f"| {md_code(b['resource'])} | {cell(b['detail'])} |")
    return lines + [""]


def _findings(findings: list[dict[str, Any]]) -> list[str]:
    lines = ["## Findings", ""]
    if not findings:
        return lines + ["No findings.", ""]
    lines += ["| severity | rule | resource | location | message |", "|---|---|---|---|---|"]
    for f in findings:
        where = md_code(f"{f['file']}:{f['line']}")
        lines.append(f"| {cell(f['severity'])} | {cell(f['rule_id'])} | {md_code(f['resource'])} "
                     f"| {where} | {cell(f['message'])} |")
    return lines + [""]
