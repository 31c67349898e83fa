"""The picture as SVG, drawn here (no Graphviz, no JavaScript, no network): the geometry of
region, AZ and node boxes, then the elements."""

from __future__ import annotations

from dataclasses import dataclass

from hadr_lint.report.escape import xml_text
from hadr_lint.report.picture.fold import SUPPORTING
from hadr_lint.report.picture.model import (
    COLOURS,
    EDGE_COLOURS,
    UNKNOWN_REGION,
    AzBox,
    Edge,
    Layout,
    Node,
    RegionBox,
)

NODE_W, NODE_H = 188, 44
GAP, PAD, TITLE_H = 10, 12, 26
MAX_WIDTH = 1500
CHAR_W = 6.6  # average width of a 12px sans-serif character
FONT = "system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif"


def _fit(text: str, width: float, char_w: float = CHAR_W, at_end: bool = False) -> str:
    """The text, shortened in the middle (names differ at their end) to fit ``width``; a list
    (``at_end``) loses its tail instead."""
    limit = max(4, int(width / char_w))
    if len(text) <= limit:
        return text
    if at_end:
        return text[:limit - 1].rstrip(", ") + "…"
    head = (limit - 1) // 2
    return text[:head] + "…" + text[len(text) - (limit - 1 - head):]


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float


def _grid(count: int, columns: int) -> tuple[int, int]:
    columns = max(1, min(columns, count))
    rows = (count + columns - 1) // columns if count else 0
    return columns, rows


def _nodes_size(count: int, columns: int) -> tuple[float, float]:
    columns, rows = _grid(count, columns)
    if not count:
        return 0, 0
    return columns * NODE_W + (columns - 1) * GAP, rows * NODE_H + (rows - 1) * GAP


def _place_nodes(nodes: list[Node], x: float, y: float, columns: int,
                 boxes: dict[str, _Box], by_column: bool = False) -> None:
    columns, rows = _grid(len(nodes), columns)
    for i, node in enumerate(nodes):
        col, row = divmod(i, rows) if by_column else divmod(i, columns)[::-1]
        boxes[node.id] = _Box(x + col * (NODE_W + GAP), y + row * (NODE_H + GAP), NODE_W, NODE_H)


@dataclass
class _RegionGeometry:
    box: _Box
    band: _Box | None
    azs: dict[str, _Box]


def _az_columns(az: AzBox) -> int:
    return 1 if len(az.nodes) <= 5 else 2


def _measure_region(region: RegionBox) -> tuple[float, float]:
    """Width and height of a region box (content laid out from its top-left corner)."""
    az_row = [(_nodes_size(len(a.nodes), _az_columns(a)), a) for a in region.azs]
    az_w = sum(w + 2 * PAD for (w, _), _ in az_row) + GAP * max(0, len(az_row) - 1)
    az_h = max((h + 2 * PAD + TITLE_H for (_, h), _ in az_row), default=0)
    inner = max(az_w, 3 * NODE_W + 2 * GAP + 2 * PAD)
    columns = _band_columns(inner)
    band_w, band_h = _nodes_size(len(region.nodes), columns)
    band_h = band_h + 2 * PAD + TITLE_H if region.nodes else 0
    width = max(inner, band_w + 2 * PAD) + 2 * PAD
    height = TITLE_H + PAD + band_h + (GAP if band_h and az_h else 0) + az_h + PAD
    return width, height


