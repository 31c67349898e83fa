"""What each disaster-recovery strategy can deliver: typical values and hard floors, as data in
one place.

Typical values (AWS whitepaper "Disaster Recovery of Workloads on AWS: Recovery in the Cloud"
(2021), section "Disaster recovery options in the cloud", and the project's reference notes,
"DR Strategies"): what a usual setup gives; messages quote them as advice.

Floors: the tightest RPO and RTO that *any* configuration of the strategy can deliver. OB002
reports only a declaration below a floor (no setup of that strategy can meet it); whether this
setup meets it is OB004's and OB005's job.

| strategy       | typical RPO / RTO | RPO floor                  | RTO floor            |
|----------------|-------------------|----------------------------|----------------------|
| backup-restore | 24 hours / hours  | 5m: continuous backups     | ``restore`` step, 4h |
| pilot-light    | ~10 min / ~10 min | 1s: async replication      | ``scale_out``, 5m    |
| warm-standby   | ~1 min / ~1 min   | 1s: async replication      | ``scale_up``, 1m     |
| active-active  | near zero         | 0                          | 0                    |

Continuous backups (point-in-time recovery, RDS automated backups replicated to another region)
restore to within about five minutes; no backup gives less.

The RTO floor is the strategy's recovery step, so ``recovery_steps:`` in ``.hadr-lint.yaml``
moves it (``restore: 1h`` for a small stack restored by automation). ``strategies:`` sets floors
directly::

    strategies:
      pilot-light: {rpo: 15m, rto: 30m}

Active-active is floored at 0 so that OB002 accepts any declared objective for it. "Near zero"
is still not zero: the estimates (OB004) count asynchronous replication between regions as 1
second, so a declared RPO of 0 is met for an Availability Zone loss (synchronous Multi-AZ) but not
for a region loss; declare ``rpo: 1s`` for "near zero".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from hadr_lint.objectives.durations import parse_duration


@dataclass(frozen=True)
class Strategy:
    name: str
    rank: int             # cost order: 0 is the cheapest
    rpo: float            # floor: the tightest RPO any configuration delivers, seconds
    rto: float            # floor: the tightest RTO, seconds (its recovery step, unless set)
    rpo_text: str         # typical RPO, as the reference table says it
    rto_text: str         # typical RTO
    recovery_step: str    # key into the recovery step times (estimate.RECOVERY_STEPS)
    rpo_floor_text: str   # why no configuration does better
    rto_floor_text: str


ASYNC_FLOOR = "data replicated asynchronously to the DR region"
# Source: AWS whitepaper "Disaster Recovery of Workloads on AWS: Recovery in the Cloud";
# hadr-lint reference notes, DR Strategies table.
REFERENCE: tuple[Strategy, ...] = (
    Strategy("backup-restore", 0, 300, 4 * 3600, "24 hours", "hours", "restore",
             "continuous backups restore to within about 5 minutes",
             "the restore step: restore data and provision the stack"),
    Strategy("pilot-light", 1, 1, 300, "~10 minutes", "~10 minutes", "scale_out", ASYNC_FLOOR,
             "the scale_out step: start compute from zero in the DR region"),
    Strategy("warm-standby", 2, 1, 60, "~1 minute", "~1 minute", "scale_up", ASYNC_FLOOR,
             "the scale_up step: scale the running standby up"),
    Strategy("active-active", 3, 0, 0, "near zero", "near zero", "none",
             "every region already holds the data", "every region already serves"),
)

NAMES = tuple(s.name for s in REFERENCE)


def table(overrides: Mapping[str, Any] | None = None,
          step_times: Mapping[str, float] | None = None) -> dict[str, Strategy]:
    """The reference table with ``config.strategies`` applied (already validated); with
    ``step_times`` (``estimate.steps(config)``), each RTO floor is its recovery step's time."""
    found = {}
    for base in REFERENCE:
        rto = (step_times or {}).get(base.recovery_step, base.rto)
        found[base.name] = replace(base, rto=rto)
    for name, values in (overrides or {}).items():
        base = found[name]
        rpo = parse_duration(values["rpo"]) if "rpo" in values else base.rpo
        rto = parse_duration(values["rto"]) if "rto" in values else base.rto
        given = f"set in strategies.{name}"
        found[name] = replace(
            base, rpo=rpo, rto=rto,
            rpo_floor_text=given if "rpo" in values else base.rpo_floor_text,
            rto_floor_text=given if "rto" in values else base.rto_floor_text,
        )
    return found


def cheapest_for(rpo: float | None, rto: float | None,
                 strategies: Mapping[str, Strategy]) -> Strategy | None:
    """The cheapest strategy whose floors meet ``rpo`` and ``rto`` (None = not declared)."""
    for strategy in sorted(strategies.values(), key=lambda s: s.rank):
        if (rpo is None or strategy.rpo <= rpo) and (rto is None or strategy.rto <= rto):
            return strategy
    return None


def includes(strategy: str, other: str) -> bool:
    """True when ``strategy`` needs at least the building blocks of ``other``."""
    return NAMES.index(strategy) >= NAMES.index(other)
