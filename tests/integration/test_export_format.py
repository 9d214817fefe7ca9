"""The export's format, from the Python API: named, or taken from the output's extension."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from callrail_async import ManualClock
from callrail_async.export import ExportError, ExportOptions, export, format_for
from callrail_async.testing import Sandbox


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("calls.jsonl", "jsonl"),
        ("calls.csv", "csv"),
        ("calls.parquet", "parquet"),
        ("CALLS.CSV", "csv"),
        ("calls.JsonL", "jsonl"),
        ("calls.2026.Parquet", "parquet"),
    ],
)
def test_the_format_comes_from_the_extension_in_any_case(
    tmp_path: Path, name: str, expected: str
) -> None:
    options = ExportOptions(out=tmp_path / name)
    assert options.format == expected
    options.validate()


def test_stdout_is_jsonl() -> None:
    assert ExportOptions().format == "jsonl"
    assert format_for(None) == "jsonl"


@pytest.mark.parametrize("name", ["calls.txt", "calls.json", "calls", "calls.csv.gz"])
def test_an_extension_that_names_no_format_is_refused_without_a_format(
    tmp_path: Path, name: str
) -> None:
    options = ExportOptions(out=tmp_path / name)
    assert options.format is None
    with pytest.raises(ExportError, match="cannot tell the format") as info:
        options.validate()
    message = str(info.value)
    assert "--format" in message and ".csv" in message
    assert ("no extension" in message) if name == "calls" else (Path(name).suffix in message)


def test_an_unknown_format_is_refused_even_for_a_known_extension(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown format 'xml'"):
        ExportOptions(out=tmp_path / "calls.csv", format="xml").validate()  # type: ignore[arg-type]


def test_a_named_format_wins_over_the_extension(tmp_path: Path) -> None:
    assert ExportOptions(out=tmp_path / "calls.csv", format="jsonl").format == "jsonl"
    assert ExportOptions(out=tmp_path / "calls.txt", format="csv").format == "csv"
    assert format_for(tmp_path / "calls.jsonl", "parquet") == "parquet"


async def test_the_file_holds_the_format_chosen(tmp_path: Path) -> None:
    """Against the sandbox: upper-case extension, a named format on an unknown extension, a
    named format against the extension; and an unknown extension refused before any
    request, with nothing written."""
    async with Sandbox(calls=40, span_days=10) as sandbox:
        async with sandbox.client(clock=ManualClock()) as client:
            upper = tmp_path / "CALLS.CSV"
            await export(client, ExportOptions(out=upper))
            named = tmp_path / "calls.txt"
            await export(client, ExportOptions(out=named, format="csv"))
            against = tmp_path / "calls.csv"
            report = await export(client, ExportOptions(out=against, format="jsonl"))
            sent = sandbox.stats.total
            with pytest.raises(ExportError, match="cannot tell the format"):
                await export(client, ExportOptions(out=tmp_path / "calls.dat"))
            assert sandbox.stats.total == sent
    for path in (upper, named):
        rows = list(csv.DictReader(path.read_text().splitlines()))
        assert len(rows) == 40 and all(row["id"].startswith("CAL") for row in rows)
    assert report.format == "jsonl"
    assert [json.loads(line)["id"][:3] for line in against.read_text().splitlines()] == ["CAL"] * 40
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CALLS.CSV", "calls.csv", "calls.txt"]
