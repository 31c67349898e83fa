"""The posture report as one self-contained HTML page: inline CSS, no JavaScript, no network,
every text escaped."""

from __future__ import annotations

from typing import Any

from hadr_lint.objectives.estimate import NO_STORES
from hadr_lint.report.escape import html_text
from hadr_lint.report.posture.wording import (
    SCOPE_NAMES,
    estimate_cell,
    regions_sentence,
    summary_line,
)

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
max-width:1200px;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;width:100%}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}code{font:12px ui-monospace,monospace;background:#f6f8fa;padding:0 .2rem}
.present{color:#1a7f37}.missing{color:#cf222e;font-weight:600}.unknown{color:#9a6700}
.error{color:#cf222e}.warning{color:#9a6700}.note{color:#57606a}
.estimate{font-weight:600}.muted{color:#57606a}ul.evidence{margin:.2rem 0 .8rem}
.table-wrap{overflow-x:auto;max-width:100%}
td,li{overflow-wrap:anywhere}td code,li code{overflow-wrap:anywhere;word-break:break-word}
svg.hadr-lint-picture{max-width:100%;height:auto}
@media print{
body{margin:0;max-width:none;padding:0;font-size:11px}
*{position:static!important}
.table-wrap,pre{overflow:visible!important}pre{white-space:pre-wrap}
table{width:100%}thead{display:table-header-group}
tr,li,svg{break-inside:avoid;page-break-inside:avoid}
h2,h3{break-after:avoid;page-break-after:avoid}
details::details-content{content-visibility:visible;display:block}
details>summary{list-style:none}
}
"""


def e(text: Any) -> str:
    return html_text(text)


def render_html(data: dict[str, Any]) -> str:
    body = ["<h1>hadr-lint recovery posture</h1>",
            f"<p class=\"muted\">{e(summary_line(data['summary']))}</p>"]
    for workload in data["workloads"]:
        body += _workload(workload)
    body += data.get("architecture") or []
    body += _findings(data["findings"])
    body = [_scrolls(line) for line in body]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>hadr-lint recovery posture</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body)
            + "\n</body>\n</html>\n")


def _scrolls(line: str) -> str:
    """Every table in a wrapper that scrolls sideways on screen rather than the page."""
    if line == "<table>":
        return '<div class="table-wrap"><table>'
    return "</table></div>" if line == "</table>" else line


def _workload(w: dict[str, Any]) -> list[str]:
    declared = w["declared"]
    rows = [
        ("strategy", declared["strategy"] or "not declared", None, None),
        ("RPO", declared["rpo_text"], w["rpo"]["az"], w["rpo"]["region"]),
        ("RTO", declared["rto_text"], w["rto"]["az"], w["rto"]["region"]),
    ]
    out = [f"<h2>Workload <code>{e(w['name'])}</code></h2>", "<table>",
           "<tr><th></th><th>declared</th><th>estimated: AZ loss</th>"
           "<th>estimated: region loss</th></tr>"]
    for name, value, az, region in rows:
        out.append(f"<tr><th>{e(name)}</th><td>{e(value)}</td><td>{_est(az)}</td>"
                   f"<td>{_est(region)}</td></tr>")
    out.append("</table>")
    out.append(f"<p>{regions_sentence(w['regions'], e)}</p>")
    out += _evidence(w)
    out += _stores(w["stores"])
    out += _blocks(w)
    return out


def _est(found: dict[str, Any] | None) -> str:
    if found is None:
        return ""
    kind, text = estimate_cell(found, e)
    return f"<span class=\"{kind}\">{text}</span>"


def _evidence(w: dict[str, Any]) -> list[str]:
    out = ["<h3>Evidence</h3>"]
    for metric in ("rpo", "rto"):
        for scope in ("az", "region"):
            found = w[metric][scope]
            if found["unknown_reason"] == NO_STORES:
                continue
            out.append(f"<p><strong>{metric.upper()}, {e(SCOPE_NAMES[scope])}: "
                       f"{e(found['text'])}</strong>"
                       + (f" <span class=\"unknown\">({e(found['unknown_reason'])})</span>"
                          if found["unknown_reason"] else "") + "</p>")
            out.append("<ul class=\"evidence\">")
            for item in found["evidence"]:
                where = f"<code>{e(item['file'])}:{item['line']}</code> " if item["file"] else ""
                who = f"{e(item['resource'])} " if item["resource"] else ""
                attribute = f"<code>{e(item['attribute'])}</code>" if item["attribute"] else ""
                out.append(f"<li>{where}{who}{attribute}: {e(item['contribution'])}</li>")
            out.append("</ul>")
    return out


def _stores(stores: list[dict[str, Any]]) -> list[str]:
    if not stores:
        return ["<p>No stateful stores.</p>"]
    out = ["<h3>Stateful stores</h3>", "<table>",
           "<tr><th>store</th><th>class</th><th>region</th><th>Multi-AZ</th><th>backups</th>"
           "<th>cross-region copy</th><th>RPO AZ</th><th>RPO region</th><th>human error</th></tr>"]
    for s in stores:
        cells = [f"<code>{e(s['resource'])}</code>"] + [e(s[k]) for k in (
            "class", "region", "multi_az", "backups", "cross_region_copy", "rpo_az", "rpo_region",
            "human_error")]
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return out + ["</table>"]


def _blocks(w: dict[str, Any]) -> list[str]:
    if not w["blocks"]:
        return []
    out = [f"<h3>Building blocks of {e(w['declared']['strategy'])}</h3>", "<table>",
           "<tr><th>needed by</th><th>block</th><th>status</th><th>resource</th>"
           "<th>detail</th></tr>"]
    for b in w["blocks"]:
        out.append(f"<tr><td>{e(b['strategy'])}</td><td>{e(b['name'])}</td>"
                   f"<td class=\"{e(b['status'])}\">{e(b['status'])}</td>"
                   f"<td><code>{e(b['resource'])}</code></td><td>{e(b['detail'])}</td></tr>")
    return out + ["</table>"]


def _findings(findings: list[dict[str, Any]]) -> list[str]:
    out = ["<h2>Findings</h2>"]
    if not findings:
        return out + ["<p>No findings.</p>"]
    out += ["<table>", "<tr><th>severity</th><th>rule</th><th>resource</th><th>location</th>"
            "<th>message</th></tr>"]
    for f in findings:
        out.append(f"<tr><td class=\"{e(f['severity'])}\">{e(f['severity'])}</td>"
                   f"<td>{e(f['rule_id'])}</td><td><code>{e(f['resource'])}</code></td>"
                   f"<td><code>{e(f['file'])}:{f['line']}</code></td>"
                   f"<td>{e(f['message'])}</td></tr>")
    return out + ["</table>"]
