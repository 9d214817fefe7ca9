"""Integration models."""

from typing import Any

from ._types import Id, Model


class Integration(Model):
    """An integration (``Webhooks``, ``Custom``, ...). ``signing_key`` only when selected."""

    id: Id
    type: str | None = None
    state: str | None = None
    config: dict[str, Any] | None = None
    signing_key: str | None = None
