"""A content-addressed cache of parse results under the user's cache folder.

An entry's key hashes what the result depends on: the file's content (and the path it is shown
as), hadr-lint's version and source files, the installed parsing libraries and Python, and
the options that change the result. A changed input is a different key, so an entry is never
stale; the cache never changes a result, it only skips work.

Entries live in ``$XDG_CACHE_HOME/hadr-lint/parse-v<FORMAT>/`` (default ``~/.cache/hadr-lint``).
They are written to a temporary file and renamed into place, so concurrent runs never see half an
entry. Anything that goes wrong when reading an entry (missing, truncated, written by another
format, forged, unpickling error) is a miss, and the entry is rewritten.

Entries are pickles, and unpickling runs code named in the data: whoever can write an entry
could run code in hadr-lint. So an entry is used only when

* the folder ``hadr-lint`` is owned by the current user and writable by nobody else (it is
  created 0700), and does not lie inside a scanned tree (``avoid``): a repository that ships
  ``.cache/hadr-lint`` and a CI job that points ``XDG_CACHE_HOME`` into the checkout must not
  feed hadr-lint its own entries;
* its HMAC-SHA256, under a random per-user key kept in ``hadr-lint/key`` (0600), matches: it
  is checked before a byte is unpickled. A file written by anyone without the key is a miss.

A data-only format was measured and rejected: parse entries hold Lark trees and frozen
dataclasses, and the compiled HCL grammar has integer dictionary keys and tuples that JSON
loses (lark's loader then fails); ``ast.literal_eval`` of the grammar takes 0.86 s, most of
the 1.1 s compile it is meant to save. Unpickling the authenticated parser takes 10 ms.

An entry larger than ``MAX_ENTRY`` is neither written nor read.

``HADR_LINT_NO_CACHE=1`` or ``--no-cache`` turns the cache off (nothing read, nothing written).
This module imports only the standard library: the command line imports it at start-up.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from hadr_lint import __version__
from hadr_lint.progress import Progress

FORMAT = 3
ENV_DISABLE = "HADR_LINT_NO_CACHE"
MAGIC = b"hadr-lint cache\n"
LIBRARIES = ("hcl2", "lark", "cfnlint", "yaml")  # importable names of the parsers
MISS = object()
MAX_ENTRY = 256 * 1024 * 1024  # bytes: a bigger entry is not written (nor read)
KEY_SIZE = 32
MAC_SIZE = 32  # HMAC-SHA256

_disabled = False
_fingerprint: str | None = None
_avoided: frozenset[Path] = frozenset()  # scanned trees: a cache folder inside is never used
_secrets: dict[tuple, bytes | None] = {}  # folder state -> its key (None: the folder is unsafe)
_session: list[bytes] = []  # a key for worker results when the folder is unsafe


def disable(value: bool = True) -> None:
    """Turn the cache off (or back on) for this process: ``--no-cache``."""
    global _disabled
    _disabled = value


def avoid(roots: Iterable[Path]) -> None:
    """Never use a cache folder that lies inside one of ``roots`` (resolved scanned trees)."""
    global _avoided
    _avoided = _avoided | frozenset(Path(r) for r in roots)


def enabled() -> bool:
    return not _disabled and os.environ.get(ENV_DISABLE, "") in ("", "0")


def base() -> Path:
    """``$XDG_CACHE_HOME/hadr-lint``: the folder whose owner and mode are checked."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(home) / "hadr-lint"


def directory() -> Path:
    return base() / f"parse-v{FORMAT}"


def digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def secret() -> bytes | None:
    """The per-user key of the cache folder, created on first use; None when the folder is not
    safe to use (not ours, writable by others, inside a scanned tree, not creatable)."""
    folder = base()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        state = os.stat(folder)
    except (OSError, ValueError):
        return None
    memo_key = (str(folder), state.st_dev, state.st_ino, state.st_uid, state.st_mode, _avoided)
    if memo_key not in _secrets:
        _secrets[memo_key] = _key_of(folder) if _safe(folder, state) else None
    return _secrets[memo_key]


