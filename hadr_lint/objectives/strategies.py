"""What each disaster-recovery strategy can deliver: the reference table, as data in one place.

Source: AWS whitepaper "Disaster Recovery of Workloads on AWS: Recovery in the Cloud" (2021),
section "Disaster recovery options in the cloud", and the project's reference notes
(High Availability & Disaster Recovery: "DR Strategies" table):

| strategy       | RPO          | RTO          | bound used here (RPO / RTO) |
|----------------|--------------|--------------|-----------------------------|
| backup-restore | 24 hours     | hours        | 24h / 24h                   |
| pilot-light    | ~10 minutes  | ~10 minutes  | 10m / 10m                   |
| warm-standby   | ~1 minute    | ~1 minute    | 1m / 1m                     |
| active-active  | near zero    | near zero    | 0s / 0s                     |

The table bounds active-active at 0 so that OB002 accepts any declared objective for it. "Near
zero" is still not zero: the estimates (OB004) count asynchronous replication between regions as
1 second, so a declared RPO of 0 is met for an Availability Zone loss (synchronous Multi-AZ) but
not for a region loss; declare ``rpo: 1s`` for "near zero". Teams override or extend the
table with ``strategies:`` in ``.hadr-lint.yaml``::

    strategies:
      pilot-light: {rpo: 15m, rto: 30m}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hadr_lint.objectives.durations import parse_duration

SOURCE = ('AWS whitepaper "Disaster Recovery of Workloads on AWS: Recovery in the Cloud"; '
          "hadr-lint reference notes, DR Strategies table")


@dataclass(frozen=True)
class Strategy:
    name: str
    rank: int           # cost order: 0 is the cheapest
    rpo: float          # the tightest RPO it can deliver, seconds
    rto: float          # the tightest RTO it can deliver, seconds
    rpo_text: str       # how the reference table says it
    rto_text: str
    recovery_step: str  # key into the recovery step times (estimate.RECOVERY_STEPS)


REFERENCE: tuple[Strategy, ...] = (
    Strategy("backup-restore", 0, 86400, 86400, "24 hours", "hours", "restore"),
    Strategy("pilot-light", 1, 600, 600, "~10 minutes", "~10 minutes", "scale_out"),
    Strategy("warm-standby", 2, 60, 60, "~1 minute", "~1 minute", "scale_up"),
    Strategy("active-active", 3, 0, 0, "near zero", "near zero", "none"),
)

NAMES = tuple(s.name for s in REFERENCE)


def table(overrides: Mapping[str, Any] | None = None) -> dict[str, Strategy]:
    """The reference table with ``config.strategies`` applied (already validated)."""
    found = {s.name: s for s in REFERENCE}
    for name, values in (overrides or {}).items():
        base = found[name]
        rpo = parse_duration(values["rpo"]) if "rpo" in values else base.rpo
        rto = parse_duration(values["rto"]) if "rto" in values else base.rto
        found[name] = Strategy(
            name, base.rank, rpo, rto,
            str(values["rpo"]) if "rpo" in values else base.rpo_text,
            str(values["rto"]) if "rto" in values else base.rto_text,
            base.recovery_step,
        )
    return found


def cheapest_for(rpo: float | None, rto: float | None,
                 strategies: Mapping[str, Strategy]) -> Strategy | None:
    """The cheapest strategy whose bounds meet ``rpo`` and ``rto`` (None = not declared)."""
    for strategy in sorted(strategies.values(), key=lambda s: s.rank):
        if (rpo is None or strategy.rpo <= rpo) and (rto is None or strategy.rto <= rto):
            return strategy
    return None


def includes(strategy: str, other: str) -> bool:
    """True when ``strategy`` needs at least the building blocks of ``other``."""
    return NAMES.index(strategy) >= NAMES.index(other)
