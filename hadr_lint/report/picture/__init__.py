"""A picture of the architecture: regions, Availability Zones and what fails together.

``layout(graph, findings, config)`` turns the resource graph into a neutral structure: region
boxes holding AZ boxes, resources grouped into nodes, global nodes outside every region, and the
replication, failover and backup-copy edges between them. The renderers draw that structure:
``mermaid`` (a flowchart with subgraphs, for Markdown), ``dot`` (Graphviz clusters), ``svg``
(drawn here, no Graphviz, no JavaScript, no network) and ``as_dict`` (JSON).

Placement:

* A resource whose zones (``Graph.zones``) are exactly one AZ sits in that AZ's box: it fails
  with that zone. A single-AZ Auto Scaling group lands inside one AZ, which is the problem.
* A resource spanning several AZs (an ALB, an ASG across three subnets) or with no AZ (a DynamoDB
  table, a vault) sits in the region's *regional* band at the top of the region box, with a note
  such as "spans 3 AZs". One node per AZ would draw one resource three times and suggest three
  things that fail separately; the band says "this survives the loss of one AZ, not of the
  region", which is the failure domain it belongs to.
* Global resources (Route 53, CloudFront, Global Accelerator, IAM) sit outside every region.
* A resource whose region is not known goes in a box "region unknown".
* A store with a standby in another AZ (``multi_az``) sits in the band, "Multi-AZ"; a store
  that lives in one AZ but does not say which sits in the band, "AZ not set".
* Only the architecture is drawn (``fold.ARCHITECTURE_KINDS``: compute, load balancers, data
  stores, DNS, NAT and firewall endpoints, Global Accelerator and CloudFront, and every end of a
  replication, backup or failover edge); the plumbing is folded into one node per region,
  "N supporting resources", counted by family. Beyond ``fold.NODE_BUDGET`` nodes, resources of
  one kind in one place are grouped, then single-AZ ones per region; ``Layout.notes`` says what
  was folded and grouped.

Symbolic zones ``AZ(region, index)`` are shown as in findings, "us-east-1 AZ 1": the first zone
``data "aws_availability_zones"`` returns.

Resources of the same kind in the same place (AZ, regional band, global) with the same AZ span
become one node, "aws_subnet ×3", whose members are listed in its tooltip: the picture stays
readable at hundreds of resources. A node's colour is the worst severity among its members'
findings.

Modules: ``fold`` (what is drawn, families, node budget), ``model`` (the structure),
``build`` (``layout``: placement, the edges each service adds, folding, grouping),
``flowchart`` (Mermaid and dot), ``drawing`` (SVG); this package's entry points draw from a
graph in one call, and ``graph_out`` is ``hadr-lint graph``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from hadr_lint.report.picture.build import display_name, is_global, layout
from hadr_lint.report.picture.drawing import render_svg
from hadr_lint.report.picture.flowchart import render_dot, render_mermaid
from hadr_lint.report.picture.model import AzBox, Edge, Layout, Member, Node, RegionBox

__all__ = [  # the structure, the builder and the renderers, importable from here as before
    "LEGEND", "AzBox", "Edge", "Layout", "Member", "Node", "RegionBox", "as_json",
    "display_name", "dot", "for_report", "is_global", "layout", "mermaid", "render_dot",
    "render_mermaid", "render_svg", "svg",
]


def mermaid(graph, findings: Iterable[Any] = (), config: Any = None) -> str:
    """The picture as a Mermaid flowchart (the text inside a ```mermaid block)."""
    return render_mermaid(layout(graph, findings, config))


def svg(graph, findings: Iterable[Any] = (), config: Any = None, standalone: bool = True) -> str:
    """The picture as one self-contained SVG element; ``standalone=False`` leaves out the XML
    namespace, which an SVG inline in an HTML page does not need."""
    return render_svg(layout(graph, findings, config), standalone)


def dot(graph, findings: Iterable[Any] = (), config: Any = None) -> str:
    return render_dot(layout(graph, findings, config))


def as_json(graph, findings: Iterable[Any] = (), config: Any = None) -> str:
    return json.dumps(layout(graph, findings, config).as_dict(), indent=2,
                      ensure_ascii=False) + "\n"


LEGEND = ("Red: error, orange: warning, blue: note. ×N: N resources of one kind in the same "
          "place. Dashed arrows: replication and backup copies; thick arrows: DNS failover.")


def for_report(result, output_format: str) -> list[str]:
    """The architecture section of ``hadr-lint report``: a ```mermaid block (GitHub and GitLab
    draw it in pull-request comments) for markdown, the inline SVG for html."""
    graph = getattr(result, "graph", None)
    if graph is None or not graph.resources():
        return []
    findings, config = result.findings, getattr(result, "config", None)
    picture = layout(graph, findings, config)
    if output_format == "html":
        return ["<h2>Architecture</h2>", render_svg(picture, standalone=False),
                '<p class="muted">Hover a box for its resources and their findings.</p>']
    notes = [" ".join(picture.notes), ""] if picture.notes else []
    return ["## Architecture", "", "```mermaid", render_mermaid(picture).rstrip(),
            "```", "", LEGEND, "", *notes]
