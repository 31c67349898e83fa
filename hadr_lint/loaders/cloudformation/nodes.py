"""The values hadr-lint's CloudFormation decoder (fast_yaml) builds: dict, list and str with the
marks of their YAML node. Apart from fast_yaml (and PyYAML) so that a template read back from
the parse cache needs neither."""

from __future__ import annotations

from typing import Any


class Mark:
    """Where a node starts or ends: 0-based line and column (as PyYAML's marks)."""

    __slots__ = ("line", "column")

    def __init__(self, line: int = 0, column: int = 0) -> None:
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple:
        return (Mark, (self.line, self.column))

    def __repr__(self) -> str:
        return f"Mark({self.line}, {self.column})"


class StrNode(str):
    """A string with the marks of its YAML node."""

    start_mark: Mark
    end_mark: Mark

    def __new__(cls, value: str, start_mark: Mark | None = None,
                end_mark: Mark | None = None) -> StrNode:
        node = str.__new__(cls, value)
        node.start_mark = start_mark or Mark()
        node.end_mark = end_mark or Mark()
        return node

    def __reduce__(self) -> tuple:
        return (StrNode, (str(self), self.start_mark, self.end_mark))


class DictNode(dict):
    """A mapping with the marks of its YAML node; ``get`` with a mapping default returns it with
    this mapping's marks, as cfn-lint's ``dict_node`` does."""

    def __init__(self, value: Any = (), start_mark: Mark | None = None,
                 end_mark: Mark | None = None) -> None:
        super().__init__(value)
        self.start_mark = start_mark or Mark()
        self.end_mark = end_mark or Mark()
        self.using_merge = False

    def get(self, key: Any, default: Any = None) -> Any:
        if isinstance(default, dict):
            default = DictNode(default, self.start_mark, self.end_mark)
        return super().get(key, default)

    def __reduce__(self) -> tuple:
        return (DictNode, ((), self.start_mark, self.end_mark), None, None, iter(self.items()))


class ListNode(list):
    """A sequence with the marks of its YAML node."""

    def __init__(self, value: Any = (), start_mark: Mark | None = None,
                 end_mark: Mark | None = None) -> None:
        super().__init__(value)
        self.start_mark = start_mark or Mark()
        self.end_mark = end_mark or Mark()

    def __reduce__(self) -> tuple:
        return (ListNode, ((), self.start_mark, self.end_mark), None, iter(self))
