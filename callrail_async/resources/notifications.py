"""Notifications: list."""

from __future__ import annotations

from .. import _validate
from ..enums import NOTIFICATION_TYPES, NotificationType
from ..models import Notification
from ..pagination import AsyncPaginator
from ._base import Resource


class NotificationsResource(Resource):
    """Call and SMS alerts."""

    def list(
        self,
        *,
        notification_type: NotificationType | None = None,
        user_id: str | None = None,
        email: str | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Notification]:
        """List notifications (``GET notifications.json``)."""
        params = {
            "notification_type": _validate.choice(
                "notification_type", notification_type, NOTIFICATION_TYPES
            ),
            "user_id": _validate.optional_resource_id("user_id", user_id, "USR"),
            "email": _validate.text("email", email),
        }
        return self._list(
            "notifications.json",
            Notification,
            "notifications",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )
