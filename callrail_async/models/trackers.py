"""Tracker models."""

from typing import Any

from ._types import Id, Model, Timestamp


class TrackerCompany(Model):
    """The company a tracker belongs to."""

    id: Id
    name: str | None = None


class CallFlow(Model):
    """A tracker's call flow: ``basic`` (editable) or ``advanced`` (read-only via the API)."""

    type: str | None = None
    recording_enabled: bool | None = None
    destination_number: str | None = None
    greeting_text: str | None = None
    greeting_recording_url: str | None = None
    initial_step_id: str | None = None
    steps: list[dict[str, Any]] | None = None
    uuid: str | None = None


class TrackerSource(Model):
    """Which visitors or campaigns a tracker's numbers are shown to."""

    type: str | None = None
    search_engine: str | None = None
    search_type: str | None = None
    landing: Any = None
    referrer: Any = None
    google: list[str] | None = None
    bing: list[str] | None = None
    yahoo: list[str] | None = None
    inverted: bool | None = None


class Tracker(Model):
    """A tracker (``TRK…``): a source tracker or a session (DNI pool) tracker."""

    id: Id
    name: str | None = None
    type: str | None = None
    status: str | None = None
    destination_number: str | None = None
    tracking_numbers: list[str] | None = None
    whisper_message: str | None = None
    sms_enabled: bool | None = None
    sms_supported: bool | None = None
    company: TrackerCompany | None = None
    call_flow: CallFlow | None = None
    source: TrackerSource | None = None
    created_at: Timestamp | None = None
    disabled_at: Timestamp | None = None
    campaign_name: str | None = None
    swap_targets: list[str] | None = None
    message_flow: list[dict[str, Any]] | None = None
