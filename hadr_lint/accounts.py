"""AWS account ids as the files name them: a 12-digit id, or the account field of an ARN."""

from __future__ import annotations

from typing import Any


def account_id(value: Any) -> bool:
    """True for a literal 12-digit AWS account id."""
    return isinstance(value, str) and len(value) == 12 and value.isdigit()


def arn_account(value: Any) -> str | None:
    """The account id of an ARN (``arn:aws:backup:eu-west-1:123456789012:backup-vault:x``);
    None for anything else, and for ARNs without one (S3 bucket ARNs)."""
    if not isinstance(value, str) or not value.startswith("arn:"):
        return None
    parts = value.split(":", 5)
    if len(parts) < 6 or not account_id(parts[4]):
        return None
    return parts[4]
