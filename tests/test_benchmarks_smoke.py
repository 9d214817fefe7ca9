"""Each benchmark runs at a tiny size, so the scripts do not rot (figures are not checked)."""

from __future__ import annotations

import json

import pytest

from benchmarks import _common, export, limiter, sandbox_serving


def test_sandbox_serving_runs_small(
    capsys: pytest.CaptureFixture[str], tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    sandbox_serving.main(["--calls", "3000", "--pages", "3", "--concurrency", "2"])
    out = capsys.readouterr().out
    assert "pages/s" in out and "offset, last pages" in out
    result = json.loads((tmp_path / "sandbox_serving.json").read_text())  # type: ignore[operator]
    assert result["calls_loaded"] == 3000 and result["offset_shallow_pages_per_s"] > 0


def test_limiter_runs_small(
    capsys: pytest.CaptureFixture[str], tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    limiter.main(["--acquires", "2000", "--tasks", "20", "--scale", "0.1", "--stores", "memory"])
    out = capsys.readouterr().out
    assert "µs/acquire" in out and "busiest day" in out
    result = json.loads((tmp_path / "limiter.json").read_text())  # type: ignore[operator]
    assert result["uncontended_us"] > 0 and len(result["jobs"]) == 9
    for job in result["jobs"]:
        assert (
            job["busiest_hour"] <= job["hourly_limit"] and job["busiest_day"] <= job["daily_limit"]
        )
        assert job["hours"] <= 1.1 * job["optimum_hours"] + 0.01


def test_export_runs_small(
    capsys: pytest.CaptureFixture[str], tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    export.main(["--calls", "3000", "--concurrency", "4"])
    out = capsys.readouterr().out
    assert "export / floor throughput" in out
    result = json.loads((tmp_path / "export.json").read_text())  # type: ignore[operator]
    assert [r["records"] for r in result["runs"]["export"]] == [3000]
    assert [r["records"] for r in result["runs"]["floor"]] == [3000]
    assert result["runs"]["export"][0]["verified"] is True


def test_decode_runs_small(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import decode

    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    result = decode.main(["--rounds", "1"])
    rates = result["default fields"]["calls_per_s"]
    assert rates["callrail_async models"] > 0 and rates["floor (plain 16-field struct)"] > 0


def test_compare_runs_small(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import compare

    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    result = compare.main(["--calls", "1500", "--rounds", "1", "--latency-calls", "600",
                           "--latency", "0.01", "--latency-rounds", "1"])  # fmt: skip
    for setting, contenders, calls in (("instant", compare.CPU_BOUND, 1500),
                                       ("latency", compare.LATENCY_BOUND, 600)):  # fmt: skip
        for name in contenders:
            figures = result[setting][name]
            assert figures["records"] == calls and figures["cpu"] > 0, (setting, name, figures)


def test_small_requests_runs_small(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import small_requests

    monkeypatch.setattr(_common, "RESULTS", tmp_path)
    result = small_requests.main(["--requests", "200", "--tasks", "20", "--rounds", "1"])
    assert result["summary"]["callrail_async"]["requests_per_s"] > 0
