"""Integrations: list (per company), get, create, update, disable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..models import Integration
from ..models.bodies import IntegrationCreate, IntegrationUpdate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/integrations.json")
_GET = Endpoint("GET", "a/{aid}/integrations/{integration_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/integrations.json")
_UPDATE = Endpoint("PUT", "a/{aid}/integrations/{integration_id}.json")
_DISABLE = Endpoint("DELETE", "a/{aid}/integrations/{integration_id}.json")

IntegrationField = Literal["signing_key"]
IntegrationType = Literal["Webhooks", "Custom"]
IntegrationState = Literal["active", "disabled"]


class IntegrationsResource(Resource):
    """A company's integrations (webhooks, cookie capture, ...)."""

    company_scope = "required"

    @endpoint(_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        fields: Iterable[IntegrationField | str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Integration]:
        """List a company's integrations (``company_id`` is required)."""
        params = {
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "fields": _validate.field_list(fields),
        }
        return self._list(
            _LIST,
            Integration,
            "integrations",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(
        self, integration_id: IdLike, *, fields: Iterable[IntegrationField | str] | None = None
    ) -> Integration:
        """Get one integration (``fields=["signing_key"]`` for a webhook's key)."""
        number = _validate.resource_id("integration_id", integration_id)
        params = {"fields": _validate.field_list(fields)}
        return await self._get(_GET, Integration, params, integration_id=number)

    @endpoint(_CREATE)
    async def create(
        self, *, company_id: IdLike, type: IntegrationType, config: dict[str, Any]
    ) -> Integration:
        """Create a ``Webhooks`` or ``Custom`` integration (returns its ``signing_key``)."""
        _validate.choice("type", type, {"Webhooks", "Custom"})
        company = _validate.body_id("company_id", company_id, "COM")
        body = IntegrationCreate(company_id=company, type=type, config=config)
        return await self._write(_CREATE, Integration, body)

    @endpoint(_UPDATE)
    async def update(
        self,
        integration_id: IdLike,
        *,
        state: IntegrationState | UnsetType = UNSET,
        config: dict[str, Any] | UnsetType = UNSET,
    ) -> Integration:
        """Update an integration's state or config."""
        number = _validate.resource_id("integration_id", integration_id)
        if isinstance(state, str):
            _validate.choice("state", state, {"active", "disabled"})
        body = IntegrationUpdate(state=state, config=config)
        return await self._write(_UPDATE, Integration, body, integration_id=number)

    @endpoint(_DISABLE)
    async def disable(self, integration_id: IdLike) -> None:
        """Disable an integration."""
        number = _validate.resource_id("integration_id", integration_id)
        await self._delete(_DISABLE, integration_id=number)
