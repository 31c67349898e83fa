"""Output a hostile repository cannot forge (issue 22).

The Markdown report is posted as a pull-request comment by CI's identity; the text and ``github``
formats are read by the Actions runner, which turns any line starting with ``::`` into a workflow
command; JUnit is parsed by CI; SARIF URIs are matched against the repository. Logical ids, file
names, zones and regions come from the scanned repository. Every case is built in tmp_path.
The Markdown is parsed back with markdown-it-py (a CommonMark parser with GitHub's tables,
installed with the test extras) so the checks are about what renders, not about strings.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from test_picture import check_mermaid

from hadr_lint.cli import main
from hadr_lint.report.escape import md_code, md_text, mermaid_text, printable, uri_path

markdown_it = pytest.importorskip("markdown_it")

HOSTILE = [
    "a`b``c",
    "`starts and ends`",
    "a|b||c",
    "a\\|b",
    "trailing\\",
    "line\nbreak",
    "cr\rlf\r\n",
    "\n## Approved by security ✅",
    "# heading at the start",
    "![x](http://e.example/x.png)",
    "[a](b)",
    "bare http://e.example/x.png and WWW.e.example",
    "[ref]: http://e.example",
    "<img src=x onerror=alert(1)>",
    "<!-- hidden -->",
    "<details><summary>x</summary>",
    "&lt;b&gt; &amp; &#91;",
    "*em* **strong** _under_ ~~strike~~",
    "$\\color{red}{Approved}$",
    "- list item",
    "1. ordered",
    "> quote",
    "    indented code",
    "===",
    '"]-->evil["x',
    "end\nsubgraph x",
    "\x1b[31mred\x1b[0m \x00 \x7f \u202eevil\u202c \u2028sep",
    "",
]
PROBE = "zzprobe"  # the only text of the cell besides the hostile string


def parse(text: str) -> list:
    return markdown_it.MarkdownIt("commonmark").enable("table").parse(text)


def inline_children(tokens: list) -> list:
    return [child for token in tokens if token.type == "inline" for child in token.children or []]


def rendered_cells(tokens: list) -> list[str]:
    """The text of each body cell as it renders (code spans included)."""
    cells, inside, current = [], False, []
    for token in tokens:
        if token.type == "td_open":
            inside, current = True, []
        elif token.type == "td_close":
            cells.append("".join(current))
            inside = False
        elif inside and token.type == "inline":
            current += [c.content for c in token.children if c.type in ("text", "code_inline")]
    return cells


FORBIDDEN = {"image", "link_open", "html_inline", "html_block", "heading_open", "em_open",
             "strong_open", "s_open", "hr", "blockquote_open", "code_block", "fence",
             "bullet_list_open", "ordered_list_open", "lheading_open"}


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_markdown_text_and_code_stay_in_their_cell(name):
    table = ("| a | b | c |\n|---|---|---|\n"
             f"| {md_text(name)}{PROBE} | {md_code(name)} | {PROBE} |\n")
    tokens = parse(table)
    assert not {t.type for t in tokens} & FORBIDDEN
    assert not {c.type for c in inline_children(tokens)} & FORBIDDEN
    shown = printable(name)
    text_cell, code_cell, last = rendered_cells(tokens)
    assert text_cell == shown + PROBE  # every character literal, nothing dropped
    # markdown-it removes one backslash before each pipe in a cell, also in a code span: a
    # name with a backslash before a pipe keeps an extra backslash, never loses the pipe
    assert code_cell == shown or (
        "\\|" in shown and code_cell.replace("\\\\|", "\\|") == shown), code_cell
    assert last == PROBE
    # GitHub also links bare URLs (not parsed here): the escapes break the scheme and www.
    assert not re.search(r"[^\\]://|www\.", md_text(name), re.I)


@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_markdown_text_starting_a_list_item_or_paragraph_stays_text(name):
    for document, allowed in ((f"- {md_text(name)}: x\n", {"bullet_list_open"}),
                              (f"{md_text(name)} x\n", set()),
                              (f"## Workload {md_code(name, table=False)}\n", {"heading_open"})):
        tokens = parse(document)
        types = {t.type for t in tokens} | {c.type for c in inline_children(tokens)}
        assert not (types & FORBIDDEN) - allowed, (document, types)
        assert sum(t.type == "bullet_list_open" for t in tokens) == document.startswith("- ")
        assert sum(t.type == "heading_open" for t in tokens) == document.startswith("##")


def test_mermaid_label_cannot_close_its_quotes_or_the_fence():
    for name in HOSTILE:
        label = mermaid_text(name)
        assert not set(label) & set('"`|<>\n\r\\')
        assert "\x1b" not in label and "\u202e" not in label


def _hostile_repository(root: Path) -> dict[str, str]:
    """A CloudFormation template and a Terraform file whose ids, file name, zone and region try
    to break out of the report."""
    evil_id = ("Db`x`|![i](http://e.example/i.png) [a](http://e.example) <img src=x> "
               '<!-- c --> "]-->n9')
    region = "us-east-1\n\n## Approved by security ✅"
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        evil_id: {"Type": "AWS::RDS::DBInstance",
                  "Properties": {"Engine": "mysql", "MultiAZ": False,
                                 "AvailabilityZone": region + "a"}}}}
    file_name = "# ![f](http:x) |x|\n## Approved.json"
    (root / file_name).write_text(json.dumps(template), encoding="utf-8")
    tf_id = "d`|[a](b)"
    (root / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1\\n\\n## Approved by security ✅"\n}\n'
        f'resource "aws_db_instance" "{tf_id}" {{\n  engine = "mysql"\n  multi_az = false\n}}\n',
        encoding="utf-8")
    return {"id": evil_id, "file": file_name, "region": region, "tf": f"aws_db_instance.{tf_id}"}


ALLOWED_HEADINGS = re.compile(r"hadr-lint recovery posture|Workload `default`|Stateful stores"
                              r"|Architecture|Findings|Building blocks of .*")
ALLOWED_HTML = {"<details><summary>Evidence</summary>\n", "</details>\n"}


def test_markdown_report_of_a_hostile_repository_renders_no_markup_from_it(tmp_path,
                                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HADR_LINT_NO_CACHE", "1")
    names = _hostile_repository(tmp_path)
    result = CliRunner().invoke(main, ["report", ".", "--region", "us-east-1"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    tokens = parse(result.stdout)
    children = inline_children(tokens)
    assert not {c.type for c in children} & {"image", "link_open", "html_inline"}
    assert {t.content for t in tokens if t.type == "html_block"} <= ALLOWED_HTML
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert all(ALLOWED_HEADINGS.fullmatch(h) for h in headings), headings
    assert [t.info for t in tokens if t.type == "fence"] == ["mermaid"]
    (fence,) = [t for t in tokens if t.type == "fence"]
    check_mermaid(fence.content)
    # the names are shown whole, as literal text, in their own cells
    codes = [c.content for c in children if c.type == "code_inline"]
    assert names["id"] in codes and names["tf"].replace("|", "\\|") not in codes
    assert f"{printable(names['file'])}:1" in codes
    assert printable(names["region"]) in rendered_cells(tokens)
    finding_rows = [line for line in result.stdout.splitlines()
                    if line.startswith("| error | HA005 |")]
    assert len(finding_rows) == 2
    for token_list in _rows(tokens):
        assert len(token_list) in (5, 9, 4), token_list  # findings, stores, objectives tables


def _rows(tokens: list) -> list[list[str]]:
    rows, current = [], None
    for token in tokens:
        if token.type == "tr_open":
            current = []
        elif token.type in ("td_open", "th_open") and current is not None:
            current.append(token.type)
        elif token.type == "tr_close":
            rows.append(current)
    return rows


def _scan(*args: str) -> str:
    return CliRunner().invoke(main, ["scan", ".", *args], catch_exceptions=False).stdout


FORGED = "x.tf\n::error file=x.tf,line=1::FAKE\n"


def db(name: str) -> str:
    return f'resource "aws_db_instance" "{name}" {{\n  engine = "mysql"\n  multi_az = false\n}}\n'


def _forging_files(root: Path) -> None:
    (root / f"{FORGED}.tf").write_text(db("a"), encoding="utf-8")
    (root / "::warning::FAKE.tf").write_text(db("b"), encoding="utf-8")
    (root / "bad\x1b[2K.tf").write_text("resource {", encoding="utf-8")


def test_text_output_never_forges_a_workflow_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HADR_LINT_NO_CACHE", "1")
    _forging_files(tmp_path)
    out = _scan("--select", "HA005", "--region", "us-east-1")
    lines = out.splitlines()
    assert not [line for line in lines if line.lstrip().startswith("::")]
    assert "\x1b" not in out
    assert r"x.tf\n::error file=x.tf,line=1::FAKE\n.tf:1: HA005" in out
    assert "./::warning::FAKE.tf:1: HA005" in out
    assert r"bad\x1b[2K.tf:2: error: HCL syntax error" in out
    assert sum(": HA005 " in line for line in lines) == 2


def test_github_annotations_are_one_per_finding_and_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HADR_LINT_NO_CACHE", "1")
    _forging_files(tmp_path)
    lines = _scan("--select", "HA005", "--region", "us-east-1", "--format", "github").splitlines()
    commands = [line for line in lines if line.lstrip().startswith("::")]
    assert len(commands) == 3  # two findings, one file error: nothing forged
    files = set()
    for line in commands:
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        assert match, line
        props = dict(p.split("=", 1) for p in match.group(2).split(","))
        files.add(unquote(props["file"]))
    assert files == {printable(f"{FORGED}.tf"), "::warning::FAKE.tf", printable("bad\x1b[2K.tf")}
    assert not [line for line in lines if "\x1b" in line]


def test_junit_is_well_formed_with_control_characters_in_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HADR_LINT_NO_CACHE", "1")
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
        "Db\x01\x0b\x1b\ufffe": {"Type": "AWS::RDS::DBInstance",
                                 "Properties": {"Engine": "mysql", "MultiAZ": False}}}}
    (tmp_path / "t\x02\x1f.json").write_text(json.dumps(template), encoding="utf-8")
    (tmp_path / "broken\x07.tf").write_text("resource {", encoding="utf-8")
    out = _scan("--select", "HA005", "--region", "us-east-1", "--format", "junit")
    root = ET.fromstring(out.encode("utf-8"))  # raises on a character XML cannot hold
    cases = root.findall(".//testcase")
    failures = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failures] == [r"Db\x01\x0b\x1b\ufffe (t\x02\x1f.json)"]
    assert [c.get("file") for c in cases if c.find("error") is not None] == [r"broken\x07.tf"]


def test_sarif_uris_are_percent_encoded_relative_references(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HADR_LINT_NO_CACHE", "1")
    (tmp_path / ".git").mkdir()
    names = ["plain/main.tf", "sp ace/a b#1%.tf", "ünï/cödé.tf", "a:b.tf", "q?x=[1].tf"]
    for i, name in enumerate(names):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(db(f"d{i}"), encoding="utf-8")
    log = json.loads(_scan("--select", "HA005", "--region", "us-east-1", "--format", "sarif"))
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  for r in log["runs"][0]["results"])
    assert uris == sorted(["plain/main.tf", "sp%20ace/a%20b%231%25.tf",
                           "%C3%BCn%C3%AF/c%C3%B6d%C3%A9.tf", "a%3Ab.tf", "q%3Fx%3D%5B1%5D.tf"])
    for uri in uris:  # RFC 3986 path characters only; decodes back to the repository path
        assert re.fullmatch(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})+", uri), uri
        assert unquote(uri) in names


def test_uri_path_keeps_bytes_of_names_that_are_not_utf8():
    name = b"caf\xe9.tf".decode("utf-8", "surrogateescape")
    assert uri_path(name) == "caf%E9.tf"
    assert uri_path("dir/main.tf") == "dir/main.tf"


@pytest.mark.parametrize("command", ["report", "graph"])
def test_file_errors_on_standard_error_forge_no_workflow_command(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HADR_LINT_NO_CACHE", "1")
    (tmp_path / f"{FORGED}.tf").write_text("resource {", encoding="utf-8")
    (tmp_path / "main.tf").write_text(db("ok"), encoding="utf-8")
    result = CliRunner().invoke(main, [command, "."], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        r"x.tf\n::error file=x.tf,line=1::FAKE\n.tf:2: error: HCL syntax error: unexpected end "
        r"of file at line 2, column 1: a block, bracket or string is not closed"]
