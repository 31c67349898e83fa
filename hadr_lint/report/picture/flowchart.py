"""The picture as text: a Mermaid flowchart (for Markdown) and Graphviz dot."""

from __future__ import annotations

from typing import Any

from hadr_lint.report.escape import mermaid_text
from hadr_lint.report.picture.model import COLOURS, EDGE_COLOURS, Layout, Node

# ----- Mermaid -----------------------------------------------------------------------------------
MERMAID_STYLES = {
    "error": "fill:#fdecea,stroke:#c62828,stroke-width:3px,color:#1f2328",
    "warning": "fill:#fff4e5,stroke:#e65100,stroke-width:3px,color:#1f2328",
    "note": "fill:#e8f1fb,stroke:#1565c0,stroke-width:2px,color:#1f2328",
    "synthetic": "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3,color:#57606a",
}
MERMAID_ARROWS = {"replication": "-.->", "backup": "-.->", "failover": "==>", "routing": "-->"}
def _mermaid_label(node: Node) -> str:
    label = mermaid_text(node.label)
    if node.caption:
        label += "<br/>" + mermaid_text(node.caption)
    return f'"{label}"'


def render_mermaid(picture: Layout) -> str:
    lines = ["flowchart TB"]
    if picture.global_nodes:
        lines.append('  subgraph g0["global · no region"]')
        lines += [f"    {n.id}[{_mermaid_label(n)}]" for n in picture.global_nodes]
        lines.append("  end")
    for region in picture.regions:
        lines.append(f'  subgraph {region.id}["{mermaid_text(region.name)}"]')
        lines.append("    direction TB")
        if region.nodes:
            lines.append(f'    subgraph {region.id}_regional["regional · several AZs or none"]')
            lines += [f"      {n.id}[{_mermaid_label(n)}]" for n in region.nodes]
            lines.append("    end")
        for az in region.azs:
            lines.append(f'    subgraph {az.id}["{mermaid_text(az.label)}"]')
            lines += [f"      {n.id}[{_mermaid_label(n)}]" for n in az.nodes]
            lines.append("    end")
        lines.append("  end")
    for edge in picture.edges:
        arrow = MERMAID_ARROWS.get(edge.kind, "-->")
        lines.append(f'  {edge.source} {arrow}|"{mermaid_text(edge.label)}"| {edge.target}')
    nodes = picture.nodes()
    for name, style in MERMAID_STYLES.items():
        chosen = [n.id for n in nodes if (n.synthetic if name == "synthetic"
                                          else n.severity == name)]
        if chosen:
            lines.append(f"  classDef {name} {style}")
            lines.append(f"  class {','.join(chosen)} {name}")
    return "\n".join(lines) + "\n"


# ----- Graphviz dot ------------------------------------------------------------------------------
def dot_text(text: Any) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace(
        "\n", "\\n").replace("\r", "") + '"'


def _dot_node(node: Node, indent: str) -> str:
    stroke, fill = COLOURS[node.severity]
    label = node.label + (f"\n{node.caption}" if node.caption else "")
    style = "rounded,filled,dashed" if node.synthetic else "rounded,filled"
    width = 2.5 if node.severity in ("error", "warning") else 1
    return (f"{indent}{node.id} [label={dot_text(label)}, tooltip={dot_text(node.tooltip())}, "
            f"color={dot_text(stroke)}, fillcolor={dot_text(fill)}, style={dot_text(style)}, "
            f"penwidth={width}];")


def render_dot(picture: Layout) -> str:
    lines = ["digraph hadr {", "  compound=true;", "  rankdir=LR;", "  newrank=true;",
             '  node [shape=box, fontsize=10, fontname="Helvetica"];',
             '  graph [fontname="Helvetica", fontsize=12];']
    if picture.global_nodes:
        lines += ["  subgraph cluster_g0 {", f"    label={dot_text('global · no region')};",
                  '    style="dashed";']
        lines += [_dot_node(n, "    ") for n in picture.global_nodes]
        lines.append("  }")
    for region in picture.regions:
        lines += [f"  subgraph cluster_{region.id} {{", f"    label={dot_text(region.name)};",
                  '    style="rounded"; color="#24292f"; penwidth=2;']
        if region.nodes:
            lines += [f"    subgraph cluster_{region.id}_regional {{",
                      f"      label={dot_text('regional · several AZs or none')};",
                      '      style="dotted"; color="#8c959f";']
            lines += [_dot_node(n, "      ") for n in region.nodes]
            lines.append("    }")
        for az in region.azs:
            lines += [f"    subgraph cluster_{az.id} {{", f"      label={dot_text(az.label)};",
                      '      style="rounded,filled"; fillcolor="#f6f8fa"; color="#8c959f";']
            lines += [_dot_node(n, "      ") for n in az.nodes]
            lines.append("    }")
        lines.append("  }")
    for edge in picture.dependencies:
        lines.append(f"  {edge.source} -> {edge.target} [label={dot_text(edge.label)}, "
                     f'color="#c9d1d9", fontcolor="#8c959f", style=dotted, constraint=false];')
    for edge in picture.edges:
        style = "bold" if edge.kind == "failover" else "dashed" if edge.kind in (
            "replication", "backup") else "solid"
        lines.append(f"  {edge.source} -> {edge.target} [label={dot_text(edge.label)}, "
                     f"color={dot_text(EDGE_COLOURS.get(edge.kind, '#57606a'))}, "
                     f"style={style}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
