"""The engine knows no document format: it reads a file once and asks the registered loaders
(``hadr_lint.loaders.registry``) in order; the first that claims the file and loads it wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hadr_lint.config import Config
from hadr_lint.engine import ScanOptions, load_document
from hadr_lint.loaders import Document, DocumentLoader, registry
from hadr_lint.model import LoadResult, Location, Resource

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = {"Resources": {"Db": {"Type": "AWS::RDS::DBInstance",
                                 "Properties": {"Engine": "postgres", "MultiAZ": False}}}}


def _load(path: Path) -> LoadResult:
    return load_document(path, ScanOptions(paths=(path.parent,)), Config())


def test_json_that_mentions_format_version_but_is_no_plan_goes_to_the_next_loader(
        tmp_path: Path) -> None:
    template = dict(TEMPLATE, Metadata={"format_version": "1.2"})
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    [db] = _load(path).resources
    assert (db.type, db.source) == ("AWS::RDS::DBInstance", "cloudformation")


def test_a_registered_loader_is_asked_without_touching_the_engine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def load(document: Document) -> LoadResult:
        asked.append(document.shown)
        where = Location(document.shown, 1)
        return LoadResult(resources=(Resource("thing.a", "a", "thing", where, {}),),
                          files=(document.shown,))

    thing = DocumentLoader("thing", lambda path, text: text.startswith("thing:"), load)
    monkeypatch.setattr(registry, "DOCUMENT_LOADERS", (thing, *registry.DOCUMENT_LOADERS))
    (tmp_path / "a.yaml").write_text("thing: 1\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(json.dumps(TEMPLATE), encoding="utf-8")
    assert [r.address for r in _load(tmp_path / "a.yaml").resources] == ["thing.a"]
    assert [r.type for r in _load(tmp_path / "b.yaml").resources] == ["AWS::RDS::DBInstance"]
    assert len(asked) == 1 and asked[0].endswith("a.yaml")


def test_the_engine_sniffs_no_format() -> None:
    text = (ROOT / "hadr_lint" / "engine.py").read_text(encoding="utf-8")
    assert not [s for s in ('"format_version"', '"Resources"', "AWSTemplateFormatVersion",
                            "load_plan", "cloudformation") if s in text]
