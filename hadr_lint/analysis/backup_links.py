"""Which AWS Backup plans protect which resources: selections linked to what they cover.

Public API (rules and the objectives work use it):

* ``backup_coverage(graph) -> dict[str, list[Resource]]``: resource address -> the
  ``backup_plan`` resources whose selections certainly select it. A resource selected by a
  selection whose plan is not among the scanned resources maps to an empty list (it is covered,
  by a plan we cannot see). Resources no selection selects are absent.
* ``is_covered(graph, resource) -> True | False | Unknown``: True when some selection selects it,
  an ``Unknown`` (with the reason) when a selection might (an unknown ARN list, unknown tags, a
  condition that cannot be evaluated, a selection or plan that may not exist), False when no
  selection can.
* ``find_store(graph, value, kinds)``: the scanned resource a Ref, id, name or ARN designates.
* ``arn_parts(value)``: ``{partition, service, region, account, resource}`` of an ARN string.

How a ``backup_selection`` selects (AWS semantics): a resource is selected when it matches any
``resources`` entry (a Ref, an ARN, an ARN pattern with ``*``, or ``"*"``) or any selection tag
(``tags``, exact key and value), and every ``conditions`` entry holds for its tags, and it matches
no ``not_resources`` entry. Tags come from the canonical ``tags`` attribute (a dict, or Unknown).
Only resources of ``BACKUP_KINDS`` are linked.
"""

from __future__ import annotations

import fnmatch
import weakref
from typing import Any

from hadr_lint.model import Ref, Resource, Unknown, existence

BACKUP_KINDS = (
    "db_instance", "db_cluster", "dynamodb_table", "efs_file_system", "s3_bucket",
    "fsx_file_system", "redshift_cluster",
)
# kind -> (ARN service, prefix of the ARN resource part before the resource's name)
ARN_FORMS = {
    "db_instance": ("rds", "db:"),
    "db_cluster": ("rds", "cluster:"),
    "dynamodb_table": ("dynamodb", "table/"),
    "s3_bucket": ("s3", ""),
    "efs_file_system": ("elasticfilesystem", "file-system/"),
    "fsx_file_system": ("fsx", "file-system/"),
    "backup_vault": ("backup", "backup-vault:"),
    "db_global_cluster": ("rds", "global-cluster:"),
    "redshift_cluster": ("redshift", "cluster:"),
}

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# ----- ARNs and look-ups -------------------------------------------------------------------------
def arn_parts(value: Any) -> dict[str, str] | None:
    if not isinstance(value, str) or not value.startswith("arn:"):
        return None
    parts = value.split(":", 5)
    if len(parts) < 6:
        return None
    keys = ("arn", "partition", "service", "region", "account", "resource")
    return dict(zip(keys, parts, strict=True))


def name_of(resource: Resource) -> Any:
    """The name AWS knows the resource by (identifier, table, bucket, vault name)."""
    for key in ("identifier", "name"):
        value = resource.get(key)
        if value is not None:
            return value
    return None


def find_store(graph, value: Any, kinds: tuple[str, ...] = ()) -> Resource | None:
    """The scanned resource of one of ``kinds`` that a Ref, id, name or ARN designates."""
    found = graph.resolve(value)
    if found is not None and (not kinds or found.kind in kinds):
        return found
    if not isinstance(value, str):
        return None
    parts = arn_parts(value)
    for resource in graph.resources(*kinds) if kinds else ():
        name = name_of(resource)
        if not isinstance(name, str):
            continue
        if parts is None and value == name:
            return resource
        if parts is not None and _arn_names(parts, resource, name) is True:
            return resource
    return None


def _arn_names(parts: dict[str, str], resource: Resource, name: str, pattern: bool = False):
    """Whether an ARN (or ARN pattern) names ``resource``: True, False or Unknown."""
    form = ARN_FORMS.get(resource.kind)
    if form is None or parts["service"] != form[0]:
        return False
    wanted = form[1] + name
    given = parts["resource"]
    if form[0] == "s3":
        given = given.split("/", 1)[0]
    if not (fnmatch.fnmatchcase(wanted, given) if pattern else wanted == given):
        return False
    region = resource.region
    if parts["region"] in ("", "*") or region == parts["region"]:
        return True
    if isinstance(region, str):
        return fnmatch.fnmatchcase(region, parts["region"]) if pattern else False
    return Unknown(f"region of {resource.name} unknown")


# ----- three-valued logic ------------------------------------------------------------------------
def any_of(values) -> Any:
    unknown = None
    for value in values:
        if value is True:
            return True
        if isinstance(value, Unknown) and unknown is None:
            unknown = value
    return unknown or False


def all_of(values) -> Any:
    unknown = None
    for value in values:
        if value is False:
            return False
        if isinstance(value, Unknown) and unknown is None:
            unknown = value
    return unknown or True


