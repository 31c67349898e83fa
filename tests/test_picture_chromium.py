"""End to end: the HTML posture report with its architecture SVG, drawn by headless Chromium.

Skipped when no ``chromium`` is installed (``.ci/run`` installs it). Chromium runs with no
network, no sandbox (containers), a throw-away profile; the screenshot is decoded by the small
PNG reader below, no imaging library needed.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "picture"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]

# .ci/run installs chromium: in CI a missing browser is a failure, elsewhere a skip.
pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="chromium is not installed (apt-get install chromium)")


def read_png(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Width, height, unfiltered rows and bytes per pixel of an 8-bit RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        _unfilter(kind, row, previous, bpp)
        rows.append(bytes(row))
        previous = row
    return width, height, rows, bpp


def _unfilter(kind: int, row: bytearray, up: bytearray, bpp: int) -> None:
    if kind == 1:
        for i in range(bpp, len(row)):
            row[i] = (row[i] + row[i - bpp]) & 0xFF
    elif kind == 2:
        for i in range(len(row)):
            row[i] = (row[i] + up[i]) & 0xFF
    elif kind == 3:
        for i in range(len(row)):
            left = row[i - bpp] if i >= bpp else 0
            row[i] = (row[i] + ((left + up[i]) >> 1)) & 0xFF
    elif kind == 4:
        for i in range(len(row)):
            a = row[i - bpp] if i >= bpp else 0
            b, c = up[i], up[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
            row[i] = (row[i] + pred) & 0xFF


def pixels(rows: list[bytes], bpp: int, step: int = 2):
    for row in rows[::step]:
        for x in range(0, len(row), bpp * step):
            yield row[x:x + 3]


def _chromium(tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """The real HTML report of the multi-region fixture (it embeds the picture's SVG)."""
    folder = tmp_path_factory.mktemp("report")
    out = folder / "report.html"
    outcome = CliRunner().invoke(main, ["report", str(FIXTURE), "--format", "html",
                                        "--output", str(out)])
    assert outcome.exit_code == 0, outcome.output
    assert '<svg class="hadr-lint-picture"' in out.read_text()
    return out


def test_svg_is_in_the_dom(page, tmp_path):
    outcome = _chromium(tmp_path, page.as_uri(), "--dump-dom")
    dom = outcome.stdout
    assert "hadr-lint-picture" in dom and "</svg>" in dom
    for label in ("us-east-1", "eu-west-1", "us-east-1a", "eu-west-1 AZ 2", "region unknown"):
        assert f'aria-label="{label}"' in dom, label


def test_screenshot_shows_the_picture_without_console_errors(page, tmp_path):
    shot = tmp_path / "report.png"
    outcome = _chromium(tmp_path, page.as_uri(), f"--screenshot={shot}",
                        "--window-size=1280,2600", "--enable-logging=stderr", "--v=0")
    assert shot.exists(), outcome.stderr[-2000:]
    errors = [line for line in outcome.stderr.splitlines()
              if "Uncaught" in line or ("CONSOLE" in line and "rror" in line)]
    assert not errors, errors
    width, height, rows, bpp = read_png(shot.read_bytes())
    assert (width, height) == (1280, 2600)
    sampled = list(pixels(rows, bpp))
    non_white = sum(1 for p in sampled if p != b"\xff\xff\xff")
    assert non_white > len(sampled) * 0.03, "the page is almost blank"
    colours = set(sampled)
    assert len(colours) > 50
    # The picture itself: AZ box fill, an error node's border, a warning node's border.
    for hex_colour in ("eef2f6", "c62828", "e65100"):
        wanted = bytes.fromhex(hex_colour)
        assert any(_near(p, wanted) for p in colours), hex_colour


def _near(a: bytes, b: bytes, tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


# ----- the standalone SVG, drawn by Chromium -----------------------------------------------------
def _standalone_png(tmp_path: Path, folder: Path):
    """The standalone SVG of ``folder``'s picture as Chromium draws it on a magenta page (what
    the SVG leaves transparent shows magenta), and the layout geometry it was drawn from."""
    from hadr_lint.config import Config
    from hadr_lint.engine import ScanOptions, scan
    from hadr_lint.report import picture
    from hadr_lint.report.picture.drawing import geometry
    from hadr_lint.rulebase import all_rules

    result = scan(ScanOptions(paths=(folder,)), Config(), all_rules())
    found = picture.layout(result.graph, result.findings, result.config)
    geo = geometry(found)
    source = tmp_path / "picture.svg"
    source.write_text(picture.render_svg(found), encoding="utf-8")
    shot = tmp_path / "picture.png"
    size = f"--window-size={int(geo.width)},{int(geo.height)}"
    outcome = _chromium(tmp_path, source.as_uri(), f"--screenshot={shot}", size,
                        f"--default-background-color={PAGE.hex()}ff")
    assert shot.exists(), outcome.stderr[-2000:]
    return found, geo, read_png(shot.read_bytes())


PAGE = bytes.fromhex("ff00ff")


def _area(rows, bpp, box, step: int = 3):
    for y in range(int(box.y) + 2, int(box.y + box.h) - 2, step):
        row = rows[y]
        for x in range(int(box.x) + 2, int(box.x + box.w) - 2, step):
            yield row[x * bpp:(x + 1) * bpp]


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["picture", "picture/unknown-region"])
def test_standalone_svg_paints_every_region_and_its_legend(tmp_path, folder):
    """A root styled ``height:auto`` draws nothing in some renderers: on a magenta page, every
    region box of the standalone SVG is painted (no magenta, the region's border, its AZ
    boxes' fill), and the legend lies inside the canvas with its swatches drawn."""
    found, geo, (width, height, rows, bpp) = _standalone_png(tmp_path, FIXTURE.parent / folder)
    assert (width, height) == (int(geo.width), int(geo.height))
    for region in found.regions:
        box = geo.regions[region.id].box
        sampled = list(_area(rows, bpp, box))
        painted = sum(1 for p in sampled if not _near(p[:3], PAGE, 40))
        assert painted == len(sampled) > 100, (region.name, painted, len(sampled))
        border = [rows[y][x * bpp:x * bpp + 3]  # the left edge (dashed when unknown)
                  for y in range(int(box.y) + 10, int(box.y + box.h) - 10)
                  for x in range(int(box.x) - 2, int(box.x) + 3)]
        assert any(_near(p, bytes.fromhex("24292f"), 40) for p in border), region.name
        if region.azs:
            assert any(_near(p[:3], bytes.fromhex("eef2f6")) for p in sampled), region.name
    legend = geo.legend
    assert 0 <= legend.x and legend.x + legend.w <= width
    assert 0 <= legend.y and legend.y + legend.h <= height
    colours = {p[:3] for p in _area(rows, bpp, legend, step=1)}
    for hex_colour in ("c62828", "e65100", "1565c0"):  # the severity swatches' borders
        assert any(_near(p, bytes.fromhex(hex_colour), 30) for p in colours), hex_colour
