"""The architecture picture: layout, and the structure of its Mermaid, dot, SVG and JSON forms."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, scan
from hadr_lint.graph import Graph
from hadr_lint.model import AZ, Finding, Location, Ref, Resource
from hadr_lint.report import picture
from hadr_lint.report.escape import mermaid_text
from hadr_lint.rulebase import all_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "picture"
SVG_NS = "{http://www.w3.org/2000/svg}"


def _scan(path: Path):
    return scan(ScanOptions(paths=(path,)), Config(), all_rules())


@pytest.fixture(scope="module")
def result():
    return _scan(FIXTURE)


@pytest.fixture(scope="module")
def layout(result):
    return picture.layout(result.graph, result.findings, result.config)


def _node(layout, name):
    return next(n for n in layout.nodes() if any(m.name == name for m in n.members))


def _container(layout, node):
    if node in layout.global_nodes:
        return "global"
    for region in layout.regions:
        if node in region.nodes:
            return (region.name, "regional")
        for az in region.azs:
            if node in az.nodes:
                return (region.name, az.label)
    raise AssertionError(node)


# ----- structural checkers -----------------------------------------------------------------------
ID = r"[A-Za-z0-9_]+"
LABEL = r'"[^"]*"'


def check_mermaid(text: str) -> dict:
    """A structural Mermaid flowchart check: balanced subgraph/end, ids [A-Za-z0-9_], every
    label quoted without a raw quote inside, every edge between declared nodes. Returns the
    subgraph labels, node ids and edges."""
    lines = text.splitlines()
    assert lines[0] == "flowchart TB"
    depth, nodes, subgraphs, edges, ids = 0, {}, {}, [], set()
    for line in lines[1:]:
        stripped = line.strip()
        if m := re.fullmatch(rf"subgraph ({ID})\[({LABEL})\]", stripped):
            depth += 1
            assert m.group(1) not in ids and m.group(1) != "end"
            ids.add(m.group(1))
            subgraphs[m.group(1)] = m.group(2)[1:-1]
        elif stripped == "end":
            depth -= 1
            assert depth >= 0, "end without subgraph"
        elif m := re.fullmatch(rf"({ID})\[({LABEL})\]", stripped):
            assert m.group(1) not in ids and m.group(1) != "end"
            ids.add(m.group(1))
            nodes[m.group(1)] = m.group(2)[1:-1]
        elif m := re.fullmatch(rf"({ID}) (-->|-\.->|==>)\|({LABEL})\| ({ID})", stripped):
            edges.append((m.group(1), m.group(4)))
        elif re.fullmatch(rf"classDef {ID} [a-z-]+:[^;\n]+", stripped):
            pass
        elif re.fullmatch(rf"class {ID}(,{ID})* {ID}", stripped):
            pass
        elif stripped in ("direction TB", "direction LR"):
            pass
        else:
            raise AssertionError(f"not a Mermaid line this renderer writes: {line!r}")
    assert depth == 0, "unbalanced subgraph/end"
    for source, target in edges:
        assert source in nodes and target in nodes, (source, target)
    for label in list(nodes.values()) + list(subgraphs.values()):
        assert not re.search(r"[<>](?!br/>)", label.replace("<br/>", "")), label
    return {"nodes": nodes, "subgraphs": subgraphs, "edges": edges}


def _box(element) -> tuple[float, float, float, float]:
    return tuple(float(element.get(k)) for k in ("x", "y", "width", "height"))


def _inside(inner, outer) -> bool:
    return (inner[0] >= outer[0] - 0.5 and inner[1] >= outer[1] - 0.5
            and inner[0] + inner[2] <= outer[0] + outer[2] + 0.5
            and inner[1] + inner[3] <= outer[1] + outer[3] + 0.5)


def _overlap(a, b) -> bool:
    return not (a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1]
                or b[1] + b[3] <= a[1])


def check_svg(text: str) -> dict:
    """Well-formed; every region and AZ a labelled group; viewBox holds every box; boxes inside
    a region do not overlap; every node inside its AZ or region. Returns the labels."""
    root = ET.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    view = (0.0, 0.0, width, height)
    for rect in root.iter(f"{SVG_NS}rect"):
        assert _inside(_box(rect), view), rect.attrib
    found = {"regions": [], "azs": [], "nodes": 0}
    for region in root.iter(f"{SVG_NS}g"):
        if region.get("class") != "region":
            continue
        found["regions"].append(region.get("aria-label"))
        region_box = _box(region.find(f"{SVG_NS}rect"))
        boxes = []
        for group in region.iter(f"{SVG_NS}g"):
            if group.get("class") in ("az", "regional"):
                if group.get("class") == "az":
                    found["azs"].append(group.get("aria-label"))
                    assert group.find(f"{SVG_NS}title").text
                box = _box(group.find(f"{SVG_NS}rect"))
                assert _inside(box, region_box)
                boxes.append(box)
                for node in group.findall(f"{SVG_NS}g"):
                    assert node.get("class") == "node"
                    assert _inside(_box(node.find(f"{SVG_NS}rect")), box)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not _overlap(a, b), (a, b)
    nodes = [_box(g.find(f"{SVG_NS}rect")) for g in root.iter(f"{SVG_NS}g")
             if g.get("class") == "node"]
    found["nodes"] = len(nodes)
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            assert not _overlap(a, b), (a, b)
    return found


def check_dot(text: str) -> dict:
    assert text.startswith("digraph hadr {") and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    labels = re.findall(r'subgraph cluster_\w+ \{\n\s*label="((?:[^"\\]|\\.)*)"', text)
    return {"clusters": labels}


# ----- placement ---------------------------------------------------------------------------------
def test_regions_azs_and_global(layout):
    assert [r.name for r in layout.regions] == ["eu-west-1", "us-east-1", "region unknown"]
    us = layout.regions[1]
    assert [a.label for a in us.azs] == ["us-east-1a", "us-east-1b", "us-east-1c"]
    eu = layout.regions[0]
    assert [a.label for a in eu.azs] == ["eu-west-1 AZ 1", "eu-west-1 AZ 2"]
    for name in ("aws_route53_record.primary", "aws_route53_zone.main", "aws_iam_role.deploy",
                 "aws_route53_health_check.us"):
        assert _container(layout, _node(layout, name)) == "global"


def test_single_az_resources_sit_in_their_az(layout):
    assert _container(layout, _node(layout, "aws_autoscaling_group.batch")) == \
        ("us-east-1", "us-east-1a")
    assert _container(layout, _node(layout, "aws_db_instance.orders")) == \
        ("us-east-1", "us-east-1b")
    assert _container(layout, _node(layout, "aws_nat_gateway.c")) == ("us-east-1", "us-east-1c")
    assert _container(layout, _node(layout, "aws_nat_gateway.eu[1]")) == \
        ("eu-west-1", "eu-west-1 AZ 2")


def test_multi_az_and_zoneless_resources_sit_on_the_region_edge(layout):
    web = _node(layout, "aws_autoscaling_group.web")
    assert _container(layout, web) == ("us-east-1", "regional") and web.note == "3 AZs"
    assert _container(layout, _node(layout, "aws_lb.web_eu")) == ("eu-west-1", "regional")
    assert _container(layout, _node(layout, "aws_dynamodb_table.sessions")) == \
        ("us-east-1", "regional")


def test_unknown_region_box(layout):
    unknown = layout.regions[-1]
    assert unknown.name == "region unknown"
    assert [a.label for a in unknown.azs] == ["AZ 1"]
    assert [m.name for n in unknown.azs[0].nodes for m in n.members] == ["Scratch"]
    assert [(n.kind, [m.name for m in n.members]) for n in unknown.nodes] == \
        [("cache_replication_group", ["Cache"]), ("supporting", ["CacheSubnetA"])]


def test_findings_mark_nodes_with_the_worst_severity(layout):
    assert _node(layout, "aws_autoscaling_group.batch").severity == "error"
    assert _node(layout, "aws_db_instance.orders").severity == "error"  # error beats note
    assert _node(layout, "aws_lb.web").severity == "warning"
    assert _node(layout, "aws_vpc.main").severity is None


def test_replication_failover_and_backup_edges(layout):
    def name(node_id):
        node = next(n for n in layout.nodes() if n.id == node_id)
        return node.members[0].name

    edges = {(name(e.source), name(e.target), e.label, e.kind) for e in layout.edges}
    assert edges == {
        ("aws_route53_record.primary", "aws_lb.web", "failover PRIMARY", "failover"),
        ("aws_route53_record.secondary", "aws_lb.web_eu", "failover SECONDARY", "failover"),
        ("aws_db_instance.orders", "aws_db_instance.orders_eu", "read replica", "replication"),
        ("aws_backup_vault.main", "aws_backup_vault.eu", "backup copy", "backup"),
        ("aws_dynamodb_table.sessions", "aws_dynamodb_table.sessions (replica)", "replica",
         "replication"),
        ("aws_s3_bucket.reports", "aws_s3_bucket.reports_eu", "S3 replication", "replication"),
    }
    replica = _node(layout, "aws_dynamodb_table.sessions (replica)")
    assert replica.synthetic and _container(layout, replica) == ("eu-west-1", "regional")


def test_aurora_global_edge_from_the_writer():
    result = _scan(ROOT / "fixtures" / "objectives" / "multi-region")
    found = picture.layout(result.graph, result.findings, result.config)
    names = {n.id: n.members[0].name for n in found.nodes()}
    aurora = [(names[e.source], names[e.target]) for e in found.edges
              if e.label == "Aurora global"]
    assert aurora == [("aws_rds_cluster.primary", "aws_rds_cluster.dr")]


# ----- every format ------------------------------------------------------------------------------
def test_mermaid_structure(result, layout):
    text = picture.mermaid(result.graph, result.findings, result.config)
    found = check_mermaid(text)
    labels = set(found["subgraphs"].values())
    for region in layout.regions:
        assert region.name in labels
        assert {a.label for a in region.azs} <= labels
    assert len(found["edges"]) == len(layout.edges) == 6
    assert "aws_nat_gateway.eu[0]" in text and "3 supporting resources" in text
    assert re.search(r"class [\w,]+ error", text)


def test_svg_structure(result, layout):
    text = picture.svg(result.graph, result.findings, result.config)
    found = check_svg(text)
    assert found["regions"] == [r.name for r in layout.regions]
    assert found["azs"] == [a.label for r in layout.regions for a in r.azs]
    assert found["nodes"] == len(layout.nodes())
    root = ET.fromstring(text)
    severities = {g.get("data-severity") for g in root.iter(f"{SVG_NS}g")
                  if g.get("class") == "node"}
    assert {"error", "warning"} <= severities
    assert len([g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "edge"]) == 6


def test_standalone_svg_sizes_itself_without_css(result):
    """cairosvg and other renderers draw nothing for a root styled ``height:auto``: the file
    says its size in width, height and viewBox, in pixels, and nothing else."""
    root = ET.fromstring(picture.svg(result.graph, result.findings, result.config))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    assert float(root.get("width")) == width > 0
    assert float(root.get("height")) == height > 0
    assert root.get("style") is None
    embedded = picture.svg(result.graph, result.findings, result.config, standalone=False)
    assert 'style="max-width:100%;height:auto"' in embedded.split(">", 1)[0]


def test_dot_structure(result, layout):
    text = picture.dot(result.graph, result.findings, result.config)
    clusters = check_dot(text)["clusters"]
    for region in layout.regions:
        assert region.name in clusters
        assert {a.label for a in region.azs} <= set(clusters)
    assert 'label="failover PRIMARY"' in text


def test_json_is_the_layout(result, layout):
    data = json.loads(picture.as_json(result.graph, result.findings, result.config))
    assert [r["name"] for r in data["regions"]] == [r.name for r in layout.regions]
    assert [a["label"] for r in data["regions"] for a in r["azs"]] == \
        [a.label for r in layout.regions for a in r.azs]
    assert {e["kind"] for e in data["edges"]} == {"failover", "replication", "backup"}


@pytest.mark.parametrize("fmt", ["json", "dot", "mermaid", "svg"])
def test_cli_graph_formats(fmt):
    outcome = CliRunner().invoke(main, ["graph", str(FIXTURE), "--format", fmt])
    assert outcome.exit_code == 0, outcome.output
    text = outcome.output
    if fmt == "json":
        data = json.loads(text)
        assert {"nodes", "edges", "layout"} <= set(data)  # the graph as before, plus the picture
        assert "region unknown" in [r["name"] for r in data["layout"]["regions"]]
    elif fmt == "mermaid":
        assert "us-east-1a" in check_mermaid(text)["subgraphs"].values()
    elif fmt == "svg":
        assert "eu-west-1 AZ 2" in check_svg(text)["azs"]
    else:
        assert "us-east-1" in check_dot(text)["clusters"]


# ----- escaping ----------------------------------------------------------------------------------
NASTY = 'we"ird [x] <b>&amp; `ünï|cødé` #1; end'


def _nasty_graph() -> Graph:
    def res(name, type_, kind, region, **attributes):
        return Resource(address=f"f::{name}", name=name, type=type_, location=Location("f.tf", 1),
                        region=region, kind=kind, attributes=attributes)

    subnet = res(NASTY, "aws_subnet", "subnet", 'eu-"west"-1', availability_zone=AZ("r<1>", 0))
    group = res(NASTY + " asg", "aws_autoscaling_group", "autoscaling_group", "us-east-1",
                subnets=[Ref(f"{NASTY}", "id")])
    record = res("rec]\"", "aws_route53_record", "dns_record", "us-east-1", failover="PRIMARY",
                 alias_target=Ref(f"{NASTY} asg", "dns_name"))
    return Graph([subnet, group, record])


def test_text_is_escaped_everywhere():
    graph = _nasty_graph()
    finding = Finding("HA001", "x", "error", 'bad "quote" <tag> & more', NASTY, "aws_subnet",
                      "f.tf", 1, 1, "az")
    check_mermaid(picture.mermaid(graph, [finding]))
    svg = picture.svg(graph, [finding])
    root = ET.fromstring(svg)
    texts = "".join(root.itertext())
    assert "<b>" in texts or "<b" in texts  # the text survives, as text
    assert '"quote"' in texts
    check_svg(svg)
    check_dot(picture.dot(graph, [finding]))
    data = json.loads(picture.as_json(graph, [finding]))
    folded = data["regions"][0]["regional"][0]
    assert folded["kind"] == "supporting" and folded["members"][0]["name"] == NASTY


def test_mermaid_text_escapes_quotes_and_brackets():
    escaped = mermaid_text('a"b<c>#d`e|f')
    assert '"' not in escaped and "<" not in escaped and "`" not in escaped
    assert escaped == "a#quot;b#lt;c#gt;#35;d#96;e#124;f"


# ----- scale -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = {}
    for count in (200, 600):
        folder = tmp_path_factory.mktemp(f"gen{count}")
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(folder),
                        "--resources", str(count)], check=True, capture_output=True)
        result = _scan(folder)
        out[count] = (result, picture.layout(result.graph, result.findings, result.config))
    return out


def test_grouping_keeps_200_resources_readable(generated):
    result, found = generated[200]
    assert found.resources >= 150
    nodes = found.nodes()
    assert len(nodes) <= 80
    assert any(n.count >= 3 and "×" in n.label for n in nodes)
    assert sum(n.count for n in nodes) >= found.resources
    svg = picture.svg(result.graph, result.findings, result.config)
    assert check_svg(svg)["nodes"] == len(nodes)
    check_mermaid(picture.mermaid(result.graph, result.findings, result.config))


def test_node_count_does_not_grow_with_resources(generated):
    small, large = generated[200][1], generated[600][1]
    assert large.resources > 2 * small.resources
    assert len(large.nodes()) <= len(small.nodes()) + 10
    assert len(large.edges) <= len(small.edges) + 10


# ----- the posture report and the README ---------------------------------------------------------
def test_markdown_report_embeds_the_mermaid_diagram():
    outcome = CliRunner().invoke(main, ["report", str(FIXTURE), "--format", "markdown"])
    assert outcome.exit_code == 0, outcome.output
    block = re.search(r"## Architecture\n\n```mermaid\n(.*?)```", outcome.output, re.S)
    assert block, outcome.output[-500:]
    assert "us-east-1a" in check_mermaid(block.group(1))["subgraphs"].values()


def test_readme_example_is_valid_mermaid():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)```", readme, re.S)
    assert blocks
    for block in blocks:
        check_mermaid(block)


# ----- SVG: legend and edge labels ---------------------------------------------------------------
TITLE_ROW = 26  # drawing.TITLE_H: the frame's title text sits in its top 26 px


def _frames(root) -> list[tuple]:
    return [_box(g.find(f"{SVG_NS}rect")) for g in root.iter(f"{SVG_NS}g")
            if g.get("class") in ("global", "region", "regional", "az")]


@pytest.mark.parametrize("folder", ["picture", "objectives/multi-region"])
def test_edge_labels_keep_off_frame_title_rows(folder):
    """Both fixtures put an edge's middle on a region or band title row (checked against the
    former midpoint placement): the label moves along its curve, or below the row."""
    result = _scan(ROOT / "fixtures" / folder)
    root = ET.fromstring(picture.svg(result.graph, result.findings, result.config))
    rows = [(x, y, w, TITLE_ROW) for x, y, w, _ in _frames(root)]
    labels = [_box(g.find(f"{SVG_NS}rect")) for g in root.iter(f"{SVG_NS}g")
              if g.get("class") == "edge"]
    assert len(labels) >= 5
    for label in labels:
        assert not any(_overlap(label, row) for row in rows), label
    for i, a in enumerate(labels):
        assert not any(_overlap(a, b) for b in labels[i + 1:]), a


@pytest.mark.parametrize("folder", ["picture/unknown-region", "picture"])
def test_legend_is_inside_the_canvas(folder):
    """The canvas height counts the legend; on a narrow picture (one region, 656 px) the
    legend's swatches and text wrap instead of running off the right edge."""
    result = _scan(ROOT / "fixtures" / folder)
    root = ET.fromstring(picture.svg(result.graph, result.findings, result.config))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    legend = next(g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "legend")
    dx, dy = (float(v) for v in re.fullmatch(r"translate\(([\d.]+),([\d.]+)\)",
                                             legend.get("transform")).groups())
    assert dy + float(legend.get("data-height")) <= height
    for element in legend:
        if element.tag == f"{SVG_NS}text":
            x, y = float(element.get("x")), float(element.get("y"))
            right = x + len(element.text) * 6.2 + (30 if element.text in (
                "replication", "backup", "failover", "routing") else 0)
        elif element.tag == f"{SVG_NS}rect":
            x, y, w, h = _box(element)
            right, y = x + w, y + h
        else:
            right, y = float(element.get("x2")), float(element.get("y2"))
        assert dx + right <= width and dy + y + 4 <= height, (element.tag, element.text)
    texts = "".join(legend.itertext())
    assert "supporting resources" in texts or folder == "picture/unknown-region"
