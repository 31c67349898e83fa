"""Facts about AWS regions the rules need, kept as data in one place."""

from __future__ import annotations

# Availability zones per region (opted-in commercial regions, late 2026).
AZ_COUNTS: dict[str, int] = {
    "us-east-1": 6, "us-east-2": 3, "us-west-1": 2, "us-west-2": 4,
    "ca-central-1": 3, "ca-west-1": 3, "sa-east-1": 3, "mx-central-1": 3,
    "eu-west-1": 3, "eu-west-2": 3, "eu-west-3": 3, "eu-central-1": 3, "eu-central-2": 3,
    "eu-north-1": 3, "eu-south-1": 3, "eu-south-2": 3,
    "ap-south-1": 3, "ap-south-2": 3, "ap-southeast-1": 3, "ap-southeast-2": 3,
    "ap-southeast-3": 3, "ap-southeast-4": 3, "ap-southeast-5": 3, "ap-southeast-7": 3,
    "ap-northeast-1": 3, "ap-northeast-2": 4, "ap-northeast-3": 3, "ap-east-1": 3,
    "me-south-1": 3, "me-central-1": 3, "il-central-1": 3, "af-south-1": 3,
    "us-gov-west-1": 3, "us-gov-east-1": 3, "cn-north-1": 3, "cn-northwest-1": 3,
}

# The fewest AZs any region has: a spread below it is too small wherever the resource runs.
FEWEST_AZS: int = min(AZ_COUNTS.values())


def az_count(region: object) -> int | None:
    """How many AZs ``region`` has, or None when the region is unknown or not in the table."""
    if isinstance(region, str):
        return AZ_COUNTS.get(region)
    return None


def region_of_az_name(name: str) -> str | None:
    """``us-east-1a`` -> ``us-east-1``; None for anything that is not an AZ name."""
    if len(name) < 2 or not name[-1].isalpha() or not name[-2].isdigit():
        return None
    return name[:-1]
