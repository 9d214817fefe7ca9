"""Integration triggers ("filters"): which calls an integration receives."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict, Unpack

from .. import _validate
from .._validate import IdLike
from ..models import IntegrationTrigger
from ..models.bodies import TriggerCreate, TriggerSettings
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/integration_triggers.json")
_GET = Endpoint("GET", "a/{aid}/integration_triggers/{trigger_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/integration_triggers.json")
_UPDATE = Endpoint("PUT", "a/{aid}/integration_triggers/{trigger_id}.json")
_DELETE = Endpoint("DELETE", "a/{aid}/integration_triggers/{trigger_id}.json")

CALL_TYPES = frozenset({"first_call", "vm", "missed_and_vm"})


class TriggerFields(TypedDict, total=False):
    """Trigger settings (only those given are sent)."""

    tracker_ids: Sequence[IdLike]
    call_type: str | None
    min_duration: int | None
    max_duration: int | None
    lead_status: str | int | None  # documented as an integer (example: 1)


def _checked(fields: TriggerFields) -> TriggerFields:
    _validate.choice("call_type", fields.get("call_type"), CALL_TYPES)
    if "tracker_ids" in fields:
        fields["tracker_ids"] = _validate.body_ids("tracker_ids", fields["tracker_ids"], "TRK")
    return fields


class IntegrationTriggersResource(Resource):
    """Integration triggers (envelope key ``integration_criteria``)."""

    company_scope = "required"

    @endpoint(_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[IntegrationTrigger]:
        """List a company's integration triggers (``company_id`` is required)."""
        company = _validate.optional_resource_id("company_id", company_id, "COM")
        return self._list(
            _LIST,
            IntegrationTrigger,
            "integration_criteria",
            {"company_id": company},
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(self, trigger_id: IdLike) -> IntegrationTrigger:
        """Get one trigger."""
        number = _validate.resource_id("trigger_id", trigger_id)
        return await self._get(_GET, IntegrationTrigger, trigger_id=number)

    @endpoint(_CREATE)
    async def create(
        self, *, company_id: IdLike, integration_id: IdLike, **fields: Unpack[TriggerFields]
    ) -> IntegrationTrigger:
        """Create the trigger of an integration (one per integration)."""
        body = TriggerCreate(
            company_id=_validate.body_id("company_id", company_id, "COM"),
            integration_id=_validate.numeric_id("integration_id", integration_id),
            **_checked(fields),
        )
        return await self._write(_CREATE, IntegrationTrigger, body)

    @endpoint(_UPDATE)
    async def update(
        self, trigger_id: IdLike, **fields: Unpack[TriggerFields]
    ) -> IntegrationTrigger:
        """Update a trigger; only the settings given are sent."""
        number = _validate.resource_id("trigger_id", trigger_id)
        body = TriggerSettings(**_checked(fields))
        return await self._write(_UPDATE, IntegrationTrigger, body, trigger_id=number)

    @endpoint(_DELETE)
    async def delete(self, trigger_id: IdLike) -> None:
        """Delete a trigger."""
        number = _validate.resource_id("trigger_id", trigger_id)
        await self._delete(_DELETE, trigger_id=number)