def _safe(folder: Path, state: os.stat_result) -> bool:
    if not stat.S_ISDIR(state.st_mode) or state.st_mode & 0o022:
        return False
    if hasattr(os, "geteuid") and state.st_uid != os.geteuid():
        return False
    try:
        found = folder.resolve()
    except (OSError, RuntimeError):
        return False
    return not any(found == root or found.is_relative_to(root) for root in _avoided)


def _key_of(folder: Path) -> bytes | None:
    """Read ``folder/key``; a missing key, or one that others could have read or written, is
    replaced by a new random one (entries signed with the old one become misses)."""
    path = folder / "key"
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return _new_key(path, replace=False)
    except OSError:
        return _new_key(path, replace=True)
    try:
        state = os.fstat(handle)
        data = os.read(handle, KEY_SIZE + 1)
    except OSError:
        data, state = b"", None
    finally:
        os.close(handle)
    mine = state is not None and (not hasattr(os, "geteuid") or state.st_uid == os.geteuid())
    if mine and state is not None and stat.S_ISREG(state.st_mode) \
            and not state.st_mode & 0o077 and len(data) == KEY_SIZE:
        return data
    return _new_key(path, replace=True)


def _new_key(path: Path, replace: bool) -> bytes | None:
    """Write a random key (0600) under a temporary name, then link it into place: a concurrent
    run either wins or reads the winner's key, and never sees half a key."""
    data = os.urandom(KEY_SIZE)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mode 0600
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            if replace:
                os.replace(temporary, path)
                return data
            try:
                os.link(temporary, path)
            except FileExistsError:
                return _key_of(path.parent)
            return data
        finally:
            _remove(temporary)
    except OSError:
        return None


def _mac_key() -> bytes:
    """The cache key, or when the folder is unsafe a random key of this process (and of the
    worker processes it forks): worker results still travel authenticated, nothing is kept."""
    found = secret()
    if found is not None:
        return found
    if not _session:
        _session.append(os.urandom(KEY_SIZE))
    return _session[0]


def fingerprint() -> str:
    """What every entry depends on besides its inputs: the code that produced it."""
    global _fingerprint
    if _fingerprint is None:
        parts = [str(FORMAT), __version__, sys.implementation.cache_tag or "", sys.version,
                 *(_library_stamp(name) for name in LIBRARIES), _source_stamp()]
        _fingerprint = digest("\0".join(parts))
    return _fingerprint


def _library_stamp(name: str) -> str:
    """Where the importable package ``name`` lives, with the size and modification time of its
    ``__init__``: an upgrade rewrites it. importlib.metadata would give the version, but costs
    20 ms per run, a tenth of a pre-commit hook's budget."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
        stat_ = os.stat(spec.origin) if spec and spec.origin else None
    except (ImportError, ValueError, OSError):
        stat_ = None
    if stat_ is None or spec is None:
        return f"{name}=none"
    return f"{name}={spec.origin}:{stat_.st_size}:{stat_.st_mtime_ns}"


def _source_stamp() -> str:
    """Size and modification time of hadr-lint's own modules: an edited checkout (editable
    install, same version number) must not reuse entries the old code wrote."""
    root = Path(__file__).resolve().parent
    stamps = []
    for path in sorted(root.rglob("*.py")):
        try:
            found = path.stat()
        except OSError:
            continue
        stamps.append(f"{path.relative_to(root).as_posix()}:{found.st_size}:{found.st_mtime_ns}")
    return digest("\n".join(stamps))


def key(kind: str, *parts: Any) -> str:
    """The key of a result of ``kind`` computed from ``parts`` (strings, numbers, tuples)."""
    return digest("\0".join([fingerprint(), kind, *(repr(p) for p in parts)]))


def _entry(entry_key: str) -> Path:
    return directory() / entry_key[:2] / f"{entry_key}.pickle"


def load(entry_key: str) -> Any:
    """The value stored under ``entry_key``, or MISS."""
    if not enabled() or secret() is None:
        return MISS
    return from_bytes(entry_key, read(_entry(entry_key)))


def read(path: Path) -> bytes:
    """The bytes of an entry file, b"" when it is missing, unreadable, not a regular file or
    larger than MAX_ENTRY (checked before reading)."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return b""
    try:
        found = os.fstat(handle)
        if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_ENTRY:
            return b""
        with os.fdopen(os.dup(handle), "rb") as stream:
            return stream.read(MAX_ENTRY + 1)
    except OSError:
        return b""
    finally:
        os.close(handle)


