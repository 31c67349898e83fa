"""Parser errors in the user's words, through the CLI: the character and its position for HCL
(never a Lark ``Token('LBRACE', '{')`` dump), the unclosed construct for YAML."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main

HCL = {
    "brace.tf": ('resource "aws_instance" "a" {\n  ami = "x" {\n}\n',
                 "brace.tf:2: error: HCL syntax error: unexpected '{' at line 2, column 13"),
    "list.tf": ('resource "aws_instance" "b" {\n  ami = [1, 2\n}\n',
                "list.tf:3: error: HCL syntax error: unexpected '}' at line 3, column 1 "
                "(expected ',' or ']')"),
    "open.tf": ('resource "aws_instance" "c" {\n  ami = {\n',
                "open.tf:3: error: HCL syntax error: unexpected end of file at line 3, column 1: "
                "a block, bracket or string is not closed"),
    "char.tf": ('resource "aws_instance" "d" {\n  ami = 1\n}\n§\n',
                "char.tf:4: error: HCL syntax error: unexpected '§' at line 4, column 1"),
}
HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A:\n    Type: AWS::S3::Bucket\n'
YAML = {
    "flow.yaml": (HEAD + "    Properties:\n      Tags: [{Key: a, Value: b}\n  B:\n"
                  "    Type: AWS::SQS::Queue\n",
                  "flow.yaml:7: error: cannot parse template: line 7, column 3: expected ',' or "
                  "']' but found a value, in the list opened by '[' at line 6, column 13"),
    "indent.yaml": (HEAD + "   Properties: {}\n",
                    "indent.yaml:5: error: cannot parse template: line 5, column 4: expected the "
                    "end of the indented block but found a new key, in the mapping that starts "
                    "at line 3, column 3"),
    "quote.yaml": (HEAD + '    Properties:\n      BucketName: "reports\n',
                   "in the quoted string that starts at line 6, column 19"),
    "tab.yaml": (HEAD + "    Properties:\n\tBucketName: x\n",
                 "a tab character: YAML indents with spaces only"),
}


def _scan(tmp_path, files: dict) -> str:
    for name, (text, _) in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = CliRunner().invoke(main, ["scan", str(tmp_path), "--quiet"])
    assert done.exit_code == 2
    return done.stderr


@pytest.mark.parametrize("files", [HCL, YAML], ids=["hcl", "yaml"])
def test_syntax_errors_name_the_place_and_the_construct(tmp_path, files, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = _scan(tmp_path, files)
    for _, expected in files.values():
        assert expected in out
    assert "Token(" not in out and "did not find expected" not in out
    assert len(out.splitlines()) == len(files)  # one line per file, every file reported
