"""Message flows: automated SMS replies (envelope key ``message-flows``)."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..errors import InvalidArgumentError
from ..models import MessageFlow
from ..models.bodies import MessageFlowCreate, MessageFlowUpdate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/message-flows.json")
_GET = Endpoint("GET", "a/{aid}/message-flows/{message_flow_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/message-flows.json")
_UPDATE = Endpoint("PUT", "a/{aid}/message-flows/{message_flow_id}.json")
_DELETE = Endpoint("DELETE", "a/{aid}/message-flows/{message_flow_id}.json")


class MessageFlowsResource(Resource):
    """A company's message flows."""

    @endpoint(_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[MessageFlow]:
        """List message flows."""
        params = {"company_id": _validate.optional_resource_id("company_id", company_id, "COM")}
        return self._list(
            _LIST,
            MessageFlow,
            "message-flows",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(self, message_flow_id: IdLike) -> MessageFlow:
        """Get one flow with its steps."""
        flow = _validate.resource_id("message_flow_id", message_flow_id, "MFL")
        return await self._get(_GET, MessageFlow, message_flow_id=flow)

    @endpoint(_CREATE)
    async def create(
        self, *, company_id: IdLike, name: str, initial_step_id: str, steps: dict[str, Any]
    ) -> MessageFlow:
        """Create a flow (step ids you choose are replaced by ``MFS…`` ids)."""
        _validate.text("name", name, required=True)
        if initial_step_id not in steps:
            raise InvalidArgumentError("initial_step_id must name one of steps")
        body = MessageFlowCreate(
            company_id=_validate.body_id("company_id", company_id, "COM"),
            name=name,
            initial_step_id=initial_step_id,
            steps=steps,
        )
        return await self._write(_CREATE, MessageFlow, body)

    @endpoint(_UPDATE)
    async def update(
        self,
        message_flow_id: IdLike,
        *,
        name: str | UnsetType = UNSET,
        initial_step_id: str | UnsetType = UNSET,
        steps: dict[str, Any] | UnsetType = UNSET,
    ) -> MessageFlow:
        """Update a flow; only the arguments given are sent."""
        flow = _validate.resource_id("message_flow_id", message_flow_id, "MFL")
        body = MessageFlowUpdate(name=name, initial_step_id=initial_step_id, steps=steps)
        return await self._write(_UPDATE, MessageFlow, body, message_flow_id=flow)

    @endpoint(_DELETE)
    async def delete(self, message_flow_id: IdLike) -> None:
        """Delete a flow (CallRail refuses while a tracker uses it)."""
        flow = _validate.resource_id("message_flow_id", message_flow_id, "MFL")
        await self._delete(_DELETE, message_flow_id=flow)
