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
    if target.is_dir() and any(target.iterdir()):
        return
    target.mkdir(parents=True, exist_ok=True)
    count = 0
    for pattern in patterns:
        for path in sorted((ROOT / "fixtures").rglob(pattern)):
            count += 1
            shutil.copy(path, target / f"seed{count:03d}{path.suffix}")
    for file, text in (extra or {}).items():
        (target / file).write_text(text, encoding="utf-8")


def corpus_argv(name: str) -> list[str]:
    """sys.argv with the corpus folder appended unless one was given."""
    argv = list(sys.argv)
    if not any(not a.startswith("-") for a in argv[1:]):
        argv.append(str(CORPUS / name))
    return argv


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
    from hadr_lint.rulebase import all_rules

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
