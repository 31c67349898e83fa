"""Reading scanned files: size limit, UTF-8 with or without BOM, nothing else."""

from __future__ import annotations

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
    if b"\x00" in data:
        raise UnicodeDecodeError("utf-8", data, data.index(b"\x00"), data.index(b"\x00") + 1,
                                 "binary file (NUL byte)")
    return data.decode("utf-8-sig")
