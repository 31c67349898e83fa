"""The Terraform built-in functions hadr-lint evaluates statically.

Each function takes the evaluated arguments and returns a value. Value helpers (``as_str``,
``as_list``...) raise ``Undecidable`` when an argument is ``Unknown``/``Ref``/``AZ`` where a
concrete value is needed (the call then yields that Unknown), and ``EvaluationError`` where
Terraform itself would fail (caught by ``try``/``can``). Functions that read files, the clock
or randomness are deliberately absent: ``call_function`` returns an Unknown for them.
"""

from __future__ import annotations

import base64
import functools
import inspect
import ipaddress
import itertools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import regex

from hadr_lint.model import (
    AZ,
    AccountArn,
    DeployAccount,
    Encoded,
    FirewallEndpoint,
    Prefixed,
    Ref,
    Unknown,
    Unordered,
    ZoneList,
)
from hadr_lint.regions import FEWEST_AZS, az_count

MAX_ELEMENTS = 10_000
MAX_STRING = 1_000_000
MAX_DIGITS = 64  # no AWS attribute takes a longer number: larger is unknown (x * x * x ...)
_TOO_MANY_DIGITS = 10 ** MAX_DIGITS
_SMALL = 200


class EvaluationError(Exception):
    """An expression Terraform itself would reject (caught by try/can)."""


class Undecidable(Exception):
    """A concrete value was needed but the value is symbolic: the result is ``unknown``."""

    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


# ---------------------------------------------------------------- value helpers


def is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes))


def is_map(value: Any) -> bool:
    return isinstance(value, Mapping)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def symbolic_unknown(value: Any) -> Unknown:
    """The Unknown standing for a symbolic value where a concrete one is needed (a Prefixed
    string, a ZoneList, an Unordered set, a FirewallEndpoint, a deploying account or an ARN in
    one becomes a plain Unknown: what an operation makes of it no longer starts with its
    reference, lists zones or elements, nor is that endpoint or account)."""
    if isinstance(value, (Prefixed, ZoneList, Unordered, FirewallEndpoint, DeployAccount,
                          AccountArn)):
        return Unknown(value.reason)
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Ref):
        return Unknown(f"{value} is only known after apply")
    return Unknown(f"availability zone {value} has no static name")


def need(value: Any) -> Any:
    if isinstance(value, (Unknown, Ref, AZ)):
        raise Undecidable(symbolic_unknown(value))
    return value


def known(value: Any) -> Any:
    """``value`` when nothing inside it is symbolic, else raise Undecidable."""
    need(value)
    if is_list(value):
        for item in value:
            known(item)
    elif is_map(value):
        for item in value.values():
            known(item)
    return value


def kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if is_list(value):
        return "list"
    if is_map(value):
        return "object"
    return type(value).__name__


