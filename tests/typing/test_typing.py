"""The typed user programs in this folder pass ``mypy --strict`` and pyright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAMS = [
    str(Path(__file__).with_name(name)) for name in ("user_program.py", "sandbox_program.py")
]
ROOT = Path(__file__).parents[2]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed: the test extra should have installed it")
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def _check(command: list[str]) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_user_program_passes_mypy_strict() -> None:
    _check([_tool("mypy"), "--strict", "--no-incremental", *PROGRAMS])


def test_the_user_program_passes_pyright() -> None:
    _check([_tool("pyright"), "--pythonpath", sys.executable, *PROGRAMS])
