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
from .integrations import Integration
from .notifications import Notification
from .tags import Tag, TagCreate, TagUpdate
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
    "Company",
    "FlexBool",
    "FlexInt",
    "Id",
    "Integration",
    "KeywordLocation",
    "KeywordSpotted",
    "Milestone",
    "Milestones",
    "Model",
    "Notification",
    "Recording",
    "SummaryGroup",
    "SummaryMetrics",
    "Tag",
    "TagCreate",
    "TagUpdate",
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
