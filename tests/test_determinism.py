"""The same inputs give byte-identical reports: across runs, hash seeds, and with or without the
parse cache. Each run is a separate interpreter (PYTHONHASHSEED only applies at start-up)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("json", "sarif", "text")


def _start(fmt: str, seed: str, cache_home: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONHASHSEED=seed, XDG_CACHE_HOME=str(cache_home))
    env.pop("HADR_LINT_NO_CACHE", None)
    command = [sys.executable, "-m", "hadr_lint", "scan", "fixtures", "--format", fmt,
               "--today", "2025-01-01", *extra]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen) -> bytes:
    out, err = process.communicate(timeout=300)
    assert process.returncode in (0, 1, 2), err.decode()[-2000:]
    assert b"Traceback" not in err, err.decode()[-2000:]
    return out


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_are_identical_across_hash_seeds(tmp_path, fmt):
    runs = [_start(fmt, seed, tmp_path / f"cache-{seed}", "--no-cache")
            for seed in ("0", "1", "random")]
    outputs = [_finish(p) for p in runs]
    assert outputs[0], "empty report"
    assert outputs[0] == outputs[1] == outputs[2]


def test_reports_are_identical_with_a_cold_cache_a_warm_cache_and_no_cache(tmp_path):
    cache = tmp_path / "cache"
    cold = _finish(_start("json", "random", cache))
    assert any(cache.rglob("*")), "the cache was not written"
    warm = _finish(_start("json", "random", cache))
    none = _finish(_start("json", "random", tmp_path / "unused", "--no-cache"))
    assert not list((tmp_path / "unused").rglob("parse-v*"))  # only the compiled grammar
    assert cold == warm == none
