"""The fast paths give what the plain paths give (issue 23).

- HCL block by block (loaders/terraform/blocks.py) equals a whole-file parse, on every fixture
  and on generated HCL, also after edits that reuse blocks of the previous version;
- hadr-lint's CloudFormation decoder (loaders/cloudformation/fast_yaml.py) equals cfn-lint's
  decoder, values and marks, on every YAML and JSON file of the fixtures, and its results
  survive the parse cache;
- a scan of all fixtures reports the same findings, unknowns and errors with the fast paths on
  (cold and warm cache, and after edits) and off.
"""

from __future__ import annotations

import datetime
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hadr_lint import cache
from hadr_lint.loaders.cloudformation import fast_yaml
from hadr_lint.loaders.terraform.blocks import Doubt, parse_changed, shifted, split
from hadr_lint.loaders.terraform.parse import HclSyntaxError, parse_blocks
from hadr_lint.text import MAX_NESTING, nesting_bound

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TF_FILES = sorted(FIXTURES.rglob("*.tf"))
DOCUMENTS = sorted(p for p in FIXTURES.rglob("*")
                   if p.suffix in (".yaml", ".yml", ".json", ".template") and p.is_file())
# cfn-lint versions whose decoder fast_yaml was compared with, on the fixtures and on every
# template of aws-cloudformation/aws-cloudformation-templates: compare again before adding one
CHECKED_CFN_LINT = ("1.58.0",)


def _full(text: str, file: str = "f.tf"):
    try:
        return parse_blocks(text, file)
    except HclSyntaxError:
        return None


def _by_chunks(text: str, file: str = "f.tf"):
    blocks = []
    for first, chunk in split(text):
        parsed = parse_blocks(chunk)
        assert len(parsed) == 1, chunk
        blocks.append(shifted(parsed[0], first, file))
    return blocks


def _same_blocks(left, right) -> None:
    assert left == right
    assert _comments(left) == _comments(right)  # Block equality leaves comments out


def _comments(blocks) -> list:
    found = []
    for block in blocks:
        found.append(block.comments)
        found.extend(_comments(block.blocks))
    return found


# ---------------------------------------------------------------------------------------------
# HCL


def test_chunks_parse_to_the_whole_file_blocks_on_every_fixture():
    split_files = 0
    for path in TF_FILES:
        text = path.read_text(encoding="utf-8-sig")
        full = _full(text, str(path))
        try:
            chunks = split(text)
        except Doubt:
            continue
        if full is None:  # a file with a syntax error: some chunk fails too
            with pytest.raises(HclSyntaxError):
                _by_chunks(text, str(path))
            continue
        _same_blocks(_by_chunks(text, str(path)), full)
        assert len(chunks) == len(full)
        split_files += 1
    assert split_files > 100  # the split is not in doubt on ordinary files


def test_parse_changed_reuses_blocks_after_an_edit_and_equals_a_full_parse(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("HADR_LINT_NO_CACHE")
    for path in TF_FILES[:80]:
        text = path.read_text(encoding="utf-8-sig")
        if _full(text) is None:
            continue
        _edit_twice(text, str(path), monkeypatch)


def _edit_twice(text: str, file: str, monkeypatch) -> None:
    """Parse ``text``, then a version with a line inserted in the middle block, then that one
    without its first block: each result equals a whole-file parse, and each edit parses
    only the one new chunk."""
    calls = []
    real = parse_blocks

    def counting(source, name=""):
        calls.append(source)
        return real(source, name)

    monkeypatch.setattr("hadr_lint.loaders.terraform.blocks.parse_blocks", counting)
    versions = [text]
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line[:1].isalpha()]
    if starts:
        middle = starts[len(starts) // 2]
        versions.append("".join(lines[: middle + 1] + ["  # edited\n"] + lines[middle + 1:]))
    lines = versions[-1].splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line[:1].isalpha()]
    if len(starts) > 1:
        versions.append("".join(lines[starts[1]:]))
    for version in versions:
        if _full(version) is None:
            continue
        calls.clear()
        entry = cache.key("hcl", "parse_blocks", file, cache.digest(version))
        blocks = parse_changed(version, file, entry)
        _same_blocks(blocks, real(version, file))
        if version is not text and _splits(version):
            assert len(calls) <= 1, f"{file}: re-parsed {len(calls)} chunks"