def normalise_number(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EvaluationError("number out of range")
        if value.is_integer():
            value = int(value)
    if isinstance(value, int) and not -_TOO_MANY_DIGITS < value < _TOO_MANY_DIGITS:
        raise Undecidable(Unknown(f"number of more than {MAX_DIGITS} digits (expansion cap)"))
    return value


def fits(size: int, what: str) -> None:
    """Refuse, before building it, a string of ``size`` characters over MAX_STRING."""
    if size > MAX_STRING:
        raise Undecidable(Unknown(f"{what}: string of {size} characters, over the limit of "
                                  f"{MAX_STRING} (expansion cap)"))


def render_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if isinstance(value, int) else repr(value)


def as_str(value: Any) -> str:
    need(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return render_number(value)
    raise EvaluationError(f"a string is required, got {kind(value)}")


def parse_number(text: str) -> int | float:
    try:
        return int(text.strip())
    except ValueError:
        pass
    try:
        return normalise_number(float(text.strip()))
    except ValueError:
        raise EvaluationError(f"cannot convert {text!r} to a number") from None


def as_num(value: Any) -> int | float:
    need(value)
    if is_number(value):
        return normalise_number(value)
    if isinstance(value, str):
        return parse_number(value)
    raise EvaluationError(f"a number is required, got {kind(value)}")


def as_int(value: Any) -> int:
    number = as_num(value)
    if not isinstance(number, int):
        raise EvaluationError(f"a whole number is required, got {number}")
    return number


def as_bool(value: Any) -> bool:
    need(value)
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvaluationError(f"a bool is required, got {kind(value)}")


def as_list(value: Any) -> list:
    need(value)
    if is_list(value):
        return list(value)
    raise EvaluationError(f"a list is required, got {kind(value)}")


def as_map(value: Any) -> Mapping:
    need(value)
    if is_map(value):
        return value
    raise EvaluationError(f"a map is required, got {kind(value)}")


# ---------------------------------------------------------------- equality


def equal(left: Any, right: Any) -> bool | Unknown:
    """Terraform ``==``: True/False, or an Unknown when symbolic values make it undecidable."""
    for value in (left, right):
        if isinstance(value, Unknown):
            return value
    if isinstance(left, (Ref, AZ)) or isinstance(right, (Ref, AZ)):
        if type(left) is type(right):
            if isinstance(left, Ref) and left != right and _shared(left, right):
                return Unknown(f"cannot compare {left} with {right} before apply")
            return left == right
        return Unknown(f"cannot compare {left} with {right} before apply")
    if kind(left) != kind(right):
        return False
    if is_list(left):
        return _equal_items(list(left), list(right))
    if is_map(left):
        if set(left.keys()) != set(right.keys()):
            return False
        keys = sorted(left.keys())
        return _equal_items([left[k] for k in keys], [right[k] for k in keys])
    return left == right


# Attributes two resources may share (two subnets in one zone): refs to them are not known to
# differ; an id, an ARN, a name ... is one resource's alone.
_SHARED_ATTRIBUTES = ("availability_zone", "availability_zone_id")


def _shared(left: Ref, right: Ref) -> bool:
    return left.attribute in _SHARED_ATTRIBUTES or right.attribute in _SHARED_ATTRIBUTES


def _equal_items(left: list, right: list) -> bool | Unknown:
    if len(left) != len(right):
        return False
    undecided: Unknown | None = None
    for a, b in zip(left, right, strict=True):
        result = equal(a, b)
        if result is False:
            return False
        if isinstance(result, Unknown) and undecided is None:
            undecided = result
    return undecided or True


def freeze(value: Any) -> Any:
    """A hashable key such that equal known values have equal keys."""
    if isinstance(value, Unknown):
        raise Undecidable(value)
    if isinstance(value, (Ref, AZ)):
        return value
    if is_list(value):
        return ("list", tuple(freeze(v) for v in value))
    if is_map(value):
        return ("map", tuple(sorted((str(k), freeze(v)) for k, v in value.items())))
    return (kind(value), value)


def _shape(value: Any) -> str:
    """Values of one shape compare exactly through ``freeze``; mixed shapes may not."""
    if isinstance(value, (Ref, AZ)):
        return type(value).__name__
    try:
        known(value)
    except Undecidable:
        return "mixed"
    return "plain"


def _check_comparable(values: list) -> None:
    """Raise Undecidable when some pair among ``values`` cannot be compared."""
    shapes = {_shape(v) for v in values}
    if len(shapes) <= 1 and "mixed" not in shapes:
        return
    if len(values) > _SMALL:
        raise Undecidable(Unknown("cannot compare values computed at apply time"))
    for a, b in itertools.combinations(values, 2):
        result = equal(a, b)
        if isinstance(result, Unknown):
            raise Undecidable(result)


def distinct_values(values: list) -> list:
    out, seen = [], set()
    for value in values:
        key = freeze(value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    _check_comparable(out)
    return out


# ---------------------------------------------------------------- collections


def fn_concat(*lists: Any) -> list:
    out: list = []
    for value in lists:
        out.extend(as_list(value))
    return out


def fn_element(values: Any, index: Any) -> Any:
    if isinstance(values, ZoneList) and 0 <= as_int(index) < FEWEST_AZS:
        return values.item(as_int(index))  # every region has that many: no wrapping around
    items, position = as_list(values), as_int(index)
    if not items:
        raise EvaluationError("element() of an empty list")
    if position < 0:
        raise EvaluationError("element() index must not be negative")
    return items[position % len(items)]


def fn_slice(values: Any, start: Any, end: Any) -> list:
    known_length = _slice_of_unknown(values, start, end)
    if known_length is not None:
        return known_length
    items, first, last = as_list(values), as_int(start), as_int(end)
    if not 0 <= first <= last <= len(items):
        raise EvaluationError(f"slice({first}, {last}) out of range for {len(items)} items")
    return items[first:last]


def _slice_of_unknown(values: Any, start: Any, end: Any) -> list | None:
    """``slice`` of a list whose items are unknown still has ``end - start`` items: a shorter
    list fails the plan. The items are unknown, or the zones of a ``ZoneList``. None when
    ``values`` is known (the ordinary case) or is text (Terraform rejects it)."""
    if isinstance(values, Prefixed) or not isinstance(values, (Unknown, Ref)):
        return None
    first, last = as_int(start), as_int(end)
    if not 0 <= first <= last:
        raise EvaluationError(f"slice({first}, {last}) out of range")
    if last - first > MAX_ELEMENTS:
        raise Undecidable(Unknown("expansion capped"))
    if isinstance(values, ZoneList):
        return [values.item(i) for i in range(first, last)]
    return [symbolic_unknown(values)] * (last - first)


def fn_length(value: Any) -> int:
    if isinstance(value, Unordered):
        return len(value.items)  # how many is known, only not their order
    need(value)
    if isinstance(value, str) or is_list(value) or is_map(value):
        return len(value)
    raise EvaluationError(f"length() of {kind(value)}")


_MISSING = object()


def fn_lookup(mapping: Any, key: Any, default: Any = _MISSING) -> Any:
    items, name = as_map(mapping), as_str(key)
    if name in items:
        return items[name]
    if default is _MISSING:
        raise EvaluationError(f"lookup(): no key {name!r}")
    return default


def fn_merge(*maps: Any) -> dict:
    out: dict = {}
    for value in maps:
        if value is not None:
            out.update(as_map(value).items())
    return out


def fn_keys(mapping: Any) -> list:
    return sorted(as_map(mapping).keys())


def fn_values(mapping: Any) -> list:
    items = as_map(mapping)
    return [items[k] for k in sorted(items.keys())]


def fn_toset(value: Any) -> Any:
    if isinstance(value, Unordered):
        return value
    return distinct_values(as_list(value))


def fn_tolist(value: Any) -> Any:
    if isinstance(value, Unordered):
        return value  # a set made a list: its order is still the set's, unknown
    return as_list(value)


def fn_tomap(value: Any) -> dict:
    return dict(as_map(value).items())


def fn_contains(values: Any, value: Any) -> bool | Unknown:
    undecided = None
    for item in as_list(values):
        result = equal(item, value)
        if result is True:
            return True
        if isinstance(result, Unknown) and undecided is None:
            undecided = result
    return undecided or False


def fn_index(values: Any, value: Any) -> int:
    for position, item in enumerate(as_list(values)):
        result = equal(item, value)
        if isinstance(result, Unknown):
            raise Undecidable(result)
        if result:
            return position
    raise EvaluationError("index(): value not found in list")


def fn_coalesce(*args: Any) -> Any:
    for value in args:
        if isinstance(value, Unknown):
            return value
        if value is not None and value != "":
            return value
    raise EvaluationError("coalesce(): no non-null, non-empty argument")


def fn_coalescelist(*args: Any) -> list:
    for value in args:
        items = as_list(value)
        if items:
            return items
    raise EvaluationError("coalescelist(): no non-empty list")


def fn_compact(values: Any) -> list:
    out = []
    for item in as_list(values):
        if isinstance(item, Unknown):
            raise Undecidable(item)
        if item is not None and item != "":
            out.append(item)
    return out


def _flatten_into(items: list, out: list) -> None:
    for item in items:
        if isinstance(item, Unknown):
            raise Undecidable(item)
        if is_list(item):
            _flatten_into(list(item), out)
        else:
            out.append(item)
        if len(out) > MAX_ELEMENTS:
            raise Undecidable(Unknown("expansion capped"))


def fn_flatten(values: Any) -> list:
    out: list = []
    _flatten_into(as_list(values), out)
    return out


def fn_distinct(values: Any) -> list:
    return distinct_values(as_list(values))


def fn_zipmap(keys: Any, values: Any) -> dict:
    names, items = [as_str(k) for k in as_list(keys)], as_list(values)
    if len(names) != len(items):
        raise EvaluationError("zipmap(): lists of different lengths")
    return dict(zip(names, items, strict=True))


def fn_range(*args: Any) -> list:
    numbers = [as_num(a) for a in args]
    if not 1 <= len(numbers) <= 3:
        raise EvaluationError("range() takes 1 to 3 arguments")
    start, limit = (0, numbers[0]) if len(numbers) == 1 else numbers[:2]
    step = numbers[2] if len(numbers) == 3 else (1 if limit >= start else -1)
    if step == 0:
        raise EvaluationError("range(): step must not be zero")
    if (limit - start) * step <= 0:
        return []
    count = math.ceil((limit - start) / step)
    if count > MAX_ELEMENTS:
        raise Undecidable(Unknown("expansion capped"))
    return [normalise_number(start + i * step) for i in range(count)]


def fn_one(values: Any) -> Any:
    items = as_list(values)
    if len(items) > 1:
        raise EvaluationError("one(): more than one element")
    return items[0] if items else None


def _truth_fold(values: Any, stop: bool) -> bool | Unknown:
    undecided = None
    for item in as_list(values):
        try:
            if as_bool(item) is stop:
                return stop
        except Undecidable as exc:
            undecided = undecided or exc.unknown
    return undecided or (not stop)


def fn_alltrue(values: Any) -> bool | Unknown:
    return _truth_fold(values, False)


def fn_anytrue(values: Any) -> bool | Unknown:
    return _truth_fold(values, True)


def fn_setunion(*sets: Any) -> list:
    return distinct_values(fn_concat(*sets))


def _set_filter(first: Any, others: tuple, keep_common: bool) -> list:
    base = distinct_values(as_list(first))
    rest = [distinct_values(as_list(s)) for s in others]
    _check_comparable(base + [v for s in rest for v in s])
    keys = [{freeze(v) for v in s} for s in rest]
    if keep_common:
        return [v for v in base if all(freeze(v) in k for k in keys)]
    return [v for v in base if not any(freeze(v) in k for k in keys)]


def fn_setintersection(first: Any, *others: Any) -> list:
    return _set_filter(first, others, True)


def fn_setsubtract(first: Any, second: Any) -> list:
    return _set_filter(first, (second,), False)


def fn_setproduct(*sets: Any) -> list:
    lists = [as_list(s) for s in sets]
    if not lists:
        raise EvaluationError("setproduct() needs at least one set")
    if math.prod(len(items) for items in lists) > MAX_ELEMENTS:
        raise Undecidable(Unknown("expansion capped"))
    return [list(combo) for combo in itertools.product(*lists)]


def fn_reverse(values: Any) -> list:
    return as_list(values)[::-1]


def fn_sort(values: Any) -> list:
    return sorted(as_str(v) for v in as_list(values))


def fn_chunklist(values: Any, size: Any) -> list:
    items, width = as_list(values), as_int(size)
    if width < 0:
        raise EvaluationError("chunklist(): negative size")
    if width == 0:
        return [items]
    return [items[i : i + width] for i in range(0, len(items), width)]


def fn_sum(values: Any) -> int | float:
    items = as_list(values)
    if not items:
        raise EvaluationError("sum() of an empty list")
    return normalise_number(sum(as_num(v) for v in items))


# ---------------------------------------------------------------- conversions and numbers


def fn_tostring(value: Any) -> str | None:
    return None if value is None else as_str(value)


def fn_tonumber(value: Any) -> int | float | None:
    return None if value is None else as_num(value)


def fn_tobool(value: Any) -> bool | None:
    return None if value is None else as_bool(value)


def fn_min(*args: Any) -> int | float:
    if not args:
        raise EvaluationError("min() needs at least one argument")
    return min(as_num(a) for a in args)


def fn_max(*args: Any) -> int | float:
    if not args:
        raise EvaluationError("max() needs at least one argument")
    return max(as_num(a) for a in args)


def fn_abs(value: Any) -> int | float:
    return abs(as_num(value))


def fn_ceil(value: Any) -> int:
    return math.ceil(as_num(value))


def fn_floor(value: Any) -> int:
    return math.floor(as_num(value))


def fn_signum(value: Any) -> int:
    number = as_num(value)
    return (number > 0) - (number < 0)


def fn_identity(value: Any) -> Any:
    return value


# ---------------------------------------------------------------- strings

_VERB = re.compile(r"%(?:(%)|(?:\[(\d+)\])?([-+ #0]*)(\d*)(?:\.(\d+))?([a-zA-Z]))")


def _format_one(verb: str, flags: str, width: str, precision: str | None, value: Any) -> str:
    fits(int(width or 0) + int(precision or 0), "format()")  # "%99999999s": before building
    if verb == "d":
        return f"%{flags}{width}d" % as_int(value)
    if verb == "f":
        return f"%{flags}{width}.{precision or 6}f" % as_num(value)
    if verb == "q":
        text = json.dumps(as_str(value), ensure_ascii=False)
    elif verb == "t":
        text = "true" if as_bool(value) else "false"
    elif verb == "s":
        text = as_str(value)
    elif verb == "v":
        scalar = kind(value) in ("string", "number", "bool")
        text = as_str(value) if scalar else fn_jsonencode(value)
    else:
        raise EvaluationError(f"format(): unsupported verb %{verb}")
    size = int(width or 0)
    return text.ljust(size) if "-" in flags else text.rjust(size)


def fn_format(fmt: Any, *args: Any) -> str:
    text, out, position, end = as_str(fmt), [], 0, 0
    for match in _VERB.finditer(text):
        out.append(text[end : match.start()])
        end = match.end()
        if match.group(1):
            out.append("%")
            continue
        if match.group(2):
            position = int(match.group(2)) - 1
        if not 0 <= position < len(args):
            raise EvaluationError("format(): not enough arguments")
        _, _, flags, width, precision, verb = match.groups()
        out.append(_format_one(verb, flags, width, precision, args[position]))
        fits(sum(len(piece) for piece in out), "format()")
        position += 1
    out.append(text[end:])
    return "".join(out)


def fn_formatlist(fmt: Any, *args: Any) -> list:
    lengths = {len(as_list(a)) for a in args if is_list(need(a))}
    if len(lengths) > 1:
        raise EvaluationError("formatlist(): lists of different lengths")
    count = lengths.pop() if lengths else 1
    rows = [[a[i] if is_list(a) else a for a in args] for i in range(count)]
    out, size = [], 0
    for row in rows:
        out.append(fn_format(fmt, *row))
        size += len(out[-1])
        fits(size, "formatlist()")
    return out


def fn_join(separator: Any, *lists: Any) -> str:
    if not lists:
        raise EvaluationError("join() needs at least one list")
    sep, items = as_str(separator), [as_str(v) for v in fn_concat(*lists)]
    fits(sum(map(len, items)) + len(sep) * max(len(items) - 1, 0), "join()")
    return sep.join(items)


def fn_split(separator: Any, text: Any) -> list:
    sep, value = as_str(separator), as_str(text)
    return list(value) if sep == "" else value.split(sep)


def fn_replace(text: Any, search: Any, replacement: Any) -> str:
    value, pattern, new = as_str(text), as_str(search), as_str(replacement)
    if len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/"):
        raise Undecidable(Unknown("replace() with a regular expression is not supported"))
    if pattern:
        fits(len(value) + value.count(pattern) * (len(new) - len(pattern)), "replace()")
    else:
        fits(len(value) + (len(value) + 1) * len(new), "replace()")
    return value.replace(pattern, new)


REGEX_TIMEOUT = 0.05  # seconds: RE2 is linear, Python's engines are not (ReDoS guard)
AZ_LETTERS = "abcdef"


def fn_regex(pattern: Any, text: Any) -> Any:
    """Terraform's regex(): the first match (its captures when the pattern has groups)."""
    found = _on_text(text, lambda value: _matches(as_str(pattern), value, 1))
    if isinstance(found, list) and not found:
        raise EvaluationError("regex: the pattern does not match")
    return found[0] if isinstance(found, list) else found


def fn_regexall(pattern: Any, text: Any) -> Any:
    return _on_text(text, lambda value: _matches(as_str(pattern), value, MAX_ELEMENTS))


def _on_text(text: Any, compute: Callable[[str], Any]) -> Any:
    """Apply ``compute`` to a string; a symbolic AZ name is decided when every name its region
    can have gives the same answer (``^[a-z]{2}-`` matches them all), else it stays unknown."""
    if not isinstance(text, AZ):
        return compute(as_str(text))
    count = min(len(AZ_LETTERS), _region_az_count(text.region))
    if text.form != "name" or not count:
        raise Undecidable(symbolic_unknown(text))
    answers = [compute(f"{text.region}{letter}") for letter in AZ_LETTERS[:count]]
    if any(answer != answers[0] for answer in answers):
        raise Undecidable(symbolic_unknown(text))
    return answers[0]


def _region_az_count(region: Any) -> int:
    return az_count(region) or 0


def _matches(pattern: str, text: str, limit: int) -> list[Any]:
    try:
        compiled = regex.compile(pattern)
    except (regex.error, ValueError, OverflowError) as exc:
        raise EvaluationError(f"invalid regular expression: {exc}") from None
    found: list[Any] = []
    try:
        for match in compiled.finditer(text, timeout=REGEX_TIMEOUT):
            found.append(_capture(compiled, match))
            if len(found) >= limit:
                break
    except TimeoutError:
        raise Undecidable(Unknown("regular expression took too long to evaluate")) from None
    return found


def _capture(compiled: Any, match: Any) -> Any:
    if compiled.groupindex:
        return {name: match.group(name) for name in compiled.groupindex}
    if compiled.groups:
        return list(match.groups())
    return match.group(0)


def fn_lower(text: Any) -> str:
    return as_str(text).lower()


def fn_basename(path: Any) -> str:
    """Terraform's basename: the last element of a slash-separated path (no file access)."""
    text = as_str(path).rstrip("/")
    return text.rsplit("/", 1)[-1] if text else as_str(path)


def fn_dirname(path: Any) -> str:
    text = as_str(path)
    head = text.rsplit("/", 1)[0] if "/" in text else "."
    return head or "/"


def fn_upper(text: Any) -> str:
    return as_str(text).upper()


def fn_title(text: Any) -> str:
    return re.sub(r"(?<![\w'])(\w)", lambda m: m.group(1).upper(), as_str(text))


def fn_trimspace(text: Any) -> str:
    return as_str(text).strip()


def fn_trim(text: Any, characters: Any) -> str:
    return as_str(text).strip(as_str(characters))


def fn_trimprefix(text: Any, prefix: Any) -> str:
    return as_str(text).removeprefix(as_str(prefix))


def fn_trimsuffix(text: Any, suffix: Any) -> str:
    return as_str(text).removesuffix(as_str(suffix))


def fn_chomp(text: Any) -> str:
    return re.sub(r"(\r\n|\n|\r)+$", "", as_str(text))


def fn_startswith(text: Any, prefix: Any) -> bool:
    return as_str(text).startswith(as_str(prefix))


def fn_endswith(text: Any, suffix: Any) -> bool:
    return as_str(text).endswith(as_str(suffix))


def fn_strrev(text: Any) -> str:
    return as_str(text)[::-1]


def fn_substr(text: Any, offset: Any, length: Any) -> str:
    value, start, size = as_str(text), as_int(offset), as_int(length)
    if start < 0:
        start += len(value)
    if not 0 <= start <= len(value) or size < -1:
        raise EvaluationError("substr(): offset or length out of range")
    return value[start:] if size == -1 else value[start : start + size]


def _json_ready(value: Any) -> Any:
    known(value)
    if is_list(value):
        return [_json_ready(v) for v in value]
    if is_map(value):
        return {str(k): _json_ready(v) for k, v in value.items()}
    return normalise_number(value) if is_number(value) else value


def encoded_size(value: Any, limit: int = MAX_STRING) -> int:
    """About how many characters ``value`` encodes to, counted up to ``limit`` (so that a list
    of 10,000 copies of a 1 MB string stops after 1 MB, whatever it shares)."""
    size, todo = 0, [value]
    while todo and size <= limit:
        item = todo.pop()
        if isinstance(item, str):
            size += len(item) + 2
        elif is_list(item):
            todo.extend(item)
            size += 1 + len(item)
        elif is_map(item):
            for key, child in item.items():
                todo.append(child)
                size += len(str(key)) + 4
        else:
            size += 8
    return size


def fn_jsonencode(value: Any) -> Any:
    """The JSON text; an ``Encoded`` keeping the structure when parts of it are unknown."""
    fits(encoded_size(value), "jsonencode()")
    try:
        known(value)
    except Undecidable as exc:
        if is_list(value) or is_map(value):
            return Encoded(f"jsonencode() of a value with unknown parts: {exc.unknown.reason}",
                           value=value)
        raise
    text = json.dumps(_json_ready(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fn_jsondecode(text: Any) -> Any:
    try:
        return json.loads(as_str(text))
    except ValueError as exc:
        raise EvaluationError(f"jsondecode(): {exc}") from None


def fn_base64encode(text: Any) -> str:
    return base64.b64encode(as_str(text).encode()).decode()


def fn_base64decode(text: Any) -> str:
    try:
        return base64.b64decode(as_str(text), validate=True).decode()
    except ValueError as exc:
        raise EvaluationError(f"base64decode(): {exc}") from None


# ---------------------------------------------------------------- networks


def _network(prefix: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(as_str(prefix), strict=False)
    except ValueError as exc:
        raise EvaluationError(f"invalid CIDR prefix: {exc}") from None


def _subnet(network: Any, newbits: int, netnum: int) -> str:
    length = network.prefixlen + newbits
    if newbits < 0 or length > network.max_prefixlen:
        raise EvaluationError(f"cannot extend prefix /{network.prefixlen} by {newbits} bits")
    if not 0 <= netnum < 2**newbits:
        raise EvaluationError(f"network number {netnum} does not fit in {newbits} bits")
    address = int(network.network_address) + (netnum << (network.max_prefixlen - length))
    return str(type(network)((address, length)))


def fn_cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> str:
    return _subnet(_network(prefix), as_int(newbits), as_int(netnum))


def fn_cidrsubnets(prefix: Any, *newbits: Any) -> list:
    network, out = _network(prefix), []
    start = int(network.network_address)
    for bits in (as_int(b) for b in newbits):
        length = network.prefixlen + bits
        if bits < 1 or length > network.max_prefixlen:
            raise EvaluationError(f"cidrsubnets(): invalid newbits {bits}")
        size = 1 << (network.max_prefixlen - length)
        start = (start + size - 1) // size * size
        subnet = type(network)((start, length))
        if not cast(Any, subnet).subnet_of(network):  # same IP version: the typeshed union
            raise EvaluationError("cidrsubnets(): not enough address space")
        out.append(str(subnet))
        start += size
    return out


def fn_cidrhost(prefix: Any, hostnum: Any) -> str:
    network, number = _network(prefix), as_int(hostnum)
    if number < 0:
        number += network.num_addresses
    if not 0 <= number < network.num_addresses:
        raise EvaluationError(f"host number {as_int(hostnum)} is outside {network}")
    return str(network.network_address + number)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": fn_abs,
    "alltrue": fn_alltrue,
    "anytrue": fn_anytrue,
    "base64decode": fn_base64decode,
    "basename": fn_basename,
    "base64encode": fn_base64encode,
    "ceil": fn_ceil,
    "chomp": fn_chomp,
    "chunklist": fn_chunklist,
    "cidrhost": fn_cidrhost,
    "cidrsubnet": fn_cidrsubnet,
    "cidrsubnets": fn_cidrsubnets,
    "coalesce": fn_coalesce,
    "dirname": fn_dirname,
    "coalescelist": fn_coalescelist,
    "compact": fn_compact,
    "concat": fn_concat,
    "contains": fn_contains,
    "distinct": fn_distinct,
    "element": fn_element,
    "endswith": fn_endswith,
    "flatten": fn_flatten,
    "floor": fn_floor,
    "format": fn_format,
    "formatlist": fn_formatlist,
    "index": fn_index,
    "join": fn_join,
    "jsondecode": fn_jsondecode,
    "jsonencode": fn_jsonencode,
    "keys": fn_keys,
    "length": fn_length,
    "lookup": fn_lookup,
    "lower": fn_lower,
    "max": fn_max,
    "merge": fn_merge,
    "min": fn_min,
    "nonsensitive": fn_identity,
    "one": fn_one,
    "range": fn_range,
    "regex": fn_regex,
    "regexall": fn_regexall,
    "replace": fn_replace,
    "reverse": fn_reverse,
    "sensitive": fn_identity,
    "setintersection": fn_setintersection,
    "setproduct": fn_setproduct,
    "setsubtract": fn_setsubtract,
    "setunion": fn_setunion,
    "signum": fn_signum,
    "slice": fn_slice,
    "sort": fn_sort,
    "split": fn_split,
    "startswith": fn_startswith,
    "strrev": fn_strrev,
    "substr": fn_substr,
    "sum": fn_sum,
    "title": fn_title,
    "tobool": fn_tobool,
    "tolist": fn_tolist,
    "tomap": fn_tomap,
    "tonumber": fn_tonumber,
    "toset": fn_toset,
    "tostring": fn_tostring,
    "trim": fn_trim,
    "trimprefix": fn_trimprefix,
    "trimspace": fn_trimspace,
    "trimsuffix": fn_trimsuffix,
    "upper": fn_upper,
    "values": fn_values,
    "zipmap": fn_zipmap,
}


def call_function(name: str, args: list) -> Any:
    """Call built-in ``name``; Unknown when unsupported or undecidable, else the value.

    Raises EvaluationError where Terraform would fail (wrong arguments, bad values).
    """
    function = FUNCTIONS.get(name)
    if function is None:
        return Unknown(f"function {name} is not supported")
    fewest, most = arity(function)
    if len(args) < fewest or (most is not None and len(args) > most):
        raise EvaluationError(f"wrong number of arguments to {name}()")
    try:
        return _checked(function(*args))
    except Undecidable as exc:
        return exc.unknown


@functools.cache
def arity(function: Callable) -> tuple[int, int | None]:
    """Fewest and most positional arguments ``function`` takes (None: any number); reading
    the signature costs 25 us, once per function instead of once per call."""
    fewest, most = 0, 0
    for parameter in inspect.signature(function).parameters.values():
        if parameter.kind is parameter.VAR_POSITIONAL:
            return fewest, None
        most += 1
        if parameter.default is parameter.empty:
            fewest += 1
    return fewest, most


def _checked(result: Any) -> Any:
    if is_list(result) or is_map(result):
        if len(result) > MAX_ELEMENTS:
            raise Undecidable(Unknown("expansion capped"))
    elif isinstance(result, str) and len(result) > MAX_STRING:
        raise Undecidable(Unknown("string too long"))
    return normalise_number(result) if is_number(result) else result
