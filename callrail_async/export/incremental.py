"""The ``--since-last`` state: where the last incremental export ended."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec


class IncrementalState(msgspec.Struct, kw_only=True):
    """The pinned end of the last run, and the ids it wrote inside the overlap window."""

    version: int = 1
    last_end: float
    overlap_ids: list[str] = msgspec.field(default_factory=list)


def load_state(path: Path) -> IncrementalState | None:
    """The saved state, or None before the first run."""
    if not path.exists():
        return None
    try:
        return msgspec.json.decode(path.read_bytes(), type=IncrementalState)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ValueError(f"{path} is not a valid --since-last state file: {exc}") from None


def save_state(path: Path, state: IncrementalState) -> None:
    """Write the state atomically."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(msgspec.json.encode(state))
    os.replace(tmp, path)
