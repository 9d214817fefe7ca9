"""Company models."""

from ._types import Id, Model, Timestamp


class VerifiedCallerId(Model):
    """A verified caller id of a company (``fields=verified_caller_ids``)."""

    name: str | None = None
    phone_number: str | None = None


class Company(Model):
    """A company (``COM…``): a business whose calls an account tracks."""

    id: Id
    name: str | None = None
    status: str | None = None
    time_zone: str | None = None
    created_at: Timestamp | None = None
    disabled_at: Timestamp | None = None
    dni_active: bool | None = None
    script_url: str | None = None
    callscore_enabled: bool | None = None
    lead_scoring_enabled: bool | None = None
    swap_exclude_jquery: bool | None = None
    swap_ppc_override: bool | None = None
    swap_landing_override: str | None = None
    swap_cookie_duration: int | None = None
    swap_cookie_duration_unit: str | None = None
    callscribe_enabled: bool | None = None
    keyword_spotting_enabled: bool | None = None
    form_capture: bool | None = None
    verified_caller_ids: list[VerifiedCallerId] | None = None


class BulkUpdateResult(Model):
    """``POST companies/bulk_update.json``: how many companies changed."""

    updated_records: int
