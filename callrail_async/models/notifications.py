"""Notification models."""

from ._types import Id, Model


class Notification(Model):
    """A call/SMS alert configured for a user or an email address."""

    id: Id
    user_id: Id | None = None
    email: str | None = None
    alert_type: str | None = None
    call_enabled: bool | None = None
    sms_enabled: bool | None = None
    company_id: Id | None = None
    tracker_id: Id | None = None
    name: str | None = None
    send_desktop: bool | None = None
    send_email: bool | None = None
    send_push: bool | None = None
    company_name: str | None = None
    tracker_name: str | None = None
    agent_id: Id | None = None
    agent_name: str | None = None
