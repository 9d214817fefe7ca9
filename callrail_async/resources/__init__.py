"""Resource namespaces: one module per CallRail resource, all over one transport."""

from .accounts import AccountsResource
from .calls import CallsResource
from .companies import CompaniesResource
from .integrations import IntegrationsResource
from .notifications import NotificationsResource
from .tags import TagsResource
from .trackers import TrackersResource
from .users import UsersResource

__all__ = [
    "AccountsResource",
    "CallsResource",
    "CompaniesResource",
    "IntegrationsResource",
    "NotificationsResource",
    "TagsResource",
    "TrackersResource",
    "UsersResource",
]
