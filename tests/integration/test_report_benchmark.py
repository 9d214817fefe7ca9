"""The report benchmark runs at a tiny size, so the script does not rot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import _common


def test_report_benchmark_runs_small(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("duckdb")
    from benchmarks import report

    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    report.main(["--calls", "3000", "--rounds", "1"])
    out = capsys.readouterr().out
    assert "report total" in out and "target < 5" in out and "target < 2" in out
    result = json.loads((tmp_path / "report.json").read_text())
    assert result["calls"] == 3000 and result["runs"][0]["html_bytes"] > 10_000
