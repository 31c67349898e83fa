"""The HTML posture report fits the page: wide tables scroll in their own wrapper on screen,
long addresses wrap, and a print stylesheet lays it out for paper."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hadr_lint.cli import main
from hadr_lint.report.posture.html import CSS

LONG = "orders_" + "primary_database_of_the_checkout_service_" * 4 + "eu"
ADDRESS = f"module.platform.module.checkout.aws_db_instance.{LONG}"


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """The real HTML report of a project whose one store has a 200-character address."""
    folder = tmp_path_factory.mktemp("long")
    (folder / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n\n'
        f'resource "aws_db_instance" "{LONG}" {{\n  engine = "postgres"\n'
        '  instance_class = "db.t3.micro"\n  allocated_storage = 20\n}\n', encoding="utf-8")
    out = folder / "report.html"
    outcome = CliRunner().invoke(main, ["report", str(folder), "--format", "html",
                                        "--strategy", "backup-restore", "--output", str(out)])
    assert outcome.exit_code in (0, 1), outcome.output
    assert LONG in out.read_text(encoding="utf-8")
    return out


def _print_rules() -> str:
    block = re.search(r"@media print\{(.*)\}\s*$", CSS, re.S)
    assert block, "no print stylesheet"
    return block.group(1)


def test_print_stylesheet():
    rules = _print_rules()
    assert "position:static" in rules  # nothing sticky or fixed on paper
    assert re.search(r"\.table-wrap[^{]*\{overflow:visible", rules)  # no scrolling box
    assert re.search(r"tr[^{]*\{break-inside:avoid", rules)  # rows are not split
    assert "details::details-content{content-visibility:visible" in rules  # details open
    assert "max-width:none" in rules


def test_every_table_scrolls_in_its_wrapper_and_addresses_wrap(page):
    html = page.read_text(encoding="utf-8")
    tables = html.count("<table>")
    assert tables >= 2
    assert html.count('<div class="table-wrap"><table>') == tables
    assert html.count("</table></div>") == tables
    assert ".table-wrap{overflow-x:auto" in CSS
    assert re.search(r"td code[^{]*\{overflow-wrap:anywhere", CSS)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
MEASURE = """<script>
addEventListener("load", () => {
  const root = document.documentElement, wraps = [...document.querySelectorAll(".table-wrap")];
  const cells = [...document.querySelectorAll("td code")].filter(c => c.textContent.length > 150);
  document.body.dataset.layout = JSON.stringify({
    page: [root.scrollWidth, root.clientWidth],
    wraps: wraps.map(w => [w.scrollWidth, w.clientWidth]),
    lines: cells.map(c => Math.round(c.getBoundingClientRect().height)),
    line: cells.length ? parseFloat(getComputedStyle(cells[0]).lineHeight) || 18 : 0,
  });
});
</script>"""


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_long_address_wraps_in_a_narrow_window(page, tmp_path):
    """Chromium lays the report out 700 px wide: the page does not scroll sideways, no table
    wrapper needs to, and the cells holding the 200-character address span several lines."""
    from tests.test_picture_chromium import _chromium

    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"),
                     encoding="utf-8")
    outcome = _chromium(tmp_path, probe.as_uri(), "--dump-dom", "--window-size=700,1200",
                        "--virtual-time-budget=3000")
    found = re.search(r'data-layout="([^"]*)"', outcome.stdout)
    assert found, outcome.stderr[-2000:]
    layout = json.loads(found.group(1).replace("&quot;", '"'))
    scroll, client = layout["page"]
    assert scroll <= client, layout
    assert layout["wraps"] and all(s <= c for s, c in layout["wraps"]), layout
    assert layout["lines"] and all(h >= 2 * 14 for h in layout["lines"]), layout
