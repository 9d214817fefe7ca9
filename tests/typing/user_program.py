"""A user's program, written the way the README shows: type-checked, never run.

``test_typing.py`` runs ``mypy --strict`` (and pyright when installed) over this file: every
id a model decodes must be accepted back by the SDK, and the README's pagination and webhook
code must type-check as written.
"""

from __future__ import annotations

import datetime as dt

from aiohttp import web

from callrail_async import CallRail, NotFoundError
from callrail_async.models import Call, Company, Tag, Tracker, User
from callrail_async.webhooks import (
    CallModifiedEvent,
    FormSubmissionEvent,
    PostCallEvent,
    TextReceivedEvent,
    WebhookEvent,
    parse_event,
    webhook_handler,
)


async def round_trip_ids(client: CallRail) -> None:
    """Every decoded id goes back in, whatever its form (masked, numeric, short)."""
    async for call in client.calls.list(date_range="last_30_days", fields=["tags", "source"]):
        again: Call = await client.calls.get(call.id, fields=["id", "a_field_added_later"])
        await client.calls.update(again.id, note="Follow up", tags=["Opportunity"])
        await client.calls.update(call.id, customer_name="", spam=False)
        if call.company_id is not None:
            company: Company = await client.companies.get(call.company_id)
            await client.companies.update(company.id, name="")
            await client.calls.summary(company_id=company.id, group_by="tracker")
        if call.tracker_id is not None:
            tracker: Tracker = await client.trackers.get(call.tracker_id)
            await client.calls.list(tracker_id=tracker.id).collect(limit=1)
        await client.calls.recording(call.id)
        await client.leads.timeline(call.person_id or "PER1", sort="created_at")
    tag: Tag = (await client.tags.list()).items[0]
    await client.tags.update(tag.id, name="Renamed")
    user: User = (await client.users.list().collect())[0]
    await client.users.update(user.id, first_name="Gene")
    await client.calls.get(444941612)  # the reference's legacy numeric id
    await client.calls.summary(
        start_date=dt.datetime(2026, 1, 31, 9), end_date=dt.date(2026, 2, 1), time_zone="UTC"
    )


async def round_trip_webhook_and_list_ids(client: CallRail, body: bytes) -> None:
    """Ids decoded from webhooks and id lists go back in too."""
    event = parse_event(body)
    if isinstance(event, PostCallEvent):
        if event.id is not None:
            await client.calls.get(event.id)
        if event.resource_id is not None:
            await client.calls.update(event.resource_id, note="seen")
        if event.company_resource_id is not None:
            await client.companies.get(event.company_resource_id)
        if event.company_id is not None:
            await client.calls.list(company_id=event.company_id).collect(limit=1)
        if event.person_resource_id is not None:
            await client.leads.timeline(event.person_resource_id)
    elif isinstance(event, TextReceivedEvent) and event.conversation_id is not None:
        await client.text_messages.get(event.conversation_id)
    elif isinstance(event, FormSubmissionEvent) and event.id is not None:
        await client.form_submissions.get(event.id)
    async for trigger in client.integration_triggers.list(company_id="COM1"):
        if trigger.tracker_ids is not None:
            await client.integration_triggers.update(trigger.id, tracker_ids=trigger.tracker_ids)
        await client.integration_triggers.update(trigger.id, call_type="vm", lead_status=1)
    async for user in client.users.list():
        if user.companies is not None:
            await client.users.update(user.id, companies=[c.id for c in user.companies])


async def tour(client: CallRail) -> None:
    """The README's short tour, as written."""
    async for call in client.calls.list(date_range="last_30_days", fields=["tags", "source"]):
        print(call.id, call.customer_name, call.duration, call.start_time)
    updated: Call = await client.calls.update(
        "CAL1", note="Follow up", tags=["Opportunity"], append_tags=True
    )
    print(updated.note)
    summary = await client.calls.summary(
        group_by="source", fields=["total_calls", "leads"], date_range="this_month"
    )
    print(summary)
    await client.calls.list(max_items=10).collect(limit=5)


async def paginate(client: CallRail) -> None:
    """The README's pagination idioms."""
    first_page = await client.companies.list(per_page=50)
    print(first_page.total_records, [c.name for c in first_page.items])
    async for page in client.companies.list().pages():
        print(page.page, page.total_pages, len(page.items))
    everyone: list[User] = await client.users.list().collect()
    print(len(everyone))
    try:
        await client.calls.get("CAL00000000000000000000000000000000")
    except NotFoundError as err:
        print(err.status, err.message)


async def on_event(event: WebhookEvent) -> None:
    """The README's webhook callback."""
    if isinstance(event, PostCallEvent):
        print(event.resource_id, event.duration, event.answered, event.utm_source)
    elif isinstance(event, CallModifiedEvent):
        print(event.changes)
    elif isinstance(event, TextReceivedEvent):
        print(event.conversation_id)


def webhook_app(signing_key: str) -> web.Application:
    """The README's webhook receiver."""
    app = web.Application()
    app.router.add_post("/callrail", webhook_handler(signing_key=signing_key, on_event=on_event))
    return app


async def per_call_options(client: CallRail) -> Call:
    """The README's ``with_options``: typed overrides, refused unknown ones."""
    quick = client.with_options(timeout=2, max_retries=0)
    timeout: float | None = quick.options.timeout
    print(timeout, quick.options.retry.max_retries)
    client.with_options(api_key="other")  # type: ignore[call-arg]
    client.with_options(timeout="2")  # type: ignore[arg-type]
    return await quick.calls.get("CAL00000000000000000000000000000000")


class BrandedCallRail(CallRail):
    """A subclass: its derived clients keep its type (``with_options`` returns ``Self``)."""


def branded_quick(client: BrandedCallRail) -> BrandedCallRail:
    return client.for_account("ACC00000000000000000000000000000001").with_options(timeout=2)
