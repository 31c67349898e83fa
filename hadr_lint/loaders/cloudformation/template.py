"""CloudFormation loader: one template (YAML or JSON, CDK output included) into Resources.

The engine's entry (``hadr_lint.loaders.registry``): ``claims`` and ``load_document``. A file is
decoded once (``decode``), then ``load_template`` resolves its parameters, mappings and
conditions (``resources``, ``conditions``, ``intrinsics``), turns each resource into a
``Resource`` and lists in the result's metadata what links it to other templates (``exports``,
read by ``stack_links``), its objectives and its suppressions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hadr_lint import cache
from hadr_lint.loaders import Document
from hadr_lint.loaders.cloudformation.conditions import Conditions
from hadr_lint.loaders.cloudformation.context import (
    Context,
    Nesting,
    as_text,
    line_of,
    mapping_or_empty,
    plain_data,
)
from hadr_lint.loaders.cloudformation.decode import (
    decode,
    exception_text,
    kind_of,
    looks_like_cloudformation,
)
from hadr_lint.loaders.cloudformation.exports import template_links
from hadr_lint.loaders.cloudformation.resources import (
    condition_of,
    declared_resources,
    load_resource,
    parameter_values,
    section_of,
)
from hadr_lint.loaders.cloudformation.suppressions import metadata_near_misses, with_suppressions
from hadr_lint.model import LoadError, LoadResult
from hadr_lint.objectives.declare import ObjectivesError, declared_for
from hadr_lint.tree import real


def load_template(
    path: str,
    text: str,
    *,
    parameters: dict[str, str] | None = None,
    region: str | None = None,
    decoded: tuple[object | None, tuple[LoadError, ...]] | None = None,
    stack_name: str | None = None,
    exports: Mapping[str, Any] | None = None,
    nesting: Nesting | None = None,
) -> LoadResult:
    """Load one CloudFormation template; ``decoded`` is what ``decode(text)`` returned, if known.

    ``stack_name`` is what ``AWS::StackName`` resolves to (else unknown); ``exports`` maps export
    names of other templates to their values, for ``Fn::ImportValue``; ``nesting`` links nested
    stacks (see ``Nesting``). The result's metadata lists the template's own ``exports``, the
    names it ``imports``, its ``outputs`` and the stacks it ``nests``.
    """
    data, errors = decoded if decoded is not None else decode(text, path)
    if errors:
        return LoadResult(errors=tuple(replace(e, file=path) for e in errors), files=(path,))
    if not isinstance(data, Mapping):
        message = f"template is not a mapping (found {kind_of(data)})"
        return LoadResult(errors=(LoadError(path, 1, message),), files=(path,))
    if not looks_like_cloudformation(data):
        return LoadResult()
    try:
        stack = _Stack(stack_name, dict(exports or {}), nesting or Nesting())
        return with_suppressions(_load(path, text, data, dict(parameters or {}), region, stack))
    except Exception as exc:  # an unforeseen shape must be an error, never a traceback
        message = f"cannot load template: {exception_text(exc)}"
        return LoadResult(errors=(LoadError(path, None, message),), files=(path,))


@dataclass(frozen=True)
class _Stack:
    """What links a template to the others: its stack name, the exports it can import, and
    what crosses nested-stack boundaries."""

    name: str | None = None
    exports: Mapping[str, Any] = field(default_factory=dict)
    nesting: Nesting = field(default_factory=Nesting)


def _load(
    path: str, text: str, template: Mapping, parameters: dict[str, str], region: str | None,
    stack: _Stack,
) -> LoadResult:
    errors: list[LoadError] = []
    notes: list[str] = []
    sections = {
        name: section_of(template, name, path, errors)
        for name in ("Parameters", "Mappings", "Conditions", "Resources")
    }
    declared = declared_resources(sections["Resources"], path, errors, notes)
    ctx = Context(
        path=path,
        region=region,
        params=parameter_values(sections["Parameters"], parameters, path, notes,
                                 stack.nesting.parameters),
        mappings=plain_data(sections["Mappings"]),
        resources={name: rtype for name, (rtype, _, _) in declared.items()},
        stack_name=stack.name,
        exports=stack.exports,
        nested_outputs=stack.nesting.outputs,
        sam_globals=mapping_or_empty(template.get("Globals")),
    )
    ctx = replace(ctx, conditions=Conditions(sections["Conditions"], ctx).evaluate_all(),
                  condition_section={str(k): v for k, v in sections["Conditions"].items()})
    omitted = frozenset(
        n for n, (_, _, body) in declared.items() if condition_of(body, ctx) is False
    )
    ctx = replace(
        ctx,
        omitted=omitted,
        resources={n: t for n, t in ctx.resources.items() if n not in omitted},
    )
    lines = text.splitlines()
    resources = []
    for name, (_, key, body) in declared.items():
        if name in omitted:
            notes.append(f"{path}: {name} omitted: condition {body['Condition']} is false")
        else:
            resources.append(load_resource(name, key, body, ctx, lines, errors))
    notes.extend(_transform_notes(template, path))
    return LoadResult(
        resources=tuple(resources),
        errors=tuple(errors),
        notes=tuple(notes),
        files=(path,),
        metadata={**_template_metadata(template, path, errors), **template_links(template, ctx)},
    )


def _transform_notes(template: Mapping, path: str) -> list[str]:
    transform = template.get("Transform")
    if transform is None:
        return []
    names = transform if isinstance(transform, list) else [transform]
    shown = ", ".join(str(n) if isinstance(n, str) else "a macro" for n in names)
    return [f"{path}: Transform {shown} is not expanded; resources are read as written"]


def _template_metadata(template: Mapping, path: str, errors: list[LoadError]) -> dict[str, Any]:
    section = template.get("Metadata")
    if not isinstance(section, Mapping):
        return {}
    metadata: dict[str, Any] = {}
    if "HadrLint" in section:
        metadata["objectives"] = plain_data(section["HadrLint"])
    own = section.get("hadr-lint")
    if isinstance(own, Mapping) and "ignore" in own:
        metadata["ignore"] = _ignore_entries(own, path, errors)
    problems = _near_misses(section)
    if problems:
        metadata["ignore_problems"] = problems
    return metadata


def _near_misses(section: Mapping) -> list[tuple[int, str]]:
    """(line, what) for template Metadata keys that look like ``hadr-lint`` but are not read as
    suppressions (see ``suppressions.metadata_near_misses``)."""
    plain = {str(k): plain_data(v) for k, v in section.items()}
    lines = {str(k): line_of(k) or 1 for k in section}
    return [(problem.line, problem.problem or "") for key, value in plain.items()
            for problem in metadata_near_misses({key: value}, "", lines[key], "template")]


def _ignore_entries(own: Mapping, path: str, errors: list[LoadError]) -> list[dict[str, Any]]:
    """Each entry as a dict ({"rule": id} for a plain string) plus the "line" it is on."""
    key = next(k for k in own if k == "ignore")
    entries = own["ignore"]
    if not isinstance(entries, list):
        errors.append(LoadError(path, line_of(key), "Metadata hadr-lint ignore must be a list"))
        return []
    result = []
    for entry in entries:
        plain = plain_data(entry)
        item = dict(plain) if isinstance(plain, dict) else {"rule": as_text(plain)}
        item["line"] = line_of(entry) or line_of(key)
        result.append(item)
    return result


def load_file(
    path: str, text: str, *, parameters: dict[str, str] | None = None, region: str | None = None,
    stack_name: str | None = None, exports: Mapping[str, Any] | None = None,
    nesting: Nesting | None = None,
) -> LoadResult:
    """Decode once; a document that is not a template is skipped silently, unless it clearly
    meant to be one (it names AWSTemplateFormatVersion or AWS:: types) and cannot be decoded."""
    decoded = decode(text, path)
    data, errors = decoded
    if looks_like_cloudformation(data):
        return load_template(path, text, parameters=parameters, region=region, decoded=decoded,
                             stack_name=stack_name, exports=exports, nesting=nesting)
    if errors and ("AWSTemplateFormatVersion" in text or "AWS::" in text):
        return LoadResult(errors=tuple(replace(e, file=path) for e in errors), files=(path,))
    if data is not None and not isinstance(data, Mapping) and "AWSTemplateFormatVersion" in text:
        return load_template(path, text, parameters=parameters, region=region, decoded=decoded,
                             stack_name=stack_name, exports=exports, nesting=nesting)
    return LoadResult()


def claims(path: Path, text: str) -> bool:
    """A template names its ``Resources`` or its format version (``load_file`` decides)."""
    return "Resources" in text or "AWSTemplateFormatVersion" in text


def load_document(document: Document) -> LoadResult:
    """A template, from the parse cache when the same text was loaded with the same parameters,
    region, stack name and links. Its region: ``--region``, else the ``primary_region`` declared
    for its workload (``AWS::Region`` and the conditions on it)."""
    options = document.options
    stack = options.stack_names.get(str(real(document.path)))
    region = options.region or primary_region(document.path, document.config)
    parameters = dict(options.parameters)
    exports, nesting = document.exports, document.nesting
    entry = cache.key("cloudformation", document.shown, cache.digest(document.text),
                      sorted(parameters.items()), region, stack, sorted(exports.items()), nesting)
    return cache.memo(entry, lambda: load_file(
        document.shown, document.text, parameters=parameters, region=region, stack_name=stack,
        exports=exports, nesting=nesting))


def primary_region(path: Path, config: Any) -> str | None:
    """The ``primary_region`` the configuration declares for a template's workload: where the
    template is deployed when ``--region`` does not say (``AWS::Region`` and its conditions)."""
    try:
        return declared_for(path, config).primary_region
    except ObjectivesError:  # reported where objectives are checked
        return None