def _header(entry_key: str) -> bytes:
    return MAGIC + entry_key.encode("ascii") + b"\n"


def from_bytes(entry_key: str, data: bytes) -> Any:
    """The value of an entry's bytes; MISS unless they were written for ``entry_key`` and carry
    a valid HMAC (checked before unpickling: a forged entry never runs)."""
    header = _header(entry_key)
    if not data.startswith(header) or len(data) > MAX_ENTRY + len(header) + MAC_SIZE:
        return MISS
    view = memoryview(data)
    mac, payload = view[len(header):len(header) + MAC_SIZE], view[len(header) + MAC_SIZE:]
    expected = hmac.new(_mac_key(), header, hashlib.sha256)
    expected.update(payload)
    if not hmac.compare_digest(expected.digest(), mac):
        return MISS
    try:
        return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a damaged entry is a miss, and is rewritten
        return MISS


def to_bytes(entry_key: str, value: Any) -> bytes:
    """An entry's bytes: header, HMAC, pickle. pickle.PicklingError when the pickle would be
    larger than MAX_ENTRY (found while pickling, before it is all in memory)."""
    header = _header(entry_key)
    payload = dumps(value)
    mac = hmac.new(_mac_key(), header, hashlib.sha256)
    mac.update(payload)
    return header + mac.digest() + payload


class _Bounded(io.BytesIO):
    def write(self, data: Any) -> int:
        if self.tell() + len(memoryview(data)) > MAX_ENTRY:
            raise pickle.PicklingError(f"cache entry over {MAX_ENTRY} bytes")
        return super().write(data)


def dumps(value: Any) -> bytes:
    """``pickle.dumps(value)``, refused (pickle.PicklingError) beyond MAX_ENTRY bytes."""
    out = _Bounded()
    pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def store(entry_key: str, value: Any) -> None:
    if enabled() and secret() is not None:
        try:
            write(entry_key, to_bytes(entry_key, value))
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            pass  # a value that cannot be pickled (or is too big) is simply not cached


def write(entry_key: str, data: bytes) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace."""
    if not enabled() or secret() is None or len(data) > MAX_ENTRY:
        return
    prune()
    write_file(_entry(entry_key), data)


def write_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically, creating its folders 0700; errors are ignored
    (a read-only or full cache folder: scan on without caching)."""
    try:
        for folder in reversed([target.parent, *target.parent.parents]):
            if folder == base() or base() in folder.parents:
                try:
                    os.mkdir(folder, 0o700)
                except FileExistsError:
                    pass
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            _remove(temporary)
            raise
    except OSError:
        pass


def kept_path(name: str) -> Path:
    """The file a loader keeps one built object in, beside the entries (``kept``)."""
    return base() / name


def load_kept(name: str, entry_key: str) -> Any:
    """The object kept in file ``name`` under ``entry_key`` (see ``keep``), or MISS."""
    if secret() is None:
        return MISS
    return from_bytes(entry_key, read(kept_path(name)))


def keep(name: str, entry_key: str, value: Any) -> None:
    """Keep one object a loader builds at great cost (a compiled parser) in file ``name``,
    beside the entries, even with --no-cache (which is about parse results); authenticated
    like every entry."""
    if secret() is None:
        return
    try:
        write_file(kept_path(name), to_bytes(entry_key, value))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass


MAX_AGE = 30 * 86400  # seconds an entry is kept after it was written
_pruned = False


