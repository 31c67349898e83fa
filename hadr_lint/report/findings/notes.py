"""Notes for people: the same kind of note once, counted, instead of once per resource, module
or template ("41 resources skipped: their condition is false"). ``--verbose`` lists each one; the
JSON and SARIF reports keep every note as it is."""

from __future__ import annotations

import re
from collections.abc import Iterable

# (pattern, what a group of them says): the pattern's ``key`` group, when present, splits the
# kind further (one line per --parameter name).
KINDS = (
    (re.compile(r": \S+ omitted: condition \S+ is false$"),
     "{n} resources skipped: their condition is false"),
    (re.compile(r": module\.\S+ \(.*\) was not loaded: remote modules are never fetched"),
     "{n} remote modules not loaded: run terraform init (hadr-lint then reads "
     ".terraform/modules)"),
    (re.compile(r"^(?P<where>.+): parameter (?P<key>.+) is not declared in the template$"),
     "--parameter {key} is not declared in {n} templates (it applies where it is declared)"),
    (re.compile(r": suppression of .* expired on "),
     "{n} suppressions expired: their findings are reported again"),
)


def condensed(notes: Iterable[str]) -> list[str]:
    """One line per kind of note (in the order each kind first appears), with its count; a kind
    seen once keeps its own, more precise, text."""
    groups: dict[tuple, list[str]] = {}
    for note in dict.fromkeys(notes):
        groups.setdefault(_kind(note), []).append(note)
    lines = []
    for (template, key), members in groups.items():
        if template is None or len(members) == 1:
            lines.extend(members)
        else:
            lines.append(template.format(n=len(members), key=key))
    return lines


def _kind(note: str) -> tuple:
    for number, (pattern, template) in enumerate(KINDS):
        match = pattern.search(note)
        if match:
            return template, match.groupdict().get("key") or number
    return None, note
