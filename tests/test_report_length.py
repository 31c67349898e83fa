"""The Markdown posture report fits a pull-request comment (GitHub: 65,536 characters)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from hadr_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _many_stores(folder: Path, count: int) -> Path:
    blocks = ['provider "aws" {\n  region = "us-east-1"\n}\n']
    for i in range(count):
        blocks.append(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "acme-data-{i}"\n}}\n')
        blocks.append(f'resource "aws_db_instance" "d{i}" {{\n  engine = "postgres"\n'
                      "  backup_retention_period = 0\n}\n")
    (folder / "main.tf").write_text("".join(blocks), encoding="utf-8")
    (folder / ".hadr-lint.yaml").write_text(
        "objectives: {strategy: warm-standby, rpo: 1m, rto: 5m}\n", encoding="utf-8")
    return folder


def report(*args: str) -> str:
    result = CliRunner().invoke(main, ["report", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_report_that_fits_is_unchanged() -> None:
    path = str(ROOT / "fixtures" / "objectives" / "multi-region")
    full = report(path, "--max-length", "0")
    assert report(path) == full
    assert "left out" not in full and "more findings" not in full


def test_a_large_report_is_cut_to_fit_keeping_the_headline(tmp_path: Path) -> None:
    path = str(_many_stores(tmp_path, 60))
    full = report(path, "--max-length", "0")
    short = report(path, "--max-length", "8000")
    assert len(full) > 8000 >= len(short)
    assert "| RPO | 1m |" in short and "| RTO | 5m |" in short  # the headline stays
    assert "Evidence left out to fit a comment" in short
    assert "more findings" in short and "Findings per rule: " in short
    rows = [line for line in short.split("## Findings")[1].splitlines()
            if line.startswith("| error") or line.startswith("| warning")
            or line.startswith("| note")]
    severities = [row.split("|")[1].strip() for row in rows]
    assert severities == sorted(severities, key=["error", "warning", "note"].index)  # errors first


def test_the_default_limit_is_github_s(tmp_path: Path) -> None:
    short = report(str(_many_stores(tmp_path, 400)))
    assert 20_000 < len(short) <= 65_000