def prune(now: float | None = None) -> None:
    """Once a day at most: delete entries written more than MAX_AGE ago, and the folders of
    other cache formats. Edited files leave their old entries behind; this bounds the folder."""
    global _pruned
    if _pruned:
        return
    _pruned = True
    now = time.time() if now is None else now
    stamp = directory().parent / "last-prune"
    try:
        if now - stamp.stat().st_mtime < 86400:
            return
    except OSError:
        pass
    try:
        directory().parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
        os.utime(stamp, (now, now))
    except OSError:
        return
    import shutil

    for old in directory().parent.glob("parse-v*"):
        if old != directory():
            shutil.rmtree(old, ignore_errors=True)
    for entry in directory().glob("*/*"):
        try:
            if now - entry.stat().st_mtime > MAX_AGE:
                entry.unlink()
        except OSError:
            pass


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def memo(entry_key: str, compute: Callable[[], Any]) -> Any:
    """The cached value of ``compute()``; exceptions are not cached."""
    value = load(entry_key)
    if value is MISS:
        value = compute()
        store(entry_key, value)
    return value


# ---------------------------------------------------------------------------------------------
# Parsing many files in worker processes


PARALLEL_MIN_FILES = 50
ENV_JOBS = "HADR_LINT_JOBS"


def workers() -> int:
    """Worker processes for parsing: HADR_LINT_JOBS if set (1: none), else one per core.

    Workers cost CPU time (results travel back pickled). Measured on 2 cores, 10,000 resources
    cold: 6.9 s instead of 8.0 s on an idle machine, but no faster when the load average was
    4 to 10; so none when the load average already reaches the number of cores.
    """
    if os.environ.get(ENV_JOBS, "").isdigit():
        return max(1, int(os.environ[ENV_JOBS]))
    try:
        count = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        count = os.cpu_count() or 1
    try:
        if os.getloadavg()[0] >= count:
            return 1
    except (AttributeError, OSError):
        pass
    return max(1, min(count, 8))


def parse_many(jobs: list[tuple[str, str, str]], parse: Callable[[str, str], Any],
               label: str = "parsing") -> dict[str, Any]:
    """Parse ``(entry key, path, text)`` jobs, in worker processes when cores are idle, with
    progress on a terminal; fewer than PARALLEL_MIN_FILES jobs return {} (parsed when used).

    Returns entry key -> the parsed value, or the cache entry's bytes when a worker parsed it
    (workers also write their entries to the cache). A job that raised is left out: the caller
    parses that file itself and reports the error as it always does.
    """
    count = workers()
    if len(jobs) < PARALLEL_MIN_FILES:
        return {}
    if count < 2:
        return _parse_here(jobs, parse, label)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor


    size = max(4, min(32, len(jobs) // (count * 4)))
    batches = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    method = "fork" if sys.platform.startswith("linux") else None  # fast; safe here
    context = multiprocessing.get_context(method)
    done: dict[str, bytes] = {}
    try:
        with ProcessPoolExecutor(count, mp_context=context) as pool, \
                Progress(len(jobs), label) as progress:
            for result in pool.map(_parse_batch, [(parse, b, enabled()) for b in batches]):
                done.update(result)
                progress.advance(len(result) or 1)
    except (OSError, RuntimeError, ImportError):  # no processes here: parse in this one
        return {}
    return done


def _parse_here(jobs: list[tuple[str, str, str]], parse: Callable[[str, str], Any],
                label: str) -> dict[str, Any]:

    done = {}
    with Progress(len(jobs), label) as progress:
        for entry_key, path, text in jobs:
            progress.advance()
            try:
                done[entry_key] = parse(text, path)
            except Exception:  # noqa: BLE001 - the caller parses it again and reports the error
                continue
            store(entry_key, done[entry_key])
    return done


def _parse_batch(task: tuple[Callable[[str, str], Any], list[tuple[str, str, str]], bool]
                 ) -> dict[str, bytes]:
    parse, batch, write_entries = task
    if not write_entries:
        disable()
    out = {}
    for entry_key, path, text in batch:
        try:
            data = to_bytes(entry_key, parse(text, path))
        except Exception:  # noqa: BLE001 - the caller parses it again and reports the error
            continue
        write(entry_key, data)
        out[entry_key] = data
    return out


def missing(keys: Iterable[str]) -> list[str]:
    """The keys that have no entry (every key when the cache is off)."""
    if not enabled() or secret() is None:
        return list(keys)
    return [k for k in keys if not _entry(k).is_file()]