def _band_columns(inner: float) -> int:
    """Columns of nodes that fit a band ``inner`` wide (its own padding included)."""
    return max(1, int((inner - 2 * PAD + GAP) // (NODE_W + GAP)))


def _layout_region(region: RegionBox, x: float, y: float, boxes: dict[str, _Box],
                   pulls: dict[str, tuple]) -> _RegionGeometry:
    width, height = _measure_region(region)
    inner_x, cursor = x + PAD, y + TITLE_H + PAD
    band = None
    if region.nodes:
        columns = _band_columns(width - 2 * PAD)
        _, band_h = _nodes_size(len(region.nodes), columns)
        band = _Box(inner_x, cursor, width - 2 * PAD, band_h + 2 * PAD + TITLE_H)
        ordered = sorted(region.nodes, key=lambda n: pulls.get(n.id, (0, 0)))
        _place_nodes(ordered, inner_x + PAD, cursor + TITLE_H + PAD, columns, boxes,
                     by_column=True)
        cursor += band.h + GAP
    azs = {}
    az_x = inner_x
    row_h = max((_nodes_size(len(a.nodes), _az_columns(a))[1] + 2 * PAD + TITLE_H
                 for a in region.azs), default=0)
    for az in region.azs:
        columns = _az_columns(az)
        w, _ = _nodes_size(len(az.nodes), columns)
        azs[az.id] = _Box(az_x, cursor, w + 2 * PAD, row_h)
        _place_nodes(az.nodes, az_x + PAD, cursor + TITLE_H + PAD, columns, boxes)
        az_x += w + 2 * PAD + GAP
    return _RegionGeometry(_Box(x, y, width, height), band, azs)


@dataclass
class _Geometry:
    width: float
    height: float
    global_box: _Box | None
    regions: dict[str, _RegionGeometry]
    nodes: dict[str, _Box]
    legend: _Box

    def titles(self) -> list[_Box]:
        """The title rows of every frame (global band, regions, regional bands, AZs): edge
        labels keep off them."""
        frames = [self.global_box] if self.global_box is not None else []
        for region in self.regions.values():
            frames += [region.box, *([region.band] if region.band else []),
                       *region.azs.values()]
        return [_Box(f.x, f.y, f.w, TITLE_H) for f in frames]


def _region_rows(picture: Layout, sizes: dict[str, tuple[float, float]]) -> list[list[RegionBox]]:
    rows: list[list[RegionBox]] = [[]]
    row_w = 0.0
    for region in picture.regions:
        w = sizes[region.id][0]
        if rows[-1] and row_w + GAP + w > MAX_WIDTH:
            rows.append([])
            row_w = 0.0
        rows[-1].append(region)
        row_w += (GAP if row_w else 0) + w
    return rows


def _pulls(picture: Layout, centres: dict[str, float]) -> dict[str, tuple]:
    """Sort keys that put a node on the side of its region facing its partners in other
    regions (left, middle, right), nodes linked to global ones first; global nodes above
    the regions they link to."""
    home: dict[str, str | None] = {n.id: None for n in picture.global_nodes}
    for region in picture.regions:
        for node in region.nodes + [n for az in region.azs for n in az.nodes]:
            home[node.id] = region.id
    partners: dict[str, list[str]] = {}
    for edge in picture.edges:
        partners.setdefault(edge.source, []).append(edge.target)
        partners.setdefault(edge.target, []).append(edge.source)
    keys: dict[str, tuple] = {}
    for index, (node_id, own) in enumerate(home.items()):
        linked = partners.get(node_id, [])
        xs = [centres[r] for r in map(home.__getitem__, linked) if r is not None and r != own]
        if own is None:
            keys[node_id] = (sum(xs) / len(xs) if xs else float("inf"), 0, index)
            continue
        side = 0
        if xs:
            delta = sum(xs) / len(xs) - centres[own]
            side = -1 if delta < -1 else 1 if delta > 1 else 0
        to_global = any(home[p] is None for p in linked)
        keys[node_id] = (side, 0 if to_global else 1, index)
    return keys


def geometry(picture: Layout) -> _Geometry:
    """Positions of every box: global band on top, regions in rows below, legend last."""
    nodes: dict[str, _Box] = {}
    sizes = {r.id: _measure_region(r) for r in picture.regions}
    rows = _region_rows(picture, sizes)
    content_w = max([sum(sizes[r.id][0] for r in row) + GAP * (len(row) - 1) for row in rows]
                    + [3 * NODE_W + 2 * GAP + 2 * PAD, 620])
    y: float = PAD
    global_box, global_columns = None, 1
    if picture.global_nodes:
        global_columns = max(1, int((content_w - 2 * PAD + GAP) // (NODE_W + GAP)))
        _, h = _nodes_size(len(picture.global_nodes), global_columns)
        global_box = _Box(PAD, y, content_w, h + 2 * PAD + TITLE_H)
        y += global_box.h + 3 * GAP
    origins: dict[str, tuple[float, float]] = {}
    for row in rows:
        x: float = PAD
        for region in row:
            origins[region.id] = (x, y)
            x += sizes[region.id][0] + GAP
        y += max((sizes[r.id][1] for r in row), default=0) + 3 * GAP
    centres = {rid: x + sizes[rid][0] / 2 for rid, (x, _) in origins.items()}
    pulls = _pulls(picture, centres)
    if global_box is not None:
        ordered = sorted(picture.global_nodes, key=lambda n: pulls[n.id])
        _place_nodes(ordered, 2 * PAD, global_box.y + TITLE_H + PAD, global_columns, nodes)
    regions = {r.id: _layout_region(r, *origins[r.id], nodes, pulls) for r in picture.regions}
    _, _, legend_h = _legend_plan(content_w, picture.notes)
    legend = _Box(PAD, y, content_w, legend_h)
    return _Geometry(content_w + 2 * PAD, y + legend_h + PAD, global_box, regions, nodes,
                     legend)


def render_svg(picture: Layout, standalone: bool = True) -> str:
    """The picture as SVG. A standalone file sizes itself with ``width``, ``height`` and
    ``viewBox`` only: renderers such as cairosvg draw nothing for a root styled
    ``height:auto``. Embedded in the HTML report it also shrinks to the page's width."""
    geo = geometry(picture)
    namespace = 'xmlns="http://www.w3.org/2000/svg" ' if standalone else ""
    fit = "" if standalone else 'style="max-width:100%;height:auto" '
    out = [f'<svg {namespace}class="hadr-lint-picture" '
           f'viewBox="0 0 {geo.width:.0f} {geo.height:.0f}" width="{geo.width:.0f}" '
           f'height="{geo.height:.0f}" role="img" font-family="{xml_text(FONT)}" '
           f'{fit}aria-label="Architecture: regions, availability zones and resources">',
           "<title>hadr-lint architecture: regions, availability zones and resources</title>",
           _markers(),
           f'<rect x="0" y="0" width="{geo.width:.0f}" height="{geo.height:.0f}" '
           f'fill="#ffffff"/>']
    if geo.global_box is not None:
        out.append('<g class="global" aria-label="global">')
        out.append(_frame(geo.global_box, "global · no region (Route 53, CloudFront, IAM…)",
                          "#ffffff", "#57606a", dashed=True))
        out += [_svg_node(n, geo.nodes[n.id]) for n in picture.global_nodes]
        out.append("</g>")
    for region in picture.regions:
        out += _svg_region(region, geo.regions[region.id], geo.nodes)
    out += _svg_edges(picture.edges, geo.nodes, geo.titles())
    out += _legend(geo.legend, picture.notes)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _markers() -> str:
    found = []
    for kind, colour in EDGE_COLOURS.items():
        found.append(f'<marker id="hadr-arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" '
                     f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                     f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    return "<defs>" + "".join(found) + "</defs>"


def _frame(box: _Box, title: str, fill: str, stroke: str, dashed: bool = False,
           weight: float = 1.2, size: int = 13) -> str:
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return (f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
            f'rx="8" fill="{fill}" stroke="{stroke}" stroke-width="{weight}"{dash}/>'
            f'<text x="{box.x + PAD:.0f}" y="{box.y + 18:.0f}" font-size="{size}" '
            f'font-weight="600" fill="#1f2328">{xml_text(_fit(title, box.w - 2 * PAD, 7.4))}'
            f"</text>")


def _svg_region(region: RegionBox, geo: _RegionGeometry, nodes: dict[str, _Box]) -> list[str]:
    unknown = region.name == UNKNOWN_REGION
    out = [f'<g class="region" id="hadr-{region.id}" aria-label="{xml_text(region.name)}">',
           f"<title>{xml_text(region.name)}</title>",
           _frame(geo.box, region.name, "#fbfcfd", "#24292f", dashed=unknown, weight=2,
                  size=15)]
    if geo.band is not None:
        out.append(f'<g class="regional" aria-label="{xml_text(region.name)} regional">')
        out.append(_frame(geo.band, "regional · several AZs or none", "#ffffff", "#afb8c1",
                          dashed=True, size=11))
        out += [_svg_node(n, nodes[n.id]) for n in region.nodes]
        out.append("</g>")
    for az in region.azs:
        out.append(f'<g class="az" id="hadr-{az.id}" aria-label="{xml_text(az.label)}">')
        out.append(f"<title>{xml_text(az.label)} ({xml_text(az.zone)})</title>")
        out.append(_frame(geo.azs[az.id], az.label, "#eef2f6", "#8c959f", size=12))
        out += [_svg_node(n, nodes[n.id]) for n in az.nodes]
        out.append("</g>")
    out.append("</g>")
    return out


def _svg_node(node: Node, box: _Box) -> str:
    stroke, fill = COLOURS[node.severity]
    width = 2.5 if node.severity else 1
    dash = ' stroke-dasharray="4 3"' if node.synthetic else ""
    severity = f' data-severity="{node.severity}"' if node.severity else ""
    detail = ""
    folded = node.kind == SUPPORTING  # "57 supporting resources", then a list of families
    label = _fit(node.label, box.w - (38 if node.findings else 16), 6.2 if folded else CHAR_W,
                 folded)
    if node.detail:
        detail = (f'<text x="{box.x + 8:.0f}" y="{box.y + 34:.0f}" font-size="10" '
                  f'fill="#57606a">{xml_text(_fit(node.detail, box.w - 16, 5.8, folded))}'
                  f"</text>")
    return (f'<g class="node" id="hadr-{node.id}" data-count="{node.count}"{severity}>'
            f"<title>{xml_text(node.tooltip())}</title>"
            f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
            f'rx="5" fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
            f'<text x="{box.x + 8:.0f}" y="{box.y + 18:.0f}" font-size="12" fill="#1f2328">'
            f"{xml_text(label)}</text>"
            f"{detail}{_badge(node, box)}</g>")


def _badge(node: Node, box: _Box) -> str:
    """The number of findings in a circle of the worst severity's colour, top right."""
    if not node.findings:
        return ""
    stroke, _ = COLOURS[node.severity]
    cx, cy = box.x + box.w - 14, box.y + 15
    return (f'<circle cx="{cx:.0f}" cy="{cy:.0f}" r="9" fill="{stroke}"/>'
            f'<text x="{cx:.0f}" y="{cy + 3.5:.0f}" font-size="10" font-weight="700" '
            f'text-anchor="middle" fill="#ffffff">{min(node.findings, 99)}</text>')


def _anchor(box: _Box, toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from the box's centre toward a point leaves the box."""
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(box.w / 2 / abs(dx) if dx else float("inf"),
                box.h / 2 / abs(dy) if dy else float("inf"))
    return cx + dx * scale, cy + dy * scale


def _bezier(p0: tuple, q: tuple, p2: tuple, t: float) -> tuple[float, float]:
    a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t ** 2
    return a * p0[0] + b * q[0] + c * p2[0], a * p0[1] + b * q[1] + c * p2[1]


LABEL_SPOTS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78)  # where along its curve a label may sit


def _label_box(curve: tuple[tuple, tuple, tuple], text_w: float, titles: list[_Box],
               taken: list[_Box], nodes: list[_Box]) -> _Box:
    """The label's box: the spot along the curve that overlaps no frame title row and, if it
    can, no other label and no node; else the middle, moved below the title row it hits."""
    def box_at(t: float) -> _Box:
        x, y = _bezier(*curve, t)
        return _Box(x - text_w / 2, y - 8, text_w, 14)

    def cost(box: _Box) -> tuple:
        return (any(_hits(box, b) for b in titles), any(_hits(box, b) for b in taken),
                any(_hits(box, b) for b in nodes))

    best = min((box_at(t) for t in LABEL_SPOTS), key=cost)  # min keeps the earliest tie
    for title in titles:
        if _hits(best, title):
            best = _Box(best.x, title.y + TITLE_H + 2, best.w, best.h)
    return best


def _hits(a: _Box, b: _Box) -> bool:
    return not (a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y)


def _svg_edges(edges: list[Edge], nodes: dict[str, _Box], titles: list[_Box]) -> list[str]:
    out = ['<g class="edges" fill="none">']
    taken: list[_Box] = []
    for edge in edges:
        a, b = nodes[edge.source], nodes[edge.target]
        ca, cb = (a.x + a.w / 2, a.y + a.h / 2), (b.x + b.w / 2, b.y + b.h / 2)
        (x1, y1), (x2, y2) = _anchor(a, cb), _anchor(b, ca)
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        length = max(1.0, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
        bend = min(60.0, length / 5)
        qx, qy = mx - (y2 - y1) / length * bend, my + (x2 - x1) / length * bend
        colour = EDGE_COLOURS.get(edge.kind, "#57606a")
        dash = ' stroke-dasharray="6 4"' if edge.kind in ("replication", "backup") else ""
        width = 2.2 if edge.kind == "failover" else 1.6
        label = _label_box(((x1, y1), (qx, qy), (x2, y2)), len(edge.label) * 5.8 + 8, titles,
                           taken, list(nodes.values()))
        taken.append(label)
        out.append(
            f'<g class="edge" data-kind="{edge.kind}" data-source="{edge.source}" '
            f'data-target="{edge.target}"><title>{xml_text(edge.label)}</title>'
            f'<path d="M{x1:.1f},{y1:.1f} Q{qx:.1f},{qy:.1f} {x2:.1f},{y2:.1f}" '
            f'stroke="{colour}" stroke-width="{width}"{dash} '
            f'marker-end="url(#hadr-arrow-{edge.kind})" opacity="0.85"/>'
            f'<rect x="{label.x:.1f}" y="{label.y:.1f}" width="{label.w:.1f}" '
            f'height="{label.h:.1f}" rx="3" fill="#ffffff" opacity="0.9"/>'
            f'<text x="{label.x + label.w / 2:.1f}" y="{label.y + 11:.1f}" font-size="10" '
            f'text-anchor="middle" fill="{colour}">{xml_text(edge.label)}</text></g>')
    out.append("</g>")
    return out


LEGEND_ROW, LEGEND_CHAR_W = 20, 6.2  # 11px text
LEGEND_TEXT = ("×N: N resources of one kind in the same place (hover for the list). Dashed "
               "node: a copy outside the scanned files.")


def _legend_plan(width: float, notes: list[str]) -> tuple[list[tuple], list[str], float]:
    """The legend laid out ``width`` wide: swatches and edge kinds flowing onto as many rows
    as they need (x, y, what), then the explanation and the notes wrapped; its height."""
    items: list[tuple] = []
    x = y = 0.0
    for what, step in [(name, 100) for name in ("error", "warning", "note", None)] + \
            [(kind, 118) for kind in EDGE_COLOURS]:
        if x and x + step > width:
            x, y = 0.0, y + LEGEND_ROW
        items.append((x, y, what))
        x += step
    limit = max(20, int(width / LEGEND_CHAR_W))
    lines = [line for text in (LEGEND_TEXT, *notes) for line in _wrap(text, limit)]
    return items, lines, y + LEGEND_ROW + len(lines) * 16 + 4


def _wrap(text: str, limit: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


def _legend(box: _Box, notes: list[str]) -> list[str]:
    items, lines, _ = _legend_plan(box.w, notes)
    out = [f'<g class="legend" transform="translate({box.x:.0f},{box.y:.0f})" font-size="11" '
           f'data-width="{box.w:.0f}" data-height="{box.h:.0f}">']
    for x, y, what in items:
        if what in EDGE_COLOURS:
            colour = EDGE_COLOURS[what]
            dash = ' stroke-dasharray="6 4"' if what in ("replication", "backup") else ""
            out.append(f'<line x1="{x:.0f}" y1="{y + 7:.0f}" x2="{x + 26:.0f}" y2="{y + 7:.0f}" '
                       f'stroke="{colour}" stroke-width="2"{dash}/><text x="{x + 32:.0f}" '
                       f'y="{y + 11:.0f}" fill="#1f2328">{what}</text>')
            continue
        stroke, fill = COLOURS[what]
        out.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="14" height="14" rx="3" fill="{fill}" '
                   f'stroke="{stroke}" stroke-width="2"/>'
                   f'<text x="{x + 20:.0f}" y="{y + 11:.0f}" fill="#1f2328">'
                   f'{what or "no finding"}</text>')
    top = items[-1][1] + LEGEND_ROW
    for index, line in enumerate(lines):
        out.append(f'<text x="0" y="{top + 12 + index * 16:.0f}" fill="#57606a">'
                   f"{xml_text(line)}</text>")
    out.append("</g>")
    return out
