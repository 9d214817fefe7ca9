"""Call actions: outbound calls, recordings (and their download), page views."""

from __future__ import annotations

from pathlib import Path

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..models import Call, PageView, Recording
from ..models.bodies import OutboundCallCreate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_CREATE_OUTBOUND = Endpoint("POST", "a/{aid}/calls.json")
_RECORDING = Endpoint("GET", "a/{aid}/calls/{call_id}/recording.json")
_PAGE_VIEWS = Endpoint("GET", "a/{aid}/calls/{call_id}/page_views.json")


class CallActions(Resource):
    """Outbound calls, recordings and page views (part of ``client.calls``)."""

    @endpoint(_CREATE_OUTBOUND)
    async def create_outbound(
        self,
        *,
        caller_id: str,
        customer_phone_number: str,
        business_phone_number: str,
        recording_enabled: bool | UnsetType = UNSET,
        outbound_greeting_recording_url: str | UnsetType = UNSET,
        outbound_greeting_text: str | UnsetType = UNSET,
        agent_id: IdLike | UnsetType = UNSET,
    ) -> Call:
        """Place an outbound call: CallRail rings the business, then the customer.

        Rate-limited separately (class ``outbound_call``) and never retried once it may have
        reached CallRail, since a repeat would place a second call.
        """
        numbers = {
            "caller_id": caller_id,
            "customer_phone_number": customer_phone_number,
            "business_phone_number": business_phone_number,
        }
        for name, value in numbers.items():
            _validate.text(name, value, required=True)
        body = OutboundCallCreate(
            caller_id=caller_id,
            customer_phone_number=customer_phone_number,
            business_phone_number=business_phone_number,
            recording_enabled=recording_enabled,
            outbound_greeting_recording_url=outbound_greeting_recording_url,
            outbound_greeting_text=outbound_greeting_text,
            agent_id=_validate.maybe_body_id("agent_id", agent_id, "USR"),
        )
        return await self._write(_CREATE_OUTBOUND, Call, body, rate_class="outbound_call")

    @endpoint(_RECORDING)
    async def recording(self, call_id: IdLike) -> Recording:
        """Where the call's recording is (a URL that redirects to the MP3; on HIPAA
        accounts a short-lived one: ask again rather than store it)."""
        call = _validate.resource_id("call_id", call_id, "CAL")
        return await self._get(_RECORDING, Recording, call_id=call)

    async def download_recording(self, call_id: IdLike, destination: str | Path) -> int:
        """Stream the call's MP3 to ``destination``; returns the bytes written.

        The recording URL carries its own access key and lives on another host, so no
        credentials are sent when following it.
        """
        recording = await self.recording(call_id)
        return await self._transport.download(recording.url, Path(destination))

    @endpoint(_PAGE_VIEWS)
    def page_views(
        self, call_id: IdLike, *, per_page: int | None = None, max_items: int | None = None
    ) -> AsyncPaginator[PageView]:
        """Pages the caller viewed before calling (session trackers), newest first."""
        call = _validate.resource_id("call_id", call_id, "CAL")
        return self._list(
            _PAGE_VIEWS,
            PageView,
            "page_views",
            {},
            per_page=per_page,
            max_items=max_items,
            call_id=call,
        )
