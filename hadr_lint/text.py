"""Reading scanned files: size limit, UTF-8 with or without BOM, or UTF-16/32 with a BOM.

Windows PowerShell 5's ``>`` writes UTF-16 LE with a BOM (``terraform show -json p > plan.json``);
without a BOM, text must be UTF-8."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

DEFAULT_MAX_FILE_SIZE = 5_000_000


class FileTooLarge(Exception):
    pass


def read_source(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """The text of ``path``; raises FileTooLarge, UnicodeDecodeError or OSError."""
    size = path.stat().st_size
    if size > max_size:
        raise FileTooLarge(
            f"file is {size / 1e6:.1f} MB, over the size limit of {max_size / 1e6:.1f} MB "
            "(raise it with --max-file-size)"
        )
    data = path.read_bytes()
    encoding = _bom_encoding(data)
    if encoding == "utf-8-sig" and b"\x00" in data:
        raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1,
                                 "binary file (NUL byte)")
    text = data.decode(encoding)
    if "\x00" in text:
        raise UnicodeDecodeError(encoding, data, 0, 1, "binary file (NUL character)")
    return text


# UTF-32 first: its little-endian BOM starts with UTF-16 LE's
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _bom_encoding(data: bytes) -> str:
    """The encoding a byte order mark declares (the codec then drops the BOM), else UTF-8."""
    return next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8-sig")


MAX_NESTING = 1000

_BRACKETS = re.compile(r"[\[\]{}]")
_BLOCK_INDENT = re.compile(r"^[ \t]*(?:[-?][ \t]+)*", re.MULTILINE)


def nesting_bound(text: str) -> int:
    """An upper bound of how deeply the collections of a YAML or JSON text nest.

    Flow brackets (counted even inside strings) plus the widest line opening (indentation and
    compact ``- - -`` indicators): over-estimates, never under-estimates. libyaml's C composer
    recurses once per level and overflows the C stack (a segmentation fault, not an exception)
    somewhere past 20,000 levels, so deep documents must be refused before they reach it.
    """
    opening = text.count("[") + text.count("{")
    if opening <= MAX_NESTING:
        flow = opening
    else:
        flow = depth = 0
        for match in _BRACKETS.finditer(text):
            depth = depth + 1 if match.group(0) in "[{" else max(depth - 1, 0)
            flow = max(flow, depth)
    block = max((m.end() - m.start() for m in _BLOCK_INDENT.finditer(text)), default=0)
    return flow + block
