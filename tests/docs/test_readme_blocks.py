"""Every Python block of the README runs against the sandbox and passes ``mypy --strict``."""

from __future__ import annotations

from pathlib import Path

import pytest

from ._blocks import Block, python_blocks
from .conftest import ROOT, run_python

BLOCKS = python_blocks(ROOT / "README.md")


def test_the_readme_has_python_blocks_and_each_says_how_it_runs() -> None:
    assert len(BLOCKS) >= 5
    assert all(b.reason for b in BLOCKS if b.kind == "skip")


def _write(block: Block, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    if block.kind == "pytest":
        written = []
        for name, text in block.files().items():
            path = folder / name
            path.write_text(text)
            written.append(path)
        return written
    path = folder / f"{block.name}.py"
    path.write_text(block.program())
    return [path]


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_block_runs_against_the_sandbox(
    block: Block, sandbox_env: dict[str, str], tmp_path: Path
) -> None:
    if block.kind == "skip":
        pytest.skip(block.reason)
    files = _write(block, tmp_path)
    if block.kind == "pytest":
        args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "asyncio_mode=strict"]
        args += ["--rootdir", str(tmp_path), "-c", "/dev/null", str(tmp_path)]
    else:
        args = [str(files[0])]
    done = run_python(args, sandbox_env, tmp_path)
    assert done.returncode == 0, f"README line {block.line}:\n{done.stdout}\n{done.stderr}"


def test_the_tour_runs_with_only_two_variables_exported(
    sandbox_env: dict[str, str], tmp_path: Path
) -> None:
    """The issue's promise: export CALLRAIL_BASE_URL and CALLRAIL_API_KEY, paste, run."""
    tour = next(b for b in BLOCKS if "async with CallRail() as client" in b.code)
    assert tour.kind == "script" and not tour.preamble  # pasted as shown
    path = tmp_path / "tour.py"
    path.write_text(tour.code)
    env = {k: sandbox_env[k] for k in ("CALLRAIL_BASE_URL", "CALLRAIL_API_KEY")}
    done = run_python([str(path)], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the tour printed nothing"


def test_every_block_type_checks_under_mypy_strict(tmp_path: Path) -> None:
    paths: list[str] = []
    for block in BLOCKS:
        if block.kind != "skip":
            paths += [str(p) for p in _write(block, tmp_path / block.name)]
    done = run_python(
        ["-m", "mypy", "--strict", "--no-incremental", "--cache-dir", "/dev/null", *paths],
        {"MYPYPATH": str(ROOT)},
        tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
