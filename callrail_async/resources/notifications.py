"""Notifications: list, create, update, delete."""

from __future__ import annotations

from typing import Literal, TypedDict, Unpack

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..enums import NOTIFICATION_TYPES, NotificationType
from ..errors import InvalidArgumentError
from ..models import Notification
from ..models.bodies import NotificationCreate, NotificationSettings
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/notifications.json")
_CREATE = Endpoint("POST", "a/{aid}/notifications.json")
_UPDATE = Endpoint("PUT", "a/{aid}/notifications/{notification_id}.json")
_DELETE = Endpoint("DELETE", "a/{aid}/notifications/{notification_id}.json")

AlertType = Literal["all", "first_call", "missed_and_vm", "vm_only"]
ALERT_TYPES = frozenset({"all", "first_call", "missed_and_vm", "vm_only"})


class NotificationFields(TypedDict, total=False):
    """Notification settings (only those given are sent)."""

    company_id: IdLike | None
    tracker_id: IdLike | None
    call_enabled: bool
    sms_enabled: bool
    alert_type: AlertType
    send_desktop: bool
    send_email: bool
    send_push: bool


def _checked(fields: NotificationFields) -> NotificationFields:
    _validate.choice("alert_type", fields.get("alert_type"), ALERT_TYPES)
    if "company_id" in fields:
        fields["company_id"] = _validate.maybe_body_id("company_id", fields["company_id"], "COM")
    if "tracker_id" in fields:
        fields["tracker_id"] = _validate.maybe_body_id("tracker_id", fields["tracker_id"], "TRK")
    if fields.get("call_enabled") and "alert_type" not in fields:
        raise InvalidArgumentError("alert_type is required when call_enabled is true")
    return fields


class NotificationsResource(Resource):
    """Call and SMS alerts."""

    company_scope = "none"

    @endpoint(_LIST)
    def list(
        self,
        *,
        notification_type: NotificationType | None = None,
        user_id: IdLike | None = None,
        email: str | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Notification]:
        """List notifications."""
        params = {
            "notification_type": _validate.choice(
                "notification_type", notification_type, NOTIFICATION_TYPES
            ),
            "user_id": _validate.optional_resource_id("user_id", user_id, "USR"),
            "email": _validate.text("email", email),
        }
        return self._list(
            _LIST,
            Notification,
            "notifications",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_CREATE)
    async def create(
        self,
        *,
        user_id: IdLike | UnsetType = UNSET,
        email: str | UnsetType = UNSET,
        agent_id: IdLike | UnsetType = UNSET,
        **fields: Unpack[NotificationFields],
    ) -> Notification:
        """Create a notification (for the key's user when neither user_id nor email)."""
        if isinstance(email, str):
            _validate.text("email", email, required=True)
        body = NotificationCreate(
            user_id=_validate.maybe_body_id("user_id", user_id, "USR"),
            email=email,
            agent_id=_validate.maybe_body_id("agent_id", agent_id, "USR"),
            **_checked(fields),
        )
        return await self._write(_CREATE, Notification, body)

    @endpoint(_UPDATE)
    async def update(
        self, notification_id: IdLike, **fields: Unpack[NotificationFields]
    ) -> Notification:
        """Update a notification; only the settings given are sent."""
        number = _validate.resource_id("notification_id", notification_id)
        body = NotificationSettings(**_checked(fields))
        return await self._write(_UPDATE, Notification, body, notification_id=number)

    @endpoint(_DELETE)
    async def delete(self, notification_id: IdLike) -> None:
        """Delete a notification."""
        number = _validate.resource_id("notification_id", notification_id)
        await self._delete(_DELETE, notification_id=number)
