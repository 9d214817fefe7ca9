"""Message flows: automated SMS replies (envelope key ``message-flows``)."""

from __future__ import annotations

from typing import Any

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..models import MessageFlow
from ..models.bodies import MessageFlowCreate, MessageFlowUpdate
from ..pagination import AsyncPaginator
from ._base import Resource, endpoint


class MessageFlowsResource(Resource):
    """A company's message flows."""

    @endpoint("GET", "a/{aid}/message-flows.json")
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
            "message-flows.json", MessageFlow, "message-flows", params,
            per_page=per_page, max_items=max_items, concurrency=concurrency,
        )  # fmt: skip

    @endpoint("GET", "a/{aid}/message-flows/{message_flow_id}.json")
    async def get(self, message_flow_id: IdLike) -> MessageFlow:
        """Get one flow with its steps."""
        flow = _validate.resource_id("message_flow_id", message_flow_id, "MFL")
        return await self._get(f"message-flows/{flow}.json", MessageFlow)

    @endpoint("POST", "a/{aid}/message-flows.json")
    async def create(
        self, *, company_id: IdLike, name: str, initial_step_id: str, steps: dict[str, Any]
    ) -> MessageFlow:
        """Create a flow (step ids you choose are replaced by ``MFS…`` ids)."""
        _validate.text("name", name, required=True)
        if initial_step_id not in steps:
            raise ValueError("initial_step_id must name one of steps")
        body = MessageFlowCreate(
            company_id=_validate.body_id("company_id", company_id, "COM"),
            name=name, initial_step_id=initial_step_id, steps=steps,
        )  # fmt: skip
        return await self._write("POST", "message-flows.json", MessageFlow, body)

    @endpoint("PUT", "a/{aid}/message-flows/{message_flow_id}.json")
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
        return await self._write("PUT", f"message-flows/{flow}.json", MessageFlow, body)

    @endpoint("DELETE", "a/{aid}/message-flows/{message_flow_id}.json")
    async def delete(self, message_flow_id: IdLike) -> None:
        """Delete a flow (CallRail refuses while a tracker uses it)."""
        flow = _validate.resource_id("message_flow_id", message_flow_id, "MFL")
        await self._delete(f"message-flows/{flow}.json")
