"""Each resource's declared ``company_scope`` is what its ``list()`` does: the export and
the sync trust the declaration, so a wrong one would crash or silently ignore --company."""

from __future__ import annotations

import inspect

import pytest
from aioresponses import aioresponses

from callrail_async import CallRail, InvalidArgumentError

LISTED = {name: cls for name, cls in CallRail.namespaces().items() if hasattr(cls, "list")}


@pytest.mark.parametrize("name", LISTED)
async def test_the_declared_company_scope_is_what_list_does(name: str) -> None:
    scope = LISTED[name].company_scope
    takes_company = "company_id" in inspect.signature(LISTED[name].list).parameters
    assert takes_company == (scope != "none"), f"{name}: declared {scope!r}"
    with aioresponses() as mocked:
        async with CallRail(api_key="k", account_id="ACC1") as client:
            listing = getattr(client, name).list
            if scope == "required":
                with pytest.raises(InvalidArgumentError, match="company_id is required"):
                    listing()
            else:
                listing()  # builds the paginator without a company: nothing refused
        assert not mocked.requests


def test_every_listed_namespace_declares_a_known_scope() -> None:
    assert {cls.company_scope for cls in LISTED.values()} <= {"filter", "required", "none"}
    required = sorted(n for n, cls in LISTED.items() if cls.company_scope == "required")
    assert required == ["caller_ids", "integration_triggers", "integrations"]
