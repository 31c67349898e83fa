"""``hadr-lint graph``: the resource graph as JSON or Graphviz dot, and the picture."""

from __future__ import annotations

import json
from typing import Any

from hadr_lint.graph import Graph
from hadr_lint.model import AZ, Ref, Unknown
from hadr_lint.report import picture


def plain(value: Any) -> Any:
    """A JSON-ready copy of a model value (symbolic values become tagged strings)."""
    if isinstance(value, (Unknown, Ref, AZ)):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _zones(graph: Graph, resource) -> dict[str, Any]:
    found = graph.zones(resource)
    return {"azs": sorted(str(z) for z in found.zones), "azs_unknown": list(found.unknown)}


def as_dict(graph: Graph) -> dict[str, Any]:
    nodes = []
    for resource in graph.resources() + graph.data_sources():
        node = {
            "id": resource.address, "name": resource.name, "type": resource.type,
            "kind": resource.kind, "region": plain(resource.region),
            "file": resource.location.file, "line": resource.location.line,
        }
        if resource.meta.get("mode") == "data":
            node["data_source"] = True  # read while planning, to resolve ids: never judged
        if resource.kind != "other":
            node.update(_zones(graph, resource))
        nodes.append(node)
    edges = sorted(
        {(s, t, d["relation"]) for s, t, d in graph.nx.edges(data=True)}
    )
    return {
        "nodes": nodes,
        "edges": [{"source": s, "target": t, "relation": r} for s, t, r in edges],
    }


def render(graph: Graph, findings=(), config: Any = None, output_format: str = "json") -> str:
    """``hadr-lint graph``: json is the graph above plus the picture's ``layout``; dot, mermaid
    and svg draw the picture (``hadr_lint.report.picture``)."""
    if output_format == "json":
        data = as_dict(graph)
        data["layout"] = picture.layout(graph, findings, config).as_dict()
        return json.dumps(data, indent=2) + "\n"
    draw = {"dot": picture.dot, "mermaid": picture.mermaid, "svg": picture.svg}[output_format]
    return draw(graph, findings, config)
