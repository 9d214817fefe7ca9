"""Pure protocol functions, on byte fixtures and no event loop."""

from __future__ import annotations

import datetime as dt

import pytest
from yarl import URL

from callrail_async import _protocol
from callrail_async.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
    UnsafeURLError,
)

from .conftest import load_fixture

MATON = URL("https://api.maton.ai/callrail/v3/")
SANDBOX = URL("http://127.0.0.1:8123/v3/")


def test_direct_auth_header_is_quoted_token() -> None:
    assert _protocol.auth_headers("direct", "abc123") == {"Authorization": 'Token token="abc123"'}


def test_maton_auth_headers_with_and_without_connection() -> None:
    assert _protocol.auth_headers("maton", "k") == {"Authorization": "Bearer k"}
    assert _protocol.auth_headers("maton", "k", "conn-1") == {
        "Authorization": "Bearer k",
        "Maton-Connection": "conn-1",
    }


def test_encode_query_rails_arrays_booleans_dates_and_none() -> None:
    query = _protocol.encode_query(
        {
            "tags": ["A", "B"],
            "answered": True,
            "spam": False,
            "start_date": dt.date(2026, 1, 2),
            "skip": None,
            "per_page": 250,
        }
    )
    assert query == [
        ("tags[]", "A"),
        ("tags[]", "B"),
        ("answered", "true"),
        ("spam", "false"),
        ("start_date", "2026-01-02"),
        ("per_page", "250"),
    ]


def test_rebase_documented_next_page_onto_maton() -> None:
    link = load_fixture("calls_relative_page.json")["next_page"]
    rebased = _protocol.rebase_next_page(link, MATON)
    assert rebased.host == "api.maton.ai"
    assert rebased.path == "/callrail/v3/a/227799611/calls"
    assert rebased.query["offset"] == "1"
    assert rebased.query["relative_pagination"] == "true"
    assert rebased.query.getall("api_sort[]") == ["start_time"]


def test_rebase_same_host_link_onto_sandbox() -> None:
    rebased = _protocol.rebase_next_page(
        "http://127.0.0.1:8123/v3/a/ACC1/calls?offset=2&per_page=10", SANDBOX
    )
    assert str(rebased) == "http://127.0.0.1:8123/v3/a/ACC1/calls?offset=2&per_page=10"


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/v3/a/1/calls?offset=1",
        "http://api.callrail.com/v3/a/1/calls?offset=1",  # scheme downgrade
        "https://api.callrail.com:8443/v3/a/1/calls?offset=1",  # other port
        "http://127.0.0.1:9999/v3/a/1/calls?offset=1",  # sandbox host, other port
        "https://api.callrail.com.evil.com/v3/a/1/calls",
        "/v3/a/1/calls?offset=1",
        "https://api.callrail.com/v3/../../admin",
        "https://api.callrail.com/other/path",
    ],
)
def test_rebase_refuses_foreign_or_odd_links(link: str) -> None:
    with pytest.raises(UnsafeURLError):
        _protocol.rebase_next_page(link, SANDBOX)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"error": "You do not have permission"}', "You do not have permission"),
        (b'{"errors": {"color": ["is not included in the list"]}}', "color is not included"),
        (b'{"errors": ["a", "b"]}', "a; b"),
        (b'{"message": "gateway says no"}', "gateway says no"),
        (b"HTTP Token: Access denied.\n", "HTTP Token: Access denied."),
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", "<h1>502 Bad Gateway</h1>"),
        (b"", "(empty body)"),
        (b"[1, 2]", "[1, 2]"),
    ],
)
def test_error_message_from_each_body_shape(body: bytes, expected: str) -> None:
    assert expected in _protocol.error_message(body)


def test_error_message_is_bounded() -> None:
    message = _protocol.error_message(b"x" * 100_000)
    assert len(message) <= _protocol.SNIPPET_LIMIT + 1
    message = _protocol.error_message(b'{"error": "' + b"y" * 10_000 + b'"}')
    assert len(message) <= _protocol.SNIPPET_LIMIT + 1


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, APIError),
    ],
)
def test_error_class_by_status(status: int, cls: type[APIError]) -> None:
    assert _protocol.error_class(status) is cls


def test_retry_after_seconds_and_http_date() -> None:
    now = 1_800_000_000.0
    assert _protocol.parse_retry_after("7", now) == 7.0
    assert _protocol.parse_retry_after(None, now) is None
    assert _protocol.parse_retry_after("soon", now) is None
    date = dt.datetime.fromtimestamp(now + 42, dt.UTC)
    header = date.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert _protocol.parse_retry_after(header, now) == pytest.approx(42, abs=1)
    assert _protocol.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == 0.0


def test_normalize_base_url_rules() -> None:
    assert str(_protocol.normalize_base_url("http://127.0.0.1:8080/v3")) == (
        "http://127.0.0.1:8080/v3/"
    )
    with pytest.raises(ValueError, match="allow_insecure_http"):
        _protocol.normalize_base_url("http://proxy.internal/v3/")
    assert _protocol.normalize_base_url("http://proxy.internal/v3/", allow_insecure_http=True)
    with pytest.raises(ValueError):
        _protocol.normalize_base_url("ftp://x/")
