"""msgspec models of CallRail's objects."""

from ._types import FlexBool, FlexInt, Id, Model, Timestamp, parse_timestamp
from .accounts import Account
from .calls import (
    CALL_OPTIONAL_FIELDS,
    Call,
    CallSummary,
    CallTimeseries,
    CallUpdate,
    KeywordLocation,
    KeywordSpotted,
    Milestone,
    Milestones,
    Recording,
    SummaryGroup,
    SummaryMetrics,
    TimeseriesPoint,
    TranscriptPhrase,
)
from .companies import BulkUpdateResult, Company, VerifiedCallerId
from .flows import (
    CallerId,
    FormsSummary,
    IntegrationTrigger,
    Lead,
    LeadTimeline,
    MessageFlow,
    PageView,
    SummaryEmail,
    TimelineEvent,
)
from .forms import FormSubmission, FormSubmissionCreate, IgnoredFields, InteractionUpdate, Message
from .integrations import Integration
from .notifications import Notification
from .tags import Tag, TagCreate, TagUpdate
from .texts import Conversation, SendText, SmsThread, SmsThreadUpdate, TextMessage
from .trackers import CallFlow, Tracker, TrackerCompany, TrackerSource
from .users import User, UserCompany

__all__ = [
    "CALL_OPTIONAL_FIELDS",
    "Account",
    "BulkUpdateResult",
    "Call",
    "CallFlow",
    "CallSummary",
    "CallTimeseries",
    "CallUpdate",
    "CallerId",
    "Company",
    "Conversation",
    "FlexBool",
    "FlexInt",
    "FormSubmission",
    "FormSubmissionCreate",
    "FormsSummary",
    "Id",
    "IgnoredFields",
    "Integration",
    "IntegrationTrigger",
    "InteractionUpdate",
    "KeywordLocation",
    "KeywordSpotted",
    "Lead",
    "LeadTimeline",
    "Message",
    "MessageFlow",
    "Milestone",
    "Milestones",
    "Model",
    "Notification",
    "PageView",
    "Recording",
    "SendText",
    "SmsThread",
    "SmsThreadUpdate",
    "SummaryEmail",
    "SummaryGroup",
    "SummaryMetrics",
    "Tag",
    "TagCreate",
    "TagUpdate",
    "TextMessage",
    "TimelineEvent",
    "TimeseriesPoint",
    "Timestamp",
    "Tracker",
    "TrackerCompany",
    "TrackerSource",
    "TranscriptPhrase",
    "User",
    "UserCompany",
    "VerifiedCallerId",
    "parse_timestamp",
]
