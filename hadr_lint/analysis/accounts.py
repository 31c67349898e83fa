"""Which AWS account a resource, or the target of a copy, is in, as far as the files say.

A Terraform resource's account is the one its provider names (``Resource.meta["account"]``: see
``loaders.terraform.module.provider_account``); an ARN names its own account (S3 bucket ARNs do
not); two resources of the same CloudFormation template are in the same account. Anything else is
Unknown: an account is never guessed.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.accounts import account_id, arn_account
from hadr_lint.analysis.az_spread import same_unit
from hadr_lint.model import Resource, Unknown


def account_of(resource: Resource) -> str | Unknown:
    """The account of a scanned resource: its provider's, else Unknown with the reason."""
    found = resource.meta.get("account")
    if isinstance(found, str) and account_id(found):
        return found
    if resource.source == "cloudformation":
        return Unknown(f"{resource.name}: the account a template is deployed to is not in it")
    return Unknown(f"{resource.name}: its provider names no account (allowed_account_ids or "
                   "assume_role role_arn)")


def same_account(graph, source: Resource, target: Any, account: Any = None,
                 kinds: tuple[str, ...] = ()) -> bool | Unknown:
    """Whether ``target`` (a Ref, ARN, name or id of one of ``kinds``), or the account id
    ``account`` when given, is in ``source``'s account."""
    if isinstance(account, Unknown):
        return Unknown(f"destination account unknown: {account.reason}")
    if isinstance(target, Unknown) and account is None:
        return Unknown(f"destination unknown: {target.reason}")
    named = account if account_id(account) else arn_account(target)
    found = None if named else graph.resolve(target, *kinds)
    if found is not None and found.source == "cloudformation" and same_unit(found, source):
        return True
    if named is None and found is not None:
        named = account_of(found)
    if named is None:
        return Unknown(f"the account of {target} is not named in the files")
    if isinstance(named, Unknown):
        return named
    mine = source_account(graph, source)
    return mine if isinstance(mine, Unknown) else mine == named


def source_account(graph, source: Resource) -> str | Unknown:
    """``source``'s account; for a backup plan also the account in an ARN its selections list
    (a selection can only select resources of its plan's own account)."""
    own = account_of(source)
    if not isinstance(own, Unknown) or source.kind != "backup_plan":
        return own
    for selection in graph.resources("backup_selection"):
        plan = graph.resolve(selection.get("plan"), "backup_plan")
        if plan is None or plan.address != source.address:
            continue
        items = selection.get("resources")
        for item in items if isinstance(items, list) else []:
            named = arn_account(item)
            if named is not None:
                return named
    return own
