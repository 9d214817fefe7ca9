"""The export's own exception."""

from __future__ import annotations

from ..errors import CallRailError


class ExportError(CallRailError):
    """An export could not start or finish; the message is one line for the user."""
