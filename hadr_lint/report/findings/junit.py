"""JUnit XML for GitLab (``artifacts:reports:junit``), Jenkins and other CI test views.

One test suite; one test case per selected rule and resource instance it applies to (the
instances of a ``count``/``for_each`` block are cases of their own). A finding is a ``failure``;
a check an unknown value left open, a suppressed finding and a finding accepted in the baseline
are ``skipped`` with the reason; a file that could not be read or parsed is an ``error`` test
case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from hadr_lint.report.escape import xml_safe
from hadr_lint.result import ScanResult

Key = tuple[str, str, str]  # rule id, resource label, file


def _cases(result: ScanResult) -> dict[Key, dict]:
    cases: dict[Key, dict] = {}
    lines: dict[tuple[str, str], int] = {}
    for resource in result.resources:
        lines.setdefault((resource.label, resource.location.file), resource.location.line)
        for rule in result.rules:
            if resource.kind in rule.meta.kinds:
                key = (rule.id, resource.label, resource.location.file)
                cases.setdefault(key, {"line": resource.location.line, "outcomes": []})
    for finding in result.findings:
        case = cases.setdefault((finding.rule_id, finding.resource, finding.file),
                                {"line": finding.line, "outcomes": []})
        text = f"{finding.file}:{finding.line}: {finding.rule_id} {finding.message}"
        case["outcomes"].append(("failure", finding.severity, finding.message, text))
    for item in result.suppressed:
        f, s = item.finding, item.suppression
        case = cases.setdefault((f.rule_id, f.resource, f.file), {"line": f.line, "outcomes": []})
        why = f"suppressed at {s.file}:{s.line}: {s.reason or 'no reason given'}"
        case["outcomes"].append(("skipped", "", why, f.message))
    for f in result.baselined:
        case = cases.setdefault((f.rule_id, f.resource, f.file), {"line": f.line, "outcomes": []})
        case["outcomes"].append(("skipped", "", "accepted in the baseline", f.message))
    for note in result.unknowns:
        case = cases.setdefault((note.rule_id, note.resource, note.file),
                                {"line": note.line, "outcomes": []})
        case["outcomes"].append(("skipped", "", f"unverified: {note.reason}", ""))
    return cases


def as_element(result: ScanResult) -> ET.Element:
    cases = _cases(result)
    suite = ET.Element("testsuite", name="hadr-lint")
    counts: Counter[str] = Counter()
    rule_names = {r.id: r.meta.name for r in result.rules}
    for (rule_id, resource, file), case in sorted(cases.items(), key=lambda kv: (kv[0][2],
                                                                                  kv[0][0],
                                                                                  kv[0][1])):
        element = ET.SubElement(
            suite, "testcase", classname=f"{rule_id} {rule_names.get(rule_id, '')}".strip(),
            name=f"{resource} ({file})", file=file, line=str(case["line"] or 0),
        )
        counts["tests"] += 1
        failures = [o for o in case["outcomes"] if o[0] == "failure"]
        for kind, severity, message, text in failures or _one_skip(case["outcomes"]):
            child = ET.SubElement(element, kind, message=message)
            if kind == "failure":
                child.set("type", severity)
                child.text = text
                counts["failures"] += 1
            else:
                child.text = text or None
                counts["skipped"] += 1
    for error in result.errors:
        where = f"{error.file}:{error.line}" if error.line else error.file
        element = ET.SubElement(suite, "testcase", classname="hadr-lint load",
                                name=error.file, file=error.file)
        ET.SubElement(element, "error", message=error.message,
                      type="load-error").text = f"{where}: {error.message}"
        counts["tests"] += 1
        counts["errors"] += 1
    for name in ("tests", "failures", "errors", "skipped"):
        suite.set(name, str(counts[name]))
    root = ET.Element("testsuites", name="hadr-lint")
    for name in ("tests", "failures", "errors", "skipped"):
        root.set(name, str(counts[name]))
    root.append(suite)
    _well_formed(root)
    return root


def _well_formed(root: ET.Element) -> None:
    """Every name, file and message from the repository as text XML 1.0 can hold: ElementTree
    writes control characters raw, and a parser then rejects the whole report."""
    for element in root.iter():
        for key, value in element.attrib.items():
            element.set(key, xml_safe(value))
        if element.text:
            element.text = xml_safe(element.text)


def _one_skip(outcomes: list[tuple]) -> list[tuple]:
    """A test case is skipped once: with every reason (two roots' unverified checks of one
    instance, a suppression and an open check), never only the first."""
    if not outcomes:
        return []
    messages = list(dict.fromkeys(o[2] for o in outcomes))
    texts = list(dict.fromkeys(o[3] for o in outcomes if o[3]))
    return [("skipped", "", "; ".join(messages), "\n".join(texts))]


def render(result: ScanResult, show_unknown: bool = False) -> str:
    root = as_element(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
