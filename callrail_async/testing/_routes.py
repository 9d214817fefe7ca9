"""The sandbox's route table: each API endpoint's method, path, handler and name."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from . import _accounts_api as accounts_api
from . import _activity_api as activity
from . import _call_reports_api as reports
from . import _calls_api as calls_api
from . import _collections_api as collections_api
from . import _record_writes_api as writes
from . import _tags_api as tags_api
from ._context import Ctx
from ._errors import SandboxError

Handler = Callable[[Ctx], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Route:
    """One API endpoint: method, path pattern below ``/v3/``, handler and a stable name."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    name: str
    rate_class: str = "general"
    multipart: bool = False  # also accepts a multipart/form-data body

    def endpoint(self, match: dict[str, str]) -> str:
        """The endpoint's name in ``stats`` (``tags.create``, ``calls.list``...)."""
        collection = match.get("collection")
        return f"{collection}.{self.name}" if collection else self.name


def _route(
    method: str,
    path: str,
    handler: Handler,
    name: str,
    rate_class: str = "general",
    *,
    multipart: bool = False,
) -> Route:
    regex = path.replace("{aid}", r"(?P<aid>[^/.]+)").replace("{id}", r"(?P<id>[^/.]+)")
    return Route(method, re.compile(regex + r"(?:\.json)?"), handler, name, rate_class, multipart)


ROUTES: list[Route] = [
    _route("GET", "a", accounts_api.list_accounts, "accounts.list"),
    _route("GET", "a/{aid}", accounts_api.get_account, "accounts.get"),
    _route("GET", "a/{aid}/calls", calls_api.list_calls, "calls.list"),
    _route("POST", "a/{aid}/calls", calls_api.create_outbound, "calls.create", "outbound_call"),
    _route("GET", "a/{aid}/calls/{id}/page_views", calls_api.page_views, "calls.page_views"),
    _route("GET", "a/{aid}/calls/summary", reports.summary, "calls.summary"),
    _route("GET", "a/{aid}/calls/timeseries", reports.timeseries, "calls.timeseries"),
    _route("GET", "a/{aid}/calls/{id}/recording", calls_api.recording, "calls.recording"),
    _route("GET", "a/{aid}/calls/{id}", calls_api.get_call, "calls.get"),
    _route("PUT", "a/{aid}/calls/{id}", calls_api.update_call, "calls.update"),
    _route("POST", "a/{aid}/(?P<collection>tags)", tags_api.create_tag, "create"),
    _route("PUT", "a/{aid}/(?P<collection>tags)/{id}", tags_api.update_tag, "update"),
    _route("DELETE", "a/{aid}/(?P<collection>tags)/{id}", tags_api.delete_tag, "delete"),
    _route("POST", "a/{aid}/companies/bulk_update", writes.bulk_update, "companies.bulk_update"),
    _route(
        "POST",
        "a/{aid}/form_submissions/ignored_fields",
        writes.ignored_fields,
        "form_submissions.ignored_fields",
    ),
    _route("GET", "a/{aid}/forms/summary", activity.forms_summary, "forms.summary"),
    _route("GET", "a/{aid}/leads/{id}/timeline", activity.lead_timeline, "leads.timeline"),
    _route(
        "GET",
        "a/{aid}/text-messages/{id}/media/(?P<index>[0-9]+)",
        activity.media,
        "text-messages.media",
    ),
    _route(
        "POST",
        "a/{aid}/text-messages",
        activity.send_text,
        "text-messages.send",
        "sms",
        multipart=True,
    ),
    _route(
        "GET",
        "a/{aid}/(?P<collection>text-messages|sms-threads)/{id}",
        activity.conversation,
        "get",
    ),
    _route("GET", "a/{aid}/(?P<collection>[a-z_-]+)", collections_api.list_collection, "list"),
    _route("GET", "a/{aid}/(?P<collection>[a-z_-]+)/{id}", collections_api.get_record, "get"),
    _route("POST", "a/{aid}/(?P<collection>[a-z_-]+)", writes.create_record, "create"),
    _route("PUT", "a/{aid}/(?P<collection>[a-z_-]+)/{id}", writes.update_record, "update"),
    _route("DELETE", "a/{aid}/(?P<collection>[a-z_-]+)/{id}", writes.delete_record, "delete"),
]


def match_route(method: str, rest: str) -> tuple[Route, dict[str, str]]:
    """The route serving ``method`` on ``rest`` (the path after ``/v3/``), and its parameters.

    Raises 405 when the path exists for other methods only, 404 when it does not exist.
    """
    allowed = False
    for route in ROUTES:
        found = route.pattern.fullmatch(rest)
        if found is None:
            continue
        if route.method == method:
            return route, {k: v for k, v in found.groupdict().items() if v is not None}
        allowed = True
    if allowed:
        raise SandboxError(405, f"Method {method} not allowed")
    raise SandboxError(404, "Not found")
