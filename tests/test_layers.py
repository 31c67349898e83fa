"""The layers point one way: nothing in the engine (``hadr_lint/``) imports a rule module.

Rules depend on ``hadr_lint`` (the model, the graph, ``hadr_lint.analysis``); the engine finds the
rules by walking their package (``rulebase.builtin_rules``), never by importing one by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_engine_never_imports_rules() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path)
                                            if m.startswith("hadr_lint.rules."))
        for path in sorted((ROOT / "hadr_lint").rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_only_rulebase_walks_the_rules_package() -> None:
    walkers = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "hadr_lint").rglob("*.py"))
               if "hadr_lint.rules" in imported_modules(p)]
    assert walkers == ["hadr_lint/rulebase.py"]


def test_rule_folder_holds_rules_only() -> None:
    helpers = sorted(p.name for p in (ROOT / "rules").glob("_*.py") if p.name != "__init__.py")
    assert helpers == [], "shared analysis belongs in hadr_lint/analysis/"


def test_the_import_walker_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from hadr_lint.rules._x import y\n", encoding="utf-8")
    assert "hadr_lint.rules._x" in imported_modules(module)


def test_formatters_read_result_data_only() -> None:
    """Reports import the result and the model, never the engine that builds them nor an
    integration whose results they print (checkov's arrive as ``result.ExternalRun`` data)."""
    forbidden = ("hadr_lint.engine", "hadr_lint.integrations", "hadr_lint.suppress")
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path)
                                            if m.startswith(forbidden))
        for path in sorted((ROOT / "hadr_lint" / "report").rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}
