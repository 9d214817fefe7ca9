"""Every endpoint of CallRail's index has an SDK method, and the README's table is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aioresponses import aioresponses

from callrail_async import CallRail, RateLimits
from callrail_async.endpoints import endpoint_table, markdown
from callrail_async.models import Tag
from callrail_async.resources._base import Endpoint

from .conftest import FIXTURES

README = Path(__file__).parent.parent / "README.md"
BEGIN, END = "<!-- endpoint-table:begin -->", "<!-- endpoint-table:end -->"


def _normalise(path: str) -> str:
    path = path if path.startswith("/") else f"/v3/{path}"
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_every_documented_endpoint_has_an_sdk_method() -> None:
    documented = {
        tuple(line.split("\t"))
        for line in (FIXTURES / "endpoint_index.tsv").read_text().splitlines()
        if line and not line.startswith("#")
    }
    ours = {(row.method, _normalise(row.path)) for row in endpoint_table()}
    assert documented - ours == set()
    # Beyond the index: only the undocumented-but-served single tag and form submission GETs.
    assert ours - documented == {
        ("GET", "/v3/a/{}/tags/{}.json"),
        ("GET", "/v3/a/{}/form_submissions/{}.json"),
    }


def test_each_endpoint_has_one_method() -> None:
    rows = endpoint_table()
    assert len({(r.method, r.path) for r in rows}) == len(rows)


def test_readme_table_is_generated_from_the_code() -> None:
    text = README.read_text()
    table = text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip()
    assert table == markdown(), "regenerate with: python -m callrail_async.endpoints"


def test_an_endpoint_fills_exactly_its_placeholders() -> None:
    tag = Endpoint("GET", "a/{aid}/tags/{tag_id}.json")
    assert tag.account_scoped and not Endpoint("GET", "a/{account_id}.json").account_scoped
    assert tag.path(aid="ACC1", tag_id="7") == "a/ACC1/tags/7.json"
    with pytest.raises(TypeError, match="tag_id"):
        tag.path(aid="ACC1")  # missing
    with pytest.raises(TypeError, match="company_id"):
        tag.path(aid="ACC1", tag_id="7", company_id="COM1")  # extra


async def test_a_helper_refuses_an_endpoint_of_another_method(mock_http: aioresponses) -> None:
    """The HTTP method comes from the Endpoint only: a helper sending another kind of
    request refuses it (an SDK bug) before anything goes out."""
    get = Endpoint("GET", "a/{aid}/tags/{tag_id}.json")
    put = Endpoint("PUT", "a/{aid}/tags/{tag_id}.json")
    client = CallRail(api_key="k", account_id="ACC1", rate_limits=RateLimits.unlimited())
    async with client:
        tags = client.tags
        with pytest.raises(TypeError, match="not a DELETE request"):
            await tags._delete(get, tag_id="7")
        with pytest.raises(TypeError, match="not a POST/PUT request"):
            await tags._write(get, Tag, {}, tag_id="7")
        with pytest.raises(TypeError, match="not a GET request"):
            await tags._get(put, Tag, tag_id="7")
        with pytest.raises(TypeError, match="not a GET request"):
            tags._list(put, Tag, "tags", {}, per_page=None, max_items=None)
    assert mock_http.requests == {}


def test_the_table_covers_exactly_the_clients_namespaces() -> None:
    # One list of namespaces: the client's declarations. The table (and the endpoint names
    # in logs and spans) read it, so a namespace declared on the client is never missing.
    from callrail_async import CallRail

    named = {row.sdk.split(".")[1] for row in endpoint_table()}
    assert named == {*CallRail.namespaces(), "connections"}
