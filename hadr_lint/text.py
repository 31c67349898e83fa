"""Reading scanned files: size limit, UTF-8 with or without BOM, or UTF-16/32 with a BOM.

Windows PowerShell 5's ``>`` writes UTF-16 LE with a BOM (``terraform show -json p > plan.json``);
without a BOM, text must be UTF-8."""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from pathlib import Path

DEFAULT_MAX_FILE_SIZE = 5_000_000


class FileTooLarge(Exception):
    pass


class NotRegularFile(OSError):
    """A FIFO, a device, a socket or a folder where a file was expected: never opened (a FIFO
    blocks the read forever, ``/dev/zero`` never ends)."""


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def read_bytes(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_size`` of them; raises
    NotRegularFile and FileTooLarge (both checked with ``stat`` before opening) or OSError."""
    _check(os.stat(path), max_size)
    with _open(path) as handle:
        _check(os.fstat(handle.fileno()), max_size)  # replaced since the stat: checked again
        data = handle.read(max_size + 1)
    if len(data) > max_size:  # grew while being read
        raise FileTooLarge(_too_large(len(data), max_size))
    return data


def _open(path: Path):
    """Opened without blocking, so that a FIFO swapped in after the check cannot hang."""
    return open(path, "rb", opener=lambda name, flags: os.open(name, flags | _NONBLOCK))


_NONBLOCK = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def _check(info: os.stat_result, max_size: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
        raise NotRegularFile(errno.EINVAL, f"not a regular file ({kind})")
    if info.st_size > max_size:
        raise FileTooLarge(_too_large(info.st_size, max_size))


def _too_large(size: int, max_size: int) -> str:
    return (f"file is {size / 1e6:.1f} MB, over the size limit of {max_size / 1e6:.1f} MB "
            "(raise it with --max-file-size)")


def read_source(path: Path, max_size: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """The text of ``path``; raises FileTooLarge, UnicodeDecodeError or OSError (NotRegularFile
    for anything but a regular file)."""
    data = read_bytes(path, max_size)
    encoding = _bom_encoding(data)
    if encoding == "utf-8-sig" and b"\x00" in data:
        raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1,
                                 "binary file (NUL byte)")
    text = data.decode(encoding)
    if "\x00" in text:
        raise UnicodeDecodeError(encoding, data, 0, 1, "binary file (NUL character)")
    return text


def read_problem(exc: Exception) -> str:
    """What ``read_source``'s exception says, for a load error: ``not UTF-16 text (byte 7)``,
    ``cannot read: Permission denied``, or the size limit's message."""
    if isinstance(exc, UnicodeDecodeError):
        name = {"utf-16": "UTF-16", "utf-32": "UTF-32"}.get(exc.encoding, "UTF-8")
        return f"not {name} text (byte {exc.start})"
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    return str(exc)


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
