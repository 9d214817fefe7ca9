"""Text messages (conversations) and SMS threads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..enums import DateRange, LeadStatusUpdate
from ..errors import InvalidArgumentError
from ..models import Conversation, SmsThread
from ..models.bodies import SendText, SmsThreadUpdate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint
from .call_metrics import date_params, tag_names

_TEXT_LIST = Endpoint("GET", "a/{aid}/text-messages.json")
_TEXT_GET = Endpoint("GET", "a/{aid}/text-messages/{conversation_id}.json")
_TEXT_SEND = Endpoint("POST", "a/{aid}/text-messages.json")
_TEXT_DOWNLOAD_MEDIA = Endpoint("GET", "a/{aid}/text-messages/{message_resource_id}/media/{index}")
_THREAD_LIST = Endpoint("GET", "a/{aid}/sms-threads.json")
_THREAD_GET = Endpoint("GET", "a/{aid}/sms-threads/{thread_id}.json")
_THREAD_UPDATE = Endpoint("PUT", "a/{aid}/sms-threads/{thread_id}.json")

ConversationField = Literal["lead_status", "source"]
ThreadField = Literal[
    "last_message_at",
    "formatted_customer_phone_number",
    "formatted_initial_tracking_number",
    "formatted_current_tracking_number",
    "formatted_customer_name",
]


class TextMessagesResource(Resource):
    """Text-message conversations; sending is rate-limited separately (class ``sms``)."""

    @endpoint(_TEXT_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        date_range: DateRange | None = None,
        start_date: _validate.DateLike | None = None,
        end_date: _validate.DateLike | None = None,
        search: str | None = None,
        fields: Iterable[ConversationField | str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Conversation]:
        """List conversations, most recent message first."""
        params = {
            **date_params(date_range, start_date, end_date, None),
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "search": _validate.text("search", search),
            "fields": _validate.field_list(fields),
        }
        return self._list(
            _TEXT_LIST,
            Conversation,
            "conversations",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_TEXT_GET)
    async def get(
        self,
        conversation_id: IdLike,
        *,
        fields: Iterable[ConversationField | str] | None = None,
        page: int = 1,
        per_page: int = 100,
    ) -> Conversation:
        """A conversation with one page of its messages (newest first)."""
        conversation = _validate.resource_id("conversation_id", conversation_id)
        _validate.per_page(per_page)
        params = {
            "fields": _validate.field_list(fields),
            "page": _validate.positive("page", page),
            "per_page": per_page,
        }
        return await self._get(_TEXT_GET, Conversation, params, conversation_id=conversation)

    @endpoint(_TEXT_SEND)
    async def send(
        self,
        *,
        company_id: IdLike,
        customer_phone_number: str,
        content: str,
        tracking_number: str | UnsetType = UNSET,
        media_url: str | UnsetType = UNSET,
    ) -> Conversation:
        """Send an SMS (or MMS with ``media_url``). Never retried once it may have been sent."""
        _validate.text("customer_phone_number", customer_phone_number, required=True)
        _validate.text("content", content, required=True)
        body = SendText(
            company_id=_validate.body_id("company_id", company_id, "COM"),
            customer_phone_number=customer_phone_number,
            content=content,
            tracking_number=tracking_number,
            media_url=media_url,
        )
        return await self._write(_TEXT_SEND, Conversation, body, rate_class="sms")

    @endpoint(_TEXT_DOWNLOAD_MEDIA)
    async def download_media(
        self, message_resource_id: IdLike, index: int, destination: str | Path
    ) -> int:
        """Stream an MMS attachment to ``destination``; returns the bytes written."""
        message = _validate.resource_id("message_resource_id", message_resource_id, "SCI")
        number = _validate.resource_id("index", index)
        return await self._download(
            _TEXT_DOWNLOAD_MEDIA, Path(destination), message_resource_id=message, index=number
        )


class SmsThreadsResource(Resource):
    """SMS threads: conversations with notes, tags, value and qualification."""

    @endpoint(_THREAD_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        date_range: DateRange | None = None,
        start_date: _validate.DateLike | None = None,
        end_date: _validate.DateLike | None = None,
        search: str | None = None,
        fields: Iterable[ThreadField | str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[SmsThread]:
        """List threads, most recent message first."""
        if (start_date is None) != (end_date is None):
            raise InvalidArgumentError("start_date and end_date go together for SMS threads")
        params = {
            **date_params(date_range, start_date, end_date, None),
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "search": _validate.text("search", search),
            "fields": _validate.field_list(fields),
        }
        return self._list(
            _THREAD_LIST,
            SmsThread,
            "sms_threads",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_THREAD_GET)
    async def get(
        self,
        thread_id: IdLike,
        *,
        with_msg_errors: bool | None = None,
        fields: Iterable[ThreadField | str] | None = None,
        page: int = 1,
        per_page: int = 100,
    ) -> SmsThread:
        """A thread with one page of its messages (``per_page`` at most 100);
        ``with_msg_errors=True`` adds each failed message's ``error``."""
        thread = _validate.resource_id("thread_id", thread_id)
        if _validate.per_page(per_page) is None or per_page > 100:
            raise InvalidArgumentError(
                "per_page must be from 1 to 100 for thread messages, got "
                + _validate.shown(per_page)
            )
        params = {
            "with_msg_errors": with_msg_errors,
            "fields": _validate.field_list(fields),
            "page": _validate.positive("page", page),
            "per_page": per_page,
        }
        return await self._get(_THREAD_GET, SmsThread, params, thread_id=thread)

    @endpoint(_THREAD_UPDATE)
    async def update(
        self,
        thread_id: IdLike,
        *,
        notes: str | UnsetType | None = UNSET,
        value: str | float | UnsetType | None = UNSET,
        tags: Sequence[str] | UnsetType = UNSET,
        append_tags: bool | UnsetType = UNSET,
        lead_qualification: LeadStatusUpdate | str | UnsetType | None = UNSET,
    ) -> SmsThread:
        """Annotate a thread; only the arguments given are sent."""
        thread = _validate.resource_id("thread_id", thread_id)
        body = SmsThreadUpdate(
            notes=notes,
            value=value,
            append_tags=append_tags,
            tags=UNSET if isinstance(tags, UnsetType) else (tag_names(tags) or []),
            lead_qualification=lead_qualification,
        )
        return await self._write(_THREAD_UPDATE, SmsThread, body, thread_id=thread)
