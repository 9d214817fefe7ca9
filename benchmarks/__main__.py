"""Run every benchmark and print one summary table: ``python -m benchmarks [--quick]``."""

from __future__ import annotations

import argparse
import platform
from typing import Any

from . import compare, decode, export, limiter, sandbox_serving, small_requests
from ._common import machine, save, table


def main() -> None:
    """Run all benchmarks (``--quick``: small sizes, for a smoke run)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    quick = parser.parse_args().quick
    rows: list[list[object]] = []

    def ratio(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.2f}x"

    cmp_args = (
        ["--calls", "5000", "--rounds", "1", "--latency-calls", "2000", "--latency-rounds", "1"]
        if quick
        else []
    )
    cmp = compare.main(cmp_args)

    def seconds(setting: str, name: str) -> float | None:
        figures: dict[str, Any] = cmp.get(setting, {}).get(name, {})
        return figures.get("seconds")

    def vs(setting: str, a: str, b: str) -> float | None:
        x, y = seconds(setting, a), seconds(setting, b)
        return None if x is None or y is None else y / x

    checks = [
        ("instant", "sdk typed (offset)", "floor", ">= 0.85x"),
        ("instant", "sdk typed (default)", "floor", ""),
        ("instant", "export", "floor (raw)", ""),
        ("latency", "sdk typed (default)", "floor", ">= 0.77x (within 1.3x)"),
    ]
    for setting, ours, theirs, target in checks:
        label = f"calls ({setting}): {ours} / {theirs} (rate)"
        rows.append([label, ratio(vs(setting, ours, theirs)), target])
    dec = decode.main(["--rounds", "3" if quick else "7"])
    rows.append(["decode: models / pydantic v2 (default fields)",
                 ratio(dec["default fields"]["vs_pydantic"]), ">= 5x"])  # fmt: skip
    rows.append(["decode: models / plain-struct floor", ratio(dec["default fields"]["vs_floor"]),
                 ""])  # fmt: skip
    small = small_requests.main(["--requests", "300", "--rounds", "1"] if quick else [])
    rows.append(["calls.get: client CPU µs added per request", f"{small['overhead_us']:.1f}",
                 "< 30"])  # fmt: skip
    lim = limiter.main(["--acquires", "5000", "--tasks", "50"] if quick else [])
    worst = min(u["first_day_share"] for u in lim["utilization"])
    rows.append(["limiter: daily budget used (worst class)", f"{worst:.2%}", ">= 99%"])
    rows.append(["limiter: µs per uncontended acquire", f"{lim['uncontended_us']:.2f}", "< 5"])
    exp = export.main(["--calls", "20000"] if quick else [])
    rss = max(r["peak_rss_mb"] for r in exp["runs"]["export"])
    rows.append([f"export of {exp['calls']:,} calls: peak RSS MB", f"{rss:.0f}", "< 150"])
    rows.append(
        ["export / floor throughput (same pages)", ratio(exp["throughput_ratio"]), ">= 0.80x"]
    )
    srv = sandbox_serving.main(["--calls", "20000", "--pages", "20"] if quick else [])
    rows.append(["sandbox pages/s (per_page 250)", f"{srv['offset_deep_pages_per_s']:.0f}", ""])
    print(f"\nsummary ({platform.python_implementation()} {machine()['python']}, "
          f"{machine()['cpus']} cores)")  # fmt: skip
    print(table(["measure", "figure", "target"], rows))
    save("summary", {"rows": rows})


if __name__ == "__main__":
    main()
