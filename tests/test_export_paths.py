"""The export's work files have the names the README documents, next to the output."""

from __future__ import annotations

from pathlib import Path

from callrail_async.export.checkpoint import checkpoint_path, partial_path, parts_dir
from callrail_async.export.lock import lock_path


def test_work_files_sit_next_to_the_output_under_the_documented_names() -> None:
    out = Path("exports") / "calls.csv"
    assert checkpoint_path(out) == Path("exports/calls.csv.checkpoint.json")
    assert lock_path(out) == Path("exports/calls.csv.lock")
    assert partial_path(out) == Path("exports/calls.csv.jsonl.partial")
    assert parts_dir(out) == Path("exports/calls.csv.parts")
