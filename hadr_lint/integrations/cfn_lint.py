"""hadr-lint rules inside cfn-lint: ``cfn-lint -a hadr_lint.integrations.cfn_lint template.yaml``.

cfn-lint imports this module (``--append-rules`` with a module path calls
``importlib.import_module`` and instantiates every ``CloudFormationLintRule`` subclass found in
it). There is one cfn-lint rule per hadr-lint rule that can be decided from one template. The
first rule that cfn-lint runs on a template builds the hadr-lint pipeline for that template alone
(the loader on cfn-lint's decoded template, normalise, graph, the rules, then the template's
``Metadata: hadr-lint: ignore`` suppressions); the others reuse that result.

Ids: cfn-lint wants ``[EWI]\\d{4}`` and reserves 9XXX for user rules. hadr-lint uses 95XX for HA,
96XX for DR and 97XX for HE, with the letter of the rule's default severity (error E, warning W,
note I): HA001 -> E9501, HA003 -> W9503, DR007 -> W9607, HE002 -> W9702. The message starts with
the hadr-lint id. A finding the rule reports at another severity than its default (HE001 on a
load balancer: warning) keeps the rule's id, but cfn-lint's exit code and the level in its JSON
and SARIF output use the finding's severity.

Not run here: the objective rules (OB*, they need declared objectives), DR001 (the partner
record often lives in another template), DR005 (needs the DR strategy, and the copy is usually
another stack) and DR006 (an AWS Backup plan in another stack may cover the store). Run
``hadr-lint scan`` on all templates together for those.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from hadr_lint import suppress
from hadr_lint.config import ConfigError, find_config, load_config
from hadr_lint.engine import run_rules
from hadr_lint.graph import Graph
from hadr_lint.loaders.cloudformation import load_template
from hadr_lint.normalise import normalise
from hadr_lint.rulebase import builtin_rules

FAMILY_BLOCK = {"HA": 95, "DR": 96, "HE": 97}
LETTER = {"error": "E", "warning": "W", "note": "I"}
CFN_SEVERITY = {"error": "error", "warning": "warning", "note": "informational"}
EXCLUDED = {
    "DR001": "the partner failover record is often declared in another template",
    "DR005": "needs the DR strategy objectives; the copy usually lives in another stack",
    "DR006": "an AWS Backup plan in another stack may select the store",
}
SCOPES = ("az", "region", "human")

_last: tuple[Any, dict[str, list]] | None = None  # (template object, findings by rule id)


def cfn_lint_id(rule_id: str, severity: str) -> str:
    """``HA001`` with severity ``error`` -> ``E9501``."""
    return f"{LETTER[severity]}{FAMILY_BLOCK[rule_id[:2]]}{int(rule_id[2:]):02d}"


def eligible(rules) -> list:
    return [r for r in rules if r.meta.scope in SCOPES and r.id[:2] in FAMILY_BLOCK
            and r.id[2:].isdigit() and int(r.id[2:]) < 100 and r.id not in EXCLUDED]


def _builtin() -> list:
    return eligible(builtin_rules())


def findings_for(cfn) -> dict[str, list]:
    """hadr-lint's findings on this one template, by rule id (computed once per template)."""
    global _last
    if _last is not None and _last[0] is cfn.template:
        return _last[1]
    found: dict[str, list] = {}
    for finding in _scan(cfn):
        found.setdefault(finding.rule_id, []).append(finding)
    _last = (cfn.template, found)
    return found


def _scan(cfn) -> list:
    import datetime

    path = cfn.filename or "template"
    rules = _builtin()
    try:
        config = _config(path)
    except ConfigError as exc:  # fail closed: one error on the template, no rule run
        return [_config_error(rules[0].id, str(exc))]
    result = load_template(path, _text(path), region=_region(cfn), decoded=(cfn.template, ()))
    graph = Graph([normalise(r) for r in result.resources])
    findings, _, _ = run_rules(rules, graph, config)
    outcome = suppress.apply(findings, suppress.collect([result]), rules, config.severity,
                             datetime.date.today())
    return [f for f in outcome.findings if f.rule_id in {r.id for r in rules}]


def _config_error(rule_id: str, message: str):
    """An error finding on the template saying the configuration stopped hadr-lint's rules."""
    from types import SimpleNamespace

    return SimpleNamespace(rule_id=rule_id, severity="error", resource=".hadr-lint.yaml",
                           message=f"{message}; hadr-lint's rules did not run")


def _text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):  # stdin or unreadable: lines only refine end lines
        return ""


def _region(cfn) -> str | None:
    regions = getattr(cfn, "regions", None) or []
    return regions[0] if regions else None


def _config(path: str):
    """``.hadr-lint.yaml`` found from the template up (min_azs, severity, ignore); raises
    ConfigError for one that cannot be read or is invalid (never the defaults in silence)."""
    try:
        return load_config(find_config(Path(path)))
    except OSError as exc:
        raise ConfigError(f"cannot read the hadr-lint configuration: {exc}") from None


class HadrLintRule(CloudFormationLintRule):
    """Base of the generated rules: ``hadr_id`` names the hadr-lint rule."""

    hadr_id = ""
    hadr_severity = "error"

    @property
    def severity(self):
        return getattr(self, "_severity", CFN_SEVERITY[self.hadr_severity])

    def match(self, cfn):
        matches = []
        for finding in findings_for(cfn).get(self.hadr_id, ()):
            match = RuleMatch(_path(cfn, finding.resource),
                              f"{finding.rule_id} {finding.message} [{finding.resource}]")
            if finding.severity != self.hadr_severity:
                match.rule = self._at(finding.severity)
            matches.append(match)
        return matches

    def _at(self, severity: str):
        view = copy.copy(self)
        view._severity = CFN_SEVERITY[severity]
        return view


def _path(cfn, name: str) -> list:
    """``["Resources", LogicalId]`` so cfn-lint reports the resource's line."""
    resources = cfn.template.get("Resources", {}) if isinstance(cfn.template, dict) else {}
    for candidate in (name, name.split("/")[0], name.split(".")[0], name.split("[")[0]):
        if candidate in resources:
            return ["Resources", candidate]
    return ["Resources"]


def _make(rule) -> type:
    meta = rule.meta
    return type(f"HadrLint{meta.id}", (HadrLintRule,), {
        "__module__": __name__,
        "id": cfn_lint_id(meta.id, meta.severity),
        "shortdesc": f"{meta.id} {meta.short}"[:200],
        "description": meta.description or meta.short,
        "source_url": meta.help_url,
        "tags": ["hadr-lint", *meta.tags],
        "hadr_id": meta.id,
        "hadr_severity": meta.severity,
    })


def mapping() -> dict[str, str]:
    """hadr-lint id -> cfn-lint id, for the rules this pack runs."""
    return {r.id: cfn_lint_id(r.id, r.meta.severity) for r in _builtin()}


def _register() -> None:
    module = sys.modules[__name__]
    for rule in _builtin():
        cls = _make(rule)
        setattr(module, cls.__name__, cls)


_register()
