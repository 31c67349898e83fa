"""Everything the objective rules (OB001-OB005) and the posture report need, per workload,
computed once per graph and configuration."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hadr_lint.model import Resource
from hadr_lint.objectives import estimate
from hadr_lint.objectives.blocks import Block, Regions, blocks, regions
from hadr_lint.objectives.declare import Workload, workload_anchor, workloads
from hadr_lint.objectives.estimate import SCOPES, Estimate

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Assessment:
    workload: Workload
    regions: Regions
    stores: tuple[Resource, ...]                      # workload data (store_classes)
    set_aside: tuple[Resource, ...]                   # logs, caches, artifacts: not counted
    store_rpo: Mapping[str, Mapping[str, Estimate]]   # scope -> store address -> estimate
    rpo: Mapping[str, Estimate]                       # scope -> worst store
    rto: Mapping[str, Estimate]                       # scope -> workload RTO
    blocks: tuple[Block, ...]
    anchor: Resource                                  # the workload, where it is declared


def assess(graph, config: Any) -> list[Assessment]:
    """One Assessment per workload, default first, then by name."""
    cached = _CACHE.get(graph)
    if cached is not None and cached[0] is config:
        return cached[1]
    found = [_assess(graph, w, config) for w in workloads(graph.resources(), config)]
    _CACHE[graph] = (config, found)
    return found


def _assess(graph, workload: Workload, config: Any) -> Assessment:
    where = regions(graph, workload, config)
    primary = where.primary if isinstance(where.primary, str) else None
    stores = estimate.stateful_stores(graph, workload.resources, primary, config)
    aside = estimate.set_aside(graph, workload.resources, primary, config)
    per_store = {
        scope: {s.address: estimate.store_rpo(graph, s, scope, config) for s in stores}
        for scope in SCOPES
    }
    rpo = {scope: estimate.workload_rpo(per_store[scope], stores) for scope in SCOPES}
    rto = {
        "az": estimate.az_rto(graph, stores, config),
        "region": estimate.region_rto(graph, workload.resources, workload.declared.strategy,
                                      config),
    }
    return Assessment(
        workload=workload, regions=where, stores=tuple(stores), set_aside=tuple(aside),
        store_rpo=per_store, rpo=rpo,
        rto=rto, blocks=tuple(blocks(graph, workload, config)),
        anchor=workload_anchor(workload),
    )
