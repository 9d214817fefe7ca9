"""Resource namespaces: one module per CallRail resource, all over one transport."""

from ._base import Resource
from .accounts import AccountsResource
from .caller_ids import CallerIdsResource
from .calls import CallsResource
from .companies import CompaniesResource
from .forms import FormSubmissionsResource
from .integration_triggers import IntegrationTriggersResource
from .integrations import IntegrationsResource
from .leads import LeadsResource
from .message_flows import MessageFlowsResource
from .notifications import NotificationsResource
from .summary_emails import SummaryEmailsResource
from .tags import TagsResource
from .text_messages import SmsThreadsResource, TextMessagesResource
from .trackers import TrackersResource
from .users import UsersResource

__all__ = [
    "AccountsResource",
    "CallerIdsResource",
    "CallsResource",
    "CompaniesResource",
    "FormSubmissionsResource",
    "IntegrationTriggersResource",
    "IntegrationsResource",
    "LeadsResource",
    "MessageFlowsResource",
    "NotificationsResource",
    "Resource",
    "SmsThreadsResource",
    "SummaryEmailsResource",
    "TagsResource",
    "TextMessagesResource",
    "TrackersResource",
    "UsersResource",
]
