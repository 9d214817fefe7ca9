"""``python -m benchmarks.sync`` runs at a tiny size, so the script does not rot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("dlt", reason="the sync benchmark needs the dlt extra")


def test_sync_benchmark_runs_small(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks import _common
    from benchmarks import sync as bench

    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    bench.main(["--calls", "2000"])
    assert "sync / export throughput" in capsys.readouterr().out
    result = json.loads((tmp_path / "sync.json").read_text())
    assert [r["records"] for r in result["runs"]["sync"]] == [2000]
    assert [r["records"] for r in result["runs"]["export"]] == [2000]
