"""Lazy mappings that give Terraform names their values while a module is evaluated.

Every value is computed on first use and memoised; a name whose evaluation needs itself
(a cycle between locals, a count that reads its own resource) becomes Unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from hadr_lint.model import Prefixed, Ref, Undefined, Unknown


class LazyMapping(Mapping):
    """A mapping whose values come from ``compute(key)``, memoised and cycle-safe.

    ``keys`` given as a mapping (a module's index of blocks by name) is shared, not copied:
    every module instance and ``count`` instance builds these, so building and ``in`` must not
    cost the number of keys.
    """

    def __init__(self, keys: Iterable[str], compute: Callable[[str], Any], label: str) -> None:
        self._keys: Mapping[str, Any] = keys if isinstance(keys, Mapping) else dict.fromkeys(keys)
        self._compute = compute
        self._label = label
        self._values: dict[str, Any] = {}
        self._busy: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        if key in self._values:
            return self._values[key]
        if key in self._busy:
            return Unknown(f"{self._label}.{key} refers to itself (cycle)")
        self._busy.add(key)
        try:
            value = self._compute(key)
        finally:
            self._busy.discard(key)
        self._values[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def known(self, key: str) -> bool:
        """True when the value of ``key`` was computed already."""
        return key in self._values


class ResourceType(LazyMapping):
    """The resources of one type that a module declares, by name (``aws_s3_bucket`` of
    ``aws_s3_bucket.logs``). A name no block declares is an ``Undefined`` reference: unknown,
    but none of the scanned resources (``missing``)."""

    def __init__(self, keys: Iterable[str], compute: Callable[[str], Any], rtype: str,
                 prefix: str) -> None:
        super().__init__(keys, compute, rtype)
        self.prefix = prefix

    def missing(self, name: str) -> Undefined:
        local = f"{self._label}.{name}"
        return Undefined(f"no scanned file declares resource {local}",
                         address=self.prefix + local)


class ResourceObject(LazyMapping):
    """One resource instance as an expression sees it.

    Configured arguments evaluate to their values; any other attribute (id, arn, ...) is only
    known after apply and becomes a ``Ref`` to this resource, which keeps the identity, unless
    ``computed`` (``hadr_lint.loaders.terraform.computed``) knows its structure from the
    configuration: it answers None for the attributes it does not know. A configured argument
    whose value is unknown (``name = "ex-${basename(path.cwd)}"``) keeps the identity too: a
    ``Prefixed`` with nothing after the reference, unknown everywhere, but the graph still sees
    that ``autoscaling_group_name = aws_autoscaling_group.web.name`` names this group.
    """

    def __init__(self, address: str, keys: list[str], compute: Callable[[str], Any],
                 computed: Callable[[str], Any] | None = None) -> None:
        super().__init__(keys, compute, address)
        self.address = address
        self._computed = computed
        self._derived: dict[str, Any] = {}

    def own(self, key: str) -> Any:
        """The configured argument ``key`` as the resource itself holds it (its raw value)."""
        return super().__getitem__(key)

    def __getitem__(self, key: str) -> Any:
        if key in self._keys:
            value = super().__getitem__(key)
            if type(value) is Unknown:  # not an Undefined, a zone list, a set...: they say more
                return Prefixed(value.reason, Ref(self.address, key), kind=value.kind)
            return value
        if self._computed is not None:
            if key not in self._derived:
                self._derived[key] = Unknown(f"{self.address}.{key} refers to itself (cycle)")
                self._derived[key] = self._computed(key)
            if self._derived[key] is not None:
                return self._derived[key]
        return Ref(self.address, key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str)


class ConstMapping(Mapping):
    """A plain read-only mapping; unknown keys raise KeyError like any mapping."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class UnknownObject(Mapping):
    """An object none of whose attributes can be known (a module that was not loaded)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __getitem__(self, key: str) -> Any:
        return Unknown(self.reason)

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0
