"""Which ECR repositories and Secrets Manager secrets a workload's compute runs from (OB003's
artifacts block: only those need a copy in the DR region).

The compute: the workload's ECS task definitions (and those its ECS services run) and Lambda
functions. A repository is used when one of them names it: a container image or a function's
``image_uri`` built from the repository's URL (a references edge of the graph), or a literal
ECR image URI whose repository name is the repository's. A secret is used when one of them
refers to it: an ECS container secret's ``valueFrom``, a reference in a function's environment
(references edges), or a literal Secrets Manager ARN with the secret's name.

``artifact_use(graph, compute, artifact)`` answers True (used, with who), False (nothing in the
scan uses it: a repository only CI pushes to) or an ``Unknown`` (an image or secret reference
that cannot be followed may be it: a variable, container definitions read from a file, a
literal ECR URI whose repository name no scanned repository has, when this one's name is
generated). ``Graph.may_designate`` decides which repositories an unknown value may be.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from hadr_lint.model import Prefixed, Ref, Resource, Unknown

USER_KINDS = ("ecs_task_definition", "lambda_function")
# <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<name>[:tag|@digest]
ECR_URI = re.compile(r"^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?/"
                     r"(?P<name>[^:@]+)")
# arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>
SECRET_ARN = re.compile(r"^arn:[a-z-]+:secretsmanager:[^:]*:[^:]*:secret:(?P<name>[^:]+)")


def compute_of(graph, resources: Iterable[Resource]) -> list[Resource]:
    """The task definitions and functions among ``resources``, and the task definitions their
    ECS services run."""
    found: dict[str, Resource] = {}
    for resource in resources:
        if resource.kind in USER_KINDS:
            found[resource.address] = resource
        elif resource.kind == "ecs_service":
            for target in graph.targets(resource):
                if target.kind == "ecs_task_definition":
                    found[target.address] = target
    return sorted(found.values(), key=lambda r: r.address)


def artifact_use(graph, compute: list[Resource], artifact: Resource) -> Any:
    """True when ``compute`` uses ``artifact`` (an ``ecr_repository`` or ``secret``), False when
    it certainly does not, an Unknown when a reference that cannot be followed may be it."""
    if any(artifact in graph.targets(unit) for unit in compute):
        return True
    key = "images" if artifact.kind == "ecr_repository" else "secret_refs"
    doubt = None
    for unit in compute:
        for value in _values(unit, key):
            verdict = _designates(graph, value, artifact)
            if verdict is True:
                return True
            if doubt is None and verdict is not False:
                doubt = Unknown(f"{unit.name} may use it: {verdict.reason}")
    return doubt if doubt is not None else False


def users(graph, compute: list[Resource], artifact: Resource) -> list[Resource]:
    """The compute units that certainly use ``artifact`` (a finding's evidence)."""
    return [u for u in compute if artifact in graph.targets(u)
            or any(_designates(graph, v, artifact) is True
                   for v in _values(u, "images" if artifact.kind == "ecr_repository"
                                    else "secret_refs"))]


def _values(unit: Resource, key: str) -> list[Any]:
    """A unit's image or secret references; a Lambda function's environment is read through
    references edges only (most variables are no secret)."""
    if unit.kind == "lambda_function" and key == "secret_refs":
        return []
    value = unit.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _designates(graph, value: Any, artifact: Resource) -> Any:
    """Whether one image or secret reference is ``artifact``: True, False or Unknown."""
    if isinstance(value, Prefixed) and isinstance(value.ref, Ref):
        # built from a scanned resource's attribute: that resource (a references edge), or,
        # from one no scanned file defines, none of them
        return False
    if isinstance(value, str):
        return _by_name(value, artifact)
    if not graph.may_designate(value, artifact, lambda v: _resolve(graph, v, artifact)):
        return False
    return value if isinstance(value, Unknown) else Unknown(f"{value} cannot be followed")


def _resolve(graph, value: Any, artifact: Resource) -> Resource | None:
    found = graph.resolve(value, artifact.kind)
    if found is not None:
        return found
    return artifact if isinstance(value, str) and _by_name(value, artifact) is True else None


def _by_name(text: str, artifact: Resource) -> Any:
    """A literal image URI or secret ARN against the artifact's name."""
    pattern = ECR_URI if artifact.kind == "ecr_repository" else SECRET_ARN
    match = pattern.match(text)
    if match is None:  # a public image, an SSM parameter: no scanned repository or secret
        return False
    named = match.group("name")
    name = artifact.get("name")
    if isinstance(name, str):
        if artifact.kind == "secret":  # the ARN ends in "-" and 6 random characters
            return named == name or named.startswith(name + "-") and len(named) == len(name) + 7
        return named == name
    why = name.reason if isinstance(name, Unknown) else "its name is generated"
    return Unknown(f"{text} may name {artifact.name}: {why}")