def test_an_edit_stores_its_new_block_not_the_whole_file_again(tmp_path, monkeypatch):
    """After a one-block edit only the new block is stored (beside the base: the last version
    stored whole); edits after edits keep reusing the base and the blocks of the edits before,
    until a quarter of the chunks are new: then that version is stored whole and is the base.
    Every version equals a whole-file parse, also once the base entry is gone (pruned)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("HADR_LINT_NO_CACHE")
    calls = []
    real = parse_blocks

    def counting(source, name=""):
        calls.append(source)
        return real(source, name)

    monkeypatch.setattr("hadr_lint.loaders.terraform.blocks.parse_blocks", counting)
    file = "main.tf"
    blocks = [f'resource "aws_sqs_queue" "q{i}" {{\n  name = "q{i}"\n}}\n\n' for i in range(16)]

    def version(edited: int) -> str:  # blocks 0..edited-1 carry an edit line each
        return "".join(b.replace("{\n", "{\n  # edit\n", 1) if i < edited else b
                       for i, b in enumerate(blocks))

    def run(text: str) -> str:
        calls.clear()
        entry = cache.key("hcl", "parse_blocks", file, cache.digest(text))
        _same_blocks(parse_changed(text, file, entry), real(text, file))
        return entry

    first = run(version(0))
    # no earlier version: the file is parsed in one call (cheaper than one per block) and stored
    assert calls == [version(0)] and cache.load(first) is not cache.MISS
    for edited in range(1, 5):  # 1..4 of 16 chunks new: extras beside the first base
        entry = run(version(edited))
        assert len(calls) == 1 and cache.load(entry) is cache.MISS
    entry = run(version(5))  # 5 of 16 new: stored whole, the new base
    assert len(calls) == 1 and cache.load(entry) is not cache.MISS
    run(version(6))
    assert len(calls) == 1
    back = run(version(0))  # back to the first version: five blocks not in base nor extras
    assert len(calls) == 5 and cache.load(back) is not cache.MISS  # a quarter: the new base
    for stored in (tmp_path / "hadr-lint").rglob(f"{back}.pickle"):
        stored.unlink()  # the base is gone: the next version is parsed whole, in one call
    run(version(7))
    assert calls == [version(7)]


def test_the_prefetch_of_many_files_reparses_only_changed_blocks(tmp_path, monkeypatch):
    """A scan of 50 files or more parses them ahead (cache.parse_many), block by block too
    (a file without an earlier version whole, in one call): after an edit of one block of one
    file, that block is the only one parsed, and the
    prefetched blocks equal a whole-file parse. With fast paths off, files are parsed whole."""
    from hadr_lint.loaders.terraform import FolderReader

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HADR_LINT_NO_CACHE")
    monkeypatch.setenv("HADR_LINT_JOBS", "1")  # parsed in this process, where it is counted
    folder = tmp_path / "module"
    folder.mkdir()
    for i in range(cache.PARALLEL_MIN_FILES):
        (folder / f"f{i:02d}.tf").write_text("".join(
            f'resource "aws_sqs_queue" "q{i}_{j}" {{\n  name = "q{j}"\n}}\n\n'
            for j in range(3)))
    calls = []
    real = parse_blocks

    def counting(source, name=""):
        calls.append(source)
        return real(source, name)

    monkeypatch.setattr("hadr_lint.loaders.terraform.blocks.parse_blocks", counting)
    FolderReader(display=str).prefetch([folder])
    assert len(calls) == cache.PARALLEL_MIN_FILES  # no earlier versions: each file whole
    for path in sorted(folder.glob("*.tf")):  # prefetched only when 50 files changed
        path.write_text(path.read_text().replace('"q1"', '"renamed"'))
    calls.clear()
    reader = FolderReader(display=str)
    reader.prefetch([folder])
    assert len(calls) == cache.PARALLEL_MIN_FILES
    assert all('name = "renamed"' in chunk and chunk.count("resource") == 1 for chunk in calls)
    edited = folder / "f07.tf"
    text = edited.read_text()
    entry = cache.key("hcl", "parse_blocks", str(edited), cache.digest(text))
    _same_blocks(reader.prefetched[entry], real(text, str(edited)))
    monkeypatch.setenv("HADR_LINT_FAST_PATHS", "0")
    for path in sorted(folder.glob("*.tf")):
        path.write_text(path.read_text() + "\n# again\n")
    calls.clear()
    reader = FolderReader(display=str)
    reader.prefetch([folder])
    assert calls == [] and len(reader.prefetched) == cache.PARALLEL_MIN_FILES  # whole files


def _splits(text: str) -> bool:
    try:
        split(text)
    except Doubt:
        return False
    return True


_NAMES = st.sampled_from(["a", "name", "count", "tags", "subnet_ids", "x_1"])
_STRINGS = st.sampled_from([
    '"plain"', '"with } brace"', '"${var.a}-${local.b}"', '"${{a = "}"}.a}"',
    '"$${not} %%{literal}"', '"esc \\" quote {"', '"%{ if true }x{%{ endif }"',
    '"${join(",", ["{", "}"])}"',
])
_VALUES = st.one_of(
    _STRINGS,
    st.sampled_from(["1", "true", "var.x", "[1, 2]", "{ a = 1, b = \"}\" }",
                     "aws_vpc.this[0].id", "[for s in var.l : s if s != \"]\"]",
                     "<<EOT\n  { not a brace\n  }\nEOT", "<<-EOF\n    ${var.a} }\n    EOF"]),
)
_COMMENTS = st.sampled_from(["# a } comment", "// another {", "/* block\n } comment */", ""])


@st.composite
def _hcl_files(draw):
    parts = []
    for index in range(draw(st.integers(1, 6))):
        comment = draw(_COMMENTS)
        if comment:
            parts.append(comment + "\n")
        body = []
        for name in draw(st.lists(_NAMES, min_size=0, max_size=4, unique=True)):
            comment = draw(_COMMENTS.filter(lambda c: "*" not in c))
            body.append(f"  {name} = {draw(_VALUES)}  {comment}\n")
        if draw(st.booleans()):
            body.append("  lifecycle {\n    create_before_destroy = true\n  }\n")
        kind = draw(st.sampled_from(["resource \"aws_x\" \"r{}\"", "locals", "module \"m{}\"",
                                     "data \"aws_y\" \"d{}\""]))
        parts.append(kind.format(index) + " {\n" + "".join(body) + "}\n")
        parts.append("\n" * draw(st.integers(0, 2)))
    return "".join(parts)


@given(_hcl_files())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_generated_hcl_parses_the_same_block_by_block(text):
    full = _full(text)
    try:
        chunks = _by_chunks(text)
    except Doubt:
        return
    except HclSyntaxError:
        assert full is None
        return
    assert full is not None
    _same_blocks(chunks, full)


@pytest.mark.parametrize("text", [
    'resource "a" "b" {\n  x = "unterminated\n}\n',
    'resource "a" "b" {\n  x = <<EOT\n  }\n',
    'resource "a" "b" {\n  x = 1\n',
    'resource "a" "b" {\n}\nstray',
    'resource "a" "b" {\r\n}\r\n',
    'resource "a" "b" {\n  /* open\n}\n',
    'resource "a" "b" { x = 1 } resource "c" "d" {}\n',
])
def test_the_split_is_in_doubt_or_a_chunk_fails_where_it_should(text, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    full = _full(text)
    try:
        blocks = parse_changed(text, "f.tf", "unused")
    except HclSyntaxError:
        assert full is None  # the whole file was parsed, and the error is its error
        return
    assert full is not None and blocks == full


def _positions(tree) -> list:
    """Every node and token of a Lark tree with its positions, in order (Tree equality leaves
    positions out)."""
    from lark import Token, Tree

    found, todo = [], [tree]
    while todo:
        item = todo.pop()
        if isinstance(item, Tree):
            meta = item.meta
            found.append((item.data, None if meta.empty else (
                meta.line, meta.column, meta.end_line, meta.end_column, meta.start_pos,
                meta.end_pos)))
            todo.extend(reversed(item.children))
        elif isinstance(item, Token):
            found.append((item.type, str(item), item.line, item.column, item.end_line,
                          item.end_column, item.start_pos, item.end_pos))
        else:
            found.append(item)
    return found


def _outcome(parser, text: str):
    from lark.exceptions import UnexpectedInput

    try:
        return _positions(parser.parse(text))
    except UnexpectedInput as exc:
        return type(exc).__name__, getattr(exc, "line", None), getattr(exc, "column", None)


def test_the_cached_parser_parses_as_a_freshly_compiled_one(tmp_path, monkeypatch):
    """The HCL parser is kept in the cache pickled whole (parse.dump_parser), and a run loads it
    from there instead of compiling the grammar: it gives the very trees, positions included,
    and the very errors of python-hcl2's freshly compiled parser, on every fixture file and on
    texts that stop half way."""
    import hcl2.parser
    from hcl2.postlexer import PostLexer
    from lark import Lark

    from hadr_lint.loaders.terraform import parse

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    compiled = []
    real_open = Lark.open

    def spy(*args, **kwargs):
        compiled.append(args)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Lark, "open", spy)
    parse.hcl_parser.cache_clear()
    parse.hcl_parser()  # compiles, and stores it
    parse.hcl_parser.cache_clear()
    loaded = parse.hcl_parser()  # from the cache
    parse.hcl_parser.cache_clear()
    assert len(compiled) == 1 and (tmp_path / "hadr-lint" / "hcl2-grammar.bin").is_file()
    fresh = real_open("hcl2.lark", rel_to=hcl2.parser.__file__, parser="lalr",
                      propagate_positions=True, postlex=PostLexer())
    texts = [path.read_text(encoding="utf-8-sig") + "\n" for path in TF_FILES]
    texts += [text[: len(text) // 2] for text in texts[::7]]  # cut: errors mostly
    assert len(texts) > 300
    for text in texts:
        assert _outcome(loaded, text) == _outcome(fresh, text)


def test_strings_nested_thousands_deep_are_a_doubt_not_a_crash():
    text = 'locals {\n  a = ' + '"${' * 5000 + "1" + '}"' * 5000 + "\n}\n"
    with pytest.raises(Doubt):
        split(text)


# ---------------------------------------------------------------------------------------------
# CloudFormation


def test_the_installed_cfn_lint_is_a_version_the_decoder_was_compared_with():
    from importlib.metadata import version

    assert version("cfn-lint") in CHECKED_CFN_LINT, (
        "compare loaders/cloudformation/fast_yaml.py with this cfn-lint's decoder on a template "
        "corpus, then add the version to CHECKED_CFN_LINT")


def _same_decoded(mine, theirs, where: str = "$") -> None:
    assert isinstance(mine, dict) == isinstance(theirs, dict), where
    assert isinstance(mine, list) == isinstance(theirs, list), where
    assert (type(mine) is str) == (type(theirs) is str), where  # plain str where cfn-lint has one
    marks = [getattr(x, "start_mark", None) is not None for x in (mine, theirs)]
    assert marks[0] == marks[1], where
    if marks[0]:
        for name in ("start_mark", "end_mark"):
            a, b = getattr(mine, name), getattr(theirs, name)
            assert (a.line, a.column) == (b.line, b.column), f"{where} {name}"
    if isinstance(mine, dict):
        assert list(mine) == list(theirs), where
        for (key, value), other in zip(mine.items(), theirs, strict=True):
            _same_decoded(key, other, f"{where}.<{key}>")
            _same_decoded(value, theirs[other], f"{where}.{key}")
    elif isinstance(mine, list):
        assert len(mine) == len(theirs), where
        for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            _same_decoded(a, b, f"{where}[{index}]")
    else:
        assert mine == theirs and type(mine).__mro__[-2] == type(theirs).__mro__[-2] or (
            isinstance(mine, str) and isinstance(theirs, str) and mine == theirs), where
        if isinstance(mine, (bool, int, float, datetime.date)):
            assert type(mine) is type(theirs), where


def test_cfn_yaml_decodes_every_fixture_document_as_cfn_lint_does():
    import cfnlint.decode

    decoded = fallbacks = 0
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        if nesting_bound(text) > MAX_NESTING:
            continue
        theirs, matches = cfnlint.decode.decode_str(text)
        try:
            mine = fast_yaml.loads(text)
        except fast_yaml.Fallback:
            fallbacks += 1
            continue
        assert not matches, f"{path}: cfn-lint reports {matches[0]}"
        _same_decoded(mine, theirs, str(path.relative_to(ROOT)))
        decoded += 1
    assert decoded > 300 and fallbacks < decoded // 10


@pytest.mark.parametrize("text", [
    "A: 1\nA: 2\n",                      # duplicate key: cfn-lint's error
    "~: 1\n",                            # null key
    "a: &x {b: 1}\nc: *x\n",             # anchors and aliases
    "base: &b {x: 1}\nother:\n  <<: *b\n",
    "a:\n\tb: 1\n",                      # a tab YAML refuses: cfn-lint tries JSON
    "a: [1, 2\n",                        # YAML error
    "X: !GetAtt {a: 1}\n",              # a mapping: cfn-lint builds an unmarked one
])
def test_cfn_yaml_leaves_what_cfn_lint_must_word_to_cfn_lint(text):
    with pytest.raises(fast_yaml.Fallback):
        fast_yaml.loads(text)


def test_shell_ampersands_are_not_anchors():
    text = "Resources:\n  A:\n    Type: AWS::EC2::Instance\n    Properties:\n" \
           "      UserData: !Sub |\n        yum update && echo ${AWS::Region} &\n"
    data = fast_yaml.loads(text)
    assert data["Resources"]["A"]["Properties"]["UserData"]["Fn::Sub"].startswith("yum")


def test_decoded_templates_and_their_load_results_survive_pickling():
    from hadr_lint.loaders.cloudformation import load_file

    template = FIXTURES / "rules" / "HA002" / "cfn-three-azs" / "template.yaml"
    text = template.read_text()
    data = fast_yaml.loads(text)
    again = pickle.loads(pickle.dumps(data))
    _same_decoded(again, data)
    resources = again["Resources"]
    assert resources.get("Missing", {}).start_mark.line == data["Resources"].start_mark.line
    result = load_file(str(template), text)
    assert result.resources
    assert pickle.loads(pickle.dumps(result)) == result  # so the parse cache keeps it


# ---------------------------------------------------------------------------------------------
# Whole scans


def _scan(target: Path, cache_home: Path, fast: bool, *extra: str) -> dict:
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_home), HADR_LINT_FAST_PATHS="1" if fast
               else "0")
    env.pop("HADR_LINT_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-m", "hadr_lint", "scan", str(target), "--format",
                           "json", "--today", "2025-01-01", "--fail-on", "never", *extra],
                          cwd=target, env=env, capture_output=True, timeout=600)
    assert b"Traceback" not in done.stderr, done.stderr.decode()[-2000:]
    report = json.loads(done.stdout)
    return {name: report[name] for name in ("findings", "unknowns", "errors", "suppressed")}


def test_scans_report_the_same_with_fast_paths_on_and_off_also_after_edits(tmp_path):
    tree = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, tree)
    plain = _scan(tree, tmp_path / "none", False, "--no-cache")
    assert plain["findings"] and plain["unknowns"] and plain["errors"]
    fast_cache = tmp_path / "cache"
    assert _scan(tree, fast_cache, True) == plain  # cold
    assert _scan(tree, fast_cache, True) == plain  # warm: templates now come from the cache
    edited = 0
    for path in sorted(tree.rglob("*.tf")) + sorted(tree.rglob("*.yaml")):
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        starts = [i for i, line in enumerate(lines) if line[:1].isalpha()]
        if len(starts) > 2:  # a comment line inside the middle block: later lines move
            at = starts[len(starts) // 2] + 1
            path.write_text("".join(lines[:at] + ["  # edited\n"] + lines[at:]),
                            encoding="utf-8")
            edited += 1
    assert edited > 50
    plain = _scan(tree, tmp_path / "none", False, "--no-cache")
    assert _scan(tree, fast_cache, True) == plain
