"""Account models."""

from ._types import Id, Model, Timestamp


class Account(Model):
    """A CallRail account (``ACC…``)."""

    id: Id
    name: str | None = None
    outbound_recording_enabled: bool | None = None
    inbound_recording_enabled: bool | None = None
    hipaa_account: bool | None = None
    numeric_id: int | None = None
    created_at: Timestamp | None = None