# ----- selections --------------------------------------------------------------------------------
def selects(graph, selection: Resource, resource: Resource) -> Any:
    """Whether ``selection`` selects ``resource``: True, False or Unknown."""
    picked = any_of([
        _listed(graph, selection.get("resources"), resource, selection),
        _tagged(selection.get("tags"), resource),
    ])
    if picked is False:
        return False
    excluded = _listed(graph, selection.get("not_resources"), resource, selection)
    if excluded is True:
        return False
    conditions = _conditions(selection.get("conditions"), resource)
    return all_of([picked, conditions, _negate(excluded)])


def _negate(value: Any) -> Any:
    return value if isinstance(value, Unknown) else not value


def _listed(graph, items: Any, resource: Resource, selection: Resource) -> Any:
    if items is None:
        return False
    if isinstance(items, Unknown):
        return Unknown(f"the resources of {selection.name} are unknown: {items.reason}")
    return any_of(_matches(graph, item, resource) for item in items)


def _matches(graph, item: Any, resource: Resource) -> Any:
    if item == "*":
        return True
    if isinstance(item, Unknown):
        if not graph.may_designate(item):  # an address no scanned file defines: not this one
            return False
        return Unknown(f"a resource of a backup selection is unknown: {item.reason}")
    if isinstance(item, Ref):
        return graph.resolve(item) is resource
    if not isinstance(item, str):
        return Unknown(f"backup selection resource {item} cannot be resolved")
    found = graph.resolve(item)
    if found is not None:
        return found is resource
    parts = arn_parts(item)
    if parts is None:
        return False
    name = name_of(resource)
    if isinstance(name, Unknown):
        form = ARN_FORMS.get(resource.kind)
        same_service = form is not None and parts["service"] == form[0]
        return Unknown(f"name of {resource.name} unknown") if same_service else False
    if not isinstance(name, str):
        return False
    return _arn_names(parts, resource, name, pattern="*" in item)


def _tagged(tags: Any, resource: Resource) -> Any:
    if not tags:
        return False
    if isinstance(tags, Unknown):
        return Unknown(f"backup selection tags unknown: {tags.reason}")
    return any_of(_condition({"op": "equals", **tag} if isinstance(tag, dict) else tag, resource)
                  for tag in tags)


def _conditions(conditions: Any, resource: Resource) -> Any:
    if not conditions:
        return True
    if isinstance(conditions, Unknown):
        return Unknown(f"backup selection conditions unknown: {conditions.reason}")
    return all_of(_condition(c, resource) for c in conditions)


def _condition(condition: Any, resource: Resource) -> Any:
    if not isinstance(condition, dict):
        return Unknown("a backup selection condition is unknown")
    key, value = condition.get("key"), condition.get("value")
    op: str = condition.get("op", "equals")  # the normaliser always writes one
    tags = resource.get("tags")
    for part in (key, value, tags):
        if isinstance(part, Unknown):
            return Unknown(f"tag condition on {resource.name}: {part.reason}")
    if not isinstance(key, str) or not isinstance(value, str):
        return Unknown("a backup selection tag condition has no key or value")
    tags = tags if isinstance(tags, dict) else {}
    have = tags.get(key)
    if isinstance(have, Unknown):
        return Unknown(f"tag {key} of {resource.name}: {have.reason}")
    if op in ("like", "not_like"):
        hit = isinstance(have, str) and fnmatch.fnmatchcase(have, value)
    else:
        hit = have == value
    return not hit if op.startswith("not_") else hit


# ----- coverage ----------------------------------------------------------------------------------
class _Coverage:
    def __init__(self, graph) -> None:
        self.plans: dict[str, list[Resource]] = {}
        self.unknown: dict[str, Unknown] = {}
        selections = graph.resources("backup_selection")
        for resource in graph.resources(*BACKUP_KINDS):
            for selection in selections:
                self.add(graph, selection, resource)

    def add(self, graph, selection: Resource, resource: Resource) -> None:
        verdict = selects(graph, selection, resource)
        plan = graph.resolve(selection.get("plan"))
        plan = plan if plan is not None and plan.kind == "backup_plan" else None
        if verdict is True:  # a selection or plan that may not exist proves nothing
            verdict = all_of([existence(selection), existence(plan) if plan else True])
        if verdict is True:
            plans = self.plans.setdefault(resource.address, [])
            if plan is not None and plan not in plans:
                plans.append(plan)
        elif isinstance(verdict, Unknown):
            self.unknown.setdefault(resource.address, verdict)


def _coverage(graph) -> _Coverage:
    found = _CACHE.get(graph)
    if found is None:
        found = _CACHE[graph] = _Coverage(graph)
    return found


def backup_coverage(graph) -> dict[str, list[Resource]]:
    """Resource address -> the backup plans whose selections certainly select it."""
    return dict(_coverage(graph).plans)


def is_covered(graph, resource: Resource) -> Any:
    """True, False, or an Unknown with the reason when a selection might select it."""
    coverage = _coverage(graph)
    if resource.address in coverage.plans:
        return True
    return coverage.unknown.get(resource.address, False)


def covered_by(graph, plan: Resource) -> list[Resource]:
    """The resources the selections of ``plan`` certainly select."""
    found = []
    for address, plans in _coverage(graph).plans.items():
        if plan in plans:
            found.append(graph.get(address))
    return found
