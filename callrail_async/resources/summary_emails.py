"""Summary emails: scheduled call reports by email."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..models import SummaryEmail
from ..models.bodies import SummaryEmailCreate, SummaryEmailUpdate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/summary_emails.json")
_GET = Endpoint("GET", "a/{aid}/summary_emails/{summary_email_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/summary_emails.json")
_UPDATE = Endpoint("PUT", "a/{aid}/summary_emails/{summary_email_id}.json")
_DELETE = Endpoint("DELETE", "a/{aid}/summary_emails/{summary_email_id}.json")

Frequency = Literal["daily", "weekly", "monthly"]
FREQUENCIES = frozenset({"daily", "weekly", "monthly"})


def _frequency(values: Sequence[str] | UnsetType) -> list[str] | UnsetType:
    if isinstance(values, UnsetType):
        return UNSET
    return _validate.choices("frequency", values, FREQUENCIES) or []


class SummaryEmailsResource(Resource):
    """Summary email subscriptions (``CSS…``)."""

    @endpoint(_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        user_id: IdLike | None = None,
        email: str | None = None,
        frequency: Frequency | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[SummaryEmail]:
        """List subscriptions (non-admin keys see only their own)."""
        params = {
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "user_id": _validate.optional_resource_id("user_id", user_id, "USR"),
            "email": _validate.text("email", email),
            "frequency": _validate.choice("frequency", frequency, FREQUENCIES),
        }
        return self._list(
            _LIST,
            SummaryEmail,
            "summary_emails",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(self, summary_email_id: IdLike) -> SummaryEmail:
        """Get one subscription."""
        sub = _validate.resource_id("summary_email_id", summary_email_id, "CSS")
        return await self._get(_GET, SummaryEmail, summary_email_id=sub)

    @endpoint(_CREATE)
    async def create(
        self,
        *,
        frequency: Sequence[Frequency],
        config: dict[str, bool],
        company_id: IdLike | UnsetType = UNSET,
        user_id: IdLike | UnsetType = UNSET,
        email: str | UnsetType = UNSET,
        filters: dict[str, Any] | UnsetType = UNSET,
    ) -> SummaryEmail:
        """Subscribe a user (or an email address) to summary emails."""
        if isinstance(email, str):
            _validate.text("email", email, required=True)
        body = SummaryEmailCreate(
            frequency=_frequency(frequency),
            config=config,
            filters=filters,
            email=email,
            company_id=_validate.maybe_body_id("company_id", company_id, "COM"),
            user_id=_validate.maybe_body_id("user_id", user_id, "USR"),
        )
        return await self._write(_CREATE, SummaryEmail, body)

    @endpoint(_UPDATE)
    async def update(
        self,
        summary_email_id: IdLike,
        *,
        frequency: Sequence[Frequency] | UnsetType = UNSET,
        config: dict[str, bool] | UnsetType = UNSET,
        filters: dict[str, Any] | UnsetType = UNSET,
    ) -> SummaryEmail:
        """Update a subscription; only the arguments given are sent."""
        sub = _validate.resource_id("summary_email_id", summary_email_id, "CSS")
        body = SummaryEmailUpdate(frequency=_frequency(frequency), config=config, filters=filters)
        return await self._write(_UPDATE, SummaryEmail, body, summary_email_id=sub)

    @endpoint(_DELETE)
    async def delete(self, summary_email_id: IdLike) -> None:
        """Delete a subscription."""
        sub = _validate.resource_id("summary_email_id", summary_email_id, "CSS")
        await self._delete(_DELETE, summary_email_id=sub)
