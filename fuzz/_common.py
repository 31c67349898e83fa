"""Shared by the atheris harnesses: seed corpora from fixtures/, and the rules run on results."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"


def seed_corpus(name: str, patterns: tuple[str, ...], extra: dict[str, str] | None = None) -> None:
    """Fill fuzz/corpus/<name>/ from fixtures/ once (the folder is git-ignored)."""
    target = CORPUS / name
    seeded = target.is_dir() and any(target.iterdir())
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for pattern in patterns if not seeded else ():
        for path in sorted((ROOT / "fixtures").rglob(pattern)):
            count += 1
            shutil.copy(path, target / f"seed{count:03d}{path.suffix}")
    for file, text in (extra or {}).items():  # added to an older corpus too
        if not (target / file).exists():
            (target / file).write_text(text, encoding="utf-8")


# Inputs whose output is far larger than they are (issue 22): each must end as an unknown with
# a reason, within the budgets, never a MemoryError, a hang or a failed file.
HCL_EXPANSIONS = {
    "x-format-width.tf": 'locals {\n  wide = format("%99999999s", "x")\n}\n'
                         'resource "aws_s3_bucket" "b" {\n  bucket = local.wide\n}\n',
    "x-squares.tf": "locals {\n  a0 = 10\n" + "".join(
        f"  a{i} = local.a{i - 1} * local.a{i - 1}\n" for i in range(1, 14)) + "}\n"
        'resource "aws_instance" "i" {\n  count = local.a13 % 3\n}\n',
    "x-splat-fan-out.tf": 'resource "aws_subnet" "s" {\n  count = 1000\n'
                          '  availability_zone = "us-east-1a"\n}\n'
                          'resource "aws_lb" "lb" {\n  count = 1000\n'
                          '  subnets = aws_subnet.s[*].id\n}\n',
    "x-nested-modules.tf": 'module "m" {\n  source = "./m"\n  count  = 20\n}\n',
    "x-template-loops.tf": 'locals {\n  t = "%{for i in range(1000)}%{for j in range(1000)}'
                           'xx%{endfor}%{endfor}"\n  j = join(",", formatlist("%s-%s", '
                           'range(1000), range(1000)))\n  r = replace(local.j, "-", local.j)\n'
                           '  e = jsonencode([for i in range(1000) : range(1000)])\n}\n'
                           'resource "aws_s3_bucket" "b" {\n  bucket = local.r\n'
                           '  tags = { t = local.t, e = local.e }\n}\n',
}


def _nested_sub(levels: int) -> str:
    value = '"ab"'
    for _ in range(levels):
        value = f'{{"Fn::Sub": ["${{x}}${{x}}${{x}}", {{"x": {value}}}]}}'
    return value


def _nested_join(levels: int) -> str:
    value = '"ab"'
    for _ in range(levels):
        value = f'{{"Fn::Join": ["", [{value}, {value}]]}}'
    return value


CFN_EXPANSIONS = {
    "x-nested-sub.json": '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": '
                         f'{{"BucketName": {_nested_sub(24)}}}}}}}}}',
    "x-nested-join.json": '{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": '
                          f'{{"BucketName": {_nested_join(6)}}}}}}}}}',
}


def corpus_argv(name: str) -> list[str]:
    """sys.argv with the corpus folder appended unless one was given."""
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        argv.append(str(CORPUS / name))
    return argv


def fuzz(name: str, test_one_input) -> None:
    """Run ``test_one_input`` under atheris on fuzz/corpus/<name>/ (or the corpus given)."""
    import atheris  # the harness imported it first, to instrument hadr_lint

    atheris.Setup(corpus_argv(name), test_one_input)
    atheris.Fuzz()


def text_of(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def check_everything(resources) -> None:
    """Normalise, build the graph and run every rule directly (a crash here is a finding)."""
    from hadr_lint.config import Config
    from hadr_lint.graph import Graph
    from hadr_lint.normalise import normalise

    graph = Graph([normalise(r) for r in resources])
    config = Config()
    for rule in _rules():
        for _ in rule.check(graph, config):
            pass


_RULES: list = []


def _rules() -> list:
    if not _RULES:
        from hadr_lint.rulebase import all_rules

        _RULES.extend(all_rules())
    return _RULES
