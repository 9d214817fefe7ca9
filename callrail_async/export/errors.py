"""The export's own exception, and which exception a failed export raises."""

from __future__ import annotations

from pathlib import Path

from ..errors import CallRailError


class ExportError(CallRailError):
    """An export could not start or finish; the message is one line for the user."""


def one_error(group: BaseExceptionGroup[BaseException], out: Path | None) -> BaseException:
    """The exception to raise for a task group's failures: the SDK's own error first."""
    leaves: list[BaseException] = []

    def flatten(error: BaseException) -> None:
        if isinstance(error, BaseExceptionGroup):
            for inner in error.exceptions:
                flatten(inner)
        else:
            leaves.append(error)

    flatten(group)
    for leaf in leaves:
        if isinstance(leaf, CallRailError):
            return leaf
    for leaf in leaves:
        if isinstance(leaf, OSError):
            error = export_error(leaf, out)
            error.__cause__ = leaf
            return error
    return leaves[0]


def export_error(exc: OSError, out: Path | None) -> ExportError:
    """A file (or stdout) that could not be written, as one line."""
    where = exc.filename or (out if out is not None else "standard output")
    return ExportError(f"could not write {where}: {exc.strerror or exc}")
