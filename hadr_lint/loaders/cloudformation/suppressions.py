"""CloudFormation's suppressions: ``Metadata: {hadr-lint: {ignore: [{id: HA001, reason: "...",
expires: ...}]}}`` on a resource, or the same under the template's top-level ``Metadata`` for
every resource (and the template's own workload findings). YAML comments are not read.

``with_suppressions`` puts them on the loaded template: a resource's in its
``meta["suppressions"]``, the template's in ``LoadResult.suppressions``
(``hadr_lint.suppress.collect`` reads both).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from hadr_lint.model import LoadResult, Resource
from hadr_lint.result import Suppression
from hadr_lint.suppress import make_suppression

CFN_KEY = "hadr-lint"
CFN_EXPECTED = "expected Metadata: {hadr-lint: {ignore: [{id: HA001, reason: ...}]}}"


def metadata_near_misses(metadata: Any, file: str, line: int, target: str) -> list[Suppression]:
    """Metadata keys that look like ``hadr-lint`` but are not (``hadr_lint``, ``HadrLint`` with
    ``ignore``), and keys under ``hadr-lint`` other than ``ignore``: each an HL003."""
    if not isinstance(metadata, Mapping):
        return []
    found = []
    for key, value in metadata.items():
        text = str(key)
        if text == CFN_KEY:
            extra = [str(k) for k in value] if isinstance(value, Mapping) else []
            wrong = [k for k in extra if k != "ignore"]
            if not isinstance(value, Mapping) or wrong:
                what = f"key(s) {', '.join(wrong)} under" if wrong else "the value of"
                found.append(make_suppression((), None, None, file, line, target,
                                              f"cannot be read: {what} {CFN_KEY}; {CFN_EXPECTED}"))
        elif re.fullmatch(r"hadr[-_ ]?lint", text, re.IGNORECASE) and (
                text != "HadrLint" or (isinstance(value, Mapping) and any(
                    str(k).lower() in ("ignore", "suppress") for k in value))):
            found.append(make_suppression((), None, None, file, line, target,
                                          f"cannot be read: Metadata key {text!r}; {CFN_EXPECTED}"))
    return found


def metadata_suppressions(entries: Any, file: str, line: int, target: str) -> list[Suppression]:
    """CloudFormation ``ignore`` entries: ``{id, reason, expires}`` mappings or plain ids."""
    if not isinstance(entries, list):
        return [make_suppression((), None, None, file, line, target, "ignore must be a list")]
    result = []
    for entry in entries:
        if isinstance(entry, Mapping):
            raw = entry.get("id", entry.get("rule", entry.get("ids")))
            raw = raw if isinstance(raw, list) else [raw] if raw is not None else []
            ids = tuple(str(i).strip().upper() for i in raw if str(i).strip())
            given = entry.get("line")
            where = given if isinstance(given, int) else line
            unknown = set(entry) - {"id", "rule", "ids", "reason", "expires", "line"}
            problem = None if ids else "names no rule id"
            if ids and unknown:
                problem = f"unknown key(s) {', '.join(sorted(map(str, unknown)))}"
            result.append(make_suppression(ids, entry.get("reason"), entry.get("expires"), file,
                                           where, target, problem))
        else:
            ids = (str(entry).strip().upper(),) if str(entry).strip() else ()
            result.append(make_suppression(ids, None, None, file, line, target,
                                           None if ids else "names no rule id"))
    return result


def resource_suppressions(resource: Resource) -> list[Suppression]:
    """A resource's own: its ``Metadata`` ``hadr-lint`` entries and near misses."""
    metadata = resource.meta.get("metadata")
    where = (resource.location.file, resource.location.line, resource.name)
    found = metadata_near_misses(metadata, *where)
    own = metadata.get(CFN_KEY) if isinstance(metadata, Mapping) else None
    if not isinstance(own, Mapping) or "ignore" not in own:
        return found
    return found + metadata_suppressions(own["ignore"], *where)


def template_suppressions(result: LoadResult) -> list[Suppression]:
    """The template's own: its top-level ``Metadata`` ``ignore`` entries (``metadata["ignore"]``)
    and near misses (``metadata["ignore_problems"]``)."""
    if not result.files:
        return []
    file = result.files[0]
    found: list[Suppression] = []
    if "ignore" in result.metadata:
        found = metadata_suppressions(result.metadata["ignore"], file, 1, "template")
    if "ignore_problems" in result.metadata:
        found += [make_suppression((), None, None, file, line, "template", problem)
                  for line, problem in result.metadata["ignore_problems"]]
    return found


def with_suppressions(result: LoadResult) -> LoadResult:
    """A loaded template with its resources' suppressions and its own on it."""
    resources = []
    for resource in result.resources:
        own = resource_suppressions(resource)
        if own:
            resource = dataclasses.replace(resource, meta={**resource.meta, "suppressions": [
                *resource.meta.get("suppressions", ()), *own]})
        resources.append(resource)
    return dataclasses.replace(result, resources=tuple(resources),
                               suppressions=tuple(template_suppressions(result)))
