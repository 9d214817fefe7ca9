"""What a webhook receiver refuses, each with the HTTP status to answer."""

from __future__ import annotations

from ..errors import CallRailError


class WebhookError(CallRailError):
    """A webhook to refuse; ``status`` is the HTTP status to answer it with.

    This class itself means a body that is not the event it claims to be (400).
    """

    status = 400


class InvalidSignatureError(WebhookError):
    """The ``Signature`` header is missing or is not CallRail's for this body (401)."""

    status = 401


class StaleWebhookError(WebhookError):
    """An event whose own delivery time is further from now than the tolerance (401)."""

    status = 401
