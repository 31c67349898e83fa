"""Which AWS account a resource, or the target of a copy, is in, as far as the files say.

A Terraform resource's account is the one its provider names (``Resource.meta["account"]``: see
``loaders.terraform.module.provider_account``), else the account its provider configuration is
deployed to (a ``DeployAccount``, the same as ``data.aws_caller_identity``'s of that
configuration); an ARN names its own account (S3 bucket ARNs do not), also an ARN built from
``${AWS::AccountId}`` or the caller identity (an ``AccountArn``); a CloudFormation template's
resources are in the account the template is deployed to. Two deploying accounts of the same
unit are the same account; a deploying account against a literal id or another unit's is
unknown: an account is never guessed.
"""

from __future__ import annotations

from typing import Any

from hadr_lint.accounts import account_id, arn_account
from hadr_lint.analysis.az_spread import same_unit
from hadr_lint.model import AccountArn, DeployAccount, Resource, Unknown, deploy_account


def account_of(resource: Resource) -> str | Unknown:
    """The account of a scanned resource: its provider's (an id or the configuration's
    ``DeployAccount``), a template's ``DeployAccount``, else Unknown with the reason."""
    found = resource.meta.get("account")
    if isinstance(found, str) and account_id(found) or isinstance(found, DeployAccount):
        return found
    if resource.source == "cloudformation":
        return deploy_account(f"template {resource.address.split('::', 1)[0]}")
    return Unknown(f"{resource.name}: its provider names no account (allowed_account_ids or "
                   "assume_role role_arn)")


def named_account(value: Any) -> str | DeployAccount | None:
    """The account an ARN (also one built from the deploying account) or account value names."""
    if isinstance(value, AccountArn) and isinstance(value.account, DeployAccount):
        return value.account
    if isinstance(value, DeployAccount) or account_id(value):
        return value
    return arn_account(value)


def same_account(graph, source: Resource, target: Any, account: Any = None,
                 kinds: tuple[str, ...] = ()) -> bool | Unknown:
    """Whether ``target`` (a Ref, ARN, name or id of one of ``kinds``), or the account id
    ``account`` when given, is in ``source``'s account."""
    named: Any = named_account(account)
    if isinstance(account, Unknown) and named is None:
        return Unknown(f"destination account unknown: {account.reason}")
    named = named or named_account(target)
    if isinstance(target, Unknown) and named is None:
        return Unknown(f"destination unknown: {target.reason}")
    found = None if named else graph.resolve(target, *kinds)
    if found is not None and found.source == "cloudformation" and same_unit(found, source):
        return True
    if named is None and found is not None:
        named = account_of(found)
    if named is None:
        return Unknown(f"the account of {target} is not named in the files")
    own = compare(account_of(source), named)  # deploying account against deploying account
    return own if not isinstance(own, Unknown) else compare(source_account(graph, source), named)


def compare(mine: Any, theirs: Any) -> bool | Unknown:
    """Two accounts: ids compare as ids; the deploying account of one unit is itself; anything
    else (an id against a deploying account, two units' deploying accounts) is unknown."""
    if isinstance(mine, str) and isinstance(theirs, str):
        return mine == theirs
    if isinstance(mine, DeployAccount) and mine == theirs:
        return True
    plain = next((a for a in (theirs, mine) if isinstance(a, Unknown)
                  and not isinstance(a, DeployAccount)), None)
    if plain is not None:
        return plain
    shown = [a.reason if isinstance(a, Unknown) else f"account {a}" for a in (mine, theirs)]
    return Unknown(f"{shown[0]}, against {shown[1]}")


def source_account(graph, source: Resource) -> str | Unknown:
    """``source``'s account; for a backup plan whose account is not an id, the account id in
    an ARN its selections list (a selection can only select resources of its plan's own
    account)."""
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
