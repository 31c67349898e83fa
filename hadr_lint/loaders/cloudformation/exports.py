"""What one template offers other stacks and asks of them, for ``stack_links``: its exports,
the export names it imports, its outputs and the nested stacks it creates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hadr_lint.loaders.cloudformation.context import MAX_DEPTH, NO_VALUE, Context, Joined, as_text
from hadr_lint.loaders.cloudformation.intrinsics import resolve

# The metadata keys ``template_links`` writes: they describe one template, never the scan.
LINK_KEYS = ("exports", "imports", "unnamed_exports", "outputs", "nests")


def template_links(template: Mapping, ctx: Context) -> dict[str, Any]:
    """``exports``: {export name: value} of the template's Outputs whose name is known;
    ``imports``: the known names it imports; ``unnamed_exports``: how many export names are
    unknown (built from ``AWS::StackName`` without ``--stack-name``, for instance)."""
    exports: dict[str, Any] = {}
    unnamed = 0
    outputs = template.get("Outputs")
    for output in outputs.values() if isinstance(outputs, Mapping) else ():
        export = output.get("Export") if isinstance(output, Mapping) else None
        if not isinstance(export, Mapping) or "Name" not in export:
            continue
        if output.get("Condition") is not None and \
                ctx.conditions.get(as_text(output["Condition"])) is not True:
            continue
        name = resolve(export["Name"], ctx, 0)
        if isinstance(name, str):
            exports[name] = _export_value(output.get("Value"), ctx)
        else:
            unnamed += 1
    links: dict[str, Any] = {}
    if exports:
        links["exports"] = exports
    if unnamed:
        links["unnamed_exports"] = unnamed
    imports = sorted(_imported_names([template.get("Resources"), outputs], ctx, 0))
    if imports:
        links["imports"] = imports
    links.update(_nesting_links(template, outputs, ctx))
    return links


def _nesting_links(template: Mapping, outputs: Any, ctx: Context) -> dict[str, Any]:
    """``outputs``: {name: value} of every output (a parent reads them); ``nests``: {logical
    id: {template_url, parameters}} of the nested stacks this template creates."""
    links: dict[str, Any] = {}
    found = {str(k): _export_value(o.get("Value"), ctx) for k, o in outputs.items()
             if isinstance(o, Mapping)} if isinstance(outputs, Mapping) else {}
    if found:
        links["outputs"] = found
    nests = {}
    resources = template.get("Resources")
    for name, body in resources.items() if isinstance(resources, Mapping) else ():
        if not isinstance(body, Mapping) or body.get("Type") != "AWS::CloudFormation::Stack" \
                or str(name) in ctx.omitted:
            continue
        properties = body.get("Properties")
        properties = properties if isinstance(properties, Mapping) else {}
        url = resolve(properties.get("TemplateURL"), ctx, 0)
        given = properties.get("Parameters") or {}
        if isinstance(url, str) and isinstance(given, Mapping):
            passed = {as_text(k): _export_value(v, ctx) for k, v in given.items()}
            nests[str(name)] = {"template_url": url, "parameters": {
                k: v for k, v in passed.items() if v is not NO_VALUE}}
    if nests:
        links["nests"] = nests
    return links


def _export_value(value: Any, ctx: Context) -> Any:
    joined = value.get("Fn::Join") if isinstance(value, Mapping) and len(value) == 1 else None
    if isinstance(joined, list) and len(joined) == 2 and isinstance(joined[0], str):
        items = resolve(joined[1], ctx, 1)
        if isinstance(items, list) and not all(isinstance(i, str) for i in items):
            return Joined(joined[0], tuple(items))
    return resolve(value, ctx, 0)


def _imported_names(value: Any, ctx: Context, depth: int) -> set[str]:
    if depth > MAX_DEPTH:
        return set()
    if isinstance(value, Mapping):
        if len(value) == 1 and "Fn::ImportValue" in value:
            name = resolve(value["Fn::ImportValue"], ctx, depth + 1)
            return {name} if isinstance(name, str) else set()
        return {n for item in value.values() for n in _imported_names(item, ctx, depth + 1)}
    if isinstance(value, list):
        return {n for item in value for n in _imported_names(item, ctx, depth + 1)}
    return set()
