"""The layers point one way: nothing in the engine (``hadr_lint/``) imports a rule module, and no
module imports itself through others (no import circle).

Rules depend on ``hadr_lint`` (the model, the graph, ``hadr_lint.analysis``); the engine finds the
rules by walking their package (``rulebase.builtin_rules``), never by importing one by name.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"hadr_lint": ROOT / "hadr_lint", "hadr_lint.rules": ROOT / "rules"}


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, by an import statement
    or by ``importlib.import_module`` with a literal name."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("import_module") \
                and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            found.add(node.args[0].value)
        elif isinstance(node, ast.Import):
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


def test_the_import_walker_sees_import_module_by_literal_name(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import importlib\n\ndef f(name):\n"
                      "    importlib.import_module('hadr_lint.rules.x')\n"
                      "    importlib.import_module(f'hadr_lint.rules.{name}')\n", encoding="utf-8")
    assert {m for m in imported_modules(module) if m.startswith("hadr_lint.rules")} == {
        "hadr_lint.rules.x"}


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


def test_suppress_imports_no_loader() -> None:
    """Applying suppressions is format-neutral: each loader reads its own format's (comments,
    Metadata) and imports ``suppress`` for the grammar, never the other way round."""
    assert sorted(m for m in imported_modules(ROOT / "hadr_lint" / "suppress.py")
                  if m.startswith("hadr_lint.loaders")) == []


def module_names(packages: dict[str, Path]) -> dict[str, Path]:
    """Dotted module name -> file, for every module of ``packages`` (name -> folder)."""
    found = {}
    for package, folder in packages.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            found[".".join([package, *parts[:-1 if parts[-1] == "__init__" else None]])] = path
    return found


def _run_time_imports(tree: ast.AST):
    """Import statements anywhere (functions included) but under ``if TYPE_CHECKING:`` and in a
    module's ``__getattr__`` (PEP 562: ``hadr_lint.scan`` is the top-level API, imported on first
    use of the attribute, a facade above every layer, never during an import)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__" and \
                isinstance(tree, ast.Module) and node in tree.body:
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        todo.extend(ast.iter_child_nodes(node))


def import_graph(packages: dict[str, Path]) -> nx.DiGraph:
    """An edge from each module to each module of ``packages`` it imports, at the top or inside a
    function (``from package import module`` points at the module, not at the package)."""
    modules = module_names(packages)
    graph = nx.DiGraph()
    for name, path in modules.items():
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in _run_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = ".".join(here[:len(here) - node.level + 1]) if node.level else ""
                module = ".".join(p for p in (base, node.module or "") if p)
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module
                           for a in node.names]
            graph.add_edges_from((name, t) for t in targets if t in modules and t != name)
    return graph


def circles(graph: nx.DiGraph) -> list[list[str]]:
    """One circle through each group of modules that import each other."""
    return sorted([u for u, _ in nx.find_cycle(graph.subgraph(group))]
                  for group in nx.strongly_connected_components(graph) if len(group) > 1)


def test_no_import_circle() -> None:
    assert circles(import_graph(PACKAGES)) == []


def test_the_circle_check_sees_a_circle_through_a_function_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from pkg.sub import b\n", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "b.py").write_text("def f():\n    from .. import a\n", encoding="utf-8")
    (package / "sub" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n",
        encoding="utf-8")
    graph = import_graph({"pkg": package})
    assert circles(graph) == [["pkg.a", "pkg.sub.b"]]
    assert not graph.has_edge("pkg.sub.c", "pkg.a")  # annotations only: never imported


REASONS = ("start-up", "startup", "lazy", "only when", "optional", "heavy")


def unexplained_function_imports(path: Path) -> list[str]:
    """``line: module`` for each import inside a function of a hadr_lint or third-party module
    (the standard library is free) with no reason (``REASONS``) in a comment on its lines or on
    the line above. A module's ``__getattr__`` (PEP 562) imports on first use by design."""
    text = path.read_text(encoding="utf-8")
    lines, tree = text.splitlines(), ast.parse(text)
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or (
                function.name == "__getattr__" and function in getattr(tree, "body", [])):
            continue
        statements = [n for n in ast.walk(function) if isinstance(n, (ast.Import, ast.ImportFrom))]
        imports = {line for n in statements for line in range(n.lineno, (n.end_lineno or 0) + 1)}
        for node in statements:
            name = "." if getattr(node, "level", 0) else (
                node.module if isinstance(node, ast.ImportFrom) else node.names[0].name) or ""
            if name.split(".")[0] in sys.stdlib_module_names:
                continue
            if not any(reason in _comments(lines, node, imports).lower() for reason in REASONS):
                found.append(f"{node.lineno}: {name}")
    return sorted(set(found), key=lambda s: int(s.split(":")[0]))


def _comments(lines: list[str], node: ast.stmt, imports: set[int]) -> str:
    """The comments on the statement's lines, and the comment line above it or above the run of
    imports it ends (``imports``: the line numbers of the function's import statements)."""
    own = [line.split("#", 1)[1] for line in lines[node.lineno - 1:node.end_lineno] if "#" in line]
    first = node.lineno
    while first - 1 in imports:
        first -= 1
    above = lines[first - 2].strip() if first > 1 else ""
    return " ".join(own + ([above] if above.startswith("#") else []))


def test_imports_inside_functions_say_why() -> None:
    offenders = {
        str(path.relative_to(ROOT)): unexplained_function_imports(path)
        for path in sorted((ROOT / "hadr_lint").rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_a_function_import_without_a_reason_is_found(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("\n".join([
        "import json", "", "", "def f():",
        "    import os",
        "    from hadr_lint import cache",  # 6: no reason
        "    from hadr_lint import graph  # circle",  # 7: not a reason
        "    x = 1",
        "    # start-up: networkx only when a graph is drawn",
        "    import networkx",
        "    from hadr_lint import text",  # 11: the comment above its run of imports
        "    from hadr_lint import (",
        "        model,  # heavy",
        "    )",
        "    y = 2",
        "    from . import sibling  # lazy",
        "    from hadr_lint import api",  # 17: a comment on the line above is not a comment line
        "",
    ]), encoding="utf-8")
    assert unexplained_function_imports(module) == ["6: hadr_lint", "7: hadr_lint",
                                                    "17: hadr_lint"]
