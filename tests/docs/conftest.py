"""A sandbox started the way a reader starts it (``callrail-async sandbox``), and its banner."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def sandbox_env() -> Iterator[dict[str, str]]:
    """The variables of the banner's first ``export`` line, for a sandbox in a subprocess."""
    process = subprocess.Popen(
        [sys.executable, "-m", "callrail_async.cli", "sandbox", "--port", "0", "--calls", "600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.strip().startswith("export CALLRAIL_BASE_URL="):
                break
        else:
            pytest.fail("the sandbox printed no export line")
        exports = line.split("#")[0].split()[1:]
        yield dict(item.split("=", 1) for item in exports)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def run_python(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with only the given variables added (no credentials inherited)."""
    clean = {k: v for k, v in os.environ.items() if not re.match(r"(CALLRAIL|MATON)_", k)}
    return subprocess.run(
        [sys.executable, *args],
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
